"""Validators (ETag, Last-Modified) from what the viewer may see, never from the whole archive.

A validator is an output like any other: if the anonymous map's ETag or the story list's
Last-Modified moved when a contributor saved a private draft, a visitor polling them would
learn that (and when) something hidden changed. So:

- `changed_at(viewer)` is the latest change among the stories `viewer` may see (their
  media included) and the public tombstones: the Last-Modified of lists.
- `counters()` reads the archive's generations (table `archive_generation`): "all" moves
  with every change a map may show to somebody, "public" only with a change to what
  anonymous visitors may see on maps and lists: public + published stories, their place
  and theme links, the places those stories or the gazetteer show, their media and
  derivatives, tombstones, published map layers and their features. Maps key their
  cached bodies and ETags by them (memoire.maps.geojson): a 304 costs one row read.

The counters move in the flush that changes such a row, whatever the door (one listener,
like memoire.maps.points), and are written just after the commit, in a short transaction
of their own: a counter row locked until every writer's commit would queue concurrent
importers behind each other. A reader that read the old counter while the commit landed
keys a body by the old value, and the bump that follows makes everyone rebuild. Core bulk
writes bypass the listener and call `bump()` themselves.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from memoire.extensions import db
from memoire.places.models import Place
from memoire.stories.models import (
    ArchiveGeneration,
    Status,
    Story,
    StoryPlace,
    StoryTombstone,
    Theme,
    Visibility,
    story_themes,
)
from memoire.stories.visibility import is_public_clause, visible_clause

logger = logging.getLogger(__name__)

SCOPES = ("all", "public")
_PENDING = "memoire_generation_scopes"


def changed_at(viewer) -> datetime | None:
    """When what `viewer` may see of the stories last changed (or one was taken away)."""
    from memoire.media.models import Media

    visible = visible_clause(viewer)
    moments = [
        db.session.scalar(select(func.max(Story.updated_at)).where(visible)),
        db.session.scalar(
            select(func.max(Media.updated_at))
            .join(Story, Story.id == Media.story_id)
            .where(visible)
        ),
        # Tombstones exist only for stories that were public: their time is public knowledge.
        db.session.scalar(select(func.max(StoryTombstone.deleted_at))),
    ]
    found = [m for m in moments if m is not None]
    return max(found) if found else None


def counters(connection: Connection | None = None) -> dict[str, int]:
    """The archive's generations by scope ("all", "public"): one small read."""
    connection = connection or db.session.connection()
    rows = connection.execute(select(ArchiveGeneration.scope, ArchiveGeneration.counter)).all()
    return {scope: counter for scope, counter in rows}


# Both engines speak this upsert; a missing row (an emptied table) starts at a random value.
_BUMP = text(
    "INSERT INTO archive_generation (scope, counter) VALUES (:scope, :start) "
    "ON CONFLICT (scope) DO UPDATE SET counter = archive_generation.counter + 1"
)


def bump(connection: Connection, scopes=SCOPES) -> None:
    """Move these generations (Core bulk writers call it; the listener below for the ORM)."""
    for scope in sorted(scopes):
        connection.execute(_BUMP, {"scope": scope, "start": secrets.randbelow(2**40)})


# --- what a flush changed, for whom -----------------------------------------------------------


def _before_after(obj, name: str) -> tuple:
    """An attribute's value before this flush and after it."""
    attr = inspect(obj).attrs[name]
    history = attr.history
    if history.added or history.deleted:
        return (
            history.deleted[0] if history.deleted else None,
            history.added[0] if history.added else None,
        )
    value = history.unchanged[0] if history.unchanged else attr.loaded_value
    value = None if value is NO_VALUE else value
    return value, value


def _story_was_or_is_public(
    session: Session, story_id: int | None, story: Story | None = None
) -> bool:
    if story is None and story_id is not None:
        story = session.identity_map.get(session.identity_key(Story, story_id))
    if story is not None:
        visibility, status = _before_after(story, "visibility"), _before_after(story, "status")
        return any(
            v == Visibility.public.value and s == Status.published.value
            for v, s in zip(visibility, status, strict=True)
        )
    if story_id is None:
        return False
    return (
        session.connection()
        .execute(select(func.count()).where(Story.id == story_id, is_public_clause()))
        .scalar_one()
        > 0
    )


def _publicly_linked(session: Session, column, value) -> bool:
    """Is a public story tied to this place or theme (after the flush)?"""
    table = StoryPlace.__table__ if column.table is StoryPlace.__table__ else story_themes
    story_column = table.c.story_id
    query = (
        select(func.count())
        .select_from(table.join(Story.__table__, Story.id == story_column))
        .where(column == value, is_public_clause())
    )
    return session.connection().execute(query).scalar_one() > 0


def _media_story_id(session: Session, media_id: int | None) -> int | None:
    from memoire.media.models import Media

    media = session.identity_map.get(session.identity_key(Media, media_id)) if media_id else None
    if media is not None:
        return media.story_id
    if media_id is None:
        return None
    return (
        session.connection()
        .execute(select(Media.story_id).where(Media.id == media_id))
        .scalar_one_or_none()
    )


def _layer_was_or_is_published(session: Session, map_id: int | None) -> bool:
    from memoire.maps.models import SubjectiveMap

    layer = (
        session.identity_map.get(session.identity_key(SubjectiveMap, map_id)) if map_id else None
    )
    if layer is not None:
        return "published" in _before_after(layer, "status")
    if map_id is None:
        return False
    status = (
        session.connection()
        .execute(select(SubjectiveMap.status).where(SubjectiveMap.id == map_id))
        .scalar_one_or_none()
    )
    return status == "published"


def scopes_touched(session: Session, obj, deleted: bool) -> set[str]:
    """Which generations a change of `obj` in this flush moves: none, "all", or both."""
    from memoire.maps.models import MapFeature, SubjectiveMap
    from memoire.media.models import Derivative, Media

    def value(name: str):
        # A deleted row cannot be read back: an attribute it never loaded counts as unknown
        # (None), never as a reason to read the database, which would fail mid-flush.
        if not deleted:
            return getattr(obj, name)
        loaded = inspect(obj).attrs[name].loaded_value
        return None if loaded is NO_VALUE else loaded

    if isinstance(obj, Story):
        public = _story_was_or_is_public(session, value("id"), obj)
    elif isinstance(obj, StoryPlace | Media):
        public = _story_was_or_is_public(session, value("story_id"))
    elif isinstance(obj, Derivative):
        public = _story_was_or_is_public(session, _media_story_id(session, value("media_id")))
    elif isinstance(obj, Place):
        place_id = value("id")
        public = any(v is not None for v in _before_after(obj, "external_id")) or (
            place_id is not None and _publicly_linked(session, StoryPlace.place_id, place_id)
        )
    elif isinstance(obj, Theme):
        # A theme's links are gone with it: a deleted theme counts as a public change.
        public = deleted or _publicly_linked(session, story_themes.c.theme_id, obj.id)
    elif isinstance(obj, StoryTombstone):
        public = True  # tombstones are made only for stories that were public
    elif isinstance(obj, SubjectiveMap):
        public = "published" in _before_after(obj, "status")
    elif isinstance(obj, MapFeature):
        public = _layer_was_or_is_published(session, value("map_id"))
    else:
        return set()
    return {"all", "public"} if public else {"all"}


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    pending: set[str] = session.info.setdefault(_PENDING, set())
    for objects, deleted in ((session.new, False), (session.dirty, False), (session.deleted, True)):
        for obj in objects:
            if pending >= set(SCOPES):
                return
            if obj in session.dirty and not session.is_modified(obj):
                continue
            pending |= scopes_touched(session, obj, deleted)


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    scopes = session.info.pop(_PENDING, None)
    if not scopes:
        return
    try:
        with session.get_bind().begin() as connection:
            bump(connection, scopes)
    except SQLAlchemyError:
        # The change itself is committed: failing the request now would tell the user it was
        # lost. Caches stay on the old generation until the next change moves it.
        logger.exception("archive generation not moved after a commit (%s)", sorted(scopes))


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
