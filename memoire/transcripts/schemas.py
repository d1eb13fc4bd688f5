"""Shapes of the transcript workbench's API: what a route takes and answers (see docs/api-schemas.md)."""

from __future__ import annotations

from marshmallow import fields

from memoire.core.schemas import Answer, Closed, enum_of, nullable
from memoire.transcripts.parsers import FORMATS


class TranscriptUploadSchema(Closed):
    file = fields.String(required=True, metadata={
        "contentMediaType": "application/octet-stream",
        "description": "WebVTT, SRT, SBV, OHMS XML, DOCX or text with [hh:mm:ss] stamps.",
    })
    language = fields.String(metadata={"description": "Language of the text (default: the story's)."})


class TranscriptStateSchema(Answer):
    id = fields.Integer(required=True)
    story_id = fields.Integer(required=True)
    media_id = nullable(fields.Integer(required=True))
    language = fields.String(required=True)
    source_format = fields.String(required=True, metadata=enum_of(list(FORMATS)))
    version = fields.Integer(required=True, metadata={
        "description": "Send it back as `version` when changing segments: a change to segments "
                       "someone else saved since is refused (409)."})
    segments = fields.Integer(required=True, metadata={"description": "How many segments."})
    chapters = fields.Integer(required=True, metadata={"description": "How many chapters."})


class SegmentChangeSchema(Closed):
    text = fields.String()
    speaker = nullable(fields.String())
    start = nullable(fields.Raw(metadata={"description": "Seconds, or a clock such as 1:15.5.",
                                          "type": ["number", "string"]}))
    end = nullable(fields.Raw(metadata={"description": "Seconds, or a clock such as 1:15.5.",
                                        "type": ["number", "string"]}))
    place_id = nullable(fields.Integer())


class SegmentChangesSchema(Closed):
    version = fields.Integer(required=True)
    segments = fields.Dict(keys=fields.String(), values=fields.Nested(SegmentChangeSchema),
                           required=True, metadata={"description": "By segment id."})
