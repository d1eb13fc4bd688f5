"""Machine transcription: request a draft, make it (in a job), review or publish it.

Operations take the acting user and flush; the job handler and CLI are edges and commit.
A draft is written in one piece at the end of a run, so a worker killed mid-way leaves
no half transcript: the job is taken up again and starts over.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from memoire.accounts.models import STAFF_ROLES, Role
from memoire.asr import cleanup
from memoire.asr.engine import SAMPLE_RATE, AsrUnavailable, RecognisedSegment, get_engine
from memoire.asr.models import MachineReview, RunStatus, TranscriptionRun
from memoire.audit import operations as audit
from memoire.core.db import utcnow
from memoire.core.errors import Conflict, Forbidden, MediaError, NotFound
from memoire.extensions import db
from memoire.jobs.operations import enqueue
from memoire.media.models import Media, MediaKind
from memoire.stories.models import Story
from memoire.stories.operations import touch
from memoire.transcripts.models import Origin, Transcript, TranscriptRevision, TranscriptSegment

log = logging.getLogger(__name__)

JOB_KIND = "asr.transcribe"
#: Languages an engine is asked for: Walloon and Picard go to the French model.
ENGINE_LANGUAGE = {"wa": "fr", "pcd": "fr"}
#: Seconds of audio decoded and recognised at a time (hours-long recordings stay small).
DEFAULT_CHUNK_SECONDS = 600.0


def may_request(actor, story: Story) -> bool:
    """Moderators and admins always; a mediator for the stories they entered. The command line
    (actor None) is the archive's operator."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.role in STAFF_ROLES:
        return True
    return actor.role == Role.mediator and story.contributor_id == actor.id


def request_transcription(actor, media: Media) -> TranscriptionRun:
    """Queue a machine transcription of a recording (a job; never in the request)."""
    story = media.story
    if not may_request(actor, story):
        raise Forbidden(_l("You may not ask for an automatic transcription of this recording."))
    if media.kind != MediaKind.audio:
        raise NotFound(_l("This story has no such recording."))
    pending = db.session.scalar(
        select(TranscriptionRun).where(
            TranscriptionRun.media_id == media.id,
            TranscriptionRun.status.in_([RunStatus.queued.value, RunStatus.running.value]),
        )
    )
    if pending is not None:
        raise Conflict(_l("An automatic transcription of this recording is already under way."))
    run = TranscriptionRun(
        story_id=story.id,
        media_id=media.id,
        requested_by_id=actor.id if actor is not None else None,
        language=story.language or "fr",
        audio_seconds=float(media.duration or 0.0),
    )
    db.session.add(run)
    db.session.flush()
    enqueue(JOB_KIND, run_id=run.id)
    audit.record(actor, "transcription.requested", "media", media.id, run=run.id)
    return run


def recordings_without_transcript() -> list[Media]:
    """Recordings nobody has transcribed or asked a draft of (for `memoire transcribe --missing`)."""
    has_transcript = select(Transcript.media_id).where(Transcript.media_id.is_not(None))
    has_run = select(TranscriptionRun.media_id).where(
        TranscriptionRun.status != RunStatus.failed.value
    )
    return list(
        db.session.scalars(
            select(Media)
            .where(Media.kind == MediaKind.audio.value)
            .where(Media.id.not_in(has_transcript), Media.id.not_in(has_run))
            .order_by(Media.id)
        )
    )


def latest_run(media: Media) -> TranscriptionRun | None:
    return db.session.scalar(
        select(TranscriptionRun)
        .where(TranscriptionRun.media_id == media.id)
        .order_by(TranscriptionRun.id.desc())
        .limit(1)
    )


# The work itself ---------------------------------------------------------------------


def _samples(raw: bytes):
    """Decoded float32 samples as the engine wants them (numpy when the engine has it)."""
    try:
        import numpy

        return numpy.frombuffer(raw, dtype=numpy.float32)
    except ImportError:  # the fake engines of the tests take a plain array
        values = array("f")
        values.frombytes(raw)
        return values


def _redactions(media: Media) -> list[tuple[float, float]]:
    return [(r.start, r.end) for r in media.redactions]


def _overlaps(segment: RecognisedSegment, ranges: Iterable[tuple[float, float]]) -> bool:
    return any(segment.start < end and segment.end > start for start, end in ranges)


def transcribe_recording(run: TranscriptionRun, *, progress=None) -> list[RecognisedSegment]:
    """Recognise a recording stretch by stretch, withheld passages silenced before the engine
    hears them; `progress(done_seconds)` is called as segments come."""
    from memoire.core.storage import get_storage
    from memoire.media import processing

    media = run.media
    engine = get_engine()
    run.engine = engine.name
    source = get_storage().path(media.storage_key)
    total = float(media.duration or 0.0)
    chunk = float(current_app.config.get("MEMOIRE_ASR_CHUNK_SECONDS") or DEFAULT_CHUNK_SECONDS)
    language = ENGINE_LANGUAGE.get(run.language, run.language)
    redactions = _redactions(media)
    segments: list[RecognisedSegment] = []
    start = 0.0
    while True:
        raw = processing.decode_pcm(
            source, rate=SAMPLE_RATE, start=start, duration=chunk, redactions=redactions
        )
        if not raw:
            break
        seconds = len(raw) / 4 / SAMPLE_RATE
        for segment in engine.transcribe(_samples(raw), language, offset=start):
            # Whatever the engine, its known failure modes are cut before anyone reads them.
            if cleanup.is_noise(segment):
                continue
            segments.append(cleanup.cut_repetitions(segment))
            if progress is not None:
                progress(min(segment.end, start + seconds))
        start += seconds
        if progress is not None:
            progress(start)
        if seconds < chunk - 0.5 or (total and start >= total):
            break
    segments = cleanup.drop_repeated_segments(segments)
    # Silence was given to the engine for withheld passages; drop anything it still heard there.
    return [s for s in segments if not _overlaps(s, redactions)]


def _segment_rows(segments: list[RecognisedSegment]) -> list[TranscriptSegment]:
    return [
        TranscriptSegment(
            position=i,
            start=s.start,
            end=s.end,
            text=s.text,
            words=[[w.text, w.start, w.end, round(w.probability, 3)] for w in s.words],
            flag="repetition" if s.flagged else None,
        )
        for i, s in enumerate(segments)
    ]


def store_draft(run: TranscriptionRun, segments: list[RecognisedSegment]) -> Transcript | None:
    """Keep the draft: as the recording's transcript when nobody has written one, else beside it
    on the run (a person's transcript is never overwritten)."""
    media: Media = run.media
    story: Story = run.story
    existing = next((t for t in story.transcripts if t.media_id == media.id), None)
    if existing is not None and existing.machine_review is None:
        run.side_draft = [
            {"start": s.start, "end": s.end, "text": s.text, "flag": "repetition" if s.flagged else None}
            for s in segments
        ]
        return None
    if existing is not None:  # an earlier machine draft: the new one replaces it
        story.transcripts.remove(existing)
    transcript = Transcript(
        language=run.language,
        source_format="asr",
        media_id=media.id,
        machine_review=MachineReview.unreviewed.value,
    )
    story.transcripts.append(transcript)
    transcript.segments = _segment_rows(segments)
    db.session.flush()
    number = (transcript.version or 0) + 1
    transcript.version = number
    transcript.revisions.append(
        TranscriptRevision(
            number=number,
            author_id=run.requested_by_id,
            origin=Origin.machine.value,
            note=run.engine[:300],
            changes=[{
                "at": 0,
                "before": [],
                "after": [
                    {"id": s.id, "start": s.start, "end": s.end, "speaker": s.speaker,
                     "text": s.text, "place_id": s.place_id}
                    for s in transcript.segments
                ],
            }],
        )
    )
    touch(story)
    db.session.flush()
    return transcript


def run_job(run_id: int) -> None:
    """The job's body (an edge: it commits progress as it goes, and the draft at the end)."""
    run = db.session.get(TranscriptionRun, run_id)
    if run is None or run.status in (RunStatus.done, RunStatus.failed):
        return  # erased meanwhile, or a retry of a run that finished
    run.status = RunStatus.running.value
    run.attempts += 1
    run.started_at = run.updated_at = utcnow()
    run.done_seconds = 0.0
    run.error = None
    db.session.commit()
    last_commit = [utcnow()]

    def progress(done: float) -> None:
        run.done_seconds = max(run.done_seconds, done)
        run.updated_at = utcnow()
        if (run.updated_at - last_commit[0]).total_seconds() >= 2:
            db.session.commit()  # visible to the page that shows progress
            last_commit[0] = run.updated_at

    try:
        segments = transcribe_recording(run, progress=progress)
    except (AsrUnavailable, MediaError) as exc:
        # Neither fixes itself on a retry: the run says why, nothing else changes.
        db.session.rollback()
        run = db.session.get(TranscriptionRun, run_id)
        run.status = RunStatus.failed.value
        run.error = str(exc.message)
        run.finished_at = run.updated_at = utcnow()
        db.session.commit()
        return
    transcript = store_draft(run, segments)
    run.transcript_id = transcript.id if transcript is not None else None
    run.status = RunStatus.done.value
    run.done_seconds = run.audio_seconds
    run.finished_at = run.updated_at = utcnow()
    db.session.commit()


# Review ----------------------------------------------------------------------------


def _machine_draft(transcript: Transcript) -> Transcript:
    if transcript.machine_review not in (MachineReview.unreviewed, MachineReview.labelled):
        raise Conflict(_l("This transcript is not an automatic draft waiting for review."))
    return transcript


def mark_reviewed(actor, transcript: Transcript) -> Transcript:
    """A person has gone through the draft: from now on it is a transcript like any other."""
    story = transcript.story
    if not may_request(actor, story):
        raise Forbidden(_l("You may not review this transcript."))
    _machine_draft(transcript).machine_review = MachineReview.reviewed.value
    touch(story)
    audit.record(actor, "transcription.reviewed", "transcript", transcript.id)
    db.session.flush()
    return transcript


def publish_labelled(actor, transcript: Transcript) -> Transcript:
    """A moderator publishes an unreviewed draft, shown everywhere with its label."""
    if actor is not None and not (getattr(actor, "is_authenticated", False)
                                  and actor.role in STAFF_ROLES):
        raise Forbidden(_l("Only moderators may publish an automatic draft."))
    _machine_draft(transcript).machine_review = MachineReview.labelled.value
    touch(transcript.story)
    audit.record(actor, "transcription.published_labelled", "transcript", transcript.id)
    db.session.flush()
    return transcript
