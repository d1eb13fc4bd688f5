"""Announce a change of a story to its contributor: a job, written in the same transaction.

The e-mail is never sent in the request: the job exists only if the change commits, and the
worker writes the message in the contributor's language (`memoire.notifications.jobs`).
"""

from __future__ import annotations

from flask import has_request_context

from memoire.jobs import operations as jobs
from memoire.stories.models import Story

#: What a contributor is told about.
EVENTS = ("published", "sent_back", "withdrawn")
JOB_KIND = "mail.story_news"
#: What the resident who proposed a transcript correction is told about.
CORRECTION_EVENTS = ("accepted", "refused")
CORRECTION_JOB_KIND = "mail.correction_news"


def announce(story: Story, event: str, *, reason: str | None = None):
    """Queue an e-mail to the story's contributor, unless they said no; return the job or None."""
    if event not in EVENTS:
        raise ValueError(f"unknown story event {event!r}")
    user = story.contributor
    if user is None or not user.email or not user.story_news or not user.is_active_account:
        return None
    base_url = None
    if has_request_context():
        from memoire.config import public_base_url

        base_url = public_base_url()
    return jobs.enqueue(
        JOB_KIND, user_id=user.id, story_id=story.id, title=story.title, event=event,
        reason=(reason or "").strip() or None, base_url=base_url,
    )


def _wants_news(user) -> bool:
    return user is not None and bool(user.email) and user.story_news and user.is_active_account


def _base_url() -> str | None:
    if not has_request_context():
        return None
    from memoire.config import public_base_url

    return public_base_url()


def announce_correction(proposal, event: str):
    """Queue an e-mail to the resident who proposed `proposal`, now decided, unless they said
    no; return the job or None. Only ids go in the job: the worker reads the story then, and
    names it only if the resident may still see it."""
    if event not in CORRECTION_EVENTS:
        raise ValueError(f"unknown correction event {event!r}")
    if not _wants_news(proposal.author):
        return None
    return jobs.enqueue(
        CORRECTION_JOB_KIND, user_id=proposal.author_id, proposal_id=proposal.id, event=event,
        base_url=_base_url(),
    )


def set_story_news(user, wanted: bool) -> None:
    """The account's choice about e-mails on its own stories."""
    user.story_news = bool(wanted)
