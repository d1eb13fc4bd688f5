"""Fixtures shared by the accounts, contribution and moderation tests: an English-speaking
client, logged in without the (slow, rate-limited) form."""

from __future__ import annotations

import pytest
from flask import g


@pytest.fixture
def client(app):
    """A client whose browser asks for English: the assertions read the msgids."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def login(client):
    def log_in(user, as_client=None):
        target = as_client or client
        with target.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        # The test keeps one app context for all its requests: forget the user it cached.
        g.pop("_login_user", None)
        return target

    return log_in
