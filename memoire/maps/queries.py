"""Read paths for subjective maps: which layers a viewer sees, and feelings per quartier."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import or_, select, true
from sqlalchemy.orm import selectinload

from memoire.accounts.models import Role
from memoire.extensions import db
from memoire.maps.geometry import as_shape
from memoire.maps.models import Feeling, SubjectiveMap
from memoire.maps.operations import LayerStatus
from memoire.places.models import Place, PlaceType

#: A feature outside every quartier outline counts for the nearest quartier point this close.
NEAREST_QUARTIER_METRES = 1500


def visible_layers_clause(viewer):
    """SQL condition on SubjectiveMap equivalent to `operations.may_view_layer`."""
    published = SubjectiveMap.status == LayerStatus.published
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return published
    if getattr(viewer, "is_staff", False) or viewer.role == Role.mediator:
        return true()
    return or_(published, SubjectiveMap.owner_id == viewer.id)


def visible_layers(viewer, *, published_only: bool = False) -> list[SubjectiveMap]:
    query = select(SubjectiveMap).options(selectinload(SubjectiveMap.features))
    if published_only:
        query = query.where(SubjectiveMap.status == LayerStatus.published)
    else:
        query = query.where(visible_layers_clause(viewer))
    return list(
        db.session.scalars(query.order_by(SubjectiveMap.updated_at.desc(), SubjectiveMap.id.desc()))
    )


def layers_to_review() -> list[SubjectiveMap]:
    query = (
        select(SubjectiveMap)
        .where(SubjectiveMap.status == LayerStatus.submitted)
        .options(selectinload(SubjectiveMap.features))
        .order_by(SubjectiveMap.updated_at)
    )
    return list(db.session.scalars(query))


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the sphere; plenty for a neighbourhood."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(a)))


def anchor_point(geometry: dict) -> tuple[float, float]:
    """Where a drawn feature sits, as (lat, lon): a point, a line's middle, inside an area."""
    geom = as_shape(geometry)
    if geom.geom_type in {"LineString", "MultiLineString"}:
        point = geom.interpolate(0.5, normalized=True)
    elif geom.geom_type == "Point":
        point = geom
    else:
        point = geom.representative_point()
    return point.y, point.x


@dataclass
class QuartierFeelings:
    """Counts of features per feeling in one quartier (place None: outside every quartier)."""

    place: Place | None
    counts: dict[str, int] = field(default_factory=lambda: {f.value: 0 for f in Feeling})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def dominant(self) -> str | None:
        if not self.total:
            return None
        return max(self.counts, key=lambda f: (self.counts[f], -list(Feeling).index(Feeling(f))))


def _quartier_for(lat: float, lon: float, quartiers: list[tuple[Place, object]]) -> Place | None:
    from shapely.geometry import Point

    point = Point(lon, lat)
    inside = [
        (shape.area, place)
        for place, shape in quartiers
        if shape is not None and shape.covers(point)
    ]
    if inside:
        return min(inside, key=lambda item: item[0])[1]
    near = [
        (_metres(lat, lon, place.lat, place.lon), place)
        for place, _shape in quartiers
        if place.has_point
    ]
    near = [item for item in near if item[0] <= NEAREST_QUARTIER_METRES]
    return min(near, key=lambda item: item[0])[1] if near else None


def feelings_by_quartier(
    layers: list[SubjectiveMap], visible: set[int] | None = None
) -> list[QuartierFeelings]:
    """How the drawn features of these layers spread over the quartiers, per feeling.

    A feature belongs to the smallest quartier outline containing its anchor point,
    else to the nearest quartier point within NEAREST_QUARTIER_METRES, else to no
    quartier (the last row, when it has any). Only the quartiers in `visible` (place ids,
    None for all) are named: a quartier known only from private stories stays unnamed.
    """
    quartiers = [
        (place, as_shape(place.outline) if place.outline else None)
        for place in db.session.scalars(select(Place).where(Place.type == PlaceType.quartier.value))
        if visible is None or place.id in visible
    ]
    rows: dict[int | None, QuartierFeelings] = {}
    for layer in layers:
        for feature in layer.features:
            if feature.feeling not in Feeling.__members__:
                continue
            lat, lon = anchor_point(feature.geometry)
            place = _quartier_for(lat, lon, quartiers)
            key = place.id if place is not None else None
            row = rows.setdefault(key, QuartierFeelings(place))
            row.counts[feature.feeling] += 1
    named = sorted(
        (r for k, r in rows.items() if k is not None), key=lambda r: (-r.total, r.place.name)
    )
    return named + ([rows[None]] if None in rows else [])
