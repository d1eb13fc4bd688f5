"""`memoire import`: bulk import of stories."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate every line without writing anything.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON report: each line's number, status, ids and error.")
@click.option("--as", "actor_email", default=None, help="E-mail of the account the import acts as.")
@with_appcontext
def import_command(path: Path, dry_run: bool, report_path: Path | None, actor_email: str | None) -> None:
    """Import a JSON Lines file of stories (or a ZIP holding one and its media)."""
    from memoire.accounts.operations import find_actor
    from memoire.core.errors import MemoireError
    from memoire.imports.operations import import_path
    from memoire.search import service

    actor = find_actor(actor_email)

    def progress(result) -> None:
        if result.status == "failed":
            click.echo(f"line {result.line}: {result.error}", err=True)

    try:
        summary = import_path(actor, path, dry_run=dry_run, progress=progress)
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    if not dry_run:
        from memoire.jobs import operations as jobs

        jobs.run_pending()  # recordings' streams and waveforms: the CLI can wait for them
        service.apply_pending_after_commit()
    if report_path:
        report_path.write_text(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    verb = "validated" if dry_run else "imported"
    click.echo(f"{verb}: {summary.created} created, {summary.updated} updated, {summary.failed} failed")
    if summary.failed:
        raise SystemExit(1)


commands = [import_command]
