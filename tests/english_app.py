"""Fixtures shared by the map and place tests: English messages, and logging a test client in."""

from __future__ import annotations

import pytest
from flask import g


@pytest.fixture
def app_config() -> dict:
    """English first, so that messages can be asserted as written in the code."""
    return {"DEFAULT_LOCALE": "en", "LOCALES": "en,fr,nl"}


@pytest.fixture
def login():
    """login(client, user): log `user` in on this test client, as Flask-Login's session does."""

    def log_in(client, user) -> None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        # The `app` fixture keeps one app context for the whole test, and requests reuse it:
        # Flask-Login's per-request cache of the user (in `g`) must be dropped by hand.
        g.pop("_login_user", None)

    return log_in
