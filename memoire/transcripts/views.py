"""The transcript workbench in the browser: attach a file, correct segments, history, proposals.

Every page works as plain forms without JavaScript (the editor is a paged form of
segments); `static/js/transcript-editor.js` adds click-to-play, keys and autosave through
the JSON door of the same operation. Views are thin: they read the form, call
`transcripts.operations`, and commit or roll back.
"""

from __future__ import annotations

import math

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from memoire.core.db import parse_id
from memoire.core.errors import Forbidden, MemoireError, NotFound, ValidationError
from memoire.extensions import db
from memoire.media.models import DerivativeRole, Media, MediaKind
from memoire.moderation.views import staff_required
from memoire.stories.models import Story
from memoire.stories.presenters import derivative_url
from memoire.stories.visibility import may_view
from memoire.transcripts import operations as ops
from memoire.transcripts.chapters import chapters_webvtt, to_ohms
from memoire.transcripts.models import (
    PlaceSuggestion,
    ProposalStatus,
    Transcript,
    TranscriptChapter,
    TranscriptProposal,
)

bp = Blueprint("transcripts", __name__)

#: Segments per page of the editor's form; `?per_page=` may ask for more (up to MAX_PER_PAGE).
PER_PAGE = 50
MAX_PER_PAGE = 2000
#: Where the attach form sends people back to.
_BACK = {"wizard", "review", "editor"}


def _story(story_id: int) -> Story:
    story = db.session.get(Story, story_id)
    if story is None or not may_view(current_user, story):
        raise NotFound(_l("This story does not exist, or is not public."))
    return story


def _editable(story_id: int, transcript_id: int) -> Transcript:
    transcript = ops.transcript_for(current_user, story_id, transcript_id)
    if not ops.may_edit(current_user, transcript.story):
        raise Forbidden(_l("You may not edit this transcript."))
    return transcript


def _audio(media: Media | None) -> dict | None:
    """The recording to play beside the editor: the public stream, else the original."""
    if media is None:
        return None
    stream = media.derivative(DerivativeRole.stream)
    if stream is not None:
        return {"url": derivative_url(media, DerivativeRole.stream), "mime": stream.mime}
    return {"url": url_for("media.original", media_id=media.id), "mime": media.mime}


# --- attach ------------------------------------------------------------------------------


@bp.post("/stories/<int:story_id>/recordings/<int:media_id>/transcript")
@login_required
def attach(story_id: int, media_id: int):
    """Attach a transcript file to a recording (wizard, moderation review, editor)."""
    story = _story(story_id)
    media = db.session.get(Media, media_id)
    if media is None or media.story_id != story.id or media.kind != MediaKind.audio:
        raise NotFound(_l("This file does not exist."))
    back = request.form.get("back") if request.form.get("back") in _BACK else "editor"
    upload = request.files.get("transcript")
    transcript = None
    try:
        if upload is None or not upload.filename:
            raise ValidationError(_l("Choose a transcript file first."), field="transcript")
        transcript = ops.attach_transcript(
            current_user, story, upload.read(), filename=upload.filename, media=media
        )
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        flash(str(error.message), "error")
    else:
        flash(
            _("The transcript is attached (%(n)s segments).", n=len(transcript.segments)),
            "success",
        )
    if back == "wizard":
        return redirect(url_for("contributions.step", story_id=story.id, step="media")
                        + f"#media-{media.id}")
    if back == "review":
        return redirect(url_for("moderation.review", story_id=story.id))
    if transcript is not None:
        return redirect(url_for(".edit", story_id=story.id, transcript_id=transcript.id))
    return redirect(url_for("stories.show", story_id=story.id))


# --- the editor --------------------------------------------------------------------------


def _page_args(total: int) -> tuple[int, int, int]:
    per_page = min(max(request.args.get("per_page", PER_PAGE, type=int) or PER_PAGE, 1),
                   MAX_PER_PAGE)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    return page, per_page, pages


def _render_editor(transcript: Transcript, *, status: int = 200, typed: dict | None = None,
                   conflict: ops.EditConflict | None = None, error: MemoireError | None = None,
                   page: int | None = None, per_page: int | None = None,
                   chapter_error: MemoireError | None = None):
    segments = transcript.segments
    default_page, default_per_page, _pages = _page_args(len(segments))
    per_page = per_page or default_per_page
    pages = max(1, math.ceil(len(segments) / per_page))
    page = min(page or default_page, pages)
    first = (page - 1) * per_page
    shown = segments[first : first + per_page]
    media = db.session.get(Media, transcript.media_id) if transcript.media_id else None
    story = transcript.story
    return render_template(
        "transcripts/editor.html",
        story=story,
        transcript=transcript,
        segments=shown,
        first_number=first + 1,
        total=len(segments),
        page=page,
        pages=pages,
        per_page=per_page,
        audio=_audio(media),
        typed=typed or {},
        conflict=conflict,
        error=error,
        sees_withheld=ops.sees_withheld(current_user),
        pending_proposals=_pending_count(transcript),
        clock=clock,
        place_choices=place_choices(transcript.story),
        suggestions=_suggestions([s.id for s in shown]),
        chapter_error=chapter_error,
    ), status


def _suggestions(segment_ids: list[int]) -> dict[int, list]:
    """Places proposed for these segments that the editor may see, by segment id."""
    from memoire.places.queries import may_view_place
    from memoire.transcripts.models import SuggestionStatus

    found: dict[int, list] = {}
    if not segment_ids:
        return found
    for suggestion in db.session.scalars(
        select(PlaceSuggestion).where(PlaceSuggestion.segment_id.in_(segment_ids),
                                      PlaceSuggestion.status == SuggestionStatus.proposed.value)
    ):
        if may_view_place(current_user, suggestion.place):
            found.setdefault(suggestion.segment_id, []).append(suggestion)
    return found


def _pending_count(transcript: Transcript) -> int:
    if not ops.sees_withheld(current_user):
        return 0
    return len(db.session.scalars(
        select(TranscriptProposal.id).where(
            TranscriptProposal.transcript_id == transcript.id,
            TranscriptProposal.status == ProposalStatus.pending.value,
        )
    ).all())


@bp.get("/stories/<int:story_id>/transcripts/<int:transcript_id>/edit")
@login_required
def edit(story_id: int, transcript_id: int):
    return _render_editor(_editable(story_id, transcript_id))


def _typed_edits(transcript: Transcript, form) -> tuple[dict, dict]:
    """What the page's form changed: {segment id: {field: value}}, and all typed values."""
    edits: dict[int, dict] = {}
    typed: dict[int, dict] = {}
    for segment in transcript.segments:
        key = str(segment.id)
        if f"text-{key}" not in form:
            continue
        values = {
            "text": form.get(f"text-{key}", ""),
            "speaker": form.get(f"speaker-{key}", ""),
            "start": form.get(f"start-{key}", ""),
            "end": form.get(f"end-{key}", ""),
        }
        typed[segment.id] = values
        changed = {}
        if " ".join(values["text"].split()) != segment.text:
            changed["text"] = values["text"]
        if (" ".join(values["speaker"].split()) or None) != segment.speaker:
            changed["speaker"] = values["speaker"]
        for name in ("start", "end"):
            current = getattr(segment, name)
            if values[name].strip() != clock(current):
                changed[name] = values[name]
        if f"place-{key}" in form:
            typed_place = " ".join(form.get(f"place-{key}", "").split())
            values["place"] = typed_place
            current_name = segment.place.name if segment.place is not None else ""
            if typed_place != current_name:
                changed["place_id"] = _place_named(transcript.story, typed_place, segment.id)
        if changed:
            edits[segment.id] = changed
    return edits, typed


def _place_named(story: Story, name: str, segment_id: int) -> int | None:
    """The place the editor typed (the type-ahead offers `place_choices`), by folded name."""
    from memoire.places.operations import fold

    if not name:
        return None
    wanted = fold(name)
    for place in place_choices(story):
        if fold(place.name) == wanted:
            return place.id
    raise ValidationError(_l("Choose a place from the list of the story's places."),
                          field=f"place-{segment_id}")


def clock(seconds: float | None) -> str:
    """Seconds as M:SS.mmm (H:MM:SS.mmm past an hour), as the editor's fields show them."""
    if seconds is None:
        return ""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    text = f"{minutes:02d}:{secs:02d}.{millis:03d}" if hours else f"{minutes}:{secs:02d}.{millis:03d}"
    return f"{hours}:{text}" if hours else text


@bp.post("/stories/<int:story_id>/transcripts/<int:transcript_id>/edit")
@login_required
def save(story_id: int, transcript_id: int):
    """Save the page's segments; then split or merge when one of those buttons was pressed."""
    transcript = _editable(story_id, transcript_id)
    form = request.form
    base = parse_id(form.get("version", ""))
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", PER_PAGE, type=int)
    edits, typed = _typed_edits(transcript, form)
    try:
        if base is None:
            raise ValidationError(_l("The form is incomplete: reload the page."))
        edits = _typed_place_edits(transcript, form, edits)
        ops.edit_segments(current_user, transcript, edits, base_version=base)
        version = transcript.version
        if form.get("confirm_place") or form.get("dismiss_place"):
            suggestion = db.session.get(
                PlaceSuggestion, parse_id(form.get("confirm_place") or form.get("dismiss_place")) or 0)
            if suggestion is None or suggestion.segment.transcript_id != transcript.id:
                raise NotFound(_l("This proposed place does not exist."))
            if form.get("confirm_place"):
                ops.confirm_place(current_user, suggestion)
            else:
                ops.dismiss_place(current_user, suggestion)
        elif form.get("split"):
            segment_id = parse_id(form["split"]) or 0
            segment = next((s for s in transcript.segments if s.id == segment_id), None)
            if segment is None:
                raise NotFound(_l("This segment does not exist."))
            ops.split_segment(
                current_user, transcript, segment_id, _split_offset(segment, form),
                base_version=version,
            )
        elif form.get("merge"):
            ops.merge_with_next(current_user, transcript, parse_id(form["merge"]) or 0,
                                base_version=version)
        db.session.commit()
    except ops.EditConflict as conflict:
        db.session.rollback()
        return _render_editor(transcript, status=409, typed=typed, conflict=conflict,
                              page=page, per_page=per_page)
    except MemoireError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        return _render_editor(transcript, status=400 if error.status < 500 else error.status,
                              typed=typed, error=error, page=page, per_page=per_page)
    flash(_("The transcript is saved."), "success")
    return redirect(url_for(".edit", story_id=story_id, transcript_id=transcript_id,
                            page=page, per_page=per_page if per_page != PER_PAGE else None))


def _typed_place_edits(transcript: Transcript, form, edits: dict) -> dict:
    """"Remove the place" buttons: the segment is no longer tied to its place."""
    segment_id = parse_id(form.get("unlink_place", "")) if form.get("unlink_place") else None
    if segment_id is not None:
        edits = {**edits, segment_id: {**edits.get(segment_id, {}), "place_id": None}}
    return edits


def _split_offset(segment, form) -> int:
    """Where to cut: the cursor offset sent by the script, else the words typed without it."""
    offset = form.get(f"at-{segment.id}", "").strip()
    if offset.isascii() and offset.isdigit():
        return int(offset)
    words = " ".join(form.get(f"split-words-{segment.id}", "").split())
    found = segment.text.find(words) if words else -1
    if found <= 0:
        raise ValidationError(
            _l("To split without the cursor, type the words the second part starts with."),
            field=f"split-words-{segment.id}",
        )
    return found


@bp.post("/stories/<int:story_id>/transcripts/<int:transcript_id>/segments")
@login_required
def autosave(story_id: int, transcript_id: int):
    """The editor script's save: {"version": n, "segments": {id: {text, speaker, start, end}}}."""
    transcript = _editable(story_id, transcript_id)
    payload = request.get_json(silent=True)
    try:
        if not isinstance(payload, dict) or not isinstance(payload.get("segments"), dict):
            raise ValidationError(_l("The request could not be understood."))
        base = payload.get("version")
        if not isinstance(base, int) or isinstance(base, bool):
            raise ValidationError(_l("The request could not be understood."))
        edits = {}
        for key, fields in payload["segments"].items():
            segment_id = parse_id(key)
            if segment_id is None or not isinstance(fields, dict):
                raise ValidationError(_l("The request could not be understood."))
            edits[segment_id] = {k: v for k, v in fields.items()
                                 if k in ("text", "speaker", "start", "end")
                                 and (v is None or isinstance(v, str | int | float))}
            if isinstance(fields.get("place"), str):
                segment = next((s for s in transcript.segments if s.id == segment_id), None)
                current = segment.place.name if segment is not None and segment.place else ""
                typed = " ".join(fields["place"].split())
                if typed != current:
                    edits[segment_id]["place_id"] = _place_named(transcript.story, typed, segment_id)
        revision = ops.edit_segments(current_user, transcript, edits, base_version=base)
        db.session.commit()
    except ops.EditConflict as conflict:
        db.session.rollback()
        return jsonify({"error": {"code": conflict.code, "message": str(conflict.message),
                                  "status": 409},
                        "version": conflict.version, "theirs": conflict.theirs}), 409
    except MemoireError as error:
        db.session.rollback()
        return jsonify({"error": {"code": error.code, "message": str(error.message),
                                  "field": error.field, "status": error.status}}), error.status
    return jsonify({"version": transcript.version,
                    "revision": revision.number if revision else None})


# --- history -----------------------------------------------------------------------------


def _revision_rows(transcript: Transcript) -> list[dict]:
    """Each revision with its hunks as readable before/after lines, newest first."""
    withheld = [] if ops.sees_withheld(current_user) else ops.withheld_ranges(transcript)
    proposal_ids = [int(r.note.split(":", 1)[1]) for r in transcript.revisions
                    if r.note.startswith("proposal:") and r.note.split(":", 1)[1].isdigit()]
    proposals = {p.id: p for p in db.session.scalars(
        select(TranscriptProposal).where(TranscriptProposal.id.in_(proposal_ids))
    )} if proposal_ids else {}
    rows = []
    for revision in sorted(transcript.revisions, key=lambda r: -r.number):
        hunks = []
        for hunk in revision.changes:
            hunks.append({
                "at": hunk["at"] + 1,
                "before": [_shown(s, withheld) for s in hunk["before"]],
                "after": [_shown(s, withheld) for s in hunk["after"]],
            })
        rows.append({"revision": revision, "hunks": hunks, "what": _what(revision, proposals)})
    return rows


def _shown(segment: dict, withheld) -> dict:
    hidden = withheld and ops.overlaps(segment, withheld)
    return {**segment, "text": _("[passage withheld]") if hidden else segment["text"],
            "start_clock": clock(segment.get("start")), "hidden": bool(hidden)}


def _what(revision, proposals) -> str:
    note = revision.note or ""
    if note == "split":
        return _("Split a segment")
    if note == "merge":
        return _("Merged two segments")
    if note.startswith("restore:"):
        return _("Restored revision %(n)s", n=note.split(":", 1)[1])
    if note.startswith("proposal:"):
        proposal = proposals.get(int(note.split(":", 1)[1]) if note[9:].isdigit() else 0)
        author = proposal.author if proposal is not None else None
        return _("Accepted a correction proposed by %(name)s",
                 name=(author.display_name or _("a resident")) if author else _("a resident"))
    if revision.origin == "import":
        return _("Attached a file") + (f" ({note})" if note else "")
    if revision.origin == "machine":
        return _("Automatic transcription")
    return _("Corrected")


@bp.get("/stories/<int:story_id>/transcripts/<int:transcript_id>/history")
@login_required
def history(story_id: int, transcript_id: int):
    transcript = _editable(story_id, transcript_id)
    return render_template("transcripts/history.html", story=transcript.story,
                           transcript=transcript, rows=_revision_rows(transcript))


@bp.post("/stories/<int:story_id>/transcripts/<int:transcript_id>/history/<int:number>/restore")
@login_required
def restore(story_id: int, transcript_id: int, number: int):
    transcript = _editable(story_id, transcript_id)
    base = request.form.get("version", type=int)
    try:
        ops.restore_revision(current_user, transcript, number, base_version=base)
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        flash(str(error.message), "error")
        return redirect(url_for(".history", story_id=story_id, transcript_id=transcript_id))
    flash(_("Revision %(n)s is restored, as a new revision.", n=number), "success")
    return redirect(url_for(".history", story_id=story_id, transcript_id=transcript_id))


# --- proposals ---------------------------------------------------------------------------


@bp.route("/stories/<int:story_id>/transcripts/<int:transcript_id>/propose",
          methods=["GET", "POST"])
@login_required
def propose(story_id: int, transcript_id: int):
    """"Je corrige une erreur": a resident proposes new words for a public transcript."""
    transcript = ops.transcript_for(current_user, story_id, transcript_id)
    if not ops.may_propose(current_user, transcript.story):
        raise Forbidden(_l("Corrections can be proposed on public transcripts only."))
    segments = transcript.segments
    page, per_page, pages = _page_args(len(segments))
    typed: dict[int, str] = {}
    error = None
    status = 200
    if request.method == "POST":
        for segment in segments:
            value = request.form.get(f"text-{segment.id}")
            if value is not None and " ".join(value.split()) != segment.text:
                typed[segment.id] = value
        try:
            ops.propose_correction(current_user, transcript, typed,
                                   comment=request.form.get("comment", ""))
            db.session.commit()
        except MemoireError as caught:
            db.session.rollback()
            if isinstance(caught, NotFound):
                raise
            error, status = caught, 400
        else:
            flash(_("Thank you: your correction is sent to the moderators. "
                    "You will find their answer in “My memories”."), "success")
            return redirect(url_for("stories.show", story_id=story_id))
    first = (page - 1) * per_page
    return render_template(
        "transcripts/propose.html", story=transcript.story, transcript=transcript,
        segments=segments[first : first + per_page], first_number=first + 1, page=page,
        pages=pages, typed=typed, error=error, comment=request.form.get("comment", ""),
    ), status


@bp.get("/moderation/corrections")
@staff_required
def proposals():
    pending = db.session.scalars(
        select(TranscriptProposal)
        .where(TranscriptProposal.status == ProposalStatus.pending.value)
        .order_by(TranscriptProposal.created_at, TranscriptProposal.id)
        .limit(200)
    ).all()
    return render_template("transcripts/proposals.html", proposals=pending, clock=clock,
                           segments=_proposal_segments(pending))


def _proposal_segments(proposals) -> dict[int, object]:
    from memoire.transcripts.models import TranscriptSegment

    ids = {c["segment_id"] for p in proposals for c in p.changes}
    if not ids:
        return {}
    return {s.id: s for s in db.session.scalars(
        select(TranscriptSegment).where(TranscriptSegment.id.in_(ids)))}


@bp.post("/moderation/corrections/<int:proposal_id>")
@staff_required
def decide(proposal_id: int):
    proposal = db.session.get(TranscriptProposal, proposal_id)
    if proposal is None:
        raise NotFound(_l("This proposal does not exist."))
    decision = request.form.get("decision")
    try:
        ops.decide_proposal(current_user, proposal, decision or "", request.form.get("reason", ""))
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        flash(str(error.message), "error")
    else:
        flash(_("The correction is accepted.") if decision == "accept"
              else _("The correction is refused."), "success")
    return redirect(url_for(".proposals"))


@bp.app_template_global("my_transcript_proposals")
def my_proposals(user) -> list[dict]:
    """A person's proposals for "my memories", with the story's title only while they may see it."""
    rows = db.session.scalars(
        select(TranscriptProposal)
        .where(TranscriptProposal.author_id == user.id)
        .order_by(TranscriptProposal.created_at.desc(), TranscriptProposal.id.desc())
        .limit(100)
    ).all()
    result = []
    for proposal in rows:
        story = proposal.transcript.story
        visible = may_view(user, story)
        result.append({
            "proposal": proposal,
            "title": story.title if visible else None,
            "url": url_for("stories.show", story_id=story.id) if visible else None,
        })
    return result


# --- chapters ----------------------------------------------------------------------------


#: The most places offered by the type-ahead (a datalist: the browser filters as one types).
MAX_PLACE_CHOICES = 2000


def place_choices(story: Story) -> list:
    """Places a moment of this story may be tied to: those the editor may see, as coarse as
    the story's precision asks, by name."""
    from memoire.places.models import Place
    from memoire.places.queries import visible_place_ids

    allowed = sorted(ops.PLACE_TYPES_BY_PRECISION.get(story.precision or "exact", set()))
    query = select(Place).where(Place.type.in_(allowed))
    visible = visible_place_ids(current_user)
    if visible is not None:
        query = query.where(Place.id.in_(visible))
    return list(db.session.scalars(query.order_by(Place.name, Place.id).limit(MAX_PLACE_CHOICES)))


def _chapter_data(form) -> dict:
    return {name: form.get(name, "") for name in
            ("start", "title", "synopsis", "keywords", "subjects", "place_id")}


@bp.post("/stories/<int:story_id>/transcripts/<int:transcript_id>/chapters")
@bp.post("/stories/<int:story_id>/transcripts/<int:transcript_id>/chapters/<int:chapter_id>")
@login_required
def save_chapter(story_id: int, transcript_id: int, chapter_id: int | None = None):
    """Add a chapter, change it, or (with `delete`) remove it."""
    transcript = _editable(story_id, transcript_id)
    chapter = None
    if chapter_id is not None:
        chapter = db.session.get(TranscriptChapter, chapter_id)
        if chapter is None or chapter.transcript_id != transcript.id:
            raise NotFound(_l("This chapter does not exist."))
    try:
        if chapter is not None and request.form.get("delete"):
            ops.delete_chapter(current_user, chapter)
            message = _("The chapter is removed.")
        else:
            ops.save_chapter(current_user, transcript, _chapter_data(request.form), chapter)
            message = _("The chapter is saved.")
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        return _render_editor(transcript, status=400, chapter_error=error)
    flash(message, "success")
    return redirect(url_for(".edit", story_id=story_id, transcript_id=transcript_id) + "#chapters")


def _readable(story_id: int, transcript_id: int) -> Transcript:
    return ops.transcript_for(current_user, story_id, transcript_id)


@bp.get("/stories/<int:story_id>/transcripts/<int:transcript_id>/chapters.vtt")
def chapters_vtt(story_id: int, transcript_id: int):
    """The chapters as WebVTT (`<track kind="chapters">`)."""
    transcript = _readable(story_id, transcript_id)
    media = db.session.get(Media, transcript.media_id) if transcript.media_id else None
    body = chapters_webvtt(transcript, media.duration if media else None)
    return _private_aware(Response(body, mimetype="text/vtt"), transcript.story)


@bp.get("/stories/<int:story_id>/transcripts/<int:transcript_id>/ohms.xml")
def ohms_xml(story_id: int, transcript_id: int):
    """The transcript and its chapters as an OHMS XML record."""
    transcript = _readable(story_id, transcript_id)
    media = db.session.get(Media, transcript.media_id) if transcript.media_id else None
    body = to_ohms(transcript.story, transcript, ops.segment_text, media.duration if media else None)
    response = Response(body, mimetype="application/xml")
    response.headers["Content-Disposition"] = f'attachment; filename="story-{story_id}-ohms.xml"'
    return _private_aware(response, transcript.story)


def _private_aware(response: Response, story: Story) -> Response:
    """Only what anyone may read is cached by shared caches."""
    public = story.status == "published" and story.visibility == "public"
    response.headers["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@bp.app_template_global("transcript_chapters")
def transcript_chapters(transcript_id: int | None) -> list[dict]:
    """The story page's table of contents for a recording's transcript."""
    from memoire.places.queries import may_view_place

    transcript = db.session.get(Transcript, transcript_id) if transcript_id else None
    if transcript is None:
        return []
    return [
        {"start": c.start, "title": c.title, "synopsis": c.synopsis, "keywords": c.keywords,
         "place": c.place if c.place is not None and may_view_place(current_user, c.place)
         else None}
        for c in transcript.chapters
    ]


# --- second language track ---------------------------------------------------------------


@bp.post("/stories/<int:story_id>/transcripts/<int:transcript_id>/translations")
@login_required
def attach_translation(story_id: int, transcript_id: int):
    """Attach a second language track from a timed file."""
    transcript = _editable(story_id, transcript_id)
    upload = request.files.get("translation")
    try:
        if upload is None or not upload.filename:
            raise ValidationError(_l("Choose a transcript file first."), field="translation")
        translation = ops.attach_translation(
            current_user, transcript, upload.read(), filename=upload.filename,
            language=request.form.get("language", ""),
        )
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        flash(str(error.message), "error")
    else:
        flash(_("The translation (%(language)s) is attached.", language=translation.language),
              "success")
    return redirect(url_for(".edit", story_id=story_id, transcript_id=transcript_id)
                    + "#translations")


@bp.route("/stories/<int:story_id>/transcripts/<int:transcript_id>/translations/edit",
          methods=["GET", "POST"])
@login_required
def edit_translation(story_id: int, transcript_id: int):
    """A second language track line by line (`?language=nl`), started when there is none."""
    transcript = _editable(story_id, transcript_id)
    source = request.form if request.method == "POST" else request.args
    segments = transcript.segments
    page, per_page, pages = _page_args(len(segments))
    typed: dict[int, str] = {}
    error = None
    status = 200
    try:
        language = ops.check_language(transcript, source.get("language", ""))
    except ValidationError as caught:
        language, error, status = None, caught, 400
    if language and request.method == "POST":
        typed = {s.id: request.form[f"line-{s.id}"] for s in segments
                 if f"line-{s.id}" in request.form}
        try:
            ops.edit_translation(current_user, transcript, language, typed)
            db.session.commit()
        except MemoireError as caught:
            db.session.rollback()
            if isinstance(caught, NotFound):
                raise
            error, status = caught, 400
        else:
            flash(_("The translation (%(language)s) is saved.", language=language), "success")
            return redirect(url_for(".edit_translation", story_id=story_id,
                                    transcript_id=transcript_id, language=language, page=page))
    translation = next((t for t in transcript.translations if t.language == language), None)
    first = (page - 1) * per_page
    return render_template(
        "transcripts/translation_editor.html", story=transcript.story, transcript=transcript,
        language=language, lines=translation.texts if translation is not None else {},
        segments=segments[first : first + per_page], first_number=first + 1, page=page,
        pages=pages, typed=typed, error=error,
    ), status


@bp.get("/stories/<int:story_id>/transcripts/<int:transcript_id>/translations/<language>.vtt")
def translation_vtt(story_id: int, transcript_id: int, language: str):
    """A second language track as its own WebVTT, on the transcript's times."""
    from types import SimpleNamespace

    from memoire.transcripts.writers import to_webvtt

    transcript = _readable(story_id, transcript_id)
    translation = next((t for t in transcript.translations if t.language == language), None)
    if translation is None:
        raise NotFound(_l("This translation does not exist."))
    cues = [SimpleNamespace(start=s.start, end=s.end, speaker=s.speaker,
                            text=ops.translated_text(translation, s))
            for s in transcript.segments if translation.text_of(s) or s.is_redacted]
    response = Response(to_webvtt(cues), mimetype="text/vtt")
    response.headers["Content-Language"] = translation.language
    return _private_aware(response, transcript.story)


@bp.app_template_global("transcript_translations")
def transcript_translations(transcript_id: int | None) -> list[dict]:
    """The story page's other language tracks of a recording's transcript, line by line."""
    transcript = db.session.get(Transcript, transcript_id) if transcript_id else None
    if transcript is None:
        return []
    return [
        {"language": t.language,
         "lines": [{"start": s.start, "text": ops.translated_text(t, s)}
                   for s in transcript.segments if t.text_of(s) or s.is_redacted]}
        for t in transcript.translations
    ]
