"""English messages, and logging a test client in (see tests/english_app.py)."""

from tests.english_app import app_config, login  # noqa: F401
