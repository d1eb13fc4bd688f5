"""API doors of the transcript workbench: attach a file to a recording, change segments.

The same operations as the web editor, with the token's user as the actor."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from memoire.api import auth
from memoire.api.common import json_response
from memoire.api.openapi import WRITE_ERRORS, documented, reply
from memoire.api.views import bp
from memoire.core.db import parse_id
from memoire.core.errors import NotFound, ValidationError
from memoire.core.schemas import load
from memoire.extensions import db
from memoire.media.models import Media, MediaKind
from memoire.stories.queries import get_visible_story
from memoire.transcripts import operations as ops
from memoire.transcripts.schemas import (
    SegmentChangesSchema,
    TranscriptStateSchema,
    TranscriptUploadSchema,
)


def _state(transcript) -> dict:
    return {
        "id": transcript.id, "story_id": transcript.story_id, "media_id": transcript.media_id,
        "language": transcript.language, "source_format": transcript.source_format,
        "version": transcript.version, "segments": len(transcript.segments),
        "chapters": len(transcript.chapters),
    }


@bp.put("/stories/<story_id>/recordings/<media_id>/transcript")
@documented(
    "transcripts",
    operation_id="attachTranscript",
    summary="Attach a transcript to a recording",
    responses={200: reply("The transcript, as a new revision.", TranscriptStateSchema)},
    errors=(*WRITE_ERRORS, 413),
    parameters=["story_id", {"name": "media_id", "in": "path", "required": True,
                             "schema": {"type": "integer"}, "description": "The recording."}],
    body={"multipart/form-data": TranscriptUploadSchema},
    write=True,
)
def attach_transcript(story_id: str, media_id: str):
    """Attach a transcript file (multipart field `file`); a bad file changes nothing and the
    error names its line."""
    user = auth.require_token_user()
    story = get_visible_story(user, story_id)
    media = db.session.get(Media, parse_id(media_id) or 0)
    if media is None or media.story_id != story.id or media.kind != MediaKind.audio:
        raise NotFound(_l("This file does not exist."))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(_l("Send the file in a multipart field named file."), field="file")
    language = (request.form.get("language") or "").strip()[:10] or None
    transcript = ops.attach_transcript(
        user, story, upload.read(), filename=upload.filename, media=media, language=language
    )
    db.session.commit()
    return json_response(_state(transcript))


@bp.patch("/stories/<story_id>/transcripts/<transcript_id>/segments")
@documented(
    "transcripts",
    operation_id="changeSegments",
    summary="Change segments of a transcript",
    responses={200: reply("The transcript after the change.", TranscriptStateSchema)},
    errors=WRITE_ERRORS,
    parameters=["story_id", {"name": "transcript_id", "in": "path", "required": True,
                             "schema": {"type": "integer"}, "description": "The transcript."}],
    body=SegmentChangesSchema,
    write=True,
)
def change_segments(story_id: str, transcript_id: str):
    """Change segments' text, speaker, times or place, against the `version` read (409 when
    someone changed the same segments since)."""
    user = auth.require_token_user()
    story = get_visible_story(user, story_id)
    transcript = ops.transcript_for(user, story.id, parse_id(transcript_id) or 0)
    data = load(SegmentChangesSchema(), request.get_json(silent=True))
    edits = {}
    for key, fields in data["segments"].items():
        segment_id = parse_id(key)
        if segment_id is None:
            raise ValidationError(_l("Segments are named by their id."), field="segments")
        edits[segment_id] = fields
    ops.edit_segments(user, transcript, edits, base_version=data["version"])
    db.session.commit()
    return json_response(_state(transcript))
