"""Jobs survive a dead worker: a running job carries a lease its worker renews; when the
worker is killed mid-job the lease runs out and another worker takes the job over. On the
database queue and on RQ (Redis at 127.0.0.1:6379, skipped when absent)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from memoire.extensions import db
from memoire.jobs import operations, rq_queue
from memoire.jobs.models import Job

REDIS_URL = "redis://127.0.0.1:6379/0"
DONE: list[dict] = []
LEASE = 1.5

# A worker in its own process: its handler says it started, then works for a long time.
WORKER = f"""
import sys, time
from memoire import create_app
from memoire.jobs import operations, rq_queue

home, media, mode, queue_name = sys.argv[1:5]
operations.HEARTBEAT_SECONDS = 0.2
operations.LEASE_SECONDS = {LEASE}

@operations.handler("test.long")
def long_job(payload):
    print("started", flush=True)
    time.sleep(120)

settings = {{"HOME": home, "MEDIA_DIR": media, "SECRET_KEY": "test-secret", "TESTING": True}}
if mode == "rq":
    settings.update(JOBS="rq", REDIS_URL="{REDIS_URL}")
    rq_queue.QUEUE_NAME = queue_name
app = create_app(settings)
with app.app_context():
    if mode == "rq":
        rq_queue.run_worker(burst=True)
    else:
        operations.run_one()
"""


@operations.handler("test.long")
def _quick(payload: dict) -> None:  # the same job, in the worker that takes it over
    DONE.append(payload)


@pytest.fixture(autouse=True)
def short_lease(monkeypatch):
    monkeypatch.setattr(operations, "HEARTBEAT_SECONDS", 0.2)
    monkeypatch.setattr(operations, "LEASE_SECONDS", LEASE)
    DONE.clear()


def start_worker(app, mode: str, queue_name: str = "") -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, app.config["MEMOIRE_HOME"],
         app.config["MEMOIRE_MEDIA_DIR"], mode, queue_name],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in worker.stdout:  # RQ logs on the same stream
        seen.append(line.strip())
        if line.strip() == "started":
            return worker
    raise AssertionError(f"the worker did not start the job: {seen!r}")


def status(job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_live_worker_keeps_its_job(app):
    job = operations.enqueue("test.long", n=1)
    db.session.commit()
    worker = start_worker(app, "db")
    try:
        time.sleep(LEASE * 2)  # longer than the lease: only heartbeats keep it
        assert operations.run_one() is False
        assert status(job.id).status == "running"
        assert status(job.id).worker.endswith(f":{worker.pid}")
    finally:
        worker.kill()
        worker.wait()


def test_a_killed_workers_job_is_taken_over_on_the_database_queue(app):
    job = operations.enqueue("test.long", n=2)
    db.session.commit()
    worker = start_worker(app, "db")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert status(job.id).status == "running"  # what it said when it died
    assert operations.run_one() is False  # the lease has not run out yet
    time.sleep(LEASE + 0.5)
    assert operations.run_one() is True
    taken = status(job.id)
    assert taken.status == "done" and DONE == [{"n": 2}]
    assert taken.attempts == 1 and taken.worker is None


def test_a_job_that_kills_every_worker_ends_failed(app, monkeypatch):
    monkeypatch.setattr(operations, "MAX_ATTEMPTS", 1)
    job = operations.enqueue("test.long", n=3)
    db.session.commit()
    worker = start_worker(app, "db")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    time.sleep(LEASE + 0.5)
    assert operations.release_stale() == 1
    failed = status(job.id)
    assert failed.status == "failed" and "stopped answering" in failed.last_error
    assert DONE == []


@pytest.fixture
def rq_app(app, monkeypatch):
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        client.close()
    app.config.update(MEMOIRE_JOBS="rq", MEMOIRE_REDIS_URL=REDIS_URL)
    monkeypatch.setattr(rq_queue, "QUEUE_NAME", f"memoire-test-{uuid.uuid4().hex}")
    yield app
    rq_queue.get_queue(app).delete(delete_jobs=True)
    rq_queue.redis_connection(app).close()


def test_a_killed_workers_job_is_taken_over_on_rq(rq_app):
    job = operations.enqueue("test.long", n=4)
    db.session.flush()
    job_id = job.id
    db.session.commit()  # rings the bell in Redis
    worker = start_worker(rq_app, "rq", rq_queue.QUEUE_NAME)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert status(job_id).status == "running"
    time.sleep(LEASE + 0.5)
    rq_queue.run_worker(burst=True)  # its sweep releases the job and rings again
    taken = status(job_id)
    assert taken.status == "done" and DONE == [{"n": 4}] and taken.attempts == 1
