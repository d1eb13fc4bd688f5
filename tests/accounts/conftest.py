"""An English-speaking test client, logged in without the form (see tests/english_client.py)."""

from tests.english_client import client, login  # noqa: F401
