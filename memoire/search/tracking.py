"""Record index work in the same transaction as every change that affects a story's document.

A SQLAlchemy `after_flush` listener looks at what the flush wrote and inserts an
`index_work` row per affected story, through the flush's own connection. Because
it sees flushed objects (not only committed ones), nothing slips through the way a
`before_commit` hook would miss it; a rollback takes the rows with it. Bulk
`query.delete()`/`update()` bypass the ORM: operations that touch stories must not
use them, or must call `mark_stories` themselves.
"""

from __future__ import annotations

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from memoire.core import uow

PENDING_FLAG = "memoire_index_pending"
PURGE_FLAG = "memoire_index_purge"
#: Set on a session during a bulk run: its work is applied in batches, not after each commit.
BULK_FLAG = "memoire_index_bulk"


def request_purge(session: Session) -> None:
    """The work this transaction records must also purge removed text from the index files."""
    if not session.info.get(PURGE_FLAG):
        session.info[PURGE_FLAG] = True
        uow.after_commit(session, lambda: session.info.pop(PURGE_FLAG, None))
        uow.after_rollback(session, lambda: session.info.pop(PURGE_FLAG, None))


def mark_stories(session: Session, story_ids) -> None:
    """Record index work for these stories in the current transaction."""
    from memoire.search.models import IndexWork

    ids = sorted({int(i) for i in story_ids if i is not None})
    if not ids:
        return
    purge = bool(session.info.get(PURGE_FLAG))
    session.connection().execute(
        insert(IndexWork.__table__), [{"story_id": i, "purge": purge} for i in ids]
    )
    if not session.info.get(PENDING_FLAG):
        session.info[PENDING_FLAG] = True
        uow.after_commit(session, lambda: _apply_after_commit(session))


def _apply_after_commit(session: Session) -> None:
    """Embedded profile: the process that made the change applies it right after commit."""
    session.info.pop(PENDING_FLAG, None)
    if session.info.get(BULK_FLAG):
        return
    from flask import current_app, has_app_context

    if has_app_context() and current_app.config.get("MEMOIRE_INDEX_AFTER_COMMIT"):
        from memoire.search import service

        service.apply_pending_after_commit()


def _affected_story_ids(session: Session, objects) -> set[int]:
    from memoire.media.models import Media, Redaction
    from memoire.places.models import Place
    from memoire.stories.models import (
        Consent,
        Person,
        Story,
        StoryNarrator,
        StoryPlace,
        Theme,
        story_themes,
    )
    from memoire.transcripts.models import (
        Transcript,
        TranscriptChapter,
        TranscriptSegment,
        TranscriptTranslation,
    )

    ids: set[int] = set()
    conn = session.connection()
    place_ids: set[int] = set()
    # One query per kind of object, not per object: a transcript flushes hundreds of segments.
    transcript_ids: set[int] = set()
    media_ids: set[int] = set()
    person_ids: set[int] = set()
    theme_ids: set[int] = set()
    for obj in objects:
        if isinstance(obj, Story):
            ids.add(obj.id)
        elif isinstance(obj, StoryNarrator | StoryPlace | Consent | Media | Transcript):
            ids.add(obj.story_id)
        elif isinstance(obj, TranscriptSegment | TranscriptChapter | TranscriptTranslation):
            # Chapters and second language tracks are searched with the transcript.
            transcript_ids.add(obj.transcript_id)
        elif isinstance(obj, Redaction):
            media_ids.add(obj.media_id)
        elif isinstance(obj, Person):
            person_ids.add(obj.id)
        elif isinstance(obj, Theme):
            theme_ids.add(obj.id)
        elif isinstance(obj, Place):
            place_ids.add(obj.id)
    for column, key, wanted in (
        (Transcript.story_id, Transcript.id, transcript_ids),
        (Media.story_id, Media.id, media_ids),
        (StoryNarrator.story_id, StoryNarrator.person_id, person_ids),
        (story_themes.c.story_id, story_themes.c.theme_id, theme_ids),
    ):
        wanted.discard(None)
        if wanted:
            ids.update(conn.scalars(select(column).where(key.in_(sorted(wanted)))))
    if place_ids:
        # A place's name is indexed with every story placed in it or in its descendants.
        frontier = set(place_ids)
        while frontier:
            children = set(conn.scalars(select(Place.id).where(Place.parent_id.in_(frontier))))
            frontier = children - place_ids
            place_ids |= children
        ids.update(
            conn.scalars(select(StoryPlace.story_id).where(StoryPlace.place_id.in_(place_ids)))
        )
    ids.discard(None)
    return ids


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    changed = [o for o in session.dirty if session.is_modified(o, include_collections=True)]
    objects = list(session.new) + changed + list(session.deleted)
    if not objects:
        return
    ids = _affected_story_ids(session, objects)
    if ids:
        mark_stories(session, ids)
