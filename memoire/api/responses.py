"""API resource: "Je me souviens aussi", a contribution answering a public story.

The same operations as the web wizard's: `contributions.start_response` makes the
draft and links it through `stories.responses` (only a public, published story can be
answered: any other answers 404 as a missing one, whoever asks); the rest of the body
is a story as `POST /stories` takes it, and the response is then moderated, with its own
visibility and consent, like any contribution.
"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from marshmallow import fields

from memoire.api import auth
from memoire.api.openapi import WRITE_ERRORS, documented, reply
from memoire.api.schemas import StoryInputSchema, StorySchema, story_changes
from memoire.api.stories import _check_external_id, _created, _json_body
from memoire.api.views import bp
from memoire.contributions import operations as contributions
from memoire.core.errors import ValidationError
from memoire.stories import operations as story_ops
from memoire.stories import responses
from memoire.stories.models import Status


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
