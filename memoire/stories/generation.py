"""Validators (ETag, Last-Modified) from what the viewer may see, never from the whole archive.

A validator is an output like any other: if the anonymous map's ETag or the story list's
Last-Modified moved when a contributor saved a private draft, a visitor polling them would
learn that (and when) something hidden changed. So:

- `changed_at(viewer)` is the latest change among the stories `viewer` may see (their
  media included) and the public tombstones: the Last-Modified of lists.
- `public_fingerprint()` is a fingerprint of exactly what anonymous visitors may see on
  maps and lists: public + published stories, their place and theme links, the places
  those stories or the gazetteer show, their media and derivatives, tombstones, published
  map layers and their features. It changes when something public changes, and only then:
  the "generation" of the public archive, for ETags and caches keyed for anonymous viewers.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import String, case, cast, func, or_, select

from memoire.extensions import db
from memoire.stories.models import PlaceRole, Story, StoryPlace, StoryTombstone, story_themes
from memoire.stories.visibility import is_public_clause, visible_clause


def changed_at(viewer) -> datetime | None:
    """When what `viewer` may see of the stories last changed (or one was taken away)."""
    from memoire.media.models import Media

    visible = visible_clause(viewer)
    moments = [
        db.session.scalar(select(func.max(Story.updated_at)).where(visible)),
        db.session.scalar(
            select(func.max(Media.updated_at)).join(Story, Story.id == Media.story_id).where(visible)
        ),
        # Tombstones exist only for stories that were public: their time is public knowledge.
        db.session.scalar(select(func.max(StoryTombstone.deleted_at))),
    ]
    found = [m for m in moments if m is not None]
    return max(found) if found else None


def _public_story_ids():
    return select(Story.id).where(is_public_clause())


def public_fingerprint() -> str:
    """A short hash of the public archive's state (see module docstring). One round trip."""
    from memoire.maps.models import MapFeature, SubjectiveMap
    from memoire.media.models import Derivative, Media
    from memoire.places.models import Place

    public = _public_story_ids()
    public_media = select(Media.id).where(Media.story_id.in_(public))
    shown_places = select(StoryPlace.place_id).where(StoryPlace.story_id.in_(public))
    role_code = case((StoryPlace.role == PlaceRole.happened.value, 1), else_=2)
    published_layers = select(SubjectiveMap.id).where(SubjectiveMap.status == "published")
    aggregates = [
        (Story, [func.count(), func.max(Story.updated_at), func.sum(Story.id)],
         Story.id.in_(public)),
        (StoryPlace, [func.count(), func.sum(StoryPlace.place_id * 7919 + StoryPlace.story_id * 31
                                             + StoryPlace.position * 3 + role_code)],
         StoryPlace.story_id.in_(public)),
        (story_themes, [func.count(), func.sum(story_themes.c.theme_id * 7919 + story_themes.c.story_id)],
         story_themes.c.story_id.in_(public)),
        (Place, [func.count(), func.max(Place.updated_at), func.sum(Place.id)],
         or_(Place.external_id.is_not(None), Place.id.in_(shown_places))),
        (Media, [func.count(), func.max(Media.updated_at), func.sum(Media.id)],
         Media.story_id.in_(public)),
        (Derivative, [func.count(), func.sum(Derivative.id)], Derivative.media_id.in_(public_media)),
        (StoryTombstone, [func.count(), func.max(StoryTombstone.deleted_at)], None),
        (SubjectiveMap, [func.count(), func.max(SubjectiveMap.updated_at), func.sum(SubjectiveMap.id)],
         SubjectiveMap.id.in_(published_layers)),
        (MapFeature, [func.count(), func.max(MapFeature.updated_at), func.sum(MapFeature.id)],
         MapFeature.map_id.in_(published_layers)),
    ]
    columns = []
    for table, cols, where in aggregates:
        text = func.coalesce(cast(cols[0], String), "")
        for column in cols[1:]:
            text = text + ":" + func.coalesce(cast(column, String), "")
        query = select(text).select_from(table)
        if where is not None:
            query = query.where(where)
        columns.append(query.scalar_subquery())
    values = tuple(db.session.connection().execute(select(*columns)).one())
    return hashlib.sha1(repr(values).encode()).hexdigest()[:16]
