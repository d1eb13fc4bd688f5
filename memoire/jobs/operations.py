"""A small job queue in a database table: long work runs outside requests, retried with back-off.

Handlers register by name with `@handler("kind")`. The embedded profile runs a worker
thread in the serving process; `memoire worker` runs one on its own; tests and CLI
commands can drain the queue with `run_pending`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, update

from memoire.core.db import utcnow
from memoire.extensions import db
from memoire.jobs.models import Job

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
_HANDLERS: dict[str, Callable[[dict], None]] = {}


def handler(kind: str):
    def register(fn: Callable[[dict], None]):
        _HANDLERS[kind] = fn
        return fn

    return register


def enqueue(kind: str, **payload) -> Job:
    """Add a job to the current transaction: it exists only if the change that needs it commits."""
    job = Job(kind=kind, payload=payload)
    db.session.add(job)
    from memoire.jobs import rq_queue

    if rq_queue.is_enabled():
        rq_queue.dispatch_after_commit(job)  # Redis is told once the job row exists
    return job


def _claim_next() -> Job | None:
    now = utcnow()
    candidate = db.session.scalar(
        select(Job.id)
        .where(Job.status == "pending", Job.run_after <= now)
        .order_by(Job.id)
        .limit(1)
    )
    if candidate is None:
        return None
    # Claim by a conditional update, so two workers never run the same job.
    claimed = db.session.execute(
        update(Job).where(Job.id == candidate, Job.status == "pending").values(status="running")
    ).rowcount
    db.session.commit()
    return db.session.get(Job, candidate) if claimed else _claim_next()


def run_one() -> bool:
    """Run the next due job; return False when there is none. Commits (it is an edge)."""
    _load_handlers()
    job = _claim_next()
    if job is None:
        return False
    fn = _HANDLERS.get(job.kind)
    try:
        if fn is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        fn(dict(job.payload))
        job = db.session.get(Job, job.id)
        job.status, job.finished_at, job.last_error = "done", utcnow(), None
        db.session.commit()
    except Exception:
        db.session.rollback()
        job = db.session.get(Job, job.id)
        job.attempts += 1
        job.last_error = traceback.format_exc(limit=5)[-4000:]
        if job.attempts >= MAX_ATTEMPTS:
            job.status = "failed"
            log.error("job %s (%s) failed for good", job.id, job.kind)
        else:
            job.status = "pending"
            job.run_after = utcnow() + timedelta(seconds=2 ** job.attempts * 5)
        db.session.commit()
    return True


def run_pending(limit: int = 1000) -> int:
    done = 0
    while done < limit and run_one():
        done += 1
    return done


def _load_handlers() -> None:
    # Importing the modules that define handlers registers them.
    import memoire.asr.jobs  # noqa: F401
    import memoire.media.jobs  # noqa: F401
    import memoire.notifications.jobs  # noqa: F401
