"""Moderation checks: what must hold before a story is made public."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from memoire.contributions.operations import check_consent_covers_visibility, consent_input
from memoire.core.errors import ValidationError
from memoire.stories.models import Status, Story

#: Statuses a moderator may publish from: never a withdrawn story, never a draft.
PUBLISHABLE = frozenset({Status.submitted.value, Status.rejected.value})
#: Statuses a moderator may send back from (a published story can be taken down this way).
RETURNABLE = frozenset({Status.submitted.value, Status.published.value})


def check_publishable(story: Story) -> None:
    """Refuse to publish what its narrator did not agree to, or what is not up for review."""
    if story.status not in PUBLISHABLE:
        raise ValidationError(
            _l("Only a story sent to the moderators can be published."), field="status"
        )
    consent = consent_input(story.consent)
    if consent is None:
        raise ValidationError(
            _l("No consent is recorded for this story: it cannot be published."), field="consent"
        )
    check_consent_covers_visibility(story.visibility, consent)


def check_returnable(story: Story) -> None:
    if story.status not in RETURNABLE:
        raise ValidationError(
            _l("Only a story with the moderators or published can be sent back."), field="status"
        )
