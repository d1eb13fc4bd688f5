"""Read paths for stories: every one applies the visibility rule."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from memoire.core.errors import NotFound
from memoire.extensions import db
from memoire.media.models import Media
from memoire.stories.models import Status, Story, StoryNarrator, StoryPlace
from memoire.stories.operations import lookup_story
from memoire.stories.visibility import may_view, visible_clause


def visible_stories(viewer) -> Select:
    """SELECT of the stories this viewer may see, with what cards need loaded."""
    return (
        select(Story)
        .where(visible_clause(viewer))
        .options(
            selectinload(Story.media).selectinload(Media.derivatives),
            selectinload(Story.place_links).selectinload(StoryPlace.place),
            selectinload(Story.narrator_links).selectinload(StoryNarrator.person),
            selectinload(Story.themes),
        )
    )


def get_visible_story(viewer, ref) -> Story:
    """A story by archive or external id, or NotFound — the same answer whether it
    does not exist or may not be seen, so that ids reveal nothing."""
    story = lookup_story(ref)
    if story is None or not may_view(viewer, story):
        raise NotFound(_l("This story does not exist, or is not public."))
    return story


def recent_stories(viewer, limit: int = 12) -> list[Story]:
    query = visible_stories(viewer).where(Story.status == Status.published.value)
    query = query.order_by(Story.published_at.desc(), Story.id.desc()).limit(limit)
    return list(db.session.scalars(query))
