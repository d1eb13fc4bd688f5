"""A worker killed in the middle of a transcription: its lease runs out, another finishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from memoire.asr import operations as ops
from memoire.asr.models import RunStatus, TranscriptionRun
from memoire.core.db import utcnow
from memoire.extensions import db
from memoire.jobs.models import Job
from memoire.jobs.operations import release_stale, run_pending

ROOT = Path(__file__).resolve().parents[2]


def test_a_killed_worker_leaves_no_half_transcript_and_the_run_is_finished_by_another(
    app, recording, fake_engine
):
    app.config["MEMOIRE_ASR_CHUNK_SECONDS"] = 2.0  # progress is committed between chunks
    story, media = recording(seconds=6)
    run = ops.request_transcription(None, media)
    db.session.commit()
    env = {
        **os.environ,
        "MEMOIRE_HOME": app.config["MEMOIRE_HOME"],
        "MEMOIRE_MEDIA_DIR": app.config["MEMOIRE_MEDIA_DIR"],
        "MEMOIRE_DATABASE_URL": app.config["MEMOIRE_DATABASE_URL"],
        "MEMOIRE_SECRET_KEY": "test-secret",
        "MEMOIRE_ASR_ENGINE": "tests.asr.slow_engine:load",
        "MEMOIRE_ASR_CHUNK_SECONDS": "2",
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--once"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            db.session.expire_all()
            current = db.session.get(TranscriptionRun, run.id)
            db.session.commit()
            if current.status == RunStatus.running and current.done_seconds >= 2:
                break
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.3)
        else:
            raise AssertionError("the worker never got going")
        worker.send_signal(signal.SIGKILL)  # mid-recording, no clean-up of any kind
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    db.session.expire_all()
    assert db.session.get(TranscriptionRun, run.id).status == RunStatus.running
    assert not [t for t in story.transcripts if t.media_id == media.id]  # nothing half-written
    job = db.session.query(Job).filter_by(kind=ops.JOB_KIND).one()
    assert job.status == "running"
    # Its lease runs out (as if an hour had passed): the job goes back to the queue and the
    # next worker finishes it.
    job.heartbeat_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert release_stale() == 1
    db.session.commit()
    run_pending()
    db.session.expire_all()
    finished = db.session.get(TranscriptionRun, run.id)
    assert finished.status == RunStatus.done and finished.attempts == 2
    drafts = [t for t in story.transcripts if t.media_id == media.id]
    assert len(drafts) == 1
    assert [s.text for s in drafts[0].segments] == [f"seconde {i}" for i in range(6)]
