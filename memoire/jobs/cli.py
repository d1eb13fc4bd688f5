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
    from memoire.jobs import operations

    if once:
        click.echo(f"{operations.run_pending()} job(s) run")
        return
    while True:
        if not operations.run_one():
            time.sleep(interval)


commands = [worker_command]
