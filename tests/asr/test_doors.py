"""Machine transcription through its doors: the moderation page, the recording's page, the CLI."""

from __future__ import annotations

import pytest

from memoire.asr.models import RunStatus, TranscriptionRun
from memoire.extensions import db
from memoire.jobs.operations import run_pending
from memoire.transcripts.models import Transcript


def test_moderator_starts_from_the_review_page_and_follows_progress(
    app, client, login, recording, create_user, fake_engine
):
    story, media = recording(seconds=3, status="submitted")
    login(create_user("moderator"))
    review = client.get(f"/moderation/{story.id}").get_data(as_text=True)
    assert f"/recordings/{media.id}/transcription" in review
    page = client.get(f"/recordings/{media.id}/transcription").get_data(as_text=True)
    assert "Transcribe automatically" in page
    response = client.post(f"/recordings/{media.id}/transcription")
    assert response.status_code == 302
    run = db.session.query(TranscriptionRun).filter_by(media_id=media.id).one()
    assert run.status == RunStatus.queued
    assert fake_engine.calls == []  # the request only queued it
    page = client.get(f"/recordings/{media.id}/transcription").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page  # the page follows the work on its own, reload or not
    # Half-way, as another process would have committed it.
    run.status, run.audio_seconds, run.done_seconds = RunStatus.running.value, 3.0, 1.5
    from memoire.core.db import utcnow

    run.started_at = run.updated_at = utcnow()
    db.session.commit()
    page = client.get(f"/recordings/{media.id}/transcription").get_data(as_text=True)
    assert "Audio done: 50 %" in page and "<progress" in page
    run.status = RunStatus.queued.value
    db.session.commit()
    run_pending()
    page = client.get(f"/recordings/{media.id}/transcription").get_data(as_text=True)
    assert "Done by fake-engine" in page and "seconde 1" in page
    assert 'http-equiv="refresh"' not in page
    transcript = db.session.get(Transcript, db.session.get(TranscriptionRun, run.id).transcript_id)
    client.post(f"/transcripts/{transcript.id}/publish-labelled")
    db.session.expire_all()
    assert transcript.machine_review == "labelled"
    client.post(f"/transcripts/{transcript.id}/reviewed")
    db.session.expire_all()
    assert transcript.machine_review == "reviewed"


def test_a_second_request_while_one_runs_is_refused_with_a_message(
    app, client, login, recording, create_user, fake_engine
):
    story, media = recording(seconds=2)
    login(create_user("moderator"))
    client.post(f"/recordings/{media.id}/transcription")
    page = client.post(f"/recordings/{media.id}/transcription", follow_redirects=True)
    assert "already under way" in page.get_data(as_text=True)
    assert db.session.query(TranscriptionRun).count() == 1


@pytest.mark.parametrize("role", [None, "contributor", "researcher", "curator", "mediator"])
def test_others_do_not_reach_the_page(app, client, login, recording, create_user, role):
    story, media = recording(seconds=2)
    if role:
        login(create_user(role))
    for method in ("get", "post"):
        response = getattr(client, method)(f"/recordings/{media.id}/transcription")
        assert response.status_code in (302, 404)  # login first, or the same 404 as no recording
        if role:
            assert response.status_code == 404
    assert db.session.query(TranscriptionRun).count() == 0


def test_the_mediator_who_entered_the_story_may(app, client, login, recording, create_user, fake_engine):
    mediator = create_user("mediator")
    story, media = recording(seconds=2, contributor=mediator)
    login(mediator)
    assert client.post(f"/recordings/{media.id}/transcription").status_code == 302
    assert db.session.query(TranscriptionRun).count() == 1


def test_cli_transcribes_a_story_and_the_missing_ones(app, runner, recording, fake_engine):
    story, media = recording(seconds=2, external_id="atelier-7")
    result = runner.invoke(args=["transcribe", "atelier-7"])
    assert result.exit_code == 0, result.output
    assert "done (transcript" in result.output
    other, other_media = recording(seconds=2, title="Deuxième")
    result = runner.invoke(args=["transcribe", "--missing", "--queue"])
    assert result.exit_code == 0, result.output
    assert "queued 1 recording(s)" in result.output
    run = db.session.query(TranscriptionRun).filter_by(media_id=other_media.id).one()
    assert run.status == RunStatus.queued  # --queue leaves it to `memoire worker`


def test_cli_errors_are_clean(app, runner, recording, tmp_path):
    assert runner.invoke(args=["transcribe"]).exit_code == 2
    result = runner.invoke(args=["transcribe", "999999"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    app.extensions.pop("memoire.asr", None)
    app.config["MEMOIRE_ASR_MODEL"] = str(tmp_path)
    story, media = recording(seconds=2)
    result = runner.invoke(args=["transcribe", str(story.id)])
    assert result.exit_code == 1
    assert "failed" in result.output and "model" in result.output


def test_the_draft_opens_in_the_workbench_with_its_label(
    app, client, login, recording, create_user, fake_engine
):
    story, media = recording(seconds=2)
    login(create_user("moderator"))
    client.post(f"/recordings/{media.id}/transcription")
    run_pending()
    run = db.session.query(TranscriptionRun).one()
    page = client.get(f"/recordings/{media.id}/transcription").get_data(as_text=True)
    editor_url = f"/stories/{story.id}/transcripts/{run.transcript_id}/edit"
    assert editor_url in page
    editor = client.get(editor_url)
    assert editor.status_code == 200
    text = editor.get_data(as_text=True)
    assert "seconde 1" in text and "Automatic transcription, not reviewed" in text
