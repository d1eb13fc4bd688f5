"""Side effects that must follow a commit (moving files, applying index work, deleting files).

Operations register them on the session while they work; they run only once the
database commit succeeded, and are dropped (or undone) on rollback. This keeps the
rule of the style guide: the edge commits, and nothing outside the database happens
for a transaction that did not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_AFTER_COMMIT = "memoire_after_commit"
_AFTER_ROLLBACK = "memoire_after_rollback"


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the current transaction has committed."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def after_rollback(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` if the current transaction is rolled back (cleanup of staged files)."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(callback)


def _run(callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # a failed side effect must not hide the others
            log.exception("post-transaction callback %r failed", callback)


@event.listens_for(Session, "after_commit")
def _on_commit(session: Session) -> None:
    callbacks = session.info.pop(_AFTER_COMMIT, [])
    session.info.pop(_AFTER_ROLLBACK, None)
    _run(callbacks)


@event.listens_for(Session, "after_soft_rollback")
def _on_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.nested:  # a savepoint: the outer transaction goes on
        return
    callbacks = session.info.pop(_AFTER_ROLLBACK, [])
    session.info.pop(_AFTER_COMMIT, None)
    _run(callbacks)
