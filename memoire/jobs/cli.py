"""Commands of the job queue."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the jobs that are due, then stop.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
@with_appcontext
def worker_command(once: bool, interval: float) -> None:
    """Run background jobs (audio streams, waveforms, bundles) until stopped."""
    from flask import current_app

    from memoire.jobs import operations, rq_queue
    from memoire.search import service

    writes_index = bool(current_app.config["MEMOIRE_INDEX_WRITER"])
    if rq_queue.is_enabled():
        rq_queue.run_worker(burst=once)
        return
    if once:
        click.echo(f"{operations.run_pending()} job(s) run")
        if writes_index:
            click.echo(f"{service.process_pending()} index work row(s) applied")
        return
    while True:
        # With Whoosh and several web workers, this is the one process that writes the index.
        applied = service.process_pending() if writes_index else 0
        if not operations.run_one() and not applied:
            time.sleep(interval)


commands = [worker_command]
