"""JSON bodies of the write endpoints, read into the `StoryInput` every door shares.

Only shapes and types are checked here; what a story may be is checked once, by
`stories.operations.validate`, whichever door the story came through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import lazy_gettext as _l

from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.places.models import Place
from memoire.places.operations import check_point
from memoire.stories.models import PlaceRole
from memoire.stories.operations import ConsentInput, NarratorInput
from memoire.stories.periods import parse_period


def _text(value, name: str, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ValidationError(_l("%(name)s must be a text.", name=name), field=name)
    return value


def _bool(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(_l("%(name)s must be true or false.", name=name), field=name)
    return value


def _list(value, name: str) -> list:
    if not isinstance(value, list):
        raise ValidationError(_l("%(name)s must be a list.", name=name), field=name)
    return value


def _date(value, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(_text(value, name))
    except ValueError:
        raise ValidationError(
            _l("%(name)s must be a date such as 1978-06-21.", name=name), field=name
        ) from None


def _narrators(value, name: str) -> list[NarratorInput]:
    narrators = []
    for item in _list(value, name):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or set(item) - {"name", "pseudonym"}:
            raise ValidationError(
                _l('Each narrator is {"name": ..., "pseudonym": false}.'), field=name
            )
        narrators.append(
            NarratorInput(
                name=_text(item.get("name"), name),
                pseudonym=_bool(item.get("pseudonym", False), name),
            )
        )
    return narrators


def _themes(value, name: str) -> list[str]:
    return [_text(item, name) for item in _list(value, name)]


def _places(value, name: str) -> list[tuple[Place, str]]:
    """Places of the gazetteer by id: `[12]` or `[{"id": 12, "role": "told"}]`."""
    places = []
    for item in _list(value, name):
        if isinstance(item, int) and not isinstance(item, bool):
            item = {"id": item}
        if not isinstance(item, dict) or set(item) - {"id", "role"}:
            raise ValidationError(_l('Each place is {"id": 12, "role": "happened"}.'), field=name)
        place_id, role = item.get("id"), item.get("role", PlaceRole.happened.value)
        place = db.session.get(Place, place_id) if isinstance(place_id, int) else None
        if place is None:
            raise ValidationError(_l("No place with the id %(id)s.", id=place_id), field=name)
        places.append((place, _text(role, name)))
    return places


def _number(value, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(_l("%(name)s must be a number.", name=name), field=name)
    return float(value)


def _consent(value, name: str) -> ConsentInput:
    if not isinstance(value, dict):
        raise ValidationError(_l("consent must be an object."), field=name)
    known = ConsentInput.__dataclass_fields__
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ValidationError(
            _l("Unknown key in consent: %(keys)s", keys=", ".join(unknown)), field=name
        )
    fields = {}
    for key, item in value.items():
        default = known[key].default
        if isinstance(default, bool):
            fields[key] = _bool(item, key)
        else:
            fields[key] = _text(item, key, nullable=default is None)
    return ConsentInput(**fields)


#: Body key → (StoryInput field, reader).
READERS: dict[str, tuple[str, Callable]] = {
    "title": ("title", _text),
    "summary": ("summary", _text),
    "body": ("body", _text),
    "kind": ("kind", _text),
    "language": ("language", _text),
    "period": ("period", lambda value, _name: parse_period(value)),
    "recorded_on": ("recorded_on", _date),
    "narrators": ("narrators", _narrators),
    "themes": ("themes", _themes),
    "places": ("places", _places),
    "lat": ("lat", _number),
    "lon": ("lon", _number),
    "visibility": ("visibility", _text),
    "licence": ("licence", _text),
    "precision": ("precision", lambda value, name: _text(value, name, nullable=True)),
    "external_id": ("external_id", lambda value, name: _text(value, name, nullable=True)),
    "consent": ("consent", _consent),
}


def story_changes(body, *, allowed_extra: tuple[str, ...] = ()) -> dict:
    """StoryInput fields from a JSON body; ValidationError naming the first bad key."""
    if not isinstance(body, dict):
        raise ValidationError(_l("The request body must be a JSON object."), field="body")
    unknown = sorted(set(body) - set(READERS) - set(allowed_extra))
    if unknown:
        raise ValidationError(
            _l("Unknown key: %(keys)s", keys=", ".join(unknown)), field=unknown[0]
        )
    changes = {}
    for key, value in body.items():
        if key in READERS:
            field_name, reader = READERS[key]
            changes[field_name] = reader(value, key)
    if "lat" in changes or "lon" in changes:
        lat, lon = changes.get("lat"), changes.get("lon")
        if (lat is None) != (lon is None):
            raise ValidationError(_l("Give both lat and lon, or neither."), field="lat")
        if lat is not None:
            changes["lat"], changes["lon"] = check_point(lat, lon)
    return changes
