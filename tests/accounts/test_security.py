"""CSRF on every form, and the login rate limit: both on, as in production."""

from __future__ import annotations

import re

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True}


def test_login_without_csrf_token_is_refused(client, create_user):
    create_user(email="marie@example.org")
    response = client.post(
        "/account/login", data={"email": "marie@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/my-stories").status_code == 302  # not logged in


def test_login_with_csrf_token_works(client, create_user):
    create_user(email="marie@example.org")
    token = _csrf(client, "/account/login")
    response = client.post(
        "/account/login",
        data={"email": "marie@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def _csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1)


def test_logged_in_forms_refuse_posts_without_token(client, create_user):
    user = create_user()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert client.post("/contribute", data={"title": "Sans jeton"}).status_code == 400
    assert client.post("/account/logout").status_code == 400
    token = _csrf(client, "/contribute")
    assert (
        client.post(
            "/contribute", data={"title": "Avec jeton", "language": "fr", "csrf_token": token}
        ).status_code
        == 302
    )


def test_login_rate_limit(client, create_user):
    create_user(email="marie@example.org")
    token = _csrf(client, "/account/login")
    statuses = [
        client.post(
            "/account/login",
            data={"email": "marie@example.org", "password": "wrong", "csrf_token": token},
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    # Reading the page is not limited: only attempts are.
    assert client.get("/account/login").status_code == 200
