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


def set_story_news(user, wanted: bool) -> None:
    """The account's choice about e-mails on its own stories."""
    user.story_news = bool(wanted)
