"""`memoire network import organisations|workshops FILE` and `memoire network list organisations|workshops`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

network_group = AppGroup("network", help="The network: organisations and workshops.")

KINDS = click.Choice(["organisations", "workshops"])


@network_group.command("import")
@click.argument("kind", type=KINDS)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every record, store nothing.")
def import_command(kind: str, path: str, dry_run: bool) -> None:
    """Create or update organisations or workshops from a .csv, .json or .jsonl file.

    The whole file is one transaction: the first bad record stops it, the error names
    its line, and nothing is stored. Re-running a file updates what it created.
    """
    from memoire.core.errors import MemoireError
    from memoire.core.transaction import transaction
    from memoire.extensions import db
    from memoire.network.imports import import_records, read_records

    try:
        records = read_records(path)
        if dry_run:
            import_records(None, kind, records)
            db.session.rollback()
            click.echo(f"{len(records)} {kind} checked, nothing stored")
            return
        with transaction():
            report = import_records(None, kind, records)
    except MemoireError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    click.echo(f"{kind}: {report.created} created, {report.updated} updated")


@network_group.command("list")
@click.argument("kind", type=KINDS)
def list_command(kind: str) -> None:
    """One line per organisation (short name, kind, country, name) or workshop (id, dates,
    title, organisations, public memories), tab-separated."""
    from sqlalchemy import select

    from memoire.extensions import db
    from memoire.network.models import Organisation, Workshop
    from memoire.network.queries import public_story_counts

    if kind == "organisations":
        for org in db.session.scalars(select(Organisation).order_by(Organisation.name)):
            click.echo("\t".join([org.slug, org.kind, org.country, org.name]))
        return
    counts = public_story_counts()
    for workshop in db.session.scalars(select(Workshop).order_by(Workshop.starts_on, Workshop.id)):
        days = workshop.starts_on.isoformat() + (
            f"/{workshop.ends_on.isoformat()}" if workshop.ends_on else ""
        )
        click.echo(
            "\t".join(
                [
                    str(workshop.id),
                    days,
                    workshop.title,
                    ";".join(o.slug for o in workshop.organisations),
                    str(counts.get(workshop.id, 0)),
                ]
            )
        )


commands = [network_group]
