"""Rate limits: one budget per token across the whole API, another per address without one."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_documented


@pytest.fixture
def app_config() -> dict:
    return {
        "INDEX_AFTER_COMMIT": False,
        "RATELIMIT_ENABLED": True,
        "API_RATE_LIMIT": "3/minute",
        "API_ANONYMOUS_RATE_LIMIT": "5/minute",
    }


def test_rate_limits_count_per_token(client, auth_headers):
    first, second = auth_headers("researcher"), auth_headers("researcher")
    codes = [client.get("/api/v1/themes", headers=first).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/themes", headers=first)
    assert limited.status_code == 429 and limited.mimetype == "application/problem+json"
    assert limited.get_json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(limited.headers["Retry-After"]) <= 61
    assert_documented(limited, "/api/v1/themes")
    # Another token has its own budget; so has a caller without one.
    assert client.get("/api/v1/themes", headers=second).status_code == 200
    assert client.get("/api/v1/themes").status_code == 200
