"""Commands of the search domain: `memoire index rebuild | verify | process`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

index = AppGroup("index", help="Keep the search index in line with the database.")


@index.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index from the database; searches go on during the rebuild."""
    from memoire.search import service

    count = service.rebuild()
    click.echo(f"indexed {count} stories")


@index.command("verify")
def verify_command() -> None:
    """Compare database and index; exit with status 1 and list the story ids on drift."""
    from memoire.search import service

    drift = service.verify()
    for label, ids in (("missing", drift.missing), ("extra", drift.extra), ("stale", drift.stale)):
        if ids:
            click.echo(f"{label} ({len(ids)}): {' '.join(str(i) for i in ids)}")
    if drift.pending:
        click.echo(f"pending ({len(drift.pending)}): {' '.join(str(i) for i in drift.pending)}")
    if not drift.ok:
        click.echo("the index has drifted from the database: run `memoire index rebuild`", err=True)
        raise SystemExit(1)
    click.echo("the index matches the database")


@index.command("process")
@click.option("--limit", type=int, default=None, help="Apply at most this many work rows.")
def process_command(limit: int | None) -> None:
    """Apply index work left pending (after a crash, or while the index was busy)."""
    from memoire.search import service

    count = service.process_pending(limit, timeout=service.CLI_LOCK_WAIT)
    click.echo(f"applied {count} pending index changes")
    failing = service.failing_work()
    for story_id, attempts, error in failing:
        click.echo(f"story {story_id}: failed {attempts} times: {error}", err=True)
    if failing:
        raise SystemExit(1)


commands = [index]
