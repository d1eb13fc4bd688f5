from tests.api.fixtures import app_config, archive, auth_headers  # noqa: F401  (shared fixtures)
