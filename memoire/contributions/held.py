"""Uploads held across a form error, so a resident never has to choose the same photo twice.

When the media step refuses a submission for a reason that is not the file (a missing
description), the file is staged in the storage's temporary folder and the form carries a
signed ticket naming it, the story and the person. The next submission takes the held file
when no new one is chosen. Held files that are never claimed are removed by
`memoire media purge` like any other unclaimed temporary upload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from memoire.core.storage import get_storage
from memoire.media.operations import _stage
from memoire.stories.models import Story

#: A ticket works for a day: the purge removes older temporary files anyway.
MAX_AGE = 24 * 3600
_STAGED_NAME = re.compile(r"^[0-9a-f]{64}\.[0-9a-f]{32}$")


@dataclass(frozen=True)
class HeldUpload:
    path: Path
    filename: str
    size: int
    ticket: str

    def open(self) -> BinaryIO:
        return open(self.path, "rb")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="memoire.held-upload")


def hold(actor, story: Story, stream: BinaryIO, filename: str) -> HeldUpload:
    """Stage an upload under a ticket only this person can use, for this story."""
    staged = _stage(stream)
    filename = Path(filename or "").name[:200]
    ticket = _serializer().dumps(
        {"u": actor.id, "s": story.id, "f": staged.path.name, "n": filename, "z": staged.size}
    )
    return HeldUpload(path=staged.path, filename=filename, size=staged.size, ticket=ticket)


def claim(actor, story: Story, ticket: str | None) -> HeldUpload | None:
    """The held upload a ticket names, when it is this person's, for this story, and still there."""
    if not ticket:
        return None
    try:
        data = _serializer().loads(ticket, max_age=MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != actor.id or data.get("s") != story.id:
        return None
    name = str(data.get("f", ""))
    if not _STAGED_NAME.match(name):
        return None
    path = get_storage().tmp / name
    if not path.is_file():
        return None
    return HeldUpload(path=path, filename=str(data.get("n", "")), size=int(data.get("z", 0)), ticket=ticket)


def release(held: HeldUpload | None) -> None:
    """The held file was taken in (the media step stored its own copy): drop the temporary one."""
    if held is not None:
        held.path.unlink(missing_ok=True)
