"""Account operations: create users, check passwords, lock after repeated failures."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from memoire.accounts.models import ApiToken, Role, User, new_session_token
from memoire.audit import operations as audit
from memoire.core.concurrency import lock_key
from memoire.core.db import parse_id, utcnow
from memoire.core.errors import Forbidden, NotFound, ValidationError
from memoire.extensions import db

_hasher = PasswordHasher()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
#: Salt of password-reset links, so no other signed value of the app can pass for one.
RESET_SALT = "memoire.password-reset"
#: How long a password-reset link works, in seconds.
RESET_MAX_AGE = 2 * 3600


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(
            _l("The password needs at least %(n)s characters.", n=MIN_PASSWORD), field="password"
        )


def account_problems(email: str, password: str | None) -> list[ValidationError]:
    """Everything wrong with a new account's address and password, all at once, so a sign-up
    form can show every error in one round trip; `create_user` raises the first."""
    problems = []
    email = normalise_email(email)
    if not _EMAIL.match(email):
        problems.append(ValidationError(_l("This e-mail address is not valid."), field="email"))
    elif db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        problems.append(ValidationError(_l("An account with this e-mail already exists."), field="email"))
    if password is not None:
        try:
            check_password_strength(password)
        except ValidationError as error:
            problems.append(error)
    return problems


def create_user(actor, email: str, password: str | None, *, role: str = Role.contributor.value,
                display_name: str = "") -> User:
    """Add an account; `actor` is None for self sign-up and the CLI."""
    email = normalise_email(email)
    lock_key("account", email)  # two sign-ups with one address at once: the second is refused
    problems = account_problems(email, password)
    if problems:
        raise problems[0]
    if role not in Role.__members__:
        raise ValidationError(
            _l("Unknown role %(role)s (%(roles)s).", role=role, roles=", ".join(Role.__members__)),
            field="role",
        )
    user = User(
        email=email, role=role, display_name=display_name or email.split("@")[0],
        password_hash=_hasher.hash(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, role=role)
    return user


def end_sessions(user: User) -> None:
    """End every session of this account, on every device: the login id each session cookie
    carries (`User.get_id`) names the old token, which the user loader then refuses."""
    user.session_token = new_session_token()
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """A new password ends every earlier session (a shared computer, a stolen cookie)."""
    check_password_strength(password)
    user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(user)


def change_password(user: User, current: str, new: str) -> User:
    """The logged-in person changes their password, proving they know the current one."""
    try:
        _hasher.verify(user.password_hash or "", current or "")
    except (VerificationError, InvalidHashError):
        raise ValidationError(_l("The current password is wrong."), field="current") from None
    set_password(user, new)
    audit.record(user, "user.password_change", "user", user.id)
    return user


def user_for_session(login_id: str) -> User | None:
    """The account a session's login id (`<id>:<token>`) names, if that session still holds:
    the token is the account's current one and the account is active."""
    user_id, _sep, token = str(login_id).partition(":")
    number = parse_id(user_id)
    if number is None or not token:
        return None
    user = db.session.get(User, number)
    if user is None or not user.session_token:
        return None
    if not hmac.compare_digest(token.encode(), user.session_token.encode()):
        return None
    return user


def authenticate(email: str, password: str) -> User:
    """Return the user, or raise ValidationError; locks the account after repeated failures."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    wrong = ValidationError(_l("Wrong e-mail or password."), field="password", code="bad_credentials")
    if user is None or not user.password_hash:
        _hasher.hash("timing-equaliser")  # same cost whether or not the account exists
        raise wrong
    if user.is_locked:
        raise ValidationError(
            _l("This account is locked after too many failed attempts. Try again in %(m)s minutes.",
               m=current_app.config["MEMOIRE_LOGIN_LOCK_MINUTES"]),
            field="password", code="locked",
        )
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= int(current_app.config["MEMOIRE_LOGIN_LOCK_AFTER"]):
            user.locked_until = utcnow() + timedelta(minutes=int(current_app.config["MEMOIRE_LOGIN_LOCK_MINUTES"]))
            user.failed_logins = 0
            audit.record(None, "user.lock", "user", user.id)
        db.session.flush()
        raise wrong from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    if not user.session_token:  # an account from before session tokens
        user.session_token = new_session_token()
    db.session.flush()
    return user


def change_role(actor, user: User, role: str) -> User:
    if not (actor and actor.has_role(Role.admin)):
        raise Forbidden(_l("Only administrators can change roles."))
    if role not in Role.__members__:
        raise ValidationError(_l("Unknown role %(role)s.", role=role), field="role")
    user.role = role
    db.session.flush()
    audit.record(actor, "user.role", "user", user.id, role=role)
    return user


def find_user(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None:
        raise NotFound(_l("No account with the e-mail %(email)s.", email=email))
    return user


def find_actor(email: str | None) -> User | None:
    """The account a CLI command acts as: the one named, else none (the system)."""
    return find_user(email) if email else None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Return the token row and the token itself, which is shown once and never stored."""
    secret = "mem_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(secret))
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "token.create", "user", user.id)
    return token, secret


def user_for_token(secret: str) -> User | None:
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    token.last_used_at = utcnow()
    return token.user


def revoke_token(actor, token: ApiToken) -> None:
    if actor is None or (actor.id != token.user_id and not actor.has_role(Role.admin)):
        raise Forbidden(_l("You may only revoke your own tokens."))
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "token.revoke", "user", token.user_id)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    """A short digest of the current password hash: a reset link dies once it has been used."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    """A signed, expiring password-reset token for this account."""
    return _reset_serializer().dumps({"id": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(token: str, *, max_age: int = RESET_MAX_AGE) -> User:
    """The account a reset token was made for; ValidationError when expired, used or forged."""
    invalid = ValidationError(
        _l("This link is not valid any more. Ask for a new one."), field="token", code="bad_token"
    )
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise ValidationError(
            _l("This link has expired. Ask for a new one."), field="token", code="expired_token"
        ) from None
    except BadSignature:
        raise invalid from None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or not user.is_active:
        raise invalid
    if not hmac.compare_digest(str(data.get("pw", "")), _password_fingerprint(user)):
        raise invalid
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link; the link stops working at once."""
    user = user_for_reset_token(token)
    set_password(user, password)
    db.session.flush()
    audit.record(user, "user.password_reset", "user", user.id)
    return user


def find_user_or_none(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
