""""Près de moi": the public stories nearest to a point (issue 18 item 4).

The distance is measured from each story's PUBLIC point (memoire.places.geo.public_point,
coarsened per its precision), never from an exact point; only public + published stories
are listed, whoever asks. The points are computed once per public archive generation and
kept in the process; a request only sorts them.

The visitor's point comes from the form (typed, or filled by the browser's geolocation
with their permission, rounded to about 100 m before it is sent) or from a place picked
by name; it is used for this answer only, never stored. Without JavaScript the same
form takes a place name.
"""

from __future__ import annotations

import math
import threading

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.places.geo import place_visible_point, public_point
from memoire.stories.models import Precision, Story, StoryPlace
from memoire.stories.visibility import is_public_clause

bp = Blueprint("near", __name__)

EARTH_RADIUS_M = 6_371_000
_lock = threading.Lock()


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def _public_points() -> list[tuple[int, float, float]]:
    from memoire.maps.geojson import get_cache

    version = get_cache().version_for("public")
    cache = current_app.extensions.setdefault("memoire.near_points", {"version": None, "points": []})
    with _lock:
        if cache["version"] == version:
            return cache["points"]
    stories = db.session.scalars(
        select(Story).where(is_public_clause())
        .options(selectinload(Story.place_links).selectinload(StoryPlace.place))
    )
    points = []
    for story in stories:
        point = public_point(story)
        if point is not None:
            points.append((story.id, point[0], point[1]))
    with _lock:
        cache["version"], cache["points"] = version, points
    return points


def nearest_public(point: tuple[float, float], limit: int = 20) -> list[tuple[Story, float]]:
    """The public stories nearest to `point`, nearest first, with their distance in metres."""
    ranked = sorted(
        ((distance_m(point, (lat, lon)), sid) for sid, lat, lon in _public_points())
    )[:limit]
    if not ranked:
        return []
    stories = {
        s.id: s for s in db.session.scalars(
            select(Story).where(Story.id.in_([sid for _, sid in ranked]), is_public_clause())
        )
    }
    return [(stories[sid], dist) for dist, sid in ranked if sid in stories]


def parse_point(lat_text: str | None, lon_text: str | None) -> tuple[float, float] | None:
    """A point as typed (a dot or a French decimal comma); None when both are empty."""
    lat_text, lon_text = (lat_text or "").strip(), (lon_text or "").strip()
    if not lat_text and not lon_text:
        return None
    try:
        lat, lon = float(lat_text.replace(",", ".")), float(lon_text.replace(",", "."))
    except ValueError:
        raise ValidationError(_l("Type a number, for example 50.357."), field="lat") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError(_l("This point is not on the Earth."), field="lat")
    return round(lat, 3), round(lon, 3)  # about 100 m: no finer than needed


def place_point(name: str) -> tuple[object, tuple[float, float]] | None:
    """The best known public place matching `name`, and its public point."""
    from memoire.places.gazetteer import search_places
    from memoire.places.queries import visible_place_ids

    if len(name.strip()) < 2:
        return None
    # Places the public may see, whoever asks: the page is the same for everybody.
    for match in search_places(name, limit=5, visible=visible_place_ids(None)):
        point = place_visible_point(match.place, Precision.street.value)
        if point is not None:
            return match.place, point
    return None


@bp.get("/near")
def near_page():
    """Public stories nearest to a point or a place; a form without JavaScript."""
    error, found_place, results, point = None, None, [], None
    name = (request.args.get("place") or "").strip()[:200]
    try:
        point = parse_point(request.args.get("lat"), request.args.get("lon"))
        if point is None and name:
            found = place_point(name)
            if found is None:
                error = _l("No known place has this name. Try a street, a quartier or a town.")
            else:
                found_place, point = found
    except ValidationError as exc:
        error = exc.message
    if point is not None:
        results = nearest_public(point)
    status = 400 if error and (request.args.get("lat") or request.args.get("lon")) else 200
    return render_template(
        "stories/near.html", results=results, error=error, place_name=name,
        found_place=found_place, searched=point is not None, viewer=current_user,
        km=_km,
    ), status


def _km(metres: float) -> str:
    if metres < 1000:
        return f"{int(round(metres / 50.0) * 50)} m"
    return f"{metres / 1000:.1f} km"
