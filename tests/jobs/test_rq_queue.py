"""MEMOIRE_JOBS=rq: jobs pushed to Redis after commit, run by the RQ worker with the embedded
queue's handlers and retry rules, lost pushes recovered by the sweep."""

from __future__ import annotations

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
CALLS: list[dict] = []


@operations.handler("test.record")
def _record(payload: dict) -> None:
    CALLS.append(payload)


@operations.handler("test.fail")
def _fail(payload: dict) -> None:
    raise RuntimeError("the scanner is unplugged")


@pytest.fixture
def redis_up():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        client.close()


@pytest.fixture
def rq_app(app, redis_up, monkeypatch):
    app.config.update(MEMOIRE_JOBS="rq", MEMOIRE_REDIS_URL=REDIS_URL)
    # A queue of this test's own: several test runs may share the Redis server.
    monkeypatch.setattr(rq_queue, "QUEUE_NAME", f"memoire-test-{uuid.uuid4().hex}")
    CALLS.clear()
    yield app
    queue = rq_queue.get_queue(app)
    queue.delete(delete_jobs=True)
    rq_queue.redis_connection(app).close()


def enqueue(kind: str, **payload) -> Job:
    return operations.enqueue(kind, **payload)  # dispatches to Redis after commit in RQ mode


def use_redis(app, url: str) -> None:
    client = app.extensions.pop("memoire.redis", None)
    if client is not None:
        client.close()
    app.config["MEMOIRE_REDIS_URL"] = url


def committed(job: Job) -> int:
    db.session.commit()
    return job.id


def test_a_job_is_pushed_only_when_its_transaction_commits(rq_app):
    queue = rq_queue.get_queue(rq_app)
    enqueue("test.record", n=1)
    db.session.flush()
    assert queue.count == 0  # not before the commit
    db.session.rollback()
    assert queue.count == 0  # nor after a rollback
    job_id = committed(enqueue("test.record", n=2))
    assert queue.count == 1
    rq_queue.run_worker(burst=True)
    assert CALLS == [{"n": 2}]
    assert db.session.get(Job, job_id).status == "done"


def test_a_bell_that_rings_twice_runs_the_job_once(rq_app):
    job_id = committed(enqueue("test.record", n=3))
    rq_queue.push(rq_app, job_id)
    rq_queue.run_worker(burst=True)  # the sweep rings a third time
    assert CALLS == [{"n": 3}]


def test_failures_are_retried_with_back_off_then_kept_for_administrators(rq_app):
    job_id = committed(enqueue("test.fail"))
    rq_queue.run_worker(burst=True)
    job = db.session.get(Job, job_id)
    assert (job.status, job.attempts) == ("pending", 1)
    assert "the scanner is unplugged" in job.last_error
    assert job.run_after > job.created_at  # not retried before its pause is over
    assert rq_queue.run_job(job.id) is False
    for attempt in range(2, operations.MAX_ATTEMPTS + 1):
        job.run_after = job.created_at  # the pause is over
        db.session.commit()
        rq_queue.run_worker(burst=True)  # the sweep rings for it again
        job = db.session.get(Job, job_id)
        assert job.attempts == attempt
    assert job.status == "failed"


def test_a_lost_push_is_recovered_by_the_sweep(rq_app):
    rq_app.config["MEMOIRE_JOBS"] = "db"  # committed while Redis was not used: no bell
    job_id = committed(enqueue("test.record", n=4))
    rq_app.config["MEMOIRE_JOBS"] = "rq"
    assert rq_queue.get_queue(rq_app).count == 0
    rq_queue.run_worker(burst=True)
    assert CALLS == [{"n": 4}]
    assert db.session.get(Job, job_id).status == "done"


def test_redis_down_at_commit_loses_nothing(rq_app):
    use_redis(rq_app, "redis://127.0.0.1:1/0")  # nothing listens there
    try:
        job_id = committed(enqueue("test.record", n=5))  # the push fails after the commit
    finally:
        use_redis(rq_app, REDIS_URL)
    assert db.session.get(Job, job_id).status == "pending"
    rq_queue.run_worker(burst=True)
    assert CALLS == [{"n": 5}]


STOPPABLE_WORKER = """
import sys
from memoire import create_app
from memoire.jobs import rq_queue

app = create_app({"HOME": sys.argv[1], "MEDIA_DIR": sys.argv[2], "SECRET_KEY": "test"})
app.config.update(MEMOIRE_JOBS="rq", MEMOIRE_REDIS_URL=sys.argv[3])
rq_queue.QUEUE_NAME = sys.argv[4]
with app.app_context():
    print("working", flush=True)
    rq_queue.run_worker(interval=1)
print("stopped", flush=True)
"""


def test_the_worker_stops_on_sigterm(rq_app):
    """`systemctl stop` sends SIGTERM: the worker must end, not start a new RQ session."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            STOPPABLE_WORKER,
            rq_app.config["MEMOIRE_HOME"],
            rq_app.config["MEMOIRE_MEDIA_DIR"],
            REDIS_URL,
            rq_queue.QUEUE_NAME,
        ],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "working"
        time.sleep(2.5)  # idle long enough for the worker to sweep and start again
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        worker.kill()
    assert worker.returncode == 0 and "stopped" in output
