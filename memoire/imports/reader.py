"""One line of `memoire import` read into a `StoryInput`, with the files it names.

A line is a story as the API reads it (`memoire.stories.schemas.StoryShape`), plus what
only a file import has: its own `id`, places by name (the gazetteer grows from them),
media and transcript files beside the line, and a status. A null value is taken as a
key left out. The per-line transaction loop lives in `memoire.imports.operations`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from memoire.core.errors import ValidationError
from memoire.core.schemas import Closed, Items, Object, Text, enum_of, load
from memoire.places.operations import check_point, find_or_create_place
from memoire.stories import operations as story_ops
from memoire.stories.models import ConsentMethod, PlaceRole, Status
from memoire.stories.periods import parse_period
from memoire.stories.schemas import StoryShape


class ExternalId(fields.Raw):
    """The line's own id, a text or a number: matches the story on a second run."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError(_l("%(what)s has the wrong type.", what="id"), field="id")
        return str(value)


class ImportPlaceSchema(Closed):
    name = Text()
    lat = fields.Raw()
    lon = fields.Raw()
    type = Text()
    parent = Text()
    role = Text(metadata=enum_of(PlaceRole))
    other_names = Items(Text())


class MediaEntrySchema(Closed):
    path = fields.Raw()
    caption = Text()
    alt = Text()


class Moment(fields.Raw):
    """A moment of a recording: seconds (83) or as typed ("1:23")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError(
                _l("%(what)s has the wrong type.", what="answers_at"), field="answers_at"
            )
        return value


class ImportLineSchema(StoryShape):
    id = ExternalId()
    # "Je me souviens aussi": the public story this one answers, by archive id or by the
    # `id` of an earlier line of the file, and optionally the moment of its recording.
    answers = ExternalId()
    answers_at = Moment()
    places = Items(Object(ImportPlaceSchema, where=_l("a place")))
    media = Items(Object(MediaEntrySchema, where=_l("a media entry")))
    transcript = Text()
    status = Text(metadata=enum_of(Status))


#: One schema reads every line: making it (its fields, its nested schemas) for each line
#: was a twentieth of a bulk import's own work. A schema keeps nothing between loads.
LINE_SCHEMA = ImportLineSchema()
#: Every key a line may have.
STORY_KEYS = frozenset(LINE_SCHEMA.fields)


@dataclass
class ImportLine:
    """A line read: the story, and the files it names (None: leave the story's media alone)."""

    story: story_ops.StoryInput
    media: list[dict] | None = None
    transcript: str | None = None
    answers: str | None = None  # None: leave what the story answers alone
    answers_at: object = None


def _without_nulls(value):
    """Null is a key left out, at every level of the line."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def read_line(actor, record) -> ImportLine:
    """One JSON object as an `ImportLine`; ValidationError naming what is wrong."""
    if not isinstance(record, dict):
        raise ValidationError(_l("Each line must be a JSON object."))
    record = _without_nulls(record)
    if record.get("recorded_on") == "":
        del record["recorded_on"]
    line = load(LINE_SCHEMA, record, where=_l("the story"))
    title = line.get("title", "")
    if not title.strip():
        raise ValidationError(_l("A story needs a title."), field="title")
    places = [
        (
            find_or_create_place(
                actor, name=entry.get("name", ""), type=entry.get("type"),
                parent=entry.get("parent"), lat=entry.get("lat"), lon=entry.get("lon"),
            ),
            entry.get("role") or PlaceRole.happened.value,
        )
        for entry in line.get("places", [])
    ]  # fmt: skip
    consent = line.get("consent")
    if consent is not None:
        if consent.method not in set(ConsentMethod):
            raise ValidationError(_l("Unknown consent method %(m)s.", m=consent.method))
        if "licence" not in record["consent"]:
            consent.licence = line.get("licence") or "CC-BY-NC-4.0"
    lat, lon = check_point(line.get("lat"), line.get("lon"))
    story = story_ops.StoryInput(
        title=title,
        summary=line.get("summary", ""),
        body=line.get("body", ""),
        kind=line.get("kind", "anecdote"),
        language=line.get("language", "fr"),
        period=line["period"] if "period" in line else parse_period(None),
        recorded_on=line.get("recorded_on"),
        narrators=line.get("narrators", []),
        themes=line.get("themes", []),
        places=places,
        lat=lat,
        lon=lon,
        visibility=line.get("visibility", "private"),
        status=line.get("status", "draft"),
        licence=line.get("licence", current_app.config["MEMOIRE_DEFAULT_LICENCE"]),
        precision=line.get("precision"),
        external_id=line.get("id"),
        consent=consent,
    )
    return ImportLine(
        story,
        line.get("media"),
        line.get("transcript"),
        line.get("answers"),
        line.get("answers_at"),
    )
