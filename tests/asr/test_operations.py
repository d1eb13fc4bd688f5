"""Machine drafts: requested by the right people, made in a job, never public before review."""

from __future__ import annotations

import pytest

from memoire.asr import operations as ops
from memoire.asr.models import MachineReview, RunStatus, TranscriptionRun
from memoire.core.errors import Conflict, Forbidden
from memoire.extensions import db
from memoire.jobs.models import Job
from memoire.jobs.operations import run_pending
from memoire.transcripts.models import Origin, Transcript
from memoire.transcripts.operations import attach_transcript


def _run(media, actor=None):
    run = ops.request_transcription(actor, media)
    db.session.commit()
    run_pending()
    db.session.expire_all()
    return db.session.get(TranscriptionRun, run.id)


def test_a_request_is_a_queued_job_not_work_in_the_request(app, recording, create_user, fake_engine):
    story, media = recording()
    moderator = create_user("moderator")
    run = ops.request_transcription(moderator, media)
    db.session.commit()
    assert run.status == RunStatus.queued
    assert fake_engine.calls == []  # nothing heard yet: the work is the job's
    job = db.session.query(Job).filter_by(kind=ops.JOB_KIND).one()
    assert job.payload == {"run_id": run.id}
    with pytest.raises(Conflict):
        ops.request_transcription(moderator, media)  # one run at a time per recording


def test_who_may_ask(app, recording, create_user, fake_engine):
    mediator = create_user("mediator")
    story, media = recording(contributor=mediator)
    other_story, other_media = recording(title="Autre")
    with pytest.raises(Forbidden):
        ops.request_transcription(create_user("contributor"), media)
    with pytest.raises(Forbidden):
        ops.request_transcription(create_user("researcher"), media)
    with pytest.raises(Forbidden):  # a mediator only for the stories they entered
        ops.request_transcription(mediator, other_media)
    assert ops.request_transcription(mediator, media).status == RunStatus.queued


def test_the_draft_is_timed_with_words_and_labelled_unreviewed(app, recording, create_user, fake_engine):
    story, media = recording(seconds=4, language="nl")
    run = _run(media, create_user("moderator"))
    assert run.status == RunStatus.done and run.progress == 1.0 and run.engine == "fake-engine"
    assert fake_engine.calls[0][0] == "nl"  # the story's language, forced
    transcript = db.session.get(Transcript, run.transcript_id)
    assert transcript.machine_review == MachineReview.unreviewed
    assert transcript.media_id == media.id
    texts = [s.text for s in transcript.segments]
    assert texts == ["seconde 0", "seconde 1", "seconde 2", "seconde 3"]
    starts = [s.start for s in transcript.segments]
    assert starts == sorted(starts)
    words = transcript.segments[1].words
    assert words[0][0] == "seconde" and words[0][1] >= 1.0  # word times kept
    assert transcript.revisions[-1].origin == Origin.machine


def test_walloon_is_heard_by_the_french_model(app, recording, fake_engine):
    story, media = recording(seconds=2, language="wa")
    _run(media)
    assert fake_engine.calls[0][0] == "fr"


def test_long_recordings_go_in_chunks_with_progress(app, recording, fake_engine):
    app.config["MEMOIRE_ASR_CHUNK_SECONDS"] = 2.0
    story, media = recording(seconds=5)
    run = ops.request_transcription(None, media)
    db.session.commit()
    seen = []
    segments = ops.transcribe_recording(run, progress=seen.append)
    assert [offset for _, offset in fake_engine.calls] == [0.0, 2.0, 4.0]
    assert [s.text for s in segments] == [f"seconde {i}" for i in range(5)]
    assert seen == sorted(seen) and seen[-1] == pytest.approx(5.0, abs=0.05)


def test_a_withheld_passage_is_never_heard(app, recording, create_user, fake_engine):
    from memoire.media.operations import redact

    story, media = recording(seconds=6)
    moderator = create_user("moderator")
    redact(moderator, media, 2.0, 4.0)
    db.session.commit()
    run = _run(media, moderator)
    # The engine got silence there (decoded with the redaction applied), and said nothing of it.
    assert fake_engine.heard[2] < 0.01 and fake_engine.heard[3] < 0.01
    assert fake_engine.heard[1] > 0.1 and fake_engine.heard[4] > 0.1
    texts = [s.text for s in db.session.get(Transcript, run.transcript_id).segments]
    assert "seconde 2" not in texts and "seconde 3" not in texts
    assert "seconde 1" in texts and "seconde 4" in texts


def test_a_persons_transcript_is_never_overwritten(app, recording, fake_engine):
    story, media = recording(seconds=3)
    vtt = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nLe texte de Marie.\n"
    attach_transcript(None, story, vtt, filename="m.vtt", media=media)
    db.session.commit()
    run = _run(media)
    assert run.status == RunStatus.done and run.transcript_id is None
    transcripts = [t for t in story.transcripts if t.media_id == media.id]
    assert len(transcripts) == 1 and transcripts[0].segments[0].text == "Le texte de Marie."
    assert transcripts[0].machine_review is None
    assert [s["text"] for s in run.side_draft][:2] == ["seconde 0", "seconde 1"]  # offered beside it


def test_a_new_draft_replaces_an_old_unreviewed_one(app, recording, fake_engine):
    story, media = recording(seconds=2)
    first = _run(media)
    second = _run(media)
    assert first.transcript_id != second.transcript_id
    assert [t.id for t in story.transcripts if t.media_id == media.id] == [second.transcript_id]


def test_repetition_loops_are_cut_and_flagged(app, recording, fake_engine):
    fake_engine.loop_at = 1
    story, media = recording(seconds=3)
    run = _run(media)
    segment = db.session.get(Transcript, run.transcript_id).segments[1]
    assert segment.text == "merci beaucoup"
    assert segment.flag == "repetition"


def test_a_corrupt_recording_fails_the_run_cleanly(app, recording, fake_engine, tmp_path):
    from memoire.core.storage import get_storage

    story, media = recording(seconds=2)
    path = get_storage().path(media.storage_key)
    path.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 20)  # the file broke on disk
    before = db.session.query(Transcript).count()
    run = _run(media)
    assert run.status == RunStatus.failed
    assert run.error and "Traceback" not in run.error
    assert db.session.query(Transcript).count() == before


def test_without_a_model_the_run_says_so(app, recording, tmp_path):
    app.extensions.pop("memoire.asr", None)
    app.config["MEMOIRE_ASR_MODEL"] = str(tmp_path / "no-model-here")
    story, media = recording(seconds=2)
    run = _run(media)
    assert run.status == RunStatus.failed
    assert "model" in run.error
    assert not [t for t in story.transcripts if t.media_id == media.id]


def test_a_worker_killed_mid_run_leaves_no_half_transcript_and_the_retry_finishes(
    app, recording, fake_engine
):
    story, media = recording(seconds=3)
    fake_engine.fail = KeyboardInterrupt()  # what a killed worker looks like from inside
    run = ops.request_transcription(None, media)
    db.session.commit()
    with pytest.raises(KeyboardInterrupt):
        ops.run_job(run.id)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(TranscriptionRun, run.id).status == RunStatus.running
    assert not [t for t in story.transcripts if t.media_id == media.id]
    fake_engine.fail = None
    ops.run_job(run.id)  # the job taken up again
    db.session.expire_all()
    run = db.session.get(TranscriptionRun, run.id)
    assert run.status == RunStatus.done and run.attempts == 2
    assert len([t for t in story.transcripts if t.media_id == media.id]) == 1


def test_review_and_labelled_publication(app, recording, create_user, fake_engine):
    mediator = create_user("mediator")
    story, media = recording(seconds=2, contributor=mediator)
    transcript = db.session.get(Transcript, _run(media).transcript_id)
    with pytest.raises(Forbidden):
        ops.publish_labelled(mediator, transcript)  # moderators only
    ops.publish_labelled(create_user("moderator"), transcript)
    assert transcript.machine_review == MachineReview.labelled
    with pytest.raises(Forbidden):
        ops.mark_reviewed(create_user("contributor"), transcript)
    ops.mark_reviewed(mediator, transcript)
    assert transcript.machine_review == MachineReview.reviewed
    with pytest.raises(Conflict):
        ops.mark_reviewed(mediator, transcript)


def test_missing_lists_recordings_with_no_text_and_no_draft(app, recording, fake_engine):
    s1, with_text = recording(seconds=2, title="Avec texte")
    attach_transcript(None, s1, b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nBonjour.\n",
                      filename="a.vtt", media=with_text)
    s2, without = recording(seconds=2, title="Sans texte")
    db.session.commit()
    assert [m.id for m in ops.recordings_without_transcript()] == [without.id]
    _run(without)
    assert ops.recordings_without_transcript() == []


def test_erasing_the_story_removes_runs_and_drafts(app, recording, create_user, fake_engine):
    from memoire.privacy.operations import erase_story

    story, media = recording(seconds=2)
    run = _run(media)
    run_id, transcript_id = run.id, run.transcript_id
    erase_story(create_user("admin"), story)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(TranscriptionRun, run_id) is None
    assert db.session.get(Transcript, transcript_id) is None


def test_decoding_uses_no_more_than_a_chunk(app, recording):
    """An hours-long interview is read stretch by stretch: one call decodes only its chunk."""
    from memoire.core.storage import get_storage
    from memoire.media import processing

    story, media = recording(seconds=5)
    raw = processing.decode_pcm(get_storage().path(media.storage_key), start=1.0, duration=2.0)
    assert len(raw) == pytest.approx(2.0 * 16000 * 4, rel=0.02)


def test_an_exhibition_never_excerpts_an_unreviewed_draft(app, recording, create_user, fake_engine):
    from memoire.exhibitions.models import ExhibitionItem
    from memoire.exhibitions.operations import excerpt_segments

    story, media = recording(seconds=3)
    transcript = db.session.get(Transcript, _run(media).transcript_id)
    item = ExhibitionItem(story=story, excerpt_start=0.0, excerpt_end=3.0)
    assert excerpt_segments(item) == []
    ops.mark_reviewed(create_user("moderator"), transcript)
    assert [s.text for s in excerpt_segments(item)][:1] == ["seconde 0"]
    db.session.rollback()
