"""The background job that makes a machine draft."""

from __future__ import annotations

from memoire.asr import operations
from memoire.jobs.operations import handler


@handler(operations.JOB_KIND)
def transcribe(payload: dict) -> None:
    operations.run_job(int(payload["run_id"]))
