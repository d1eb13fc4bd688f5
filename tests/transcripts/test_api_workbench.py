"""The workbench's other API doors: chapters, proposed corrections, second language tracks."""

from __future__ import annotations

import io

import pytest

from memoire.extensions import db
from memoire.transcripts import operations as ops
from tests.transcripts.test_api import _token
from tests.transcripts.test_translations import DUTCH


@pytest.fixture
def api(app):
    client = app.test_client()

    def call(method, url, user=None, **kw):
        headers = _token(user) if user is not None else {}
        return getattr(client, method)(f"/api/v1{url}", headers=headers, **kw)

    return call


def test_read_and_replace_chapters(api, recorded, people):
    story, media, transcript = recorded()
    url = f"/stories/{story.id}/transcripts/{transcript.id}/chapters"
    assert api("get", url).get_json() == {"transcript_id": transcript.id, "chapters": []}
    body = {
        "chapters": [
            {"start": "0:05", "title": "Le soir", "keywords": ["jeux", "rue"], "subjects": []},
            {"start": 0, "title": "La fosse", "synopsis": "Les matins."},
        ]
    }
    assert api("put", url, json=body).status_code == 401
    assert api("put", url, people["resident"], json=body).status_code == 403
    answer = api("put", url, people["mediator"], json=body)
    assert answer.status_code == 200, answer.get_json()
    chapters = answer.get_json()["chapters"]
    assert [(c["start"], c["title"]) for c in chapters] == [(0.0, "La fosse"), (5.0, "Le soir")]
    assert chapters[1]["keywords"] == ["jeux", "rue"]
    assert api("get", url).get_json()["chapters"] == chapters
    # A bad chapter is named, and nothing changes.
    bad = api(
        "put",
        url,
        people["mediator"],
        json={"chapters": [{"start": 1, "title": "Bon"}, {"start": 99, "title": "Trop tard"}]},
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "chapters.1.start"
    unknown = api(
        "put", url, people["mediator"], json={"chapters": [{"start": 1, "title": "x", "gps": 1}]}
    )
    assert unknown.status_code == 400
    db.session.expire_all()
    assert [c.title for c in transcript.chapters] == ["La fosse", "Le soir"]
    # An OHMS GPS point kept at import comes out only while the story's location is exact.
    chapter = transcript.chapters[0]
    chapter.lat, chapter.lon, chapter.gps_text = 50.3612, 3.5278, "Le chevalement"
    db.session.commit()
    gps = api("get", url).get_json()["chapters"][0]["gps"]
    assert gps == {"lat": 50.3612, "lon": 3.5278, "text": "Le chevalement"}
    assert api("get", url).get_json()["chapters"][1]["gps"] is None
    story.precision = "quartier"
    db.session.commit()
    coarse = api("get", url)
    assert coarse.get_json()["chapters"][0]["gps"] is None
    assert "50.3612" not in coarse.get_data(as_text=True)


def test_propose_list_and_decide(api, recorded, people):
    story, media, transcript = recorded()
    second = transcript.segments[1]
    url = f"/stories/{story.id}/transcripts/{transcript.id}/proposals"
    body = {"segments": {str(second.id): "Mon père était porion."}, "comment": "Il était porion."}
    assert api("post", url, json=body).status_code == 401
    made = api("post", url, people["resident"], json=body)
    assert made.status_code == 201, made.get_json()
    (proposal,) = made.get_json()["proposals"]
    assert proposal["status"] == "pending" and proposal["mine"]
    assert proposal["changes"][0]["after"] == "Mon père était porion."
    # Its author and the moderators read it; another resident does not.
    assert len(api("get", url, people["resident"]).get_json()["proposals"]) == 1
    assert api("get", url, people["owner"]).get_json()["proposals"] == []
    assert len(api("get", url, people["moderator"]).get_json()["proposals"]) == 1
    decide = f"{url}/{proposal['id']}/decision"
    assert api("post", decide, people["resident"], json={"decision": "accept"}).status_code == 403
    assert api("post", decide, people["owner"], json={"decision": "accept"}).status_code == 404
    assert api("post", decide, people["moderator"], json={"decision": "maybe"}).status_code == 400
    done = api("post", decide, people["moderator"], json={"decision": "accept"})
    assert done.status_code == 200 and done.get_json()["proposals"][0]["status"] == "accepted"
    assert second.text == "Mon père était porion."
    again = api("post", decide, people["moderator"], json={"decision": "refuse"})
    assert again.status_code == 409
    empty = api("post", url, people["resident"], json={"segments": {str(second.id): second.text}})
    assert empty.status_code == 400


def test_proposals_on_a_story_that_is_not_public(api, recorded, people):
    story, media, transcript = recorded(status="draft", contributor=people["owner"])
    url = f"/stories/{story.id}/transcripts/{transcript.id}/proposals"
    body = {"segments": {str(transcript.segments[0].id): "Autre chose."}}
    assert api("post", url, people["resident"], json=body).status_code == 404
    assert api("get", url, people["resident"]).status_code == 404
    assert api("post", url, people["owner"], json=body).status_code == 403


def test_read_and_put_a_translation_track(api, recorded, people):
    story, media, transcript = recorded()
    url = f"/stories/{story.id}/transcripts/{transcript.id}/translations/nl"
    assert api("get", url).status_code == 404

    def upload(data=None):
        return {"file": (io.BytesIO(data or DUTCH.encode()), "nl.vtt")}

    assert (
        api(
            "put", url, people["resident"], data=upload(), content_type="multipart/form-data"
        ).status_code
        == 403
    )
    bad = api(
        "put",
        url,
        people["moderator"],
        data=upload(b"WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nx\n"),
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and transcript.translations == []
    put = api("put", url, people["moderator"], data=upload(), content_type="multipart/form-data")
    assert put.status_code == 200, put.get_json()
    lines = api("get", url).get_json()["lines"]
    assert lines[1] == {
        "segment_id": transcript.segments[1].id,
        "start": 2.5,
        "end": 5.0,
        "text": "Mijn vader was mijnwerker ondergronds.",
    }
    from memoire.media import operations as media_ops

    media_ops.redact(people["moderator"], media, 2.6, 4.9)
    db.session.commit()
    assert "mijnwerker" not in api("get", url).get_data(as_text=True)
    fr = f"/stories/{story.id}/transcripts/{transcript.id}/translations/fr"
    assert (
        api(
            "put", fr, people["moderator"], data=upload(), content_type="multipart/form-data"
        ).status_code
        == 400
    )
    assert ops.may_edit(people["moderator"], story)
