"""API resources: places of the gazetteer, with their counts of public stories."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from memoire.api.openapi import GEOJSON, documented, path_param, query, reply
from memoire.api.schemas import FeatureCollectionSchema, PlaceDetailSchema, PlaceListSchema
from memoire.api.views import bp
from memoire.core.errors import NotFound, ValidationError
from memoire.extensions import db
from memoire.maps.geojson import cached_geojson_response, in_bbox, parse_bbox
from memoire.places.gazetteer import public_story_counts, search_places
from memoire.places.geo import place_visible_point
from memoire.places.models import Place, PlaceType
from memoire.places.operations import check_point
from memoire.places.queries import may_view_place, visible_place_precisions

MAX_LIMIT = 100


def _near(text: str | None) -> tuple[float, float] | None:
    """`lat,lon` as the browser's geolocation gives it."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 2:
        raise ValidationError(_l("near must be lat,lon."), field="near")
    lat, lon = check_point(parts[0].strip(), parts[1].strip())
    return lat, lon


def _types(text: str | None) -> list[str] | None:
    if not text:
        return None
    types = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in types if t not in PlaceType.__members__]
    if unknown:
        raise ValidationError(_l("Unknown place type %(type)s.", type=unknown[0]), field="type")
    return types


def _limit(default: int = 20) -> int:
    try:
        return max(1, min(MAX_LIMIT, int(request.args.get("limit", default))))
    except ValueError:
        raise ValidationError(_l("limit must be a number."), field="limit") from None


def _point(place: Place, precisions: dict[int, str] | None) -> tuple[float | None, float | None]:
    """The place's own point, no finer than the stories that make it public allow."""
    if not place.has_point:
        return None, None
    precision = precisions.get(place.id) if precisions is not None else None
    lat, lon = place_visible_point(place, precision)
    return round(lat, 6), round(lon, 6)


def place_json(place: Place, counts: dict[int, int], precisions: dict[int, str] | None = None) -> dict:
    parent = place.parent
    lat, lon = _point(place, precisions)
    return {
        "id": place.id,
        "name": place.name,
        "other_names": place.other_names or [],
        "type": place.type,
        "lat": lat,
        "lon": lon,
        "has_outline": place.outline is not None,
        "parent": {"id": parent.id, "name": parent.name} if parent is not None else None,
        "url": url_for("places.show", place_id=place.id),
        "story_count": counts.get(place.id, 0),
        "external_id": place.external_id,
        "osm_id": place.osm_id,
        "geonames_id": place.geonames_id,
        "wikidata_id": place.wikidata_id,
    }


@bp.get("/places")
@documented(
    "places",
    operation_id="listPlaces",
    summary="Places of the gazetteer (type-ahead)",
    responses={200: reply("Matching places with their count of public stories.", PlaceListSchema)},
    errors=(400, 401, 429),
    parameters=[
        query("q", "Part of a name (accents ignored; other names too)."),
        query("near", "lat,lon: nearest first."),
        query("type", "Place types, separated by commas."),
        query("limit", "At most this many (100 at most).", {"type": "integer"}),
    ],
)
def places_index():
    """Type-ahead for the place picker: ?q= (accent-insensitive, other names too),
    ?near=lat,lon (nearest first), ?type=commune,quartier, ?limit= (100 at most)."""
    near = _near(request.args.get("near"))
    precisions = visible_place_precisions(current_user)
    matches = search_places(
        request.args.get("q", ""),
        near,
        types=_types(request.args.get("type")),
        limit=_limit(),
        visible=None if precisions is None else set(precisions),
    )
    counts = public_story_counts()
    places = []
    for match in matches:
        item = place_json(match.place, counts, precisions)
        if match.matched_name != match.place.name:
            item["matched_name"] = match.matched_name
        if match.distance is not None:
            item["distance_m"] = round(match.distance)
        places.append(item)
    return jsonify({"places": places, "count": len(places)})


@bp.get("/places/<int:place_id>")
@documented(
    "places",
    operation_id="getPlace",
    summary="One place, its outline and the places inside it",
    responses={200: reply("The place.", PlaceDetailSchema)},
    errors=(401, 404, 429),
    parameters=[path_param("place_id", "The place id.", {"type": "integer"})],
)
def place_detail(place_id: int):
    place = db.session.get(Place, place_id)
    # A place named only by stories this caller may not see does not exist for them.
    if place is None or not may_view_place(current_user, place):
        raise NotFound(_l("No place with the id %(id)s.", id=place_id))
    counts = public_story_counts()
    precisions = visible_place_precisions(current_user)
    visible = None if precisions is None else set(precisions)
    item = place_json(place, counts, precisions)
    item["outline"] = place.outline
    item["children"] = [
        {"id": c.id, "name": c.name, "type": c.type, "story_count": counts.get(c.id, 0)}
        for c in sorted(place.children, key=lambda c: c.name)
        if visible is None or c.id in visible
    ]
    return jsonify(item)


def places_geojson(viewer, types: list[str] | None, outlines: bool, bbox) -> dict:
    """Places this viewer may see as GeoJSON: a Point each (or the outline with ?outlines=1),
    with their counts of public stories."""
    counts = public_story_counts()
    precisions = visible_place_precisions(viewer)
    query = select(Place).order_by(Place.id)
    if types:
        query = query.where(Place.type.in_(types))
    features = []
    for place in db.session.scalars(query):
        if not place.has_point or (precisions is not None and place.id not in precisions):
            continue
        lat, lon = _point(place, precisions)
        if bbox and not in_bbox(lat, lon, bbox):
            continue
        geometry = (
            place.outline
            if outlines and place.outline
            else {"type": "Point", "coordinates": [lon, lat]}
        )
        features.append(
            {
                "type": "Feature",
                "id": place.id,
                "geometry": geometry,
                "properties": {
                    "id": place.id,
                    "place_id": place.id,
                    "name": place.name,
                    "title": place.name,
                    "type": place.type,
                    "parent_id": place.parent_id,
                    "url": url_for("places.show", place_id=place.id),
                    "story_count": counts.get(place.id, 0),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@bp.get("/places.geojson")
@documented(
    "places",
    operation_id="placesGeoJson",
    summary="Places as GeoJSON",
    responses={
        200: reply(
            "A point per place (or its outline with outlines=1).", FeatureCollectionSchema, GEOJSON
        )
    },
    errors=(304, 400, 401, 429),
    parameters=[
        query("type", "Place types, separated by commas."),
        "bbox",
        query("outlines", "1 to get outlines instead of points."),
    ],
)
def places_geojson_index():
    """Every place with a point; ?type=, ?bbox=west,south,east,north, ?outlines=1."""
    types = _types(request.args.get("type"))
    outlines = request.args.get("outlines") in {"1", "true", "yes"}
    bbox = parse_bbox(request.args.get("bbox"))
    return cached_geojson_response(
        current_user,
        "places",
        f"{types}|{outlines}|{bbox}",
        lambda: places_geojson(current_user, types, outlines, bbox),
    )
