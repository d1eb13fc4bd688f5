"""Related stories: a few others worth reading next, each with its reason in a word.

Computed from PUBLIC + published stories only, whoever asks: the list is the same for
every viewer, so it can be cached per public archive generation (the map cache's public
fingerprint, memoire.stories.generation) and can never reveal a story, a title, a count
or a point that a visitor could not already see. A shared place counts as "same place"
only when the candidate's precision lets the public see that place; otherwise the
candidate counts, at best, as "same quartier" (a story marked "quartier" does not give
its street away through this list either).
"""

from __future__ import annotations

import threading

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from memoire.extensions import db
from memoire.places.geo import PUBLIC_PLACE_TYPES
from memoire.places.models import Place
from memoire.stories.models import Precision, Story, StoryNarrator, StoryPlace, story_themes
from memoire.stories.visibility import is_public_clause

#: Reasons, strongest first: (key, score, label).
REASONS = {
    "place": (6, _l("same place")),
    "narrator": (5, _l("same narrator")),
    "workshop": (4, _l("same workshop")),
    "quartier": (3, _l("same quartier")),
    "theme": (2, _l("same theme")),
    "period": (1, _l("same period")),
}
CANDIDATES = 60  # per reason: keeps every query small
CACHE_ENTRIES = 2000
_lock = threading.Lock()


def _public(story_id):
    """`story_id` names a public, published story: a lookup by key per candidate row. Written
    as `IN (SELECT id FROM story WHERE ...)`, SQLite listed every public story for each
    query first (10 ms each at 20,000 stories, five of them per story page)."""
    return select(Story.id).where(Story.id == story_id, is_public_clause()).exists()


def _quartiers(place_ids: set[int]) -> set[int]:
    """The quartiers (or communes, when no quartier is known) the places lie in."""
    found = set()
    for place in db.session.scalars(select(Place).where(Place.id.in_(place_ids))):
        for node in [place, *place.ancestors]:
            if node.type == "quartier":
                found.add(node.id)
                break
    return found


def _places_within(quartier_ids: set[int]) -> set[int]:
    """The quartiers and the places two levels under them (streets, their buildings)."""
    ids = set(quartier_ids)
    level = set(quartier_ids)
    for _ in range(2):
        if not level:
            break
        level = set(db.session.scalars(select(Place.id).where(Place.parent_id.in_(level))))
        ids |= level
    return ids


def _compute(story: Story) -> list[tuple[int, str]]:
    scores: dict[int, tuple[int, str]] = {}

    def offer(ids, reason: str) -> None:
        score = REASONS[reason][0]
        for sid in ids:
            if sid != story.id and score > scores.get(sid, (0, ""))[0]:
                scores[sid] = (score, reason)

    place_ids = {link.place_id for link in story.place_links}
    if place_ids:
        rows = db.session.execute(
            select(StoryPlace.story_id, Place.type, Story.precision)
            .join(Place, Place.id == StoryPlace.place_id)
            .join(Story, Story.id == StoryPlace.story_id)
            .where(StoryPlace.place_id.in_(place_ids), is_public_clause())
            .limit(CANDIDATES)
        ).all()
        # A shared place the candidate's precision hides from the public is only "same quartier".
        offer([sid for sid, kind, precision in rows
               if kind in PUBLIC_PLACE_TYPES.get(precision or Precision.exact.value, set())], "place")
        quartiers = _quartiers(place_ids)
        if quartiers:
            around = _places_within(quartiers)
            offer(db.session.scalars(
                select(StoryPlace.story_id).where(
                    StoryPlace.place_id.in_(around), _public(StoryPlace.story_id)
                ).distinct().limit(CANDIDATES)
            ), "quartier")
    person_ids = [link.person_id for link in story.narrator_links]
    if person_ids:
        offer(db.session.scalars(
            select(StoryNarrator.story_id).where(
                StoryNarrator.person_id.in_(person_ids), _public(StoryNarrator.story_id)
            ).limit(CANDIDATES)
        ), "narrator")
    offer(_same_workshop(story), "workshop")
    theme_ids = [theme.id for theme in story.themes]
    if theme_ids:
        offer(db.session.scalars(
            select(story_themes.c.story_id).where(
                story_themes.c.theme_id.in_(theme_ids), _public(story_themes.c.story_id)
            ).distinct().limit(CANDIDATES)
        ), "theme")
    if story.period_start is not None:
        end = story.period_end if story.period_end is not None else story.period_start
        offer(db.session.scalars(
            select(Story.id).where(
                is_public_clause(), Story.period_start.is_not(None), Story.period_start <= end,
                or_(func.coalesce(Story.period_end, Story.period_start) >= story.period_start),
            ).order_by(func.abs(Story.period_start - story.period_start)).limit(CANDIDATES)
        ), "period")
    ranked = sorted(scores.items(), key=lambda item: (-item[1][0], -item[0]))
    return [(sid, reason) for sid, (_score, reason) in ranked[:12]]


def _same_workshop(story: Story) -> list[int]:
    try:
        from memoire.network.models import WorkshopStory
    except ImportError:  # pragma: no cover - the network domain is optional
        return []
    workshop_id = db.session.scalar(
        select(WorkshopStory.workshop_id).where(WorkshopStory.story_id == story.id)
    )
    if workshop_id is None:
        return []
    return list(db.session.scalars(
        select(WorkshopStory.story_id).where(
            WorkshopStory.workshop_id == workshop_id, _public(WorkshopStory.story_id)
        ).limit(CANDIDATES)
    ))


def _cache() -> dict:
    return current_app.extensions.setdefault("memoire.related_cache", {"version": None, "entries": {}})


def related_stories(story: Story, limit: int = 4) -> list[tuple[Story, str]]:
    """Up to `limit` public stories related to `story`, each with its reason's label."""
    from memoire.maps.geojson import get_cache

    version = get_cache().version_for("public")
    cache = _cache()
    with _lock:
        if cache["version"] != version:
            cache["version"], cache["entries"] = version, {}
        ranked = cache["entries"].get(story.id)
    if ranked is None:
        ranked = _compute(story)
        with _lock:
            if len(cache["entries"]) >= CACHE_ENTRIES:
                cache["entries"].clear()
            if cache["version"] == version:
                cache["entries"][story.id] = ranked
    chosen = ranked[:limit]
    if not chosen:
        return []
    # Read again through the rule: a cached id never outlives its story's publicity.
    stories = {
        s.id: s for s in db.session.scalars(
            select(Story).where(Story.id.in_([sid for sid, _ in chosen]), is_public_clause())
        )
    }
    return [(stories[sid], REASONS[reason][1]) for sid, reason in chosen if sid in stories]
