"""Gazetteer operations: find or create places, keep the parent chain consistent."""

from __future__ import annotations

import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, object_session

from memoire.core.concurrency import lock_key
from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.places.models import Place, PlaceType

_NAMES = "memoire.place_names_by_fold"
_VERSIONS = "memoire.places_versions"


class _Marks(dict):
    """`str.translate` table dropping combining marks, each character's entry made the first
    time it is met: the translation then runs in C (a generator testing every character
    of every transcript segment was a tenth of a bulk import's lines)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_DROP_MARKS = _Marks()


def fold(text: str) -> str:
    """Case- and accent-insensitive form used to compare place names."""
    stripped = unicodedata.normalize("NFKD", text or "").translate(_DROP_MARKS)
    return " ".join(stripped.replace("’", "'").casefold().split())


def check_point(lat, lon) -> tuple[float | None, float | None]:
    """Validate a WGS84 point; both or neither."""
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        raise ValidationError(_l("A point needs both a latitude and a longitude."), field="place")
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValidationError(_l("Latitude and longitude must be numbers."), field="place") from None
    if isinstance(lat, bool) or not -90 <= lat <= 90:
        raise ValidationError(_l("Latitude %(lat)s is outside -90..90.", lat=lat), field="place")
    if not -180 <= lon <= 180:
        raise ValidationError(_l("Longitude %(lon)s is outside -180..180.", lon=lon), field="place")
    return lat, lon


def check_type(place_type: str | None) -> str:
    value = place_type or PlaceType.landmark.value
    if value not in PlaceType.__members__:
        raise ValidationError(
            _l("Unknown place type %(type)s (commune, quartier, street, building, landmark).", type=value),
            field="place",
        )
    return value


def places_version(*where) -> tuple:
    """What changes when a place (of those `where` selects) is added, changed or removed: the
    key of what a process keeps built from the gazetteer (names, outlines, names in
    transcripts). Read in the session, so a place not yet committed counts, until rollback.

    Read once per transaction (and again after this session writes a place): an import
    line looks places up several times, and this statement was a fourteenth of a bulk
    import on PostgreSQL. Another process's place becomes visible at the next transaction,
    as a repeatable read would show it."""
    session = db.session
    if session.autoflush:
        session.flush()  # what the statement's autoflush did: a pending place counts
    known: dict = session.info.setdefault(_VERSIONS, {})
    key = tuple(str(clause) for clause in where)
    if key not in known:
        known[key] = tuple(
            session.execute(
                select(func.count(), func.max(Place.updated_at), func.sum(Place.id)).where(*where)
            ).one()
        )
    return known[key]


@event.listens_for(Place, "after_insert")
@event.listens_for(Place, "after_update")
@event.listens_for(Place, "after_delete")
def _forget_versions_of_place(_mapper, _connection, place: Place) -> None:
    session = object_session(place)
    if session is not None:
        session.info.pop(_VERSIONS, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_versions(session: Session, _transaction) -> None:
    """Committed or rolled back (a savepoint too: a place it wrote may be gone)."""
    session.info.pop(_VERSIONS, None)


class _PlaceNames:
    """Place ids by folded name and by folded other name, in id order."""

    def __init__(self, version: tuple, rows) -> None:
        self.version = version
        self.by_name: dict[str, list[int]] = {}
        self.by_other_name: dict[str, list[int]] = {}
        self.parent_of: dict[int, int | None] = {}
        for place_id, name, other_names, parent_id in rows:
            self.parent_of[place_id] = parent_id
            self.by_name.setdefault(fold(name), []).append(place_id)
            for other in other_names or []:
                ids = self.by_other_name.setdefault(fold(other), [])
                if place_id not in ids:
                    ids.append(place_id)


def _place_names() -> _PlaceNames:
    """Kept per process until a place changes: an import looks places up on every line, and
    reading the whole gazetteer each time grew with it."""
    version = places_version()
    names = current_app.extensions.get(_NAMES)
    if names is None or names.version != version:
        rows = db.session.execute(
            select(Place.id, Place.name, Place.other_names, Place.parent_id).order_by(Place.id)
        )
        names = _PlaceNames(version, rows.all())
        current_app.extensions[_NAMES] = names
    return names


def find_place(name: str, parent: Place | None = None) -> Place | None:
    """A place of this name (accent-insensitive; else one of its other names) under this
    parent, or anywhere when no parent. Under a parent, a direct child comes first, then a
    place further down (a street named with its commune rather than its quartier)."""
    wanted = fold(name)
    names = _place_names()
    for ids in (names.by_name.get(wanted, []), names.by_other_name.get(wanted, [])):
        # Decided on ids: each place read is a statement once the session has committed.
        if parent is None:
            if ids:
                return db.session.get(Place, ids[0])
            continue
        for place_id in ids:
            if names.parent_of[place_id] == parent.id:
                return db.session.get(Place, place_id)
        for place_id in ids:
            place = db.session.get(Place, place_id)
            if any(a.id == parent.id for a in place.ancestors):
                return place
    return None


def find_or_create_place(
    actor, *, name: str, type: str | None = None, parent: str | Place | None = None,
    lat=None, lon=None,
) -> Place:
    """The gazetteer grows from contributions: reuse a known place, else add it."""
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError(_l("A place needs a name."), field="place")
    lat, lon = check_point(lat, lon)
    place_type = check_type(type) if type else None
    parent_place = None
    if isinstance(parent, Place):
        parent_place = parent
    elif parent:
        parent_place = find_place(parent) or find_or_create_place(actor, name=parent, type="commune")
    place = find_place(name, parent_place)
    if place is None:
        # Another writer may be adding the same place right now: look again under a lock on
        # the name, held until commit, so the second writer finds the first one's row.
        lock_key("place", fold(name))
        db.session.info.pop(_VERSIONS, None)  # read again: the other writer has committed
        place = find_place(name, parent_place)
    if place is None:
        place = Place(
            name=name, type=place_type or PlaceType.landmark.value, lat=lat, lon=lon,
            parent=parent_place, other_names=[],
        )
        db.session.add(place)
        db.session.flush()
        return place
    if place.lat is None and lat is not None:
        place.lat, place.lon = lat, lon
    if parent_place is not None and place.parent_id is None and parent_place.id != place.id:
        place.parent = parent_place
    return place


def is_new_place(place: Place, story) -> bool:
    """Whether this story's contribution is what added the place to the gazetteer: it was
    made after the story, comes from no gazetteer import, no other story is tied to it and
    no place lies within it. The
    moderator is told, so that a misspelt duplicate is caught before it is published."""
    from sqlalchemy import func

    from memoire.stories.models import StoryPlace

    if place.external_id or place.osm_id or place.geonames_id or place.wikidata_id:
        return False
    if place.created_at and story.created_at and place.created_at < story.created_at:
        return False  # known before this memory was started
    others = db.session.scalar(
        select(func.count()).select_from(StoryPlace)
        .where(StoryPlace.place_id == place.id, StoryPlace.story_id != story.id)
    )
    children = db.session.scalar(select(func.count()).select_from(Place).where(Place.parent_id == place.id))
    return not others and not children
