"""The demo archive's then-and-now pairs (memoire/demo/data/then_now.json).

Each entry names two demo stories by their import id: an archive photo ("then") and a
resident's photo of the same view today ("now"). They are paired through
`then_now.operations.pair_photos`, the rule the web form uses, as the system; so a side
that is not public, or a place the stories' precision does not allow, fails here as it
would at any other door.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from memoire.extensions import db
from memoire.media.models import Media, MediaKind
from memoire.stories.models import Story
from memoire.then_now import operations as ops
from memoire.then_now.models import ThenNowPair


def _first_photo(external_id: str) -> Media:
    story = db.session.scalar(select(Story).where(Story.external_id == external_id))
    photos = [m for m in (story.media if story else []) if m.kind == MediaKind.image]
    if not photos:
        raise LookupError(f"then_now.json: {external_id} is not a demo story with a photo")
    return min(photos, key=lambda m: (m.position, m.id))


def load_then_now(path: str | Path) -> list[ThenNowPair]:
    """Pair each entry's photos, once: a pair that exists already is kept as it is, so
    running `memoire demo` again changes nothing (re-importing a story keeps its media,
    and if a photo were replaced its old pair went with it and is made again)."""
    pairs = []
    for entry in json.loads(Path(path).read_text(encoding="utf-8")):
        then, now = _first_photo(entry["then"]), _first_photo(entry["now"])
        pair = db.session.scalar(
            select(ThenNowPair).where(
                ThenNowPair.then_media_id == then.id, ThenNowPair.now_media_id == now.id
            )
        )
        if pair is None:
            pair = ops.pair_photos(None, then.id, now.id, caption=entry.get("caption", ""))
        pairs.append(pair)
    return pairs
