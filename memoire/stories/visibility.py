"""Who may see which story: the one rule every read path calls.

Three forms of the same rule, kept side by side so they cannot drift apart:
`may_view` for one loaded story, `visible_clause` for SQL queries, and
`access_tokens`/`viewer_tokens` for search indexes (a story is visible when the
viewer holds one of the story's tokens).
"""

from __future__ import annotations

from sqlalchemy import and_, false, or_, true

from memoire.accounts.models import RESEARCH_ROLES, STAFF_ROLES
from memoire.stories.models import Status, Story, Visibility


def _role(viewer) -> str | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return viewer.role


def may_view(viewer, story: Story) -> bool:
    """May `viewer` (a User, an anonymous user or None) see `story`?"""
    role = _role(viewer)
    if role in STAFF_ROLES:
        return True
    if role is not None and story.contributor_id == viewer.id and story.status != Status.withdrawn:
        return True
    if story.status != Status.published:
        return False
    if story.visibility == Visibility.public:
        return True
    return story.visibility == Visibility.researchers and role in RESEARCH_ROLES


def visible_clause(viewer):
    """SQL condition on `Story` equivalent to `may_view`."""
    role = _role(viewer)
    if role in STAFF_ROLES:
        return true()
    published = Story.status == Status.published.value
    allowed = [Visibility.public.value]
    if role in RESEARCH_ROLES:
        allowed.append(Visibility.researchers.value)
    clause = and_(published, Story.visibility.in_(allowed))
    if role is not None:
        own = and_(Story.contributor_id == viewer.id, Story.status != Status.withdrawn.value)
        clause = or_(clause, own)
    return clause


def is_public_clause():
    """Only what anonymous visitors may see: for harvests, feeds, sitemaps, bundles."""
    return and_(Story.status == Status.published.value, Story.visibility == Visibility.public.value)


def access_tokens(story: Story) -> list[str]:
    """Tokens stored with a story's index document; see module docstring."""
    tokens = ["staff"]
    if story.status == Status.published:
        if story.visibility == Visibility.public:
            tokens += ["public", "research"]
        elif story.visibility == Visibility.researchers:
            tokens.append("research")
    if story.contributor_id is not None and story.status != Status.withdrawn:
        tokens.append(f"owner:{story.contributor_id}")
    return tokens


def viewer_tokens(viewer) -> list[str]:
    role = _role(viewer)
    if role in STAFF_ROLES:
        return ["staff"]
    tokens = ["research" if role in RESEARCH_ROLES else "public"]
    if role is not None:
        tokens.append(f"owner:{viewer.id}")
    return tokens


def nothing_clause():
    return false()
