"""Personal API tokens: a page to create them (each shown once) and revoke them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from memoire.accounts.models import ApiToken
from memoire.accounts.operations import create_token, revoke_token
from memoire.extensions import db

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")

#: Longest name a token may be given.
MAX_NAME = 200


def _tokens() -> list[ApiToken]:
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc())
    )
    return list(db.session.scalars(query))


def _page(secret: str | None = None, error: str | None = None, status: int = 200):
    response = render_template("api/tokens.html", tokens=_tokens(), secret=secret, error=error)
    # The page may show a token once: it must not stay in any cache.
    return response, status, {"Cache-Control": "no-store"}


@bp.get("")
@login_required
def index():
    return _page()


@bp.post("")
@login_required
def create():
    name = " ".join((request.form.get("name") or "").split())
    if not name:
        return _page(error=_("Give the token a name, to recognise it later."), status=400)
    if len(name) > MAX_NAME:
        return _page(error=_("The name is too long (200 characters at most)."), status=400)
    _token, secret = create_token(current_user, current_user._get_current_object(), name)
    db.session.commit()
    return _page(secret=secret, status=201)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    # Someone else's token answers like a missing one: ids reveal nothing.
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        revoke_token(current_user, token)
        db.session.commit()
    flash(
        _(
            "The token “%(name)s” is revoked: programs using it are refused from now on.",
            name=token.name,
        ),
        "success",
    )
    return redirect(url_for("tokens.index"))
