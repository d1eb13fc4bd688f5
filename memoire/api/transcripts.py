"""API doors of the transcript workbench: attach a file to a recording, change segments,
chapters, proposed corrections and second language tracks.

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
from memoire.transcripts.models import TranscriptProposal
from memoire.transcripts.schemas import (
    ChaptersInputSchema,
    ChaptersSchema,
    DecisionInputSchema,
    ProposalInputSchema,
    ProposalsSchema,
    SegmentChangesSchema,
    TranscriptStateSchema,
    TranscriptUploadSchema,
    TranslationLinesSchema,
    TranslationSchema,
    TranslationUploadSchema,
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


# --- chapters, proposals, translation tracks ---------------------------------------------

_TRANSCRIPT = ["story_id", {"name": "transcript_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}, "description": "The transcript."}]


def _readable(viewer, story_id: str, transcript_id: str):
    """A transcript of a story the viewer may see, else the same 404 as a missing one."""
    story = get_visible_story(viewer, story_id)
    return ops.transcript_for(viewer, story.id, parse_id(transcript_id) or 0)


def _chapters(viewer, transcript) -> dict:
    from memoire.places.queries import may_view_place
    from memoire.transcripts.chapters import chapter_point

    return {"transcript_id": transcript.id, "chapters": [
        {"id": c.id, "start": c.start, "title": c.title, "synopsis": c.synopsis or "",
         "keywords": list(c.keywords or []), "subjects": list(c.subjects or []),
         "place_id": c.place_id if c.place is not None and may_view_place(viewer, c.place)
         else None, "gps": chapter_point(transcript.story, c)}
        for c in sorted(transcript.chapters, key=lambda c: (c.start, c.id))
    ]}


@bp.get("/stories/<story_id>/transcripts/<transcript_id>/chapters")
@documented(
    "transcripts",
    operation_id="getChapters",
    summary="Chapters of a transcript",
    responses={200: reply("The chapters, in time order.", ChaptersSchema)},
    errors=(400, 401, 404, 429),
    parameters=_TRANSCRIPT,
)
def chapters(story_id: str, transcript_id: str):
    """The interview's chapters (OHMS index segments) with their start times."""
    viewer = auth.current_api_user()
    return json_response(_chapters(viewer, _readable(viewer, story_id, transcript_id)))


@bp.put("/stories/<story_id>/transcripts/<transcript_id>/chapters")
@documented(
    "transcripts",
    operation_id="replaceChapters",
    summary="Replace the chapters of a transcript",
    responses={200: reply("The chapters now.", ChaptersSchema)},
    errors=WRITE_ERRORS,
    parameters=_TRANSCRIPT,
    body=ChaptersInputSchema,
    write=True,
)
def replace_chapters(story_id: str, transcript_id: str):
    """Make the given chapters the transcript's; a bad one changes nothing and is named
    (`chapters.N.field`)."""
    user = auth.require_token_user()
    transcript = _readable(user, story_id, transcript_id)
    data = load(ChaptersInputSchema(), request.get_json(silent=True))
    ops.replace_chapters(user, transcript, data["chapters"])
    db.session.commit()
    return json_response(_chapters(user, transcript))


def _proposal(viewer, proposal, withheld: set[int]) -> dict:
    mark = str(_l("[passage withheld]"))
    return {
        "id": proposal.id, "transcript_id": proposal.transcript_id, "status": proposal.status,
        "base_version": proposal.base_version, "comment": proposal.comment or "",
        "reason": proposal.reason or "", "created_at": proposal.created_at.isoformat(),
        "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
        "mine": proposal.author_id == getattr(viewer, "id", None),
        # A passage withheld since stays withheld here too, but for moderators.
        "changes": [
            {"segment_id": c["segment_id"],
             "before": mark if c["segment_id"] in withheld else c["before"],
             "after": mark if c["segment_id"] in withheld else c["after"]}
            for c in proposal.changes
        ],
    }


def _proposals(viewer, transcript, proposals) -> dict:
    withheld = set() if ops.sees_withheld(viewer) else {
        s.id for s in transcript.segments if s.is_redacted}
    return {"proposals": [_proposal(viewer, p, withheld) for p in proposals]}


@bp.get("/stories/<story_id>/transcripts/<transcript_id>/proposals")
@documented(
    "transcripts",
    operation_id="getProposals",
    summary="Proposed corrections of a transcript",
    responses={200: reply("All of them for moderators; the caller's own for anyone else.",
                          ProposalsSchema)},
    errors=(400, 401, 404, 429),
    parameters=_TRANSCRIPT,
)
def proposals(story_id: str, transcript_id: str):
    """Proposed corrections, oldest first, with what was read and what is proposed."""
    user = auth.require_token_user()
    transcript = _readable(user, story_id, transcript_id)
    return json_response(_proposals(user, transcript, ops.proposals_for(user, transcript)))


@bp.post("/stories/<story_id>/transcripts/<transcript_id>/proposals")
@documented(
    "transcripts",
    operation_id="proposeCorrection",
    summary="Propose a correction",
    responses={201: reply("The proposal, waiting for a moderator.", ProposalsSchema)},
    errors=WRITE_ERRORS,
    parameters=_TRANSCRIPT,
    body=ProposalInputSchema,
    write=True,
)
def propose(story_id: str, transcript_id: str):
    """Any logged-in person proposes new words for segments of a public transcript."""
    user = auth.require_token_user()
    transcript = _readable(user, story_id, transcript_id)
    data = load(ProposalInputSchema(), request.get_json(silent=True))
    changes = {}
    for key, text in data["segments"].items():
        segment_id = parse_id(key)
        if segment_id is None:
            raise ValidationError(_l("Segments are named by their id."), field="segments")
        changes[segment_id] = text
    proposal = ops.propose_correction(user, transcript, changes, comment=data.get("comment", ""))
    db.session.commit()
    return json_response(_proposals(user, transcript, [proposal]), status=201)


@bp.post("/stories/<story_id>/transcripts/<transcript_id>/proposals/<proposal_id>/decision")
@documented(
    "transcripts",
    operation_id="decideProposal",
    summary="Accept or refuse a proposed correction",
    responses={200: reply("The proposal, decided.", ProposalsSchema)},
    errors=WRITE_ERRORS,
    parameters=[*_TRANSCRIPT, {"name": "proposal_id", "in": "path", "required": True,
                               "schema": {"type": "integer"}, "description": "The proposal."}],
    body=DecisionInputSchema,
    write=True,
)
def decide(story_id: str, transcript_id: str, proposal_id: str):
    """Moderators only; accepting a correction of a passage changed since is refused (409)."""
    user = auth.require_token_user()
    transcript = _readable(user, story_id, transcript_id)
    proposal = db.session.get(TranscriptProposal, parse_id(proposal_id) or 0)
    if proposal is None or proposal.transcript_id != transcript.id or (
        proposal not in ops.proposals_for(user, transcript)
    ):
        raise NotFound(_l("This proposal does not exist."))
    data = load(DecisionInputSchema(), request.get_json(silent=True))
    ops.decide_proposal(user, proposal, data["decision"], data.get("reason", ""))
    db.session.commit()
    return json_response(_proposals(user, transcript, [proposal]))


def _translation(transcript, language: str) -> dict:
    translation = next((t for t in transcript.translations if t.language == language), None)
    if translation is None:
        raise NotFound(_l("This translation does not exist."))
    return {"transcript_id": transcript.id, "language": translation.language, "lines": [
        {"segment_id": s.id, "start": s.start, "end": s.end,
         "text": ops.translated_text(translation, s)}
        for s in transcript.segments if translation.text_of(s) or s.is_redacted
    ]}


_LANGUAGE = {"name": "language", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "The track's language code (nl, fr, wa…)."}


@bp.get("/stories/<story_id>/transcripts/<transcript_id>/translations/<language>")
@documented(
    "transcripts",
    operation_id="getTranslation",
    summary="A second language track",
    responses={200: reply("Its lines, on the transcript's segments.", TranslationSchema)},
    errors=(400, 401, 404, 429),
    parameters=[*_TRANSCRIPT, _LANGUAGE],
)
def translation(story_id: str, transcript_id: str, language: str):
    """The track's lines with their segments' times; withheld passages as a neutral mark."""
    viewer = auth.current_api_user()
    return json_response(_translation(_readable(viewer, story_id, transcript_id), language))


@bp.put("/stories/<story_id>/transcripts/<transcript_id>/translations/<language>")
@documented(
    "transcripts",
    operation_id="putTranslation",
    summary="Attach or replace a second language track",
    responses={200: reply("The track, aligned to the segments.", TranslationSchema)},
    errors=(*WRITE_ERRORS, 413),
    parameters=[*_TRANSCRIPT, _LANGUAGE],
    body={"multipart/form-data": TranslationUploadSchema},
    write=True,
)
def put_translation(story_id: str, transcript_id: str, language: str):
    """A timed file (multipart field `file`) in that language, aligned to the segments' times."""
    user = auth.require_token_user()
    transcript = _readable(user, story_id, transcript_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(_l("Send the file in a multipart field named file."), field="file")
    translation = ops.attach_translation(user, transcript, upload.read(),
                                         filename=upload.filename, language=language)
    db.session.commit()
    return json_response(_translation(transcript, translation.language))


@bp.patch("/stories/<story_id>/transcripts/<transcript_id>/translations/<language>")
@documented(
    "transcripts",
    operation_id="changeTranslationLines",
    summary="Change lines of a second language track",
    responses={200: reply("The track now.", TranslationSchema)},
    errors=WRITE_ERRORS,
    parameters=[*_TRANSCRIPT, _LANGUAGE],
    body=TranslationLinesSchema,
    write=True,
)
def change_translation(story_id: str, transcript_id: str, language: str):
    """Write lines by segment id (an empty text clears one); the track starts if there is none."""
    user = auth.require_token_user()
    transcript = _readable(user, story_id, transcript_id)
    data = load(TranslationLinesSchema(), request.get_json(silent=True))
    lines = {}
    for key, text in data["lines"].items():
        segment_id = parse_id(key)
        if segment_id is None:
            raise ValidationError(_l("Segments are named by their id."), field="lines")
        lines[segment_id] = text
    translation = ops.edit_translation(user, transcript, language, lines)
    db.session.commit()
    return json_response(_translation(transcript, translation.language))
