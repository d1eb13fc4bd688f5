"""Read paths for places, with counts of the stories a viewer may see."""

from __future__ import annotations

from sqlalchemy import func, select

from memoire.extensions import db
from memoire.places.models import Place
from memoire.stories.models import Precision, Story, StoryPlace
from memoire.stories.visibility import visible_clause


def descendant_ids(place: Place) -> set[int]:
    ids, frontier = {place.id}, {place.id}
    while frontier:
        children = set(db.session.scalars(select(Place.id).where(Place.parent_id.in_(frontier))))
        frontier = children - ids
        ids |= children
    return ids


def story_counts(viewer, place_ids=None) -> dict[int, int]:
    """Visible stories per place (directly tied), for lists and the no-JS map."""
    query = (
        select(StoryPlace.place_id, func.count(func.distinct(StoryPlace.story_id)))
        .join(Story, Story.id == StoryPlace.story_id)
        .where(visible_clause(viewer))
        .group_by(StoryPlace.place_id)
    )
    if place_ids is not None:
        query = query.where(StoryPlace.place_id.in_(place_ids))
    return dict(db.session.execute(query).all())


def neighbourhoods(viewer) -> list[tuple[Place, int]]:
    """Quartiers and communes with their count of distinct visible stories (including their streets).

    A story tied to a town, one of its quartiers and a landmark in it counts once for each
    of them, never three times for the town: the counts are sets of story ids, united upwards.
    """
    places = list(db.session.scalars(select(Place).where(Place.type.in_(["quartier", "commune"]))))
    links = db.session.execute(
        select(StoryPlace.place_id, StoryPlace.story_id)
        .join(Story, Story.id == StoryPlace.story_id)
        .where(visible_clause(viewer))
        .distinct()
    ).all()
    direct: dict[int, set[int]] = {}
    for place_id, story_id in links:
        direct.setdefault(place_id, set()).add(story_id)
    children: dict[int, list[int]] = {}
    for pid, parent in db.session.execute(select(Place.id, Place.parent_id)):
        if parent is not None:
            children.setdefault(parent, []).append(pid)

    def stories_under(pid: int) -> set[int]:
        found, seen, frontier = set(), {pid}, [pid]
        while frontier:
            node = frontier.pop()
            found |= direct.get(node, set())
            for child in children.get(node, []):
                if child not in seen:
                    seen.add(child)
                    frontier.append(child)
        return found

    result = [(p, len(stories_under(p.id))) for p in places]
    return sorted(result, key=lambda item: (item[0].type != "quartier", item[0].name))


def visible_place_ids(viewer) -> set[int] | None:
    """Places this viewer may see; None means all of them (staff).

    The gazetteer grows from contributions, so a place's very name can come from a
    story that is not public. A place is shown when it came from a gazetteer import,
    or when a story the viewer may see is tied to it (and the story's location precision
    lets that place be shown with it: a "quartier" story does not reveal its street),
    or to a place inside it.
    """
    precisions = visible_place_precisions(viewer)
    return None if precisions is None else set(precisions)


_FINENESS = {Precision.exact.value: 0, Precision.street.value: 1, Precision.quartier.value: 2}


def visible_place_precisions(viewer) -> dict[int, str] | None:
    """Each place this viewer may see -> how finely its point may be shown (None: staff).

    A gazetteer place is public knowledge ("exact"). A place learnt from contributions is
    shown no finer than the finest precision among the visible stories that make it
    visible (`geo.place_visible_point` coarsens accordingly), and a place above it no finer
    than its finest descendant's.
    """
    from memoire.accounts.models import STAFF_ROLES
    from memoire.places.geo import PUBLIC_PLACE_TYPES

    if getattr(viewer, "is_authenticated", False) and viewer.role in STAFF_ROLES:
        return None
    found: dict[int, str] = {}

    def note(place_id: int, precision: str) -> None:
        current = found.get(place_id)
        if current is None or _FINENESS.get(precision, 0) < _FINENESS.get(current, 0):
            found[place_id] = precision

    rows = db.session.execute(
        select(StoryPlace.place_id, Story.precision, Place.type)
        .join(Story, Story.id == StoryPlace.story_id)
        .join(Place, Place.id == StoryPlace.place_id)
        .where(visible_clause(viewer))
    )
    for place_id, precision, place_type in rows:
        precision = precision or Precision.exact.value
        if place_type in PUBLIC_PLACE_TYPES.get(precision, set()):
            note(place_id, precision)
    for place_id in db.session.scalars(select(Place.id).where(Place.external_id.is_not(None))):
        note(place_id, Precision.exact.value)
    parents = dict(db.session.execute(select(Place.id, Place.parent_id)).all())
    for place_id, precision in list(found.items()):
        node, seen = parents.get(place_id), {place_id}
        while node is not None and node not in seen:
            if node in found and _FINENESS.get(found[node], 0) <= _FINENESS.get(precision, 0):
                break  # already as fine, and so are the places above it (or they will be)
            seen.add(node)
            note(node, precision)
            node = parents.get(node)
    return found


def may_view_place(viewer, place: Place) -> bool:
    ids = visible_place_ids(viewer)
    return ids is None or place.id in ids
