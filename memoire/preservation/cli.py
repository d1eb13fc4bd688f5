"""`memoire fixity`, `memoire backup DIR`, `memoire restore DIR`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("fixity")
@with_appcontext
def fixity_command() -> None:
    """Recompute the checksums of stored files; report changed, missing, untracked (exit 1 if any)."""
    from memoire.extensions import db
    from memoire.preservation.fixity import run_fixity

    report, run = run_fixity()
    db.session.commit()
    for key in report.changed:
        click.echo(f"changed   {key}")
    for key in report.missing:
        click.echo(f"missing   {key}")
    for key in report.untracked:
        click.echo(f"untracked {key}")
    click.echo(
        f"fixity run {run.id}: {report.checked} checked, {len(report.changed)} changed, "
        f"{len(report.missing)} missing, {len(report.untracked)} untracked"
    )
    if not report.clean:
        raise SystemExit(1)


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest: Path) -> None:
    """A consistent copy of the database and media (safe while the archive is serving)."""
    from memoire.core.errors import MemoireError
    from memoire.preservation.backup import backup

    try:
        manifest = backup(dest)
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"backup written to {dest}: {len(manifest['files'])} files")
    for problem in manifest["problems"]:
        click.echo(f"{problem['problem']}: {problem['key']}", err=True)
    if manifest["problems"]:
        raise SystemExit(1)


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(src: Path) -> None:
    """Restore a backup into an empty home, then rebuild the search index."""
    from memoire.core.errors import MemoireError
    from memoire.preservation.backup import restore
    from memoire.search import service

    try:
        manifest = restore(src)
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    from memoire.core.cli import init_archive

    init_archive()  # a backup from an older version is upgraded in place
    service.rebuild()
    click.echo(f"restored {len(manifest['files'])} files from {src}")


@click.command("move-to")
@click.argument("database_url")
@with_appcontext
def move_to_command(database_url: str) -> None:
    """Copy this archive into an empty PostgreSQL database, verify every row, rebuild search.

    Stop the web server and workers first: the copy reads the archive as it is.
    """
    from memoire.core.errors import MemoireError
    from memoire.preservation.move import move_to

    try:
        report = move_to(database_url, progress=lambda message: click.echo(message, err=True))
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    for table in report.tables:
        state = "ok" if table.ok else "DIFFERENT"
        click.echo(
            f"{table.name:32} {table.rows:>9} rows  {table.copied_rows:>9} copied  "
            f"sha256 {table.checksum[:16]}  {state}"
        )
    if not report.ok:
        click.echo("the copy differs from the archive: the target was not indexed", err=True)
        raise SystemExit(1)
    click.echo(
        f"moved {report.stories} stories ({sum(t.rows for t in report.tables)} rows in "
        f"{len(report.tables)} tables) in {report.seconds:.1f} s "
        f"({', '.join(f'{name} {seconds:.1f} s' for name, seconds in report.phases.items())}); "
        f"{report.indexed} indexed. "
        f"Next: set MEMOIRE_DATABASE_URL and MEMOIRE_SEARCH=postgres, then "
        f"`memoire fixity` and `memoire index verify`."
    )


commands = [fixity_command, backup_command, restore_command, move_to_command]
