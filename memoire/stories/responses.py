"""A story that answers another public story ("Je me souviens aussi").

A response is a story in its own right (drafted through the contribution wizard,
moderated, with its own visibility, consent, places and erasure); it only carries a
link (`Story.answers_id`) and optionally a moment of the answered story's recording
(`Story.answers_at`, seconds). The link is made only while the answered story is
public and published. Both sides are read only through the visibility rule:
a thread lists public responses only, and a response names what it answers only
when the viewer may see that story. Erasing either side leaves the other (the
foreign key is ON DELETE SET NULL).
"""

from __future__ import annotations

import math
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from memoire.audit import operations as audit
from memoire.core.errors import NotFound, ValidationError
from memoire.extensions import db
from memoire.stories.models import Story
from memoire.stories.visibility import is_public_clause, may_view

_MOMENT = re.compile(r"^(?:(\d{1,3}):)?(\d{1,5})(?:[.,](\d+))?$")
_MOMENT_MS = re.compile(r"^(\d{1,3})\s*(?:min|m|')\s*(\d{1,2})?\s*(?:s|\"|sec)?$", re.IGNORECASE)


def parse_moment(text: str | None) -> float | None:
    """A moment of a recording as typed: "83", "1:23" or "1 min 23"; empty means none."""
    value = (text or "").strip()
    if not value:
        return None
    match = _MOMENT.match(value)
    if match:
        minutes, seconds, fraction = match.groups()
        if minutes is not None and int(seconds) >= 60:
            match = None
        else:
            total = int(minutes or 0) * 60 + int(seconds)
            return float(f"{total}.{fraction}") if fraction else float(total)
    spoken = _MOMENT_MS.match(value)
    if spoken:
        return float(int(spoken.group(1)) * 60 + int(spoken.group(2) or 0))
    raise ValidationError(
        _l("Give the moment as minutes and seconds, for example 1:23."), field="answers_at"
    )


def answerable_story(story_ref) -> Story:
    """The story a response may answer, by archive id or external id (an import names the
    stories of its own file by theirs): public and published, else the usual NotFound
    (the same one as for a story that does not exist, so an id reveals nothing)."""
    from memoire.stories.operations import lookup_story

    story = None if isinstance(story_ref, bool) else lookup_story(story_ref)
    if story is None or not story.is_public:
        raise NotFound(_l("This story does not exist, or is not public."))
    return story


def link_response(actor, response: Story, answered: Story, at: float | None = None) -> Story:
    """Make `response` (the actor's own draft) answer `answered`, optionally at a moment."""
    if answered.id == response.id or not answered.is_public:
        raise NotFound(_l("This story does not exist, or is not public."))
    recordings = [m for m in answered.media if m.kind == "audio"]
    if not recordings:
        at = None  # a moment only means something in a recording
    if at is not None:
        duration = max((m.duration or 0 for m in recordings), default=0)
        if not math.isfinite(at) or at < 0 or (duration and at > duration):
            raise ValidationError(_l("This moment is not in the recording."), field="answers_at")
    response.answers_id = answered.id
    response.answers_at = at
    db.session.flush()
    audit.record(actor, "story.answer", "story", response.id, answers=answered.id)
    return response


def answer(actor, response: Story, answered_ref, at=None) -> Story:
    """Make `response` answer the story `answered_ref` names, at an optional moment given
    as seconds or as typed ("1:23"): the one rule the wizard, the API and the import share
    (only a public, published story can be answered; the moment must be in its recording)."""
    if isinstance(at, bool):
        raise ValidationError(
            _l("Give the moment as minutes and seconds, for example 1:23."), field="answers_at"
        )
    if at is not None and not isinstance(at, int | float):
        at = parse_moment(str(at))
    return link_response(actor, response, answerable_story(answered_ref), at)


def _public_responses(story_id: int):
    return select(Story).where(Story.answers_id == story_id, is_public_clause())


def responses_to(story: Story, limit: int = 50) -> list[Story]:
    """The public responses to `story`, oldest first: the thread under it."""
    query = _public_responses(story.id).order_by(Story.published_at, Story.id).limit(limit)
    return list(db.session.scalars(query))


def response_count(story: Story) -> int:
    """How many public responses `story` has (nothing else is ever counted)."""
    query = select(func.count()).select_from(_public_responses(story.id).subquery())
    return db.session.scalar(query) or 0


def answered_story(viewer, response: Story) -> Story | None:
    """What `response` answers, if the viewer may see it; else nothing at all."""
    if response.answers_id is None:
        return None
    answered = db.session.get(Story, response.answers_id)
    if answered is None or not may_view(viewer, answered):
        return None
    return answered
