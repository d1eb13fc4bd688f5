"""Shapes of the transcript workbench's API: what a route takes and answers (see docs/api-schemas.md)."""

from __future__ import annotations

from marshmallow import fields

from memoire.core.schemas import Answer, Closed, Items, Object, Text, Whole, enum_of, nullable
from memoire.transcripts.models import ProposalStatus
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


# --- chapters, proposals, translation tracks ---------------------------------------------

_CLOCK = {"description": "Seconds, or a clock such as 1:15.5.", "type": ["number", "string"]}


class ChapterPointSchema(Answer):
    lat = nullable(fields.Float(required=True))
    lon = nullable(fields.Float(required=True))
    text = fields.String(required=True, metadata={"description": "The OHMS gps_text."})


class ChapterSchema(Answer):
    """A chapter (OHMS index segment): where it starts and what it is about."""

    id = fields.Integer(required=True)
    start = fields.Float(required=True, metadata={"description": "Seconds into the recording."})
    title = fields.String(required=True)
    synopsis = fields.String(required=True)
    keywords = fields.List(fields.String(), required=True)
    subjects = fields.List(fields.String(), required=True)
    place_id = nullable(fields.Integer(required=True, metadata={
        "description": "The gazetteer place it is tied to, when the caller may see it."}))
    gps = nullable(fields.Nested(ChapterPointSchema, required=True, metadata={
        "description": "The OHMS GPS point kept at import; null unless the story's location "
                       "is exact."}))


class ChaptersSchema(Answer):
    transcript_id = fields.Integer(required=True)
    chapters = fields.List(fields.Nested(ChapterSchema), required=True)


class ChapterInputSchema(Closed):
    start = fields.Raw(required=True, metadata=_CLOCK)
    title = Text(required=True)
    synopsis = Text()
    keywords = Items(Text())
    subjects = Items(Text())
    place_id = nullable(Whole())


class ChaptersInputSchema(Closed):
    chapters = Items(Object(ChapterInputSchema, where="a chapter"), required=True, metadata={
        "description": "Every chapter: they replace those in place."})


class ProposalChangeSchema(Answer):
    segment_id = fields.Integer(required=True)
    before = fields.String(required=True, metadata={"description": "What the proposer read."})
    after = fields.String(required=True, metadata={"description": "What they propose."})


class ProposalSchema(Answer):
    """A correction proposed by a resident, until a moderator decides."""

    id = fields.Integer(required=True)
    transcript_id = fields.Integer(required=True)
    status = fields.String(required=True, metadata=enum_of(ProposalStatus))
    base_version = fields.Integer(required=True)
    comment = fields.String(required=True)
    reason = fields.String(required=True, metadata={"description": "Why it was refused."})
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    decided_at = nullable(fields.String(required=True, metadata={"format": "date-time"}))
    mine = fields.Boolean(required=True, metadata={"description": "Proposed by the caller."})
    changes = fields.List(fields.Nested(ProposalChangeSchema), required=True)


class ProposalsSchema(Answer):
    proposals = fields.List(fields.Nested(ProposalSchema), required=True)


class ProposalInputSchema(Closed):
    segments = fields.Dict(keys=fields.String(), values=Text(), required=True,
                           metadata={"description": "New text by segment id."})
    comment = Text()


class DecisionInputSchema(Closed):
    decision = Text(required=True, metadata=enum_of(["accept", "refuse"]))
    reason = Text()


class TranslationLineSchema(Answer):
    segment_id = fields.Integer(required=True)
    start = nullable(fields.Float(required=True))
    end = nullable(fields.Float(required=True))
    text = fields.String(required=True)


class TranslationSchema(Answer):
    """A second language track, on the transcript's segments (and so its times)."""

    transcript_id = fields.Integer(required=True)
    language = fields.String(required=True)
    lines = fields.List(fields.Nested(TranslationLineSchema), required=True)


class TranslationUploadSchema(Closed):
    file = fields.String(required=True, metadata={
        "contentMediaType": "application/octet-stream",
        "description": "A timed file (WebVTT, SRT…) of the same recording in that language.",
    })


class TranslationLinesSchema(Closed):
    lines = fields.Dict(keys=fields.String(), values=Text(), required=True,
                        metadata={"description": "The line in that language, by segment id; "
                                                 "an empty text clears it."})
