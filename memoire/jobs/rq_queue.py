"""Jobs through Redis (RQ), for deployments with several workers on several hosts.

`MEMOIRE_JOBS=rq` and `MEMOIRE_REDIS_URL=redis://...` switch it on. The job row in the
database stays the truth: its status, attempts and last error are what administrators
see on /admin/jobs, and the same handlers and retry rules apply as in the embedded
queue. Redis only rings the bell: "job N is ready", pushed after the commit that
created the job, so an idle worker on any host starts it at once instead of polling.
A bell that rings twice runs nothing twice (a job is claimed by a conditional update);
a bell that was lost (Redis down at commit time, a back-off delay) is rung again by the
sweep that `memoire worker` runs between its RQ sessions (`requeue_due`).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import traceback
from datetime import timedelta

from flask import Flask, current_app, has_app_context
from sqlalchemy import inspect, select, update

from memoire.core import uow
from memoire.core.db import utcnow
from memoire.extensions import db
from memoire.jobs import operations
from memoire.jobs.models import Job

log = logging.getLogger(__name__)

QUEUE_NAME = "memoire"
#: Seconds an RQ worker waits idle before the sweep runs again.
SWEEP_INTERVAL = 30
#: Seconds a job may run before RQ stops it (transcoding a long recording takes minutes).
JOB_TIMEOUT = 3600
_REDIS = "memoire.redis"
_app_for_rq: Flask | None = None


def is_enabled(app: Flask | None = None) -> bool:
    app = app or current_app
    return str(app.config.get("MEMOIRE_JOBS") or "db").strip().lower() == "rq"


def redis_connection(app: Flask | None = None):
    """The app's Redis client, made once (it keeps a pool of connections)."""
    from redis import Redis

    app = app or current_app._get_current_object()
    client = app.extensions.get(_REDIS)
    if client is None:
        url = app.config.get("MEMOIRE_REDIS_URL")
        if not url:
            raise RuntimeError("MEMOIRE_JOBS=rq needs MEMOIRE_REDIS_URL (redis://host:6379/0)")
        client = app.extensions[_REDIS] = Redis.from_url(url)
    return client


def get_queue(app: Flask | None = None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(app), default_timeout=JOB_TIMEOUT)


def dispatch_after_commit(job: Job) -> None:
    """Ring the bell for `job` once the transaction that created it commits (RQ mode only)."""
    app = current_app._get_current_object()
    if not is_enabled(app):
        return

    def ring() -> None:
        identity = inspect(job).identity
        if identity:
            push(app, identity[0])

    uow.after_commit(db.session(), ring)


def push(app: Flask, job_id: int) -> bool:
    """Tell the RQ workers that job `job_id` is ready; False if Redis could not be reached."""
    from redis.exceptions import RedisError

    try:
        get_queue(app).enqueue_call(
            perform,
            args=(job_id,),
            result_ttl=0,
            failure_ttl=24 * 3600,
            description=f"memoire job {job_id}",
        )
    except RedisError:
        log.warning("job %s not pushed to Redis: the worker's sweep will pick it up", job_id)
        return False
    return True


def perform(job_id: int) -> None:
    """What an RQ worker runs: the job's handler, with the embedded queue's rules."""
    if has_app_context():
        run_job(job_id)
        return
    # A plain `rq worker` has no app: make one for this process (memoire worker has one).
    global _app_for_rq
    if _app_for_rq is None:
        from memoire import create_app

        _app_for_rq = create_app()
    with _app_for_rq.app_context():
        run_job(job_id)


def run_job(job_id: int) -> bool:
    """Claim job `job_id` if it is pending and due, run it, record the outcome; commits.

    Returns False when the job was not there to run (done already, claimed by another
    worker, erased, or not due yet).
    """
    operations._load_handlers()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "pending", Job.run_after <= utcnow())
        .values(**operations.claim_values())
    ).rowcount
    db.session.commit()
    if not claimed:
        return False
    job = db.session.get(Job, job_id)
    fn = operations._HANDLERS.get(job.kind)
    try:
        if fn is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        with operations.heartbeat(job_id):
            fn(dict(job.payload))
        job = db.session.get(Job, job_id)
        job.status, job.finished_at, job.last_error = "done", utcnow(), None
        job.worker = job.heartbeat_at = None
        db.session.commit()
    except Exception:
        db.session.rollback()
        _record_failure(job_id, traceback.format_exc(limit=5)[-4000:])
    return True


def _record_failure(job_id: int, error: str) -> None:
    """The embedded queue's retry rule: back off 10 s, 20 s, 40 s...; failed for good after
    `operations.MAX_ATTEMPTS`."""
    job = db.session.get(Job, job_id)
    job.attempts += 1
    job.worker = job.heartbeat_at = None
    job.last_error = error
    if job.attempts >= operations.MAX_ATTEMPTS:
        job.status = "failed"
        log.error("job %s (%s) failed for good", job.id, job.kind)
    else:
        job.status = "pending"
        job.run_after = utcnow() + timedelta(seconds=2**job.attempts * 5)
    db.session.commit()


def requeue_due(app: Flask | None = None) -> int:
    """Ring again for every pending job that is due: back-offs that ended, lost bells, and
    jobs whose worker died (their lease ran out: `operations.release_stale`)."""
    app = app or current_app._get_current_object()
    operations.release_stale()
    due = list(
        db.session.scalars(
            select(Job.id)
            .where(Job.status == "pending", Job.run_after <= utcnow())
            .order_by(Job.id)
        )
    )
    db.session.commit()
    return sum(push(app, job_id) for job_id in due)


def run_worker(*, burst: bool = False, interval: float = SWEEP_INTERVAL) -> None:
    """Run RQ jobs in this process until stopped (`burst`: until the queue is empty).

    A SimpleWorker runs jobs in this process, inside the app context of `memoire worker`,
    and stops after `interval` idle seconds so that the sweep runs.
    """
    from rq import SimpleWorker

    try:
        from rq.exceptions import StopRequested
    except ImportError:  # RQ 1.x
        from rq.worker import StopRequested

    app = current_app._get_current_object()
    if threading.current_thread() is threading.main_thread():
        # RQ installs its SIGTERM handler only after it registered the worker in Redis: a
        # `systemctl stop` in that moment would kill the process mid-bootstrap. Until RQ's
        # handler takes over, ours ends the loop the same way.
        def _stop(signum, frame):
            raise StopRequested()

        signal.signal(signal.SIGTERM, _stop)
    try:
        while True:
            requeue_due(app)
            queue = get_queue(app)
            worker = SimpleWorker([queue], connection=queue.connection)
            worker.work(burst=burst, max_idle_time=None if burst else max(1, int(interval)))
            db.session.remove()
            if burst or _stop_requested(worker):
                return
            time.sleep(0.1)
    except StopRequested:  # SIGTERM between two RQ sessions: RQ's handler is still in place
        return


def _stop_requested(worker) -> bool:
    """Whether the worker stopped for SIGTERM/SIGINT (systemd stop, Ctrl+C), not for idleness.

    RQ records it only in attributes of its own; without them we would start a new worker
    and never stop."""
    return bool(
        getattr(worker, "_stop_requested", False)
        or getattr(worker, "_shutdown_requested_date", None)
    )
