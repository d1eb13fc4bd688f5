"""Where a story is, and how precisely that may be shown.

The exact point (a contributor's tap on the map, or the place's point) is for staff;
every public output goes through `public_point`, which coarsens it according to the
story's precision: snapped to a ~100 m grid for "street", replaced by the quartier's
point for "quartier". Snapping is deterministic, so repeated outputs cannot be
averaged back to the original.
"""

from __future__ import annotations

from memoire.places.models import Place
from memoire.stories.models import PlaceRole, Precision, Story

# ~100 m in latitude; longitude cells are widened to stay roughly square at 50° N.
STREET_GRID_LAT = 0.001
STREET_GRID_LON = 0.0015
# When a story marked "quartier" has no quartier in the gazetteer: ~1 km cells.
QUARTIER_GRID = 0.01


def _snap(value: float, step: float) -> float:
    return round(round(value / step) * step + step / 2, 6)


def place_point(place: Place | None) -> tuple[float, float] | None:
    """A place's point, else its nearest ancestor's."""
    for node in [place, *(place.ancestors if place else [])]:
        if node is not None and node.has_point:
            return node.lat, node.lon
    return None


#: From the most to the least precise: a story's main place is its most precise one.
_SPECIFICITY = {"building": 0, "street": 1, "landmark": 2, "quartier": 3, "commune": 4}


def main_place(story: Story) -> Place | None:
    """Where the story happened, as precisely as known (a street before its commune)."""
    happened = [link.place for link in story.place_links if link.role == PlaceRole.happened]
    candidates = happened or story.places
    if not candidates:
        return None
    return min(candidates, key=lambda p: (_SPECIFICITY.get(p.type, 5), -len(p.ancestors)))


def exact_point(story: Story) -> tuple[float, float] | None:
    """The most precise point known: for staff only."""
    if story.lat is not None and story.lon is not None:
        return story.lat, story.lon
    return place_point(main_place(story))


def _quartier_of(place: Place | None) -> Place | None:
    for node in [place, *(place.ancestors if place else [])]:
        if node is not None and node.type in {"quartier", "commune"} and node.has_point:
            return node
    return None


def public_point(story: Story) -> tuple[float, float] | None:
    """The point every public output gives for a story, coarsened per its precision."""
    point = exact_point(story)
    if point is None:
        return None
    precision = story.precision or Precision.exact.value
    if precision == Precision.exact:
        return point
    if precision == Precision.street:
        return _snap(point[0], STREET_GRID_LAT), _snap(point[1], STREET_GRID_LON)
    quartier = _quartier_of(main_place(story))
    if quartier is not None and (quartier.lat, quartier.lon) != point:
        return quartier.lat, quartier.lon
    return _snap(point[0], QUARTIER_GRID), _snap(point[1], QUARTIER_GRID)


def point_for(viewer, story: Story) -> tuple[float, float] | None:
    """Staff see the exact point; everybody else the coarsened one."""
    if getattr(viewer, "is_authenticated", False) and getattr(viewer, "is_staff", False):
        return exact_point(story)
    return public_point(story)


def place_visible_point(place: Place, precision: str | None = None) -> tuple[float, float] | None:
    """A place's point as the public may see it.

    Gazetteer places (imported, with an external id) are public knowledge: their own point
    is shown as is. A place the archive learnt from contributions may carry a contributor's
    exact tap: it is shown no finer than `precision`, the finest precision of the visible
    stories that make it public (None: as is, for staff and callers that checked)."""
    point = place_point(place)
    if point is None or precision in (None, Precision.exact) or place.external_id is not None:
        return point
    return coarsen(point, precision, place)


def coarsen(point: tuple[float, float], precision: str, place: Place | None = None):
    """A point no finer than `precision` (the one rule `public_point` applies too)."""
    if precision == Precision.exact:
        return point
    if precision == Precision.street:
        return _snap(point[0], STREET_GRID_LAT), _snap(point[1], STREET_GRID_LON)
    inside = place is not None and place.type not in {"quartier", "commune"}
    quartier = _quartier_of(place.parent) if inside else None
    if quartier is not None:
        return quartier.lat, quartier.lon
    return _snap(point[0], QUARTIER_GRID), _snap(point[1], QUARTIER_GRID)


#: How fine a place of each type locates a story: a building or a landmark is a point.
PLACE_TYPE_PRECISION = {
    "building": Precision.exact.value, "landmark": Precision.exact.value,
    "street": Precision.street.value,
    "quartier": Precision.quartier.value, "commune": Precision.quartier.value,
}

#: Place types each precision lets the public see a story tied to: none finer than it
#: (a "quartier" story does not name the landmark down its street).
PUBLIC_PLACE_TYPES = {
    Precision.exact.value: {"commune", "quartier", "street", "building", "landmark"},
    Precision.street.value: {"commune", "quartier", "street"},
    Precision.quartier.value: {"commune", "quartier"},
}


def places_for(viewer, story: Story) -> list[Place]:
    """The story's places this viewer may see: a "quartier" story does not name its street."""
    if getattr(viewer, "is_authenticated", False) and getattr(viewer, "is_staff", False):
        return story.places
    allowed = PUBLIC_PLACE_TYPES.get(story.precision or Precision.exact.value, set())
    return [p for p in story.places if p.type in allowed]
