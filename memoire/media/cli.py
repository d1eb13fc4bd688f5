"""Commands of the media domain: `memoire media purge`."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass

import click
from flask.cli import AppGroup
from sqlalchemy import select

media = AppGroup("media", help="The media folder: originals, derivatives, temporary files.")

#: Temporary files younger than this may belong to an upload still in progress.
DEFAULT_GRACE_MINUTES = 24 * 60.0  # "unclaimed temporary uploads older than a day"


@dataclass
class PurgeReport:
    placed: int = 0  # committed files whose move into place a crash interrupted
    removed: int = 0  # temporary files and folders of uploads that never committed


def purge_temporary(grace_seconds: float) -> PurgeReport:
    """Finish interrupted moves, then remove what uploads that never committed left behind."""
    from memoire.core.storage import get_storage
    from memoire.extensions import db
    from memoire.media.models import Derivative, Media

    storage = get_storage()
    wanted = set(db.session.scalars(select(Media.storage_key)))
    wanted |= set(db.session.scalars(select(Derivative.storage_key)))
    db.session.commit()
    report = PurgeReport(placed=storage.finish_interrupted(wanted))
    deadline = time.time() - grace_seconds
    for path in list(storage.temporary_files()):
        try:
            if path.lstat().st_mtime > deadline:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:  # its upload finished meanwhile
            continue
        report.removed += 1
    return report


@media.command("purge")
@click.option(
    "--older-than",
    "older_than",
    type=float,
    default=DEFAULT_GRACE_MINUTES,
    show_default=True,
    help="Only remove temporary files at least this many minutes old (uploads in progress are younger).",
)
def purge_command(older_than: float) -> None:
    """Finish file moves a crash interrupted; remove temporary files of uploads that never committed."""
    report = purge_temporary(max(0.0, older_than) * 60)
    click.echo(
        f"{report.placed} file(s) moved into place, {report.removed} temporary file(s) removed"
    )


commands = [media]
