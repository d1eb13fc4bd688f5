"""Then-and-now operations: pair an archive photo with a photo of the same view today.

The rule, in one place for every door (web form, JSON API, demo loader):

- the "then" photo is a photo of a PUBLIC, published story (a resident pairs with what
  anyone may see; anything else answers the usual NotFound, so an id reveals nothing);
- the "now" photo is a photo of a story the actor contributed (or any story, for staff,
  mediators and curators): a resident's new photo goes through the contribution steps
  and moderation like any photo, and the pair waits for it;
- the pair is tied to a place (the view), which both stories' location precision must
  allow the public to see (a "quartier" story does not name a street through its pair);
- a pair is SHOWN only while both stories are public and published, checked on every
  read (`is_shown`, `shown_clause`): withdraw, hide or erase either side and the pair is
  hidden everywhere at once, the other side untouched. Nothing of a hidden side is ever
  described, not even that a pair exists.

Operations flush, never commit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from memoire.accounts.models import Role
from memoire.audit import operations as audit
from memoire.core.db import parse_id
from memoire.core.errors import Conflict, Forbidden, NotFound, ValidationError
from memoire.extensions import db
from memoire.media.models import Media, MediaKind
from memoire.places.geo import PUBLIC_PLACE_TYPES, main_place
from memoire.places.models import Place
from memoire.stories.models import Precision, Status, Story, Visibility
from memoire.then_now.models import ThenNowPair

#: Who may pair any story's photo as the "now" side (others: only their own stories').
PAIR_ROLES = frozenset({Role.moderator, Role.admin, Role.curator, Role.mediator})
CAPTION_MAX = 500
#: Coarsest last: the pair's place must be allowed by the coarser of its two stories.
_COARSENESS = [Precision.exact.value, Precision.street.value, Precision.quartier.value]

_NO_PHOTO = _l("This photo does not exist, or is not public.")


def _role(actor):
    return getattr(actor, "role", None) if getattr(actor, "is_authenticated", False) else None


def _photo(ref, field: str) -> Media:
    media_id = None if isinstance(ref, bool) else parse_id(ref)
    media = db.session.get(Media, media_id) if media_id is not None else None
    if media is None:
        raise NotFound(_NO_PHOTO, field=field)
    return media


def then_photo(ref) -> Media:
    """The archive photo of a pair: an image of a public, published story, else NotFound."""
    media = _photo(ref, "then")
    if media.kind != MediaKind.image or not media.story.is_public:
        raise NotFound(_NO_PHOTO, field="then")
    return media


def now_photo(actor, ref) -> Media:
    """The photo of today: an image of the actor's own story (any story for PAIR_ROLES)."""
    media = _photo(ref, "now")
    story = media.story
    own = (
        actor is None
        or _role(actor) in PAIR_ROLES
        or (
            _role(actor) is not None
            and story.contributor_id == actor.id
            and story.status != Status.withdrawn
        )
    )
    if not own:
        # Somebody else's photo: the same answer as a missing one unless it is public.
        if story.is_public:
            raise Forbidden(
                _l("You can only pair a photo of one of your own stories."), field="now"
            )
        raise NotFound(_NO_PHOTO, field="now")
    if media.kind != MediaKind.image:
        raise ValidationError(_l("Only a photo can be paired."), field="now")
    return media


def coarser_precision(*stories: Story) -> str:
    levels = [s.precision or Precision.exact.value for s in stories]
    return max(levels, key=lambda p: _COARSENESS.index(p) if p in _COARSENESS else 2)


def place_allowed(place: Place | None, *stories: Story) -> bool:
    """May the public see `place` named with these stories (their location precision)?"""
    if place is None:
        return False
    return place.type in PUBLIC_PLACE_TYPES.get(coarser_precision(*stories), set())


def place_choices(*stories: Story) -> list[Place]:
    """The places a pair of these stories may be tied to: the stories' own places and the
    quartier and commune around them (widening a view is always allowed)."""
    choices: list[Place] = []
    for story in stories:
        for place in story.places:
            for candidate in [place, *place.ancestors]:
                if candidate not in choices:
                    choices.append(candidate)
    return choices


def _place(ref) -> Place | None:
    """The place a pair is asked to show: a Place, an id (from a form or a JSON body), or
    nothing (the stories' main place); an id that names no place is refused, whatever the door."""
    if ref is None or isinstance(ref, Place) or ref == "":
        return ref or None
    place_id = None if isinstance(ref, bool) else parse_id(ref)
    place = db.session.get(Place, place_id) if place_id is not None else None
    if place is None:
        raise NotFound(_l("This place does not exist."), field="place")
    return place


def pair_photos(
    actor, then_ref, now_ref, *, place: Place | int | str | None = None, caption: str = ""
) -> ThenNowPair:
    """Pair an archive photo (`then_ref`) with a photo of the same view today (`now_ref`)."""
    if actor is not None and _role(actor) is None:
        raise Forbidden(_l("Log in to pair photos."))
    place = _place(place)
    then = then_photo(then_ref)
    now = now_photo(actor, now_ref)
    if then.id == now.id:
        raise ValidationError(_l("Choose two different photos."), field="now")
    caption = (caption or "").strip()
    if len(caption) > CAPTION_MAX:
        raise ValidationError(
            _l("The caption is too long (%(n)s characters at most).", n=CAPTION_MAX),
            field="caption",
        )
    place = place or main_place(then.story) or main_place(now.story)
    if place is None:
        raise ValidationError(_l("Say which place the two photos show."), field="place")
    if place not in place_choices(then.story, now.story):
        # Any other place might be known only from a story the actor may not see.
        raise ValidationError(
            _l("Choose a place of the archive photo's story, or its quartier or commune."),
            field="place",
        )
    if not place_allowed(place, then.story, now.story):
        raise ValidationError(
            _l(
                "This place is more precise than the stories allow; choose their quartier or commune."
            ),
            field="place",
        )
    taken = db.session.scalar(
        select(ThenNowPair.id).where(
            ThenNowPair.then_media_id == then.id, ThenNowPair.now_media_id == now.id
        )
    )
    if taken is not None:
        raise Conflict(_l("These two photos are already paired."), field="now")
    pair = ThenNowPair(
        then_media_id=then.id,
        now_media_id=now.id,
        place_id=place.id,
        caption=caption,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(pair)
    db.session.flush()
    audit.record(actor, "then_now.pair", "then_now_pair", pair.id, then=then.id, now=now.id)
    return pair


def may_unpair(actor, pair: ThenNowPair) -> bool:
    """Whoever made the pair, or staff (and the system, `None`)."""
    role = _role(actor)
    if actor is None or role in {Role.moderator, Role.admin}:
        return True
    return role is not None and pair.created_by_id == actor.id


def get_pair_to_undo(actor, ref) -> ThenNowPair:
    """The pair `actor` asks to undo: a pair that is not shown answers as a missing one unless
    the actor may undo it (its maker, staff), so that an id reveals nothing hidden."""
    pair_id = None if isinstance(ref, bool) else parse_id(ref)
    pair = db.session.get(ThenNowPair, pair_id) if pair_id is not None else None
    if pair is None or not (is_shown(pair) or may_unpair(actor, pair)):
        raise NotFound(_l("This pair of photos does not exist, or is not public."))
    return pair


def unpair(actor, pair: ThenNowPair) -> None:
    """Whoever made the pair, or staff, may undo it (both photos stay)."""
    if not may_unpair(actor, pair):
        raise Forbidden(_l("Only whoever made this pair, or a moderator, can undo it."))
    pair_id = pair.id
    db.session.delete(pair)
    db.session.flush()
    audit.record(actor, "then_now.unpair", "then_now_pair", pair_id)


# --------------------------------------------------------------------------- reading: the rule


def is_shown(pair: ThenNowPair) -> bool:
    """Both sides public, published photos: else the pair does not exist for anybody."""
    sides = (pair.then_media, pair.now_media)
    return all(m is not None and m.kind == MediaKind.image and m.story.is_public for m in sides)


def shown_clause():
    """`is_shown` in SQL, on ThenNowPair: each photo an image of a public, published story.

    Correlated on the pair's row (a lookup by key per pair): written as `id IN (SELECT ...)`
    from the stories' side, SQLite walked every public story to find the few pairs (11 ms
    on each story page at 20,000 stories, with no pair at all)."""

    def public_photo(media_id):
        media, story = aliased(Media), aliased(Story)
        return (
            select(media.id)
            .join(story, story.id == media.story_id)
            .where(
                media.id == media_id,
                media.kind == MediaKind.image.value,
                story.status == Status.published.value,
                story.visibility == Visibility.public.value,
            )
            .exists()
        )

    return and_(public_photo(ThenNowPair.then_media_id), public_photo(ThenNowPair.now_media_id))


def shown_pairs(limit: int = 500) -> list[ThenNowPair]:
    """Every pair shown now, newest first."""
    query = (
        select(ThenNowPair)
        .where(shown_clause())
        .order_by(ThenNowPair.created_at.desc(), ThenNowPair.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def pairs_of_story(story: Story) -> list[ThenNowPair]:
    """The shown pairs one of whose photos belongs to `story` (for its page)."""
    if not story.is_public:
        return []
    media_ids = select(Media.id).where(Media.story_id == story.id)
    query = (
        select(ThenNowPair)
        .where(
            or_(ThenNowPair.then_media_id.in_(media_ids), ThenNowPair.now_media_id.in_(media_ids)),
            shown_clause(),
        )
        .order_by(ThenNowPair.id)
    )
    return list(db.session.scalars(query))


def get_shown_pair(ref) -> ThenNowPair:
    pair_id = parse_id(ref)
    pair = db.session.get(ThenNowPair, pair_id) if pair_id is not None else None
    if pair is None or not is_shown(pair):
        raise NotFound(_l("This pair of photos does not exist, or is not public."))
    return pair


def shown_place(pair: ThenNowPair) -> Place | None:
    """The pair's place if the stories' precision (now) lets the public see it."""
    if pair.place is None:
        return None
    return (
        pair.place
        if place_allowed(pair.place, pair.then_media.story, pair.now_media.story)
        else None
    )
