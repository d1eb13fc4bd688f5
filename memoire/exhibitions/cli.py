"""Commands of the exhibitions domain: `memoire exhibition import|dump|list` and `memoire export exhibition`.

`export_group` is the `memoire export` group; other domains add their exports to it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from memoire.core.errors import MemoireError
from memoire.extensions import db


@click.group("exhibition", cls=AppGroup)
def exhibition_group() -> None:
    """Exhibitions: import one from a JSON file, print one as JSON, list them."""


@exhibition_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, hidden=True, help="Accepted for old scripts: every import is strict.")
def import_command(file: Path, strict: bool) -> None:
    """Create or update (by slug) an exhibition from FILE.json; see docs/exhibition-format.md.

    All or nothing: when any item is refused, each is reported with its index, nothing is
    written, and the command exits with status 1.
    """
    from memoire.exhibitions.operations import ItemsRefused, import_exhibition_file

    try:
        report = import_exhibition_file(None, file)
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        for index, message in error.refused if isinstance(error, ItemsRefused) else []:
            click.echo(f"{file}: items[{index}]: {message}", err=True)
        click.echo(f"{file}: {error}", err=True)
        sys.exit(1)
    exhibition = report.exhibition
    verb = "created" if report.created else "updated"
    click.echo(
        f"Exhibition {exhibition.slug} {verb} ({exhibition.status}): "
        f"{report.added} item(s) added, {len(report.refused)} refused."
    )


@exhibition_group.command("dump")
@click.argument("slug")
def dump_command(slug: str) -> None:
    """Print exhibition SLUG in the import format (edit it, then import it back)."""
    from memoire.exhibitions.operations import get_exhibition
    from memoire.exhibitions.schemas import exhibition_to_document

    try:
        exhibition = get_exhibition(slug)
    except MemoireError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(exhibition_to_document(exhibition), ensure_ascii=False, indent=2))


@exhibition_group.command("list")
def list_command() -> None:
    """List the exhibitions: slug, status, items shown / items kept, title."""
    from memoire.exhibitions.operations import all_exhibitions, visible_items

    for exhibition in all_exhibitions():
        shown = len(visible_items(exhibition))
        click.echo(
            f"{exhibition.slug}\t{exhibition.status}\t{shown}/{len(exhibition.items)}\t{exhibition.title}"
        )


@click.group("export", cls=AppGroup)
def export_group() -> None:
    """Export parts of the archive."""


@export_group.command("exhibition")
@click.argument("slug")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def export_exhibition_command(slug: str, out: Path) -> None:
    """Write an offline BagIt bundle of exhibition SLUG to OUT.zip (index.html plays it with no network)."""
    import time

    from memoire.exhibitions.bundle import build_bundle
    from memoire.exhibitions.operations import get_exhibition

    started = time.perf_counter()
    try:
        exhibition = get_exhibition(slug)
        report = build_bundle(exhibition, out)
    except MemoireError as error:
        raise click.ClickException(str(error)) from None
    took = time.perf_counter() - started
    click.echo(
        f"{report.path}: {report.items} item(s), {report.files} files, "
        f"{report.size / 1_000_000:.1f} MB in {took:.1f} s"
    )
    if exhibition.status != "published":
        click.echo(f"Note: exhibition {slug} is a draft.", err=True)


@export_group.command("walk")
@click.argument("slug")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def export_walk_command(slug: str, out: Path) -> None:
    """Write an offline BagIt bundle of walk SLUG to OUT.zip (the exhibition bundle, with a walk)."""
    from memoire.walks.bundle import build_walk_bundle
    from memoire.walks.operations import get_walk

    try:
        walk = get_walk(slug)
        report = build_walk_bundle(walk, out)
    except MemoireError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{report.path}: {report.items} stop(s), {report.files} files")
    if walk.status != "published":
        click.echo(f"Note: walk {slug} is a draft.", err=True)


commands: list = [exhibition_group, export_group]
