"""The page where people create and revoke their personal API tokens."""

from __future__ import annotations

import re

from sqlalchemy import select

from memoire.accounts.models import ApiToken
from memoire.accounts.operations import hash_token
from memoire.extensions import db
from tests.api.helpers import bearer, token_for


def _log_in(client, create_user, role="researcher", email=None):
    user = create_user(role, email=email)
    response = client.post(
        "/account/login", data={"email": user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    return user


def test_the_page_needs_an_account(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_create_use_and_revoke_a_token(client, create_user):
    user = _log_in(client, create_user)
    page = client.get("/account/tokens")
    assert page.status_code == 200 and "<table" not in page.get_data(as_text=True)
    created = client.post("/account/tokens", data={"name": "Zotero"})
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    secret = re.search(r"(mem_[A-Za-z0-9_-]+)", created.get_data(as_text=True)).group(1)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.name == "Zotero" and token.token_hash == hash_token(secret)
    assert secret not in token.token_hash
    # Shown once: the page does not show it again.
    assert secret not in client.get("/account/tokens").get_data(as_text=True)

    api = client.application.test_client()  # a program, without the browser's cookie
    assert api.get("/api/v1/stories", headers=bearer(secret)).status_code == 200
    revoked = client.post(f"/account/tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    assert api.get("/api/v1/stories", headers=bearer(secret)).status_code == 401
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Zotero" in listing and f"/account/tokens/{token.id}/revoke" not in listing


def test_a_token_needs_a_name(client, create_user):
    _log_in(client, create_user)
    response = client.post("/account/tokens", data={"name": "  "})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_someone_elses_token_cannot_be_revoked(client, create_user):
    other = create_user("researcher")
    secret = token_for(other)
    _log_in(client, create_user)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == other.id))
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/api/v1/stories", headers=bearer(secret)).status_code == 200
