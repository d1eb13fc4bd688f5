"""People who log in, their roles and API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin, utcnow
from memoire.extensions import db


class Role(StrEnum):
    contributor = "contributor"
    mediator = "mediator"
    moderator = "moderator"
    researcher = "researcher"
    curator = "curator"
    admin = "admin"


#: Roles that see every story whatever its status (they review and administer).
STAFF_ROLES = frozenset({Role.moderator, Role.admin})
#: Roles that also see stories whose visibility is `researchers`, once published.
RESEARCH_ROLES = frozenset({Role.researcher, Role.curator, Role.moderator, Role.admin})


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default=Role.contributor.value)
    locale: Mapped[str | None] = mapped_column(String(5))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Part of every session's login id (`get_id`): changing it ends every session of the
    # account at once (logout, password change or reset; `accounts.operations.end_sessions`).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token, server_default="")
    # E-mails about the account's own stories (published, sent back, withdrawn); it can say no.
    story_news: Mapped[bool] = mapped_column(default=True, server_default=true())

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # flask-login
        return self.is_active_account

    def get_id(self) -> str:  # flask-login: what the session cookie names, checked on each request
        return f"{self.id}:{self.session_token}"

    def has_role(self, *roles: str) -> bool:
        return self.role == Role.admin or self.role in roles

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > utcnow()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # Only a SHA-256 of the token is kept; the token itself is shown once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="tokens")
