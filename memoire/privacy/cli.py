"""`memoire erase story|person ID` and `memoire export person ID OUT.zip`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

erase_group = AppGroup("erase", help="Erase a story or a narrator everywhere.")


def _erase(kind: str, ref: str) -> None:
    from memoire.core.errors import MemoireError
    from memoire.core.transaction import transaction
    from memoire.privacy import operations as ops
    from memoire.search import service
    from memoire.stories.operations import find_story

    try:
        with transaction():
            if kind == "story":
                ids = [ops.erase_story(None, find_story(ref))]
            else:
                ids = ops.erase_person(None, ops.find_person(ref))
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    service.apply_pending_after_commit()
    ops.scrub_after_erasure()
    click.echo(f"erased {len(ids)} stor{'y' if len(ids) == 1 else 'ies'}: {', '.join(map(str, ids))}")


@erase_group.command("story")
@click.argument("ref")
def erase_story_command(ref: str) -> None:
    """Erase a story (archive id or external id): rows, files, derivatives, index entries."""
    _erase("story", ref)


@erase_group.command("person")
@click.argument("ref")
def erase_person_command(ref: str) -> None:
    """Erase a narrator and every story they narrate."""
    _erase("person", ref)


@click.command("person")
@click.argument("ref")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_person_command(ref: str, out: Path) -> None:
    """Everything the archive holds about a narrator, as a zip (GDPR access request)."""
    from memoire.core.errors import MemoireError
    from memoire.privacy import operations as ops

    try:
        ops.export_person(ops.find_person(ref), out)
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"written {out}")


def _register_export() -> None:
    """`memoire export person` joins the `export` group the exhibitions domain defines."""
    from memoire.exhibitions.cli import export_group

    if "person" not in export_group.commands:
        export_group.add_command(export_person_command)


_register_export()

commands = [erase_group]
