"""A small job queue in a database table: long work runs outside requests, retried with back-off.

Handlers register by name with `@handler("kind")`. The embedded profile runs a worker
thread in the serving process; `memoire worker` runs one on its own; tests and CLI
commands can drain the queue with `run_pending`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select, update

from memoire.core.db import utcnow
from memoire.extensions import db
from memoire.jobs.models import Job

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
#: Seconds between a running job's heartbeats.
HEARTBEAT_SECONDS = 15.0
#: Seconds without a heartbeat after which a running job's worker counts as dead.
LEASE_SECONDS = 90.0
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


def worker_name() -> str:
    """Who holds a job: host and process, as administrators read it on /admin/jobs."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def release_stale(now=None) -> int:
    """Jobs whose worker stopped beating (killed, host gone) go back to the queue.

    The takeover counts as an attempt: a job that kills every worker that runs it (memory,
    a crashing library) ends failed after MAX_ATTEMPTS instead of circling for ever.
    """
    now = now or utcnow()
    stale = now - timedelta(seconds=LEASE_SECONDS)
    dead = db.session.scalars(
        select(Job.id).where(
            Job.status == "running",
            (Job.heartbeat_at < stale) | Job.heartbeat_at.is_(None),
        )
    ).all()
    released = 0
    for job_id in dead:
        job = db.session.get(Job, job_id)
        if job is None or job.status != "running":
            continue
        heartbeat = job.heartbeat_at
        if heartbeat is not None and heartbeat >= stale:
            continue
        job.attempts += 1
        job.last_error = (
            f"worker {job.worker or '?'} stopped answering "
            f"(last heartbeat {heartbeat.isoformat(timespec='seconds') if heartbeat else 'never'})"
        )
        job.status = "failed" if job.attempts >= MAX_ATTEMPTS else "pending"
        job.worker, job.heartbeat_at, job.run_after = None, None, now
        released += 1
        log.warning("job %s (%s): %s", job.id, job.kind, job.last_error)
    db.session.commit()
    return released


def claim_values() -> dict:
    """What a claim writes: running, by this worker, alive now."""
    return {"status": "running", "worker": worker_name(), "heartbeat_at": utcnow()}


@contextmanager
def heartbeat(job_id: int, every: float | None = None) -> Iterator[None]:
    """Renew the job's lease from a thread while its handler runs (in its own connection:
    the handler's transaction must not carry it)."""
    engine = db.engine
    me = worker_name()
    stop = threading.Event()
    interval = HEARTBEAT_SECONDS if every is None else every

    def beat() -> None:
        while not stop.wait(interval):
            try:
                with engine.begin() as conn:
                    conn.execute(
                        update(Job)
                        .where(Job.id == job_id, Job.status == "running", Job.worker == me)
                        .values(heartbeat_at=utcnow())
                    )
            except Exception:  # a missed beat is not fatal; the lease is several beats long
                log.warning("heartbeat of job %s missed", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


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
        update(Job).where(Job.id == candidate, Job.status == "pending").values(**claim_values())
    ).rowcount
    db.session.commit()
    return db.session.get(Job, candidate) if claimed else _claim_next()


def run_one() -> bool:
    """Run the next due job; return False when there is none. Commits (it is an edge)."""
    _load_handlers()
    release_stale()
    job = _claim_next()
    if job is None:
        return False
    fn = _HANDLERS.get(job.kind)
    try:
        if fn is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        with heartbeat(job.id):
            fn(dict(job.payload))
        job = db.session.get(Job, job.id)
        job.status, job.finished_at, job.last_error = "done", utcnow(), None
        job.worker = job.heartbeat_at = None
        db.session.commit()
    except Exception:
        db.session.rollback()
        job = db.session.get(Job, job.id)
        job.attempts += 1
        job.worker = job.heartbeat_at = None
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
