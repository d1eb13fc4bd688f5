"""Get-or-create that holds when several writers run at once (imports, web workers, jobs).

"Select, and insert when nothing was found" races: two transactions both find nothing and
both insert. Where the row has a unique key, `insert_ignoring_conflict` lets the database
settle it (`INSERT ... ON CONFLICT DO NOTHING`, then select the row, the other writer's or
ours). Where no unique key can exist (places and narrators are matched by folded names, and
two places may share a name under different parents), `lock_key` serialises the writers
that look for the same key: a PostgreSQL advisory lock held until commit or rollback, so the
second writer looks again after the first committed and finds its row. SQLite allows one
writer at a time already, and there both functions reduce to plain statements.

Waiting on locks can close a cycle between two transactions (a deadlock, which PostgreSQL
breaks by failing one of them); `is_retryable` recognises that failure so an edge that runs
one unit of work at a time (an import line) can roll back and run it again.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from memoire.extensions import db

#: SQLSTATEs after which running the same transaction again can succeed.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def lock_key(kind: str, key: str) -> None:
    """Hold a lock named by (kind, key) until this transaction ends (PostgreSQL only)."""
    if _dialect() != "postgresql":
        return
    digest = hashlib.blake2b(f"{kind}\x1f{key}".encode(), digest_size=8).digest()
    db.session.execute(
        text("SELECT pg_advisory_xact_lock(:key)"),
        {"key": int.from_bytes(digest, "big", signed=True)},
    )


def insert_ignoring_conflict(model, values: dict, unique: list[str]) -> None:
    """Insert a row unless one with the same unique columns exists (or is being inserted by
    another transaction, which is then waited for); the caller selects the row afterwards."""
    if _dialect() == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=unique))


def is_retryable(error: BaseException) -> bool:
    """Whether a database error is a deadlock or serialization failure (try the unit again)."""
    if not isinstance(error, DBAPIError):
        return False
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES or getattr(
        orig, "pgcode", None
    ) in RETRYABLE_SQLSTATES
