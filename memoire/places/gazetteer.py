"""The gazetteer: importing places from GeoJSON, finding a place by name or by point.

Import format: a FeatureCollection of Point, Polygon or MultiPolygon features whose
properties may hold
  name (or `nom`)              the place's name (required)
  type                         commune, quartier, street, building or landmark
  external_id (or id, ref)     the identifier re-imports update by (also the Feature's `id`);
                               without one, "name:TYPE:PARENT:NAME" (folded) is given
  parent / parent_id           the parent's name / external id
  other_names                  a list, or one string separated by ";" or "|"
  alt_name, old_name, official_name, name:fr, name:nl, name:wa, name:pcd   (OSM tags, added to other names)
  osm_id (or @id), geonames_id, wikidata (or wikidata_id), description
A Polygon or MultiPolygon is kept as the place's outline and its pin goes on a
representative point inside it. A bad feature is reported with its index (0-based
position in `features`) and skipped; the others are imported.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from memoire.audit import operations as audit
from memoire.core.errors import MemoireError, ValidationError
from memoire.core.inputs import loads_json
from memoire.extensions import db
from memoire.maps.geometry import (
    AREA_TYPES,
    GeometryError,
    check_geometry,
    features_of,
    representative_point,
)
from memoire.places.geo import PUBLIC_PLACE_TYPES
from memoire.places.models import Place, PlaceType
from memoire.places.operations import fold, places_version
from memoire.stories.models import Story, StoryPlace
from memoire.stories.visibility import is_public_clause

PLACE_GEOMETRY_TYPES = {"Point"} | AREA_TYPES
_OTHER_NAME_TAGS = (
    "alt_name",
    "old_name",
    "official_name",
    "name:fr",
    "name:nl",
    "name:wa",
    "name:pcd",
)


@dataclass
class ImportOptions:
    """How to read a file whose properties are not named as the gazetteer expects."""

    default_type: str | None = None
    name_field: str | None = None
    id_field: str | None = None
    id_prefix: str = ""
    parent: str | None = None  # a parent (name or external id) for features that name none


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class _Row:
    index: int
    name: str
    type: str
    external_id: str | None
    other_names: list[str]
    lat: float
    lon: float
    outline: dict | None
    parent_ref: str | None
    osm_id: str | None
    geonames_id: str | None
    wikidata_id: str | None
    description: str | None


def _text(value) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _other_names(props: dict, name: str) -> list[str]:
    raw = props.get("other_names")
    names: list[str] = []
    if isinstance(raw, list):
        names = [_text(n) for n in raw]
    elif isinstance(raw, str):
        names = [_text(n) for n in re.split(r"[;|]", raw)]
    for tag in _OTHER_NAME_TAGS:
        names += [_text(n) for n in re.split(r";", str(props.get(tag) or ""))]
    seen, result = {fold(name)}, []
    for other in names:
        if other and fold(other) not in seen:
            seen.add(fold(other))
            result.append(other)
    return result


def _read_feature(feature, index: int, options: ImportOptions) -> _Row:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise GeometryError(
            _l("Feature %(index)s: this is not a GeoJSON Feature.", index=index), index=index
        )
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise GeometryError(
            _l("Feature %(index)s: properties must be an object.", index=index), index=index
        )
    name_keys = [options.name_field] if options.name_field else ["name", "nom"]
    name = next((_text(props.get(k)) for k in name_keys if _text(props.get(k))), None)
    if not name:
        raise ValidationError(_l("Feature %(index)s: it has no name.", index=index), field="name")
    if len(name) > 300:
        raise ValidationError(
            _l("Feature %(index)s: the name is too long.", index=index), field="name"
        )
    place_type = _text(props.get("type")) or options.default_type or PlaceType.landmark.value
    if place_type not in PlaceType.__members__:
        raise ValidationError(
            _l(
                "Feature %(index)s: unknown place type %(type)s (commune, quartier, street, building, landmark).",
                index=index,
                type=place_type,
            ),
            field="type",
        )
    id_keys = [options.id_field] if options.id_field else ["external_id", "id", "ref"]
    external = next((_text(props.get(k)) for k in id_keys if _text(props.get(k))), None)
    if external is None and not options.id_field:
        external = _text(feature.get("id"))
    if external is not None:
        external = f"{options.id_prefix}{external}"[:100]
    parent_ref = _text(props.get("parent_id")) or _text(props.get("parent")) or options.parent
    geometry = check_geometry(feature.get("geometry"), index, PLACE_GEOMETRY_TYPES)
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"]
        outline = None
    else:
        lat, lon = representative_point(geometry)
        outline = geometry
    osm = _text(props.get("osm_id")) or _text(props.get("@id"))
    return _Row(
        index=index,
        name=name,
        type=place_type,
        external_id=external,
        other_names=_other_names(props, name),
        lat=lat,
        lon=lon,
        outline=outline,
        parent_ref=parent_ref,
        osm_id=osm[:50] if osm else None,
        geonames_id=(_text(props.get("geonames_id")) or "")[:50] or None,
        wikidata_id=(_text(props.get("wikidata")) or _text(props.get("wikidata_id")) or "")[:50]
        or None,
        description=_text(props.get("description")),
    )


def synthetic_id(row: _Row) -> str:
    """The identifier of a feature that has none: its type, parent and name, folded."""
    return f"name:{row.type}:{fold(row.parent_ref or '')}:{fold(row.name)}"[:100]


class _Gazetteer:
    """The places already known, looked up by external id and by folded name."""

    def __init__(self):
        self.by_external: dict[str, Place] = {}
        self.by_name: dict[tuple[str, str], list[Place]] = {}
        for place in db.session.scalars(select(Place)):
            self.remember(place)

    def remember(self, place: Place) -> None:
        if place.external_id:
            self.by_external[place.external_id] = place
        bucket = self.by_name.setdefault((fold(place.name), place.type), [])
        if place not in bucket:
            bucket.append(place)

    def match(self, row: _Row) -> Place | None:
        if row.external_id:
            return self.by_external.get(row.external_id)
        # No identifier: the one given by a previous run of the file, else the same name, type
        # and parent among places that came with contributions (the gazetteer adopts them).
        found = self.by_external.get(synthetic_id(row))
        if found is not None:
            return found
        candidates = [
            p for p in self.by_name.get((fold(row.name), row.type), []) if not p.external_id
        ]
        if row.parent_ref:
            ref = fold(row.parent_ref)
            candidates = [
                p
                for p in candidates
                if p.parent is None
                or p.parent.external_id == row.parent_ref
                or fold(p.parent.name) == ref
            ]
        return candidates[0] if candidates else None

    def parent(self, ref: str) -> Place | None:
        if ref in self.by_external:
            return self.by_external[ref]
        wanted = fold(ref)
        for place_type in ("commune", "quartier", "street", "building", "landmark"):
            found = self.by_name.get((wanted, place_type))
            if found:
                return found[0]
        return None


_FIELDS = (
    "name",
    "type",
    "other_names",
    "lat",
    "lon",
    "outline",
    "osm_id",
    "geonames_id",
    "wikidata_id",
    "external_id",
)


def _apply(place: Place, row: _Row) -> bool:
    """Copy the row's facts onto the place; True when anything changed."""
    changed = False
    for name in _FIELDS:
        value = getattr(row, name)
        if name.endswith("_id") and value is None:
            continue  # a file without the identifier keeps the one we have
        if getattr(place, name) != value:
            setattr(place, name, value)
            changed = True
    if row.description is not None and place.description != row.description:
        place.description = row.description
        changed = True
    return changed


def _is_descendant(candidate: Place, place: Place) -> bool:
    return candidate is place or place in candidate.ancestors


def import_places(actor, data, options: ImportOptions | None = None) -> ImportReport:
    """Load places from parsed GeoJSON; flushes, never commits. A file that is not
    GeoJSON raises; a bad feature is reported in `report.skipped` and left out."""
    options = options or ImportOptions()
    if options.default_type and options.default_type not in PlaceType.__members__:
        raise ValidationError(
            _l("Unknown place type %(type)s.", type=options.default_type), field="type"
        )
    features = features_of(data)
    report = ImportReport()
    known = _Gazetteer()
    seen_ids: dict[str, int] = {}
    placed: list[tuple[_Row, Place]] = []
    for index, feature in enumerate(features):
        try:
            row = _read_feature(feature, index, options)
        except MemoireError as error:
            report.skipped.append((index, str(error.message)))
            continue
        key = row.external_id or synthetic_id(row)
        if key in seen_ids:
            report.skipped.append(
                (
                    index,
                    str(
                        _l(
                            "Feature %(index)s: the same place as feature %(other)s.",
                            index=index,
                            other=seen_ids[key],
                        )
                    ),
                )
            )
            continue
        seen_ids[key] = index
        place = known.match(row)
        if row.external_id is None:
            # Every imported place carries an identifier: re-imports find it by that, and the
            # gazetteer's places are told apart from names that came with contributions.
            row.external_id = synthetic_id(row)
        if place is None:
            place = Place(
                name=row.name,
                type=row.type,
                external_id=row.external_id,
                other_names=[],
                description="",
            )
            _apply(place, row)
            db.session.add(place)
            report.created += 1
        elif _apply(place, row):
            report.updated += 1
        else:
            report.unchanged += 1
        known.remember(place)
        placed.append((row, place))
    db.session.flush()
    for row, place in placed:
        if not row.parent_ref:
            continue
        parent = known.parent(row.parent_ref)
        if parent is None:
            report.warnings.append(
                (
                    row.index,
                    str(
                        _l(
                            "Feature %(index)s: parent %(parent)s not found; imported without a parent.",
                            index=row.index,
                            parent=row.parent_ref,
                        )
                    ),
                )
            )
        elif _is_descendant(parent, place):
            report.warnings.append(
                (
                    row.index,
                    str(
                        _l(
                            "Feature %(index)s: parent %(parent)s would make a loop; ignored.",
                            index=row.index,
                            parent=row.parent_ref,
                        )
                    ),
                )
            )
        elif place.parent_id != parent.id:
            place.parent = parent
    db.session.flush()
    audit.record(
        actor,
        "places.import",
        "place",
        None,
        created=report.created,
        updated=report.updated,
        skipped=len(report.skipped),
    )
    return report


def import_file(actor, path: str | Path, options: ImportOptions | None = None) -> ImportReport:
    """Read a GeoJSON file (UTF-8, with or without BOM) and import it."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_l("The file is not UTF-8 text."), field="file") from None
    try:
        data = loads_json(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _l(
                "The file is not valid JSON (line %(line)s: %(msg)s).",
                line=error.lineno,
                msg=error.msg,
            ),
            field="file",
        ) from None
    return import_places(actor, data, options)


# --- a point's place ---------------------------------------------------------------------------


class _Outlines:
    """Shapes of the places that have an outline, in an STRtree, kept per gazetteer version."""

    def __init__(self, version, rows):
        from shapely import STRtree
        from shapely.geometry import shape
        from shapely.prepared import prep

        self.version = version
        self.ids = [pid for pid, _ in rows]
        self.shapes = [shape(outline) for _, outline in rows]
        self.prepared = [prep(s) for s in self.shapes]
        self.tree = STRtree(self.shapes) if self.shapes else None

    def containing(self, lat: float, lon: float) -> int | None:
        from shapely.geometry import Point

        if self.tree is None:
            return None
        point = Point(lon, lat)
        hits = [i for i in self.tree.query(point) if self.prepared[i].covers(point)]
        if not hits:
            return None
        return self.ids[min(hits, key=lambda i: self.shapes[i].area)]


def place_containing(lat: float, lon: float) -> Place | None:
    """The smallest place whose outline contains the point: a story placed there is tied to it."""
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    version = places_version(Place.outline.isnot(None))
    outlines = current_app.extensions.get("memoire.outlines")
    if outlines is None or outlines.version != version:
        rows = db.session.execute(
            select(Place.id, Place.outline).where(Place.outline.isnot(None))
        ).all()
        outlines = _Outlines(version, rows)
        current_app.extensions["memoire.outlines"] = outlines
    place_id = outlines.containing(lat, lon)
    return db.session.get(Place, place_id) if place_id is not None else None


# --- type-ahead --------------------------------------------------------------------------------


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(a)))


_WORDS = re.compile(r"[\s\-'’.,/()]+")


def _match_tier(query: str, words: list[str], name: str) -> int | None:
    """0 exact, 1 starts with, 2 every word starts a word, 3 contains; None: no match."""
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    name_words = [w for w in _WORDS.split(name) if w]
    if words and all(any(nw.startswith(w) for nw in name_words) for w in words):
        return 2
    if query in name:
        return 3
    return None


@dataclass
class PlaceMatch:
    place: Place
    matched_name: str
    distance: float | None


def search_places(
    q: str = "",
    near: tuple[float, float] | None = None,
    *,
    types=None,
    limit: int = 20,
    visible: set[int] | None = None,
) -> list[PlaceMatch]:
    """Places whose name or other names match `q`, accent- and case-insensitively.

    Best matches first (exact, then prefix, then word prefixes, then anywhere); among
    equals, nearest first when `near` (lat, lon) is given. With no `q`, the nearest places.
    `visible` (from `places.queries.visible_place_ids`) leaves out places the viewer may not see.
    """
    query = fold(q or "")
    words = [w for w in _WORDS.split(query) if w]
    statement = select(Place.id, Place.name, Place.other_names, Place.lat, Place.lon)
    if types:
        statement = statement.where(Place.type.in_(list(types)))
    scored = []
    for pid, name, other_names, lat, lon in db.session.execute(statement):
        if visible is not None and pid not in visible:
            continue
        best = None
        if query:
            for candidate in [name, *(other_names or [])]:
                tier = _match_tier(query, words, fold(candidate))
                if tier is not None and (best is None or tier < best[0]):
                    best = (tier, candidate)
            if best is None:
                continue
        else:
            best = (0, name)
        distance = None
        if near is not None and lat is not None and lon is not None:
            distance = distance_metres(near[0], near[1], lat, lon)
        far = distance if distance is not None else math.inf
        scored.append(
            ((best[0], far if near else 0, len(name), fold(name), pid), pid, best[1], distance)
        )
    scored.sort(key=lambda item: item[0])
    chosen = scored[:limit]
    places = {
        p.id: p
        for p in db.session.scalars(select(Place).where(Place.id.in_([c[1] for c in chosen])))
    }
    return [
        PlaceMatch(places[pid], matched, dist)
        for _key, pid, matched, dist in chosen
        if pid in places
    ]


# --- counts of public stories ----------------------------------------------------------------


def public_story_counts() -> dict[int, int]:
    """PUBLIC stories per place, its descendants included, counting a story under a place
    only when the story's location precision lets the public see it tied to that place
    (a story marked "quartier" is not counted on its street) — as the place pages list them."""
    rows = db.session.execute(
        select(StoryPlace.place_id, StoryPlace.story_id, Story.precision, Place.type)
        .join(Story, Story.id == StoryPlace.story_id)
        .join(Place, Place.id == StoryPlace.place_id)
        .where(is_public_clause())
    )
    direct: dict[int, set[int]] = {}
    for place_id, story_id, precision, place_type in rows:
        if place_type in PUBLIC_PLACE_TYPES.get(precision or "exact", set()):
            direct.setdefault(place_id, set()).add(story_id)
    if not direct:
        return {}
    parent_of = dict(db.session.execute(select(Place.id, Place.parent_id)).all())
    totals: dict[int, set[int]] = {}
    for place_id, stories in direct.items():
        node, seen = place_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            totals.setdefault(node, set()).update(stories)
            node = parent_of.get(node)
    return {pid: len(ids) for pid, ids in totals.items()}
