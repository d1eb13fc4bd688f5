"""A session ends when the user says so (issue 13 item 4): logout, a password change and a
password reset end every earlier session of the account, a copied cookie included; sessions
have a lifetime."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from itsdangerous import TimestampSigner

from memoire.accounts import operations
from memoire.extensions import db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "another long password"


def _log_in(app, user, *, remember: bool = False, password: str = PASSWORD):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {"email": user.email, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/account/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _logged_in(client)
    return client


def _logged_in(client) -> bool:
    return client.get("/my-stories").status_code == 200


def _copy(app, client):
    """Another browser holding a copy of this client's session cookie (a shared computer)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


# --- operations ---------------------------------------------------------------------------


def test_a_session_names_the_account_and_its_token(app, create_user):
    user = create_user()
    assert operations.user_for_session(user.get_id()) is user
    assert operations.user_for_session(str(user.id)) is None  # a bare id is not a session
    assert operations.user_for_session(f"{user.id}:forged") is None
    assert operations.user_for_session("99999999999:x") is None
    assert operations.user_for_session("²:x") is None


def test_ending_sessions_and_new_passwords_refuse_earlier_ids(app, create_user):
    user = create_user()
    before = user.get_id()
    operations.end_sessions(user)
    db.session.commit()
    assert operations.user_for_session(before) is None
    assert operations.user_for_session(user.get_id()) is user

    before = user.get_id()
    operations.set_password(user, NEW_PASSWORD)
    db.session.commit()
    assert operations.user_for_session(before) is None

    before = user.get_id()
    operations.reset_password(operations.make_reset_token(user), PASSWORD)
    db.session.commit()
    assert operations.user_for_session(before) is None

    before = user.get_id()
    operations.change_password(user, PASSWORD, NEW_PASSWORD)
    db.session.commit()
    assert operations.user_for_session(before) is None


def test_change_password_needs_the_current_one(app, create_user):
    from memoire.core.errors import ValidationError

    user = create_user()
    before = user.get_id()
    with pytest.raises(ValidationError) as error:
        operations.change_password(user, "not the password", NEW_PASSWORD)
    assert error.value.field == "current"
    db.session.rollback()
    assert operations.user_for_session(before) is user


def test_an_account_from_before_tokens_gets_one_at_login(app, create_user):
    user = create_user()
    user.session_token = ""
    db.session.commit()
    assert operations.user_for_session(user.get_id()) is None  # old sessions end
    operations.authenticate(user.email, PASSWORD)
    assert user.session_token and operations.user_for_session(user.get_id()) is user


# --- through the web ----------------------------------------------------------------------


def test_a_cookie_copied_before_logout_is_dead_after_it(app, create_user):
    user = create_user()
    client = _log_in(app, user)
    other_device = _log_in(app, user)
    thief = _copy(app, client)
    assert _logged_in(thief)  # the copy works while the session lives
    assert client.post("/account/logout").status_code == 302
    assert not _logged_in(client)
    assert not _logged_in(thief)
    assert not _logged_in(other_device)  # logout ends every session of the account
    response = thief.get("/my-stories")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_cookie_copied_before_a_password_reset_is_dead_after_it(app, create_user):
    user = create_user()
    client = _log_in(app, user)
    thief = _copy(app, client)
    token = operations.make_reset_token(user)
    owner = app.test_client()
    response = owner.post(f"/account/reset/{token}",
                          data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _logged_in(owner)  # the person who reset is logged in with a new session
    assert not _logged_in(thief)
    assert not _logged_in(client)


def test_a_password_change_ends_the_other_sessions_only(app, create_user):
    user = create_user()
    client = _log_in(app, user)
    thief = _copy(app, client)
    response = client.post("/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(thief)
    _log_in(app, user, password=NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(app, create_user):
    user = create_user()
    client = _log_in(app, user)
    thief = _copy(app, client)
    response = client.post("/account/password", data={
        "current": "wrong password!", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    })
    assert response.status_code == 400
    assert "The current password is wrong." in response.get_data(as_text=True)
    assert _logged_in(thief)


def test_the_password_page_needs_a_login(client):
    assert client.get("/account/password").status_code == 302


def test_the_api_ignores_an_ended_browser_session(app, create_user, create_story):
    user = create_user()
    draft = create_story("Mon brouillon", visibility="private", status="draft", contributor=user)
    client = _log_in(app, user)
    thief = _copy(app, client)
    # The API reads a browser's user through the same loader as the pages.
    assert thief.get(f"/api/v1/stories/{draft.id}").status_code == 200
    client.post("/account/logout")
    assert thief.get(f"/api/v1/stories/{draft.id}").status_code == 404


# --- lifetime -----------------------------------------------------------------------------


def test_without_remember_me_the_cookie_ends_with_the_browser(app, create_user):
    user = create_user()
    client = app.test_client()
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "session=" in cookie and "Expires" not in cookie


def test_remember_me_keeps_the_session_for_the_configured_days(app, create_user):
    user = create_user()
    client = app.test_client()
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    assert "Expires" in response.headers["Set-Cookie"]
    assert app.permanent_session_lifetime == timedelta(days=14)


def test_an_older_session_than_the_lifetime_is_refused(app, create_user):
    user = create_user()
    old = int(TimestampSigner("x").get_timestamp()) - 15 * 24 * 3600
    with mock.patch.object(TimestampSigner, "get_timestamp", lambda self: old):
        client = app.test_client()
        response = client.post(
            "/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
        )
    assert response.status_code == 302
    assert not _logged_in(client)


def test_the_lifetime_is_a_setting(tmp_path, migrated_template):
    from tests.conftest import make_app

    app = make_app(tmp_path, migrated_template, SESSION_DAYS=3)
    assert app.permanent_session_lifetime == timedelta(days=3)
