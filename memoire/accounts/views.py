"""Account pages: sign up, log in, log out, reset a forgotten password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from memoire.accounts import operations
from memoire.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
    add_error,
)
from memoire.accounts.models import User
from memoire.core.errors import ValidationError
from memoire.extensions import db, limiter, login_manager

bp = Blueprint("accounts", __name__, url_prefix="/account")

#: Login attempts allowed per client address; the account lock covers slow, spread attacks.
LOGIN_RATE = "10/minute"
#: Reset e-mails asked per client address: each one sends a message to someone's inbox.
RESET_RATE = "5/minute"


@bp.record_once
def _configure_login(_state) -> None:
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(login_id: str) -> User | None:
    """The session's account, unless that session was ended (logout, new password)."""
    return operations.user_for_session(login_id)


def safe_next(target: str | None) -> str | None:
    """Only a path of this site: an open redirect would make a fine phishing link."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def _log_in(user: User, *, remember: bool = False) -> None:
    locale = session.get("lang")
    # A fresh session on login: nothing planted before it survives (session fixation).
    session.clear()
    if locale:
        session["lang"] = locale
    # "Keep me logged in": a cookie that lasts MEMOIRE_SESSION_DAYS; otherwise it ends with
    # the browser. Either way the signed session is refused after MEMOIRE_SESSION_DAYS.
    session.permanent = remember
    login_user(user)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("contributions.my_stories"))
    form = SignupForm()
    if form.is_submitted():
        # Every field's problem in one round trip: the form's own checks (required, the two
        # passwords), then the account rules, on the fields the form found nothing wrong with.
        form.validate()
        for problem in operations.account_problems(form.email.data or "", form.password.data or ""):
            if not getattr(form, problem.field).errors:
                add_error(form, problem.field, problem.message)
    if form.is_submitted() and not form.errors:
        try:
            user = operations.create_user(
                None,
                form.email.data,
                form.password.data,
                display_name=(form.display_name.data or "").strip(),
            )
            user.locale = str(get_locale() or "") or None
            db.session.commit()
        except ValidationError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            _log_in(user)
            flash(_("Welcome! Your account is ready. You can now share a memory."), "success")
            return redirect(
                safe_next(request.args.get("next")) or url_for("contributions.contribute")
            )
    return render_template("accounts/signup.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("contributions.my_stories"))
    return render_template("accounts/login.html", form=LoginForm())


@bp.route("/login", methods=["POST"])
@limiter.limit(LOGIN_RATE)
def login_post():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = operations.authenticate(form.email.data, form.password.data)
        except ValidationError as error:
            db.session.commit()  # the failed attempt counts towards the lock
            add_error(form, error.field, error.message)
        else:
            if not user.is_active:
                add_error(
                    form, "email", _l("This account is disabled. Contact the administrators.")
                )
            else:
                db.session.commit()
                _log_in(user, remember=bool(form.remember.data))
                flash(_("You are logged in."), "success")
                return redirect(
                    safe_next(request.args.get("next")) or url_for("contributions.my_stories")
                )
    return render_template("accounts/login.html", form=form), 400


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # Every session of the account ends, not only this cookie: a copy of it (a shared
        # computer, a stolen cookie) stops working too.
        operations.end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    locale = session.get("lang")
    session.clear()
    if locale:
        session["lang"] = locale
    flash(_("You are logged out."), "info")
    return redirect(url_for("web.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every other session of the account; this browser stays logged in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            operations.change_password(user, form.current.data, form.password.data)
            db.session.commit()
        except ValidationError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            _log_in(user, remember=bool(session.permanent))
            flash(_("Your new password is saved. You are logged out everywhere else."), "success")
            return redirect(url_for("contributions.my_stories"))
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200


@bp.route("/reset", methods=["GET"])
def forgot_password():
    return render_template("accounts/forgot.html", form=ResetRequestForm(), sent=False)


@bp.route("/reset", methods=["POST"])
@limiter.limit(RESET_RATE)
def forgot_password_post():
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot.html", form=form, sent=False), 400
    from memoire.accounts.mail import send_password_reset

    user = operations.find_user_or_none(form.email.data)
    if user is not None and user.is_active:
        send_password_reset(user)
    # The same answer whether or not an account exists: the page does not reveal who is registered.
    return render_template("accounts/forgot.html", form=form, sent=True)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        operations.user_for_reset_token(token)
    except ValidationError as error:
        return render_template("accounts/reset.html", form=None, token_error=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = operations.reset_password(token, form.password.data)
            db.session.commit()
        except ValidationError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            _log_in(user)
            flash(_("Your new password is saved."), "success")
            return redirect(url_for("contributions.my_stories"))
    status = 400 if form.errors else 200
    return render_template("accounts/reset.html", form=form, token_error=None), status
