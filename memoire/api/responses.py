"""API resources: "Je me souviens aussi", a contribution answering a public story, and
the thread of public responses under a story.

The same operations as the web wizard's: `contributions.start_response` makes the
draft and links it through `stories.responses` (only a public, published story can be
answered: any other answers 404 as a missing one, whoever asks); the rest of the body
is a story as `POST /stories` takes it, and the response is then moderated, with its own
visibility and consent, like any contribution.
"""

from __future__ import annotations

from dataclasses import replace

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from memoire.api import auth
from memoire.api.common import conditional, json_response
from memoire.api.openapi import WRITE_ERRORS, documented, reply
from memoire.api.schemas import (
    Int,
    Many,
    Num,
    StoryInputSchema,
    StorySchema,
    Str,
    Uri,
    story_changes,
)
from memoire.api.stories import _check_external_id, _created, _json_body
from memoire.api.views import bp
from memoire.contributions import operations as contributions
from memoire.core.errors import ValidationError
from memoire.core.schemas import Answer, nullable
from memoire.stories import operations as story_ops
from memoire.stories import responses
from memoire.stories.models import Status
from memoire.stories.queries import get_visible_story


class ResponseInputSchema(StoryInputSchema):
    """A new story answering another: a story as `POST /stories` takes it, and a moment."""

    at = fields.Raw(
        allow_none=True,
        metadata={
            "description": 'The moment of the answered story\'s recording, in seconds or as "1:23".',
            "anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
        },
    )


@bp.post("/stories/<story_id>/responses")
@documented(
    "contributions",
    operation_id="answerStory",
    summary="Answer a public story with a memory of one's own",
    description="The same operation as the web form's \"I remember too\", in the token's user's "
    "name: a draft (or `submitted`) story linked to the public story it answers, optionally at "
    "a moment of its recording. Only a public, published story can be answered (404 otherwise).",
    responses={201: reply("The response as created (a draft, or submitted).", StorySchema)},
    errors=WRITE_ERRORS,
    parameters=["story_id"],
    body=ResponseInputSchema,
    write=True,
)
def answer_story(story_id: str):
    """A contribution answering a public story."""
    user = auth.require_token_user()
    answered = responses.answerable_story(story_id)
    body = _json_body()
    status = body.get("status", Status.draft.value)
    story_ops.check_start(status)
    changes = story_changes(body, allowed_extra=("status", "at"))
    if not str(changes.get("title") or "").strip():
        raise ValidationError(_l("A story needs a title."), field="title")
    at = body.get("at")
    if isinstance(at, bool) or (at is not None and not isinstance(at, int | float | str)):
        raise ValidationError(
            _l("Give the moment as minutes and seconds, for example 1:23."), field="at"
        )
    if isinstance(at, str):
        at = responses.parse_moment(at)
    story = contributions.start_response(user, answered, title=changes["title"], at=at)
    data = replace(contributions.story_input(story), **changes)
    _check_external_id(data.external_id, story)
    story_ops.update_story(user, story, data)
    if status == Status.submitted:
        contributions.submit_contribution(user, story)
    return _created(user, story)


class ThreadStorySchema(Answer):
    id = Int()
    title = Str()
    url = Uri()
    api = Uri()


class ThreadResponseSchema(ThreadStorySchema):
    """A public response; `at` is the moment of the answered story's recording it answers."""

    language = Str()
    summary = Str()
    at = nullable(Num())
    published_at = nullable(Str(metadata={"format": "date-time"}))


class ThreadSchema(Answer):
    """The public responses to a story, oldest first (none unless the story is public)."""

    story = fields.Nested(ThreadStorySchema)
    count = Int()
    responses = Many(ThreadResponseSchema)


def _ref(story) -> dict:
    return {
        "id": story.id,
        "title": story.title,
        "url": url_for("stories.show", story_id=story.id, _external=True),
        "api": url_for("api.story", story_id=story.id, _external=True),
    }


@bp.get("/stories/<story_id>/responses")
@documented(
    "stories",
    operation_id="listStoryResponses",
    summary="The thread of public responses to a story",
    responses={200: reply("Oldest first; only public, published responses.", ThreadSchema)},
    errors=(304, 400, 401, 404, 429),
    parameters=["story_id"],
)
def story_responses(story_id: str):
    """The public responses to a story the caller may see (404 otherwise, as for the story)."""
    story = get_visible_story(auth.current_api_user(), story_id)
    # A thread only exists under a public story: the same rule as the story page's.
    thread = responses.responses_to(story) if story.is_public else []
    count = responses.response_count(story) if story.is_public else 0
    items = [
        {
            **_ref(response),
            "language": response.language,
            "summary": response.summary or "",
            "at": response.answers_at,
            "published_at": response.published_at.isoformat() + "Z"
            if response.published_at
            else None,
        }
        for response in thread
    ]
    return conditional(json_response({"story": _ref(story), "count": count, "responses": items}))
