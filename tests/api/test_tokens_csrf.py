"""The token page's forms carry a CSRF token, and refuse a post without one."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from memoire.accounts.models import ApiToken
from memoire.extensions import db


@pytest.fixture
def app_config() -> dict:
    return {"INDEX_AFTER_COMMIT": False, "WTF_CSRF_ENABLED": True}


def test_forms_carry_a_csrf_token(client, create_user):
    user = create_user("researcher")
    login_page = client.get("/account/login").get_data(as_text=True)
    csrf = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
        login_page,
    )
    value = csrf.group(1) or csrf.group(2)
    client.post(
        "/account/login",
        data={"email": user.email, "password": "correct horse battery", "csrf_token": value},
    )
    page = client.get("/account/tokens").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert client.post("/account/tokens", data={"name": "sans jeton"}).status_code == 400
    assert db.session.scalar(select(ApiToken)) is None
