"""Who is calling the API: a personal token sent as `Authorization: Bearer`, or nobody.

Reads need no token: an anonymous caller sees what a visitor sees, a token's user
sees what their role allows (the same `may_view` rule as pages). Writes need a
token: the API is exempt from CSRF, so a browser's session cookie must never be
enough to change anything. A token that is unknown or revoked is refused (401)
rather than treated as anonymous, so that a harvester with an expired token
notices instead of silently collecting less.

Requests are rate-limited across the whole API, per token (keyed on the token's
hash, never the token) or per client address when there is none.
"""

from __future__ import annotations

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from memoire.accounts.models import User
from memoire.accounts.operations import hash_token, user_for_token
from memoire.api.common import Unauthorized, setting
from memoire.api.views import bp
from memoire.extensions import db, limiter, login_manager

#: Requests a token may make (Flask-Limiter syntax); `MEMOIRE_API_RATE_LIMIT` overrides.
TOKEN_RATE_LIMIT = "600/minute"
#: Requests one address may make without a token; `MEMOIRE_API_ANONYMOUS_RATE_LIMIT` overrides.
ANONYMOUS_RATE_LIMIT = "300/minute"


def bearer_secret() -> str | None:
    """The token in `Authorization: Bearer ...`, None when there is no such header;
    Unauthorized for any other kind of Authorization."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized(_l("Send a personal token as: Authorization: Bearer <token>."))
    return secret.strip()


def rate_limit_key() -> str:
    """One counter per token (its hash), else per client address."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return "token:" + hash_token(secret.strip())
    return "addr:" + (request.remote_addr or "unknown")


def rate_limit_value() -> str:
    if request.headers.get("Authorization"):
        return str(setting("API_RATE_LIMIT", TOKEN_RATE_LIMIT))
    return str(setting("API_ANONYMOUS_RATE_LIMIT", ANONYMOUS_RATE_LIMIT))


# One shared budget for every route of the API, whichever module added it.
limiter.shared_limit(rate_limit_value, scope="api", key_func=rate_limit_key)(bp)


@bp.before_request
def authenticate_bearer() -> None:
    """Make a valid token's user the current user of this request (no session is created)."""
    g.api_token_user = None
    # Whoever an enclosing context (a test, a CLI script) loaded before is not this caller.
    g.pop("_login_user", None)
    secret = bearer_secret()
    if secret is None:
        return
    user = user_for_token(secret)
    if user is None:
        db.session.rollback()
        raise Unauthorized(_l("This token is not valid, or has been revoked."))
    # `last_used_at` lets people see which of their tokens are still in use.
    db.session.commit()
    g.api_token_user = user
    # Flask-Login reads the current user from here: every API module then sees the token's user.
    g._login_user = user


@bp.teardown_request
def forget_bearer(_error=None) -> None:
    """The token's user is this request's only: nothing of it outlives the request."""
    if g.pop("api_token_user", None) is not None:
        g.pop("_login_user", None)


def current_api_user() -> User | None:
    """The caller: a token's user, else a logged-in browser's user, else None (anonymous)."""
    user = getattr(g, "api_token_user", None)
    if user is not None:
        return user
    if getattr(current_user, "is_authenticated", False):
        return current_user._get_current_object()
    return None


def require_token_user() -> User:
    """The token's user for a write; Unauthorized without a token (cookies are not enough)."""
    user = getattr(g, "api_token_user", None)
    if user is None:
        raise Unauthorized(_l("Changing the archive through the API needs a personal token."))
    return user


@login_manager.request_loader
def _user_from_bearer(req) -> User | None:
    """Outside the API (media files, short URLs), a valid token also identifies its user."""
    header = req.headers.get("Authorization", "")
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return user_for_token(secret.strip())
