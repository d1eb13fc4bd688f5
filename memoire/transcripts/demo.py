"""The demo archive's workbench layer: chapters, confirmed place links, a second language track.

Run after the demo stories are imported; idempotent (chapters are replaced, a track is
attached again, places already confirmed stay confirmed)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from memoire.extensions import db
from memoire.places.models import Place
from memoire.stories.models import Story
from memoire.transcripts import operations as ops
from memoire.transcripts.models import PlaceSuggestion, SuggestionStatus


def load_workbench(path: Path) -> None:
    spec = json.loads(path.read_text(encoding="utf-8"))
    for entry in spec["stories"]:
        story = db.session.scalars(select(Story).where(Story.external_id == entry["id"])).first()
        transcript = next((t for t in story.transcripts if t.media_id is not None), None) if story else None
        if transcript is None:
            continue
        if "chapters" in entry:
            for chapter in list(transcript.chapters):
                ops.delete_chapter(None, chapter)
            for chapter in entry["chapters"]:
                place = None
                if chapter.get("place"):
                    place = db.session.scalars(select(Place).where(Place.name == chapter["place"])).first()
                ops.save_chapter(None, transcript, {
                    "start": chapter["start"], "title": chapter["title"],
                    "synopsis": chapter.get("synopsis", ""), "keywords": chapter.get("keywords", []),
                    "subjects": chapter.get("subjects", []), "place_id": place.id if place else None,
                })
        for language, relative in entry.get("translations", {}).items():
            file = path.parent / relative
            ops.attach_translation(None, transcript, file.read_bytes(), filename=file.name,
                                   language=language)
        if entry.get("confirm_places"):
            ops.suggest_places(transcript)
            ids = [s.id for s in transcript.segments]
            for suggestion in db.session.scalars(select(PlaceSuggestion).where(
                PlaceSuggestion.segment_id.in_(ids),
                PlaceSuggestion.status == SuggestionStatus.proposed.value,
            )).all():
                if suggestion.segment.place_id is None:
                    ops.confirm_place(None, suggestion)
                else:
                    ops.dismiss_place(None, suggestion)
        db.session.flush()
