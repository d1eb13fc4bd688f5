"""Declarative base with a constraint naming convention, so Alembic names are stable."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, Table, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The largest id an INTEGER column holds on both engines (PostgreSQL's is 32-bit).
MAX_ID = 2**31 - 1


def parse_id(text) -> int | None:
    """An archive id from user input, or None (not digits, or too large for the database)."""
    value = str(text).strip()
    # ASCII only: str.isdigit() is also true of "²" and other digits int() refuses.
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Table, "after_parent_attach")
def _ids_never_reused(table: Table, parent) -> None:
    """On SQLite every table gets AUTOINCREMENT: an id, once given (a story, an exhibition,
    a place...), is never given to another row, even after the newest row is erased
    (migration 0009). Every table, not only the models': a later migration that rebuilds a
    table in batch mode builds it from a reflected copy, which would otherwise drop the
    keyword (and with it the promise). No effect on tables without a single integer key,
    nor on PostgreSQL, whose sequences never go back."""
    if isinstance(parent, MetaData):
        table.dialect_kwargs["sqlite_autoincrement"] = True


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
