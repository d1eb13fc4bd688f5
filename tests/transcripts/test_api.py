"""The workbench's API doors: PUT a transcript on a recording, PATCH segments."""

from __future__ import annotations

import io

from memoire.accounts.operations import create_token
from memoire.extensions import db
from tests.transcripts.conftest import VTT


def _token(user) -> dict:
    secret = create_token(None, user, "test")[1]
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_put_a_transcript_and_patch_a_segment(app, recorded, people):
    story, media, transcript = recorded(status="draft", contributor=people["owner"])
    client = app.test_client()
    headers = _token(people["owner"])
    url = f"/api/v1/stories/{story.id}/recordings/{media.id}/transcript"
    vtt = VTT.replace("mineur de fond", "mineur à Dutemple")
    response = client.put(url, headers=headers, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(vtt.encode()), "t.vtt")})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == 2 and body["segments"] == 4 and body["id"] == transcript.id
    second = transcript.segments[1]
    assert second.text == "Mon père était mineur à Dutemple."
    patch = f"/api/v1/stories/{story.id}/transcripts/{transcript.id}/segments"
    ok = client.patch(patch, headers=headers,
                      json={"version": 2, "segments": {str(second.id): {"text": "Porion.", "start": "0:02.6"}}})
    assert ok.status_code == 200 and ok.get_json()["version"] == 3
    assert (second.text, second.start) == ("Porion.", 2.6)
    stale = client.patch(patch, headers=headers,
                         json={"version": 2, "segments": {str(second.id): {"text": "Autre."}}})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "edit_conflict"
    unknown = client.patch(patch, headers=headers, json={"version": 3, "segments": {}, "x": 1})
    assert unknown.status_code == 400


def test_a_bad_file_is_a_400_naming_the_line_and_changes_nothing(app, recorded, people):
    story, media, transcript = recorded()
    client = app.test_client()
    bad = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nun\n\n00:00:05.000 --> 00:00:04.000\ndeux\n"
    response = client.put(f"/api/v1/stories/{story.id}/recordings/{media.id}/transcript",
                          headers=_token(people["moderator"]), content_type="multipart/form-data",
                          data={"file": (io.BytesIO(bad), "bad.vtt")})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_transcript"
    db.session.refresh(transcript)
    assert transcript.version == 1


def test_who_may_put(app, recorded, people):
    story, media, transcript = recorded()
    client = app.test_client()
    url = f"/api/v1/stories/{story.id}/recordings/{media.id}/transcript"
    data = lambda: {"file": (io.BytesIO(VTT.encode()), "t.vtt")}  # noqa: E731
    assert client.put(url, data=data(), content_type="multipart/form-data").status_code == 401
    resident = client.put(url, headers=_token(people["resident"]), data=data(),
                          content_type="multipart/form-data")
    assert resident.status_code == 403
    hidden, hidden_media, _ = recorded(status="draft", contributor=people["owner"])
    other = client.put(f"/api/v1/stories/{hidden.id}/recordings/{hidden_media.id}/transcript",
                       headers=_token(people["resident"]), data=data(), content_type="multipart/form-data")
    assert other.status_code == 404
