"""Read paths for browsing: the viewer's published stories grouped by theme, decade, neighbourhood."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from memoire.extensions import db
from memoire.places.models import Place
from memoire.places.queries import descendant_ids, neighbourhoods
from memoire.stories.models import Status, Story, StoryPlace, Theme, story_themes
from memoire.stories.queries import visible_stories
from memoire.stories.visibility import visible_clause

PER_PAGE = 24
_published = Story.status == Status.published.value


def themes(viewer) -> list[tuple[Theme, int]]:
    """Themes with the number of distinct published stories this viewer may see."""
    rows = db.session.execute(
        select(Theme, func.count(func.distinct(Story.id)))
        .join(story_themes, story_themes.c.theme_id == Theme.id)
        .join(Story, Story.id == story_themes.c.story_id)
        .where(visible_clause(viewer), _published)
        .group_by(Theme.id)
        .order_by(Theme.name)
    ).all()
    return [(theme, count) for theme, count in rows]


def _decade_clause(decade: int):
    end = func.coalesce(Story.period_end, Story.period_start)
    return (Story.period_start <= decade + 9) & (end >= decade)


def decades(viewer) -> list[tuple[int, int]]:
    """Decades the stories speak of (a range counts in each decade it covers), with counts."""
    spans = db.session.execute(
        select(Story.id, Story.period_start, Story.period_end)
        .where(visible_clause(viewer), _published, Story.period_start.is_not(None))
    ).all()
    counts: dict[int, set[int]] = {}
    for story_id, start, end in spans:
        end = end if end is not None and end >= start else start
        for decade in range(start // 10 * 10, min(end, start + 200) // 10 * 10 + 1, 10):
            counts.setdefault(decade, set()).add(story_id)
    return sorted((d, len(ids)) for d, ids in counts.items())


def neighbourhood_list(viewer) -> list[tuple[Place, int]]:
    return [(p, n) for p, n in neighbourhoods(viewer) if n]


def _page(query, page: int):
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    stories = list(db.session.scalars(
        query.order_by(Story.period_start.is_(None), Story.period_start, Story.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ))
    return stories, total


def by_theme(viewer, theme: Theme, page: int = 1):
    query = visible_stories(viewer).where(
        _published, Story.id.in_(select(story_themes.c.story_id).where(story_themes.c.theme_id == theme.id))
    )
    return _page(query, page)


def by_decade(viewer, decade: int, page: int = 1):
    return _page(visible_stories(viewer).where(_published, _decade_clause(decade)), page)


def by_place(viewer, place: Place, page: int = 1):
    ids = descendant_ids(place)
    query = visible_stories(viewer).where(
        _published,
        or_(Story.id.in_(select(StoryPlace.story_id).where(StoryPlace.place_id.in_(ids)))),
    )
    return _page(query, page)
