"""The shape of a story as it comes in, described once for every door that reads JSON.

The API (`memoire.api.schemas`) and `memoire import` (`memoire.imports.reader`) load
their bodies and lines with these schemas and differ only where the doors differ (the
API names places of the gazetteer by id, the import by name, with files beside it).
Only shapes and types are checked here; what a story may be is checked once, by
`stories.operations.validate`, whichever door the story came through.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, missing

from memoire.core.schemas import Closed, Day, Flag, Items, Number, Object, Text, Whole, enum_of
from memoire.core.schemas import nullable as _nullable
from memoire.stories.models import ConsentMethod, Kind, Precision, Visibility
from memoire.stories.operations import ConsentInput, NarratorInput
from memoire.stories.periods import parse_period


class PeriodField(fields.Raw):
    """A year, a text ("années 60", "vers 1950", "1955-1965") or {start, end}: a `Period`."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        return value if value is missing else parse_period(value)


class NarratorInputSchema(Closed):
    name = Text(required=True)
    pseudonym = Flag(metadata={"description": "The name is a pseudonym."})
    birth_decade = _nullable(Whole(metadata={"examples": [1930]}))
    neighbourhood = _nullable(Text())


class NarratorField(Object):
    """A narrator: `"Jeanne"`, or `{"name": "Jeanne", "pseudonym": true}`."""

    def __init__(self, **kwargs):
        super().__init__(
            NarratorInputSchema, where=_l("a narrator"), as_one=True, metadata={"also": [{"type": "string"}]},
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs) -> NarratorInput:
        if isinstance(value, str):
            value = {"name": value}
        loaded = super()._deserialize(value, attr, data, **kwargs)
        return NarratorInput(
            name=loaded.get("name", ""),
            pseudonym=loaded.get("pseudonym", False),
            birth_decade=loaded.get("birth_decade"),
            neighbourhood=loaded.get("neighbourhood"),
        )


class ConsentInputSchema(Closed):
    """What the narrator agreed to; recorded anew when it changes."""

    given_by = Text()
    method = Text(metadata=enum_of(ConsentMethod))
    online_publication = Flag()
    research_use = Flag()
    exhibition_use = Flag()
    licence = Text()
    precision = Text(metadata=enum_of(Precision))
    narrator_is_minor = Flag()
    guardian_name = _nullable(Text())


class ConsentField(Object):
    """The consent, as `ConsentInput`; keys left out take `defaults` (the door's)."""

    def __init__(self, **kwargs):
        super().__init__(ConsentInputSchema, where=_l("the consent"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> ConsentInput:
        return ConsentInput(**super()._deserialize(value, attr, data, **kwargs))


class StoryShape(Closed):
    """The keys of a story every door shares."""

    title = Text(metadata={"maxLength": 500})
    summary = Text()
    body = Text(metadata={"description": "Markdown."})
    kind = Text(metadata=enum_of(Kind))
    language = Text(metadata={"examples": ["fr", "nl", "wa", "pcd"]})
    period = PeriodField(
        metadata={
            "description": 'A year, a text ("années 60", "vers 1950", "1955-1965") or '
            "{start, end}.",
            "anyOf": [
                {"type": "integer"},
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {
                        "start": {"type": "integer"},
                        "end": {"type": "integer"},
                        "text": {"type": "string"},
                        "approximate": {"type": "boolean"},
                    },
                    "additionalProperties": False,
                },
            ],
        }
    )
    recorded_on = _nullable(Day())
    narrators = Items(NarratorField())
    themes = Items(Text(), metadata={"description": "Theme names; new ones are created."})
    lat = _nullable(Number())
    lon = _nullable(Number())
    visibility = Text(metadata=enum_of(Visibility))
    licence = Text()
    precision = _nullable(Text(metadata=enum_of(Precision)))
    consent = ConsentField()

