"""Pages of machine transcription: ask for a draft, follow it, review or publish it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from memoire.asr import operations as ops
from memoire.asr.models import RunStatus
from memoire.core.errors import MemoireError
from memoire.core.transaction import refused
from memoire.extensions import db
from memoire.media.models import Media, MediaKind
from memoire.transcripts.models import Transcript
from memoire.transcripts.operations import segment_text

bp = Blueprint("asr", __name__)


def _recording(media_id: int) -> Media:
    media = db.session.get(Media, media_id)
    # The same answer for "no such recording" and "not yours": no existence oracle.
    if media is None or media.kind != MediaKind.audio or not ops.may_request(current_user, media.story):
        abort(404)
    return media


@bp.get("/recordings/<int:media_id>/transcription")
@login_required
def recording(media_id: int):
    media = _recording(media_id)
    run = ops.latest_run(media)
    transcript = next((t for t in media.story.transcripts if t.media_id == media.id), None)
    side = None
    if run is not None and run.status == RunStatus.done and run.side_draft:
        side = {"human": [segment_text(s) for s in transcript.segments] if transcript else [],
                "machine": run.side_draft}
    return render_template(
        "asr/recording.html", media=media, story=media.story, run=run, transcript=transcript,
        side=side, under_way=run is not None and run.status in (RunStatus.queued, RunStatus.running),
        segment_text=segment_text,
    )


@bp.post("/recordings/<int:media_id>/transcription")
@login_required
def start(media_id: int):
    media = _recording(media_id)
    try:
        ops.request_transcription(current_user, media)
        flash(_("The automatic transcription is queued. This page shows how far it has got."), "success")
    except MemoireError as exc:
        refused()
        flash(str(exc.message), "error")
    return redirect(url_for("asr.recording", media_id=media_id))


def _decide(transcript_id: int, operation, message: str):
    transcript = db.session.get(Transcript, transcript_id)
    if transcript is None or transcript.media_id is None:
        abort(404)
    media_id = transcript.media_id
    _recording(media_id)
    try:
        operation(current_user, transcript)
        flash(message, "success")
    except MemoireError as exc:
        refused()
        flash(str(exc.message), "error")
    return redirect(url_for("asr.recording", media_id=media_id))


@bp.post("/transcripts/<int:transcript_id>/reviewed")
@login_required
def reviewed(transcript_id: int):
    return _decide(transcript_id, ops.mark_reviewed,
                   _("Marked as reviewed: the transcript is shown like any other."))


@bp.post("/transcripts/<int:transcript_id>/publish-labelled")
@login_required
def publish_labelled(transcript_id: int):
    return _decide(transcript_id, ops.publish_labelled,
                   _("Published with its label: automatic transcription, not reviewed."))
