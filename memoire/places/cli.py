"""Commands of the places domain: `memoire places import FILE.geojson`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from memoire.places.models import PlaceType

places_group = AppGroup("places", help="The gazetteer of places.")


@places_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--type",
    "default_type",
    type=click.Choice([t.value for t in PlaceType]),
    help="Type of the features that do not say theirs.",
)
@click.option("--name-field", help="Property holding the name (default: name, then nom).")
@click.option("--id-field", help="Property holding the identifier (default: external_id, id, ref).")
@click.option(
    "--id-prefix", default="", help="Put before every identifier, e.g. insee: or be-zip:."
)
@click.option("--parent", help="Parent (name or external id) of the features that name none.")
@click.option("--dry-run", is_flag=True, help="Check and report, store nothing.")
def import_command(
    path: str,
    default_type: str | None,
    name_field: str | None,
    id_field: str | None,
    id_prefix: str,
    parent: str | None,
    dry_run: bool,
) -> None:
    """Load places from a GeoJSON file; re-running it updates them by external id.

    Bad features are listed with their index (0-based position in `features`) and
    skipped; the others are stored. Exits with status 1 when any was skipped.
    """
    from memoire.core.errors import MemoireError
    from memoire.extensions import db
    from memoire.places.gazetteer import ImportOptions, import_file

    options = ImportOptions(
        default_type=default_type,
        name_field=name_field,
        id_field=id_field,
        id_prefix=id_prefix,
        parent=parent,
    )
    try:
        report = import_file(None, path, options)
    except MemoireError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    for index, message in report.skipped:
        click.echo(f"skipped {index}: {message}", err=True)
    for index, message in report.warnings:
        click.echo(f"warning {index}: {message}", err=True)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped ({verb} stored: {report.imported})"
    )
    if report.skipped:
        raise SystemExit(1)


commands = [places_group]
