"""An unreviewed machine draft of a public story reaches nobody outside staff and researchers."""

from __future__ import annotations

import io

import pytest

from memoire.extensions import db

SECRET = "Quarglindor"


@pytest.fixture
def drafted(app, create_story, create_user, create_place):
    """A public, published interview whose only transcript is an unreviewed machine draft."""
    from memoire.asr.models import MachineReview
    from memoire.jobs.operations import run_pending
    from memoire.media.operations import add_media
    from memoire.search import service
    from memoire.transcripts.models import Transcript, TranscriptSegment
    from tests.asr.conftest import tone_wav

    place = create_place("Dutemple", "quartier", "Valenciennes")
    story = create_story("Entretien public", kind="oral_history", places=[place])
    media = add_media(None, story, io.BytesIO(tone_wav(3)), caption="Entretien")
    transcript = Transcript(language="fr", source_format="asr", media_id=media.id,
                            machine_review=MachineReview.unreviewed.value)
    transcript.segments = [TranscriptSegment(position=0, start=0.0, end=2.0, place_id=place.id,
                                             text=f"mon voisin {SECRET} travaillait au fond")]
    story.transcripts.append(transcript)
    db.session.commit()
    run_pending()
    service.apply_pending_after_commit()
    return {"story": story, "media": media, "transcript": transcript, "place": place,
            "users": {role: create_user(role) for role in ("contributor", "researcher", "moderator")}}


def _urls(d):
    s, m, p = d["story"].id, d["media"].id, d["place"].id
    return [
        f"/stories/{s}", f"/api/v1/stories/{s}", f"/api/v1/stories/{s}/transcript.vtt",
        f"/api/v1/stories/{s}/transcript.txt", f"/api/v1/stories/{s}/schema.jsonld",
        f"/api/v1/stories/{s}/manifest.json", f"/api/v1/stories/{s}/dc.xml", f"/places/{p}",
        f"/search?q={SECRET}", f"/api/v1/search?q={SECRET}", f"/api/v1/map.geojson?q={SECRET}",
        "/api/v1/exports/stories.csv", "/api/v1/exports/stories.json",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc", f"/recordings/{m}/transcription",
    ]


def _client(app, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


@pytest.mark.parametrize("viewer", ["visitor", "contributor"])
def test_the_draft_reaches_no_public_viewer(app, drafted, viewer):
    client = _client(app, drafted["users"].get(viewer))
    for url in _urls(drafted):
        response = client.get(url, follow_redirects=True)
        assert response.status_code < 500, url
        text = response.get_data(as_text=True)
        if SECRET in url:  # a search page repeats its query: no hit must come back for it
            text = text.replace(SECRET, "")
            assert "Entretien public" not in text, f"{viewer}: {url}"
        assert SECRET not in text, f"{viewer}: {url}"


def test_search_counts_nothing_of_the_draft(app, drafted):
    body = app.test_client().get(f"/api/v1/search?q={SECRET}").get_json()
    assert body["total"] == 0


@pytest.mark.parametrize("viewer", ["researcher", "moderator"])
def test_staff_and_researchers_read_it_labelled(app, drafted, viewer):
    client = _client(app, drafted["users"][viewer])
    page = client.get(f"/stories/{drafted['story'].id}").get_data(as_text=True)
    assert SECRET in page and "Automatic transcription, not reviewed" in page
    data = client.get(f"/api/v1/stories/{drafted['story'].id}").get_json()
    assert data["transcripts"][0]["machine_draft"] is True


def test_once_published_with_its_label_the_public_reads_it_so(app, drafted):
    from memoire.asr.operations import publish_labelled

    publish_labelled(drafted["users"]["moderator"], drafted["transcript"])
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(f"/stories/{drafted['story'].id}").get_data(as_text=True)
    assert SECRET in page and "Automatic transcription, not reviewed" in page
    vtt = client.get(f"/api/v1/stories/{drafted['story'].id}/transcript.vtt").get_data(as_text=True)
    assert "NOTE Automatic transcription, not reviewed" in vtt and SECRET in vtt


def test_draft_passages_are_searched_by_those_who_read_drafts_and_nobody_else(app, drafted):
    from memoire.asr.search import draft_passages

    users = drafted["users"]
    for viewer in (None, users["contributor"]):
        assert draft_passages(viewer, SECRET) == []
        client = _client(app, viewer)
        assert "draft_passages" not in client.get(f"/api/v1/search?q={SECRET}").get_json()
    researcher = _client(app, users["researcher"])
    body = researcher.get(f"/api/v1/search?q={SECRET.lower()}").get_json()
    assert body["total"] == 0  # drafts are outside the index, its counts and facets
    [passage] = body["draft_passages"]
    assert passage["story_id"] == drafted["story"].id and passage["start"] == 0.0
    assert f"<mark>{SECRET}</mark>" in passage["snippet"]
    assert passage["url"].endswith(f"/stories/{drafted['story'].id}?t=0")
    # The index's own analysis: another form of the word, accents and case aside.
    assert draft_passages(users["researcher"], "TRAVAILLAIENT voisins")
    assert not draft_passages(users["researcher"], f"{SECRET} SAUF voisin")
    assert not draft_passages(users["researcher"], f"{SECRET} charbon")
    page = researcher.get(f"/search?q={SECRET}&lang=en").get_data(as_text=True)
    assert "In automatic transcriptions not yet reviewed" in page and f"<mark>{SECRET}</mark>" in page
