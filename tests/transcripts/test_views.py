"""The workbench's doors in the browser: attach in the wizard and on review, the no-JS editor,
the autosave JSON, history and restore, proposals and their outcome in "my memories"."""

from __future__ import annotations

import io

from memoire.contributions import operations as contribution_ops
from memoire.extensions import db
from memoire.search import service
from memoire.transcripts.models import TranscriptProposal
from tests.conftest import wav_bytes
from tests.transcripts.conftest import VTT


def _edit_url(story, transcript, suffix="edit"):
    return f"/stories/{story.id}/transcripts/{transcript.id}/{suffix}"


def _page_form(transcript, **changes):
    form = {"version": str(transcript.version)}
    from memoire.transcripts.views import clock

    for s in transcript.segments:
        form[f"text-{s.id}"] = s.text
        form[f"speaker-{s.id}"] = s.speaker or ""
        form[f"start-{s.id}"] = clock(s.start)
        form[f"end-{s.id}"] = clock(s.end)
    form.update(changes)
    return form


def test_a_contributor_attaches_a_vtt_in_the_wizard(app, client, login, people):
    owner = people["owner"]
    story = contribution_ops.start_draft(owner, title="Les matins", body="", language="fr", themes=[])
    contribution_ops.add_contribution_media(owner, story, io.BytesIO(wav_bytes(10.0)), caption="Entretien")
    db.session.commit()
    media = story.media[0]
    login(owner)
    page = client.get(f"/contribute/{story.id}/media")
    assert f"/stories/{story.id}/recordings/{media.id}/transcript" in page.get_data(as_text=True)
    response = client.post(f"/stories/{story.id}/recordings/{media.id}/transcript",
                           data={"back": "wizard", "transcript": (io.BytesIO(VTT.encode()), "t.vtt")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and "/media" in response.headers["Location"]
    [transcript] = story.transcripts
    assert len(transcript.segments) == 4
    page = client.get(f"/contribute/{story.id}/media").get_data(as_text=True)
    assert "Edit the transcript" in page


def test_a_bad_file_names_its_line_and_keeps_the_transcript(app, client, login, recorded, people):
    story, media, transcript = recorded()
    login(people["moderator"])
    bad = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nun\n\n00:00:05.000 --> 00:00:04.000\ndeux\n"
    response = client.post(f"/stories/{story.id}/recordings/{media.id}/transcript",
                           data={"back": "review", "transcript": (io.BytesIO(bad), "bad.vtt")},
                           content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "line" in text.lower()
    assert "Attach a transcript" in text or "Replace the transcript" in text  # the review page
    db.session.refresh(transcript)
    assert transcript.version == 1 and len(transcript.segments) == 4


def test_who_opens_the_editor(app, client, login, recorded, people):
    story, media, transcript = recorded(status="submitted", contributor=people["owner"])
    assert client.get(_edit_url(story, transcript)).status_code == 302  # to the login page
    login(people["resident"])
    assert client.get(_edit_url(story, transcript)).status_code == 404
    login(people["owner"])
    assert client.get(_edit_url(story, transcript)).status_code == 403  # with the moderators now
    login(people["moderator"])
    page = client.get(_edit_url(story, transcript))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mon père était mineur de fond." in html and "Replay the last 3 seconds" in html
    assert "<script>" not in html


def test_the_no_js_form_saves_and_the_search_follows(app, client, login, recorded, people):
    story, media, transcript = recorded()
    second = transcript.segments[1]
    login(people["mediator"])
    response = client.post(_edit_url(story, transcript),
                           data=_page_form(transcript, **{f"text-{second.id}": "Mon père était porion au fond."}))
    assert response.status_code == 302
    assert second.text == "Mon père était porion au fond." and transcript.version == 2
    service.apply_pending_after_commit()
    found = client.get("/api/v1/search?q=porion").get_json()
    hit = next(r for r in found["results"] if r["id"] == story.id)
    assert any(abs((s.get("start") or 0) - 2.5) < 0.01 for s in hit.get("segments", []))
    assert not any(r["id"] == story.id for r in client.get("/api/v1/search?q=mineur").get_json()["results"])


def test_split_by_words_and_merge_without_script(app, client, login, recorded, people):
    story, media, transcript = recorded()
    second = transcript.segments[1]
    login(people["moderator"])
    client.post(_edit_url(story, transcript),
                data=_page_form(transcript, split=str(second.id), **{f"split-words-{second.id}": "mineur de"}))
    assert [s.text for s in transcript.segments][1:3] == ["Mon père était", "mineur de fond."]
    client.post(_edit_url(story, transcript), data=_page_form(transcript, merge=str(second.id)))
    assert len(transcript.segments) == 4 and transcript.version == 3


def test_a_stale_page_is_refused_with_the_other_text(app, client, login, recorded, people):
    story, media, transcript = recorded()
    first = transcript.segments[0]
    login(people["moderator"])
    stale = _page_form(transcript, **{f"text-{first.id}": "Ma version."})
    client.post(_edit_url(story, transcript), data=_page_form(transcript, **{f"text-{first.id}": "Sa version."}))
    response = client.post(_edit_url(story, transcript), data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Sa version." in html and "Ma version." in html  # theirs shown, mine kept in the field
    assert first.text == "Sa version."


def test_a_bad_time_is_a_400_with_the_message(app, client, login, recorded, people):
    story, media, transcript = recorded()
    first = transcript.segments[0]
    login(people["moderator"])
    response = client.post(_edit_url(story, transcript), data=_page_form(transcript, **{f"end-{first.id}": "zz"}))
    assert response.status_code == 400 and "minutes:seconds" in response.get_data(as_text=True)


def test_autosave_json(app, client, login, recorded, people):
    story, media, transcript = recorded()
    first = transcript.segments[0]
    login(people["moderator"])
    url = _edit_url(story, transcript, "segments")
    ok = client.post(url, json={"version": 1, "segments": {str(first.id): {"text": "Autosauvé."}}})
    assert ok.status_code == 200 and ok.get_json()["version"] == 2
    stale = client.post(url, json={"version": 1, "segments": {str(first.id): {"text": "Autre."}}})
    assert stale.status_code == 409 and stale.get_json()["theirs"][0]["text"] == "Autosauvé."
    for bad in [None, {"version": "1", "segments": {}}, {"version": 2, "segments": {"x": {}}},
                {"version": 2, "segments": {str(first.id): {"start": "later"}}}]:
        response = client.post(url, json=bad)
        assert response.status_code == 400, bad
    login(people["resident"])
    assert client.post(url, json={"version": 2, "segments": {}}).status_code == 403


def test_history_shows_the_diff_and_restores(app, client, login, recorded, people):
    story, media, transcript = recorded()
    first = transcript.segments[0]
    login(people["moderator"])
    client.post(_edit_url(story, transcript), data=_page_form(transcript, **{f"text-{first.id}": "Texte faux."}))
    html = client.get(_edit_url(story, transcript, "history")).get_data(as_text=True)
    assert "<del>" in html and "Texte faux." in html and "Revision 2" in html
    response = client.post(_edit_url(story, transcript, "history/1/restore"), data={"version": "2"})
    assert response.status_code == 302
    assert first.text.startswith("On allait") and transcript.version == 3


def test_a_resident_proposes_a_moderator_accepts_and_my_memories_tells(app, client, login, recorded, people):
    story, media, transcript = recorded()
    second = transcript.segments[1]
    page = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert "Correct a mistake" not in page  # visitors are not asked
    login(people["resident"])
    page = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert _edit_url(story, transcript, "propose") in page
    response = client.post(_edit_url(story, transcript, "propose"),
                           data={f"text-{second.id}": "Mon père était porion.", "comment": "Porion !"})
    assert response.status_code == 302
    assert "Waiting for a moderator" in client.get("/my-stories").get_data(as_text=True)
    proposal = db.session.scalars(db.select(TranscriptProposal)).one()
    moderator = login(people["moderator"], app.test_client())
    moderator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    listing = moderator.get("/moderation/corrections").get_data(as_text=True)
    assert "Mon père était porion." in listing
    moderator.post(f"/moderation/corrections/{proposal.id}", data={"decision": "accept"})
    assert second.text == "Mon père était porion."
    assert "Accepted" in client.get("/my-stories").get_data(as_text=True)


def test_a_refusal_and_its_reason_reach_the_resident(app, client, login, recorded, people):
    story, media, transcript = recorded()
    second = transcript.segments[1]
    login(people["resident"])
    client.post(_edit_url(story, transcript, "propose"), data={f"text-{second.id}": "Faux."})
    proposal = db.session.scalars(db.select(TranscriptProposal)).one()
    moderator = login(people["moderator"], app.test_client())
    moderator.post(f"/moderation/corrections/{proposal.id}",
                   data={"decision": "refuse", "reason": "Il a bien dit mineur."})
    page = client.get("/my-stories").get_data(as_text=True)
    assert "Refused" in page and "Il a bien dit mineur." in page
    assert second.text == "Mon père était mineur de fond."


def test_the_proposal_routes_are_for_public_transcripts_and_staff(app, client, login, recorded, people):
    story, media, transcript = recorded(visibility="researchers")
    login(people["researcher"])
    assert client.get(_edit_url(story, transcript, "propose")).status_code == 403
    login(people["resident"])
    assert client.get(_edit_url(story, transcript, "propose")).status_code == 404
    assert client.get("/moderation/corrections").status_code == 403
