"""The demo archive's walks (memoire/demo/data/walks.json), built through the walk operations."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from memoire.extensions import db
from memoire.walks import operations as ops
from memoire.walks.models import Walk


def load_walks(path: str | Path) -> list[Walk]:
    """Create (or rebuild, by slug) each walk of the file as the system, and publish it.

    A stop whose story may not be walked (not public, no consent, no place) is refused
    by the operations as at any other door: the whole file then fails.
    """
    walks = []
    for entry in json.loads(Path(path).read_text(encoding="utf-8")):
        existing = db.session.scalar(select(Walk).where(Walk.slug == entry["slug"]))
        if existing is not None:
            ops.delete_walk(None, existing)
        walk = ops.create_walk(
            None, entry["title"], slug=entry["slug"], introduction=entry.get("introduction", "")
        )
        for stop in entry["stops"]:
            excerpt = ops.Excerpt(start=stop.get("start"), end=stop.get("end"))
            ops.add_stop(None, walk, stop["story"], text=stop.get("text", ""), excerpt=excerpt)
        ops.set_status(None, walk, ops.PUBLISHED)
        walks.append(walk)
    return walks
