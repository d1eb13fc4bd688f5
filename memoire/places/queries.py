"""Read paths for places, with counts of the stories a viewer may see."""

from __future__ import annotations

from sqlalchemy import func, select

from memoire.extensions import db
from memoire.places.models import Place
from memoire.stories.models import Story, StoryPlace
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
    or when a story the viewer may see is tied to it or to a place inside it.
    """
    from memoire.accounts.models import STAFF_ROLES

    if getattr(viewer, "is_authenticated", False) and viewer.role in STAFF_ROLES:
        return None
    linked = set(db.session.scalars(
        select(StoryPlace.place_id).join(Story, Story.id == StoryPlace.story_id).where(visible_clause(viewer))
    ))
    linked |= set(db.session.scalars(select(Place.id).where(Place.external_id.is_not(None))))
    parents = dict(db.session.execute(select(Place.id, Place.parent_id)).all())
    visible = set()
    for place_id in linked:
        node = place_id
        while node is not None and node not in visible:
            visible.add(node)
            node = parents.get(node)
    return visible


def may_view_place(viewer, place: Place) -> bool:
    ids = visible_place_ids(viewer)
    return ids is None or place.id in ids
