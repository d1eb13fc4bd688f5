"""Walk operations: curators and mediators build ordered walks of stories; they flush, never commit.

A walk is a curated set like an exhibition, so it obeys the exhibitions' rule
(`exhibitions.operations.refusal`: published, public, consent allowing exhibition
use), checked when a stop is added *and* on every read (`visible_stops`): a story
whose consent changes drops out of every published form at once. A stop also needs
a place: the story's PUBLIC, coarsened point (`places.geo.public_point`), the only
point a walk ever shows. The route is the line through the shown stops in order.
"""

from __future__ import annotations

import math

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from memoire.accounts.models import Role
from memoire.audit import operations as audit
from memoire.core import ordering
from memoire.core.concurrency import lock_key
from memoire.core.db import utcnow
from memoire.core.errors import Forbidden, NotFound, ValidationError
from memoire.exhibitions.operations import (
    DRAFT,
    PUBLISHED,
    RESERVED_SLUGS,
    SLUG_MAX,
    SLUG_PATTERN,
    TITLE_MAX,
    Excerpt,  # noqa: F401  (the stop's moment, as for exhibition items)
    _apply_item,
    _check_excerpt,
    check_exhibitable,
    refusal,
    slugify,
)
from memoire.extensions import db
from memoire.places.geo import public_point
from memoire.stories.models import Story
from memoire.stories.operations import lookup_story
from memoire.walks.models import Walk, WalkStop

WALK_ROLES = frozenset({Role.curator, Role.mediator, Role.admin})
#: Walking pace used for the time shown (km/h).
WALKING_SPEED_KMH = 4.5
EARTH_RADIUS_M = 6_371_000.0


def may_build(actor) -> bool:
    """Curators, mediators and administrators build walks."""
    return (
        bool(getattr(actor, "is_authenticated", False))
        and getattr(actor, "role", None) in WALK_ROLES
    )


def _require_builder(actor) -> None:
    # `None` is the system itself: the command line and the demo loader.
    if actor is not None and not may_build(actor):
        raise Forbidden(_l("Only curators and mediators can build walks."))


# --------------------------------------------------------------------------- the rule


def stop_refusal(actor, story: Story | None, ref: object = None):
    """Why `story` may not be a stop (the exhibition rule, then a public point), or None."""
    reason = refusal(actor, story, ref)
    if reason is None and public_point(story) is None:
        shown = ref if ref is not None else story.id
        reason = _l("Story %(ref)s has no place on the map.", ref=shown)
    return reason


def is_walkable(story: Story) -> bool:
    return stop_refusal(None, story) is None


def _check_walkable(actor, story: Story | None, ref: object = None) -> Story:
    check_exhibitable(actor, story, ref)  # the exhibitions' message and code
    reason = stop_refusal(actor, story, ref)
    if reason is not None:
        raise ValidationError(reason, code="no_place", field="story")
    return story


# --------------------------------------------------------------------------- walks


def _validate(title: str, slug: str, walk: Walk | None) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_l("A walk needs a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            _l("The title is too long (%(n)s characters at most).", n=TITLE_MAX), field="title"
        )
    slug = (slug or "").strip() or slugify(title)
    if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX:
        raise ValidationError(
            _l(
                "The short name may hold only lower-case letters, digits and dashes (%(slug)s).",
                slug=slug,
            ),
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _l("The short name %(slug)s is reserved; choose another.", slug=slug), field="slug"
        )
    lock_key("walk", slug)
    taken = db.session.scalar(select(Walk.id).where(Walk.slug == slug))
    if taken is not None and (walk is None or taken != walk.id):
        raise ValidationError(
            _l("Another walk already uses the short name %(slug)s.", slug=slug), field="slug"
        )
    return title, slug


def create_walk(actor, title: str, *, slug: str = "", introduction: str = "") -> Walk:
    _require_builder(actor)
    title, slug = _validate(title, slug, None)
    walk = Walk(
        title=title,
        slug=slug,
        introduction=(introduction or "").strip(),
        status=DRAFT,
        created_by_id=getattr(actor, "id", None),
        stops=[],
    )
    db.session.add(walk)
    db.session.flush()
    audit.record(actor, "walk.create", "walk", walk.id, slug=slug)
    return walk


def update_walk(actor, walk: Walk, title: str, *, slug: str = "", introduction: str = "") -> Walk:
    _require_builder(actor)
    walk.title, walk.slug = _validate(title, slug or walk.slug, walk)
    walk.introduction = (introduction or "").strip()
    db.session.flush()
    audit.record(actor, "walk.update", "walk", walk.id, slug=walk.slug)
    return walk


def delete_walk(actor, walk: Walk) -> None:
    _require_builder(actor)
    walk_id = walk.id
    db.session.delete(walk)
    db.session.flush()
    audit.record(actor, "walk.delete", "walk", walk_id)


def set_status(actor, walk: Walk, status: str) -> Walk:
    _require_builder(actor)
    if status not in (DRAFT, PUBLISHED):
        raise ValidationError(
            _l("Unknown status %(s)s (draft, published).", s=status), field="status"
        )
    walk.status = status
    if status == PUBLISHED and walk.published_at is None:
        walk.published_at = utcnow()
    db.session.flush()
    audit.record(actor, f"walk.{status}", "walk", walk.id)
    return walk


# --------------------------------------------------------------------------- stops


def add_stop(
    actor, walk: Walk, story: Story | str | int, *, text: str = "", excerpt: Excerpt | None = None
) -> WalkStop:
    """Append a stop; refuse a story that may not be exhibited or has no public point."""
    _require_builder(actor)
    if not isinstance(story, Story):
        ref = str(story).strip()
        story = _check_walkable(actor, lookup_story(ref), ref)
    else:
        _check_walkable(actor, story)
    excerpt = excerpt or Excerpt()
    _check_excerpt(story, excerpt)
    stop = WalkStop(story=story, story_id=story.id, position=len(walk.stops))
    _apply_item(stop, text, excerpt)
    walk.stops.append(stop)
    db.session.flush()
    audit.record(actor, "walk.add_stop", "walk", walk.id, story_id=story.id)
    return stop


def update_stop(actor, stop: WalkStop, *, text: str, excerpt: Excerpt) -> WalkStop:
    _require_builder(actor)
    _check_walkable(actor, stop.story)
    _check_excerpt(stop.story, excerpt)
    _apply_item(stop, text, excerpt)
    db.session.flush()
    audit.record(actor, "walk.update_stop", "walk", stop.walk_id, stop_id=stop.id)
    return stop


def remove_stop(actor, stop: WalkStop) -> None:
    _require_builder(actor)
    walk = stop.walk
    walk.stops.remove(stop)
    ordering.renumber(walk.stops, list(walk.stops))
    db.session.flush()
    audit.record(actor, "walk.remove_stop", "walk", walk.id, story_id=stop.story_id)


def move_stop(actor, stop: WalkStop, offset: int) -> None:
    """Move a stop `offset` places (-1 earlier, +1 later); the ends stay where they are."""
    _require_builder(actor)
    ordering.move(stop.walk.stops, stop, offset)
    db.session.flush()


def reorder_stops(actor, walk: Walk, stop_ids: list[int]) -> None:
    """Put the stops in the order given; the list must name each stop once."""
    _require_builder(actor)
    ordering.reorder(walk.stops, stop_ids, _l("The new order must list every stop exactly once."))
    db.session.flush()
    audit.record(actor, "walk.reorder", "walk", walk.id)


# --------------------------------------------------------------------------- reading


def get_walk(slug: str) -> Walk:
    walk = db.session.scalar(select(Walk).where(Walk.slug == slug))
    if walk is None:
        raise NotFound(_l("This walk does not exist, or is not published."))
    return walk


def get_published_walk(slug: str) -> Walk:
    walk = db.session.scalar(select(Walk).where(Walk.slug == slug, Walk.status == PUBLISHED))
    if walk is None:
        raise NotFound(_l("This walk does not exist, or is not published."))
    return walk


def published_walks() -> list[Walk]:
    statement = select(Walk).where(Walk.status == PUBLISHED)
    return list(db.session.scalars(statement.order_by(Walk.published_at.desc(), Walk.id.desc())))


def all_walks() -> list[Walk]:
    return list(db.session.scalars(select(Walk).order_by(Walk.updated_at.desc())))


def visible_stops(walk: Walk) -> list[WalkStop]:
    """The stops every published form shows: the rule is applied now, on each read."""
    return [stop for stop in walk.stops if is_walkable(stop.story)]


def hidden_stops(walk: Walk) -> list[tuple[int, WalkStop, str]]:
    """Stops kept but not shown, with their 1-based position and the reason, for the editor."""
    return [
        (number, stop, reason)
        for number, stop in enumerate(walk.stops, start=1)
        if (reason := stop_refusal(None, stop.story)) is not None
    ]


def route(stops: list[WalkStop]) -> list[tuple[float, float]]:
    """The line through the stops in order: each story's public point as (lat, lon)."""
    return [public_point(stop.story) for stop in stops]


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def length_m(points: list[tuple[float, float]]) -> float:
    return sum(haversine_m(a, b) for a, b in zip(points, points[1:], strict=False))


def walking_minutes(metres: float) -> int:
    return round(metres / (WALKING_SPEED_KMH * 1000 / 60))
