"""Each public story's coarsened point, stored on the story (`public_lat`, `public_lon`).

The map of memories shows every public story at `geo.public_point`: coarsening 20,000
of them per request was most of a cold map's time. The point is kept instead in the
same flush as whatever moves it — the story's own point, precision, status or
visibility, its place links, or the point, type or parent of a place it is tied to —
by one `before_flush` listener, so every door (forms, API, import, moderation,
withdrawal, erasure, the gazetteer) keeps it without knowing. A story that is not
public has no stored point: a map built from these columns cannot show a hidden story,
and views that may see more (owners, researchers, staff) compute theirs per request.

Core bulk writes bypass the listener: they call `backfill_public_points` (the
migration adding the columns does, so do the benchmarks).
"""

from __future__ import annotations

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from memoire.places import geo
from memoire.places.models import Place
from memoire.stories.models import Story, StoryPlace
from memoire.stories.visibility import is_public_clause

#: What a stored point depends on: on a story, and on a place it is (or is inside of).
_STORY_FIELDS = ("lat", "lon", "precision", "status", "visibility", "place_links")
_PLACE_FIELDS = ("lat", "lon", "type", "parent_id", "parent")


def shown_point(story: Story) -> tuple[float, float] | None:
    """The point anonymous visitors may see for this story: None unless it is public."""
    if not story.is_public:
        return None
    return geo.public_point(story)


def refresh_public_point(story: Story) -> None:
    """Store `shown_point(story)` on the story (assigned only when it moved)."""
    point = shown_point(story) or (None, None)
    if (story.public_lat, story.public_lon) != point:
        story.public_lat, story.public_lon = point


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _stories_under(session: Session, place_ids: set[int]) -> list[Story]:
    """Stories tied to these places or to places inside them (a street moved with its quartier)."""
    frontier = set(place_ids)
    while frontier:
        children = set(session.scalars(select(Place.id).where(Place.parent_id.in_(frontier))))
        frontier = children - place_ids
        place_ids |= children
    ids = select(StoryPlace.story_id).where(StoryPlace.place_id.in_(place_ids))
    return list(session.scalars(select(Story).where(Story.id.in_(ids))))


@event.listens_for(Session, "before_flush")
def _keep_public_points(session: Session, _context, _instances) -> None:
    stories: dict[int, Story] = {}
    moved_places: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Story):
            if obj not in session.deleted and (obj in session.new or _changed(obj, _STORY_FIELDS)):
                stories[id(obj)] = obj
        elif isinstance(obj, StoryPlace):
            # A link added or removed without going through story.place_links.
            story = session.get(Story, obj.story_id) if obj.story_id is not None else None
            if story is not None and story not in session.deleted:
                stories[id(story)] = story
        elif isinstance(obj, Place) and obj.id is not None:
            if obj in session.deleted or (obj in session.dirty and _changed(obj, _PLACE_FIELDS)):
                moved_places.add(obj.id)
    if moved_places:
        for story in _stories_under(session, moved_places):
            if story not in session.deleted:
                stories[id(story)] = story
    for story in stories.values():
        refresh_public_point(story)


def backfill_public_points(connection: Connection) -> int:
    """Store every story's public point with Core statements (after bulk writes, in
    migrations); returns how many stories have one. Non-public stories are cleared."""
    from memoire.maps.geojson import computed_points, story_stand_ins

    connection.execute(
        update(Story.__table__).where(~is_public_clause()).values(public_lat=None, public_lon=None)
    )
    stories = story_stand_ins(connection, is_public_clause())
    points = computed_points(None, stories, connection)
    rows = [
        {"sid": story_id, "plat": point[0] if point else None, "plon": point[1] if point else None}
        for story_id in stories
        for point in [points.get(story_id)]
    ]
    if rows:
        table = Story.__table__
        connection.execute(
            update(table)
            .where(table.c.id == bindparam("sid"))
            .values(public_lat=bindparam("plat"), public_lon=bindparam("plon")),
            rows,
        )
    return sum(1 for row in rows if row["plat"] is not None)
