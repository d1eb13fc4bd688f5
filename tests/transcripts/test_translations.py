"""A second language track: aligned to the segments' times, shown, exported, searched in Dutch."""

from __future__ import annotations

import pytest

from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.media import operations as media_ops
from memoire.search import service
from memoire.transcripts import operations as ops

DUTCH = """WEBVTT

00:00:00.100 --> 00:00:02.400
We gingen elke ochtend naar de mijn Dutemple.

00:00:02.600 --> 00:00:04.900
Mijn vader was mijnwerker ondergronds.

00:00:05.100 --> 00:00:07.400
En 's avonds speelden we in de rue des Sarts.

00:00:07.600 --> 00:00:09.400
De wijk zat vol kinderen.
"""


def test_a_dutch_track_aligns_to_the_segments(recorded, people):
    story, media, transcript = recorded()
    translation = ops.attach_translation(people["mediator"], transcript, DUTCH.encode(),
                                         filename="nl.vtt", language="nl")
    db.session.commit()
    second = transcript.segments[1]
    assert translation.text_of(second) == "Mijn vader was mijnwerker ondergronds."
    assert len(translation.texts) == 4


@pytest.mark.parametrize("language", ["", "fr", "néerlandais", "x"])
def test_a_bad_language_is_refused(recorded, people, language):
    story, media, transcript = recorded()
    with pytest.raises(ValidationError):
        ops.attach_translation(people["moderator"], transcript, DUTCH.encode(), filename="nl.vtt",
                               language=language)


def test_times_that_do_not_meet_are_refused(recorded, people):
    story, media, transcript = recorded()
    far = b"WEBVTT\n\n00:00:20.000 --> 00:00:21.000\nVer weg.\n"
    with pytest.raises(ValidationError):
        ops.attach_translation(people["moderator"], transcript, far, filename="nl.vtt", language="nl")
    assert transcript.translations == []


def test_shown_exported_searchable_and_withheld(app, client, recorded, people):
    story, media, transcript = recorded()
    ops.attach_translation(people["moderator"], transcript, DUTCH.encode(), filename="nl.vtt",
                           language="nl")
    db.session.commit()
    service.apply_pending_after_commit()
    page = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert 'lang="nl"' in page and "Mijn vader was mijnwerker ondergronds." in page
    vtt = client.get(f"/stories/{story.id}/transcripts/{transcript.id}/translations/nl.vtt")
    assert vtt.status_code == 200 and "Mijn vader was mijnwerker" in vtt.get_data(as_text=True)
    assert client.get(f"/stories/{story.id}/transcripts/{transcript.id}/translations/de.vtt").status_code == 404
    # Dutch analysis: "mijnwerkers" finds "mijnwerker", and the hit carries the segment's time.
    found = client.get("/api/v1/search?q=mijnwerkers").get_json()
    hit = next(r for r in found["results"] if r["id"] == story.id)
    assert any(abs((s.get("start") or 0) - 2.5) < 0.01 for s in hit.get("segments", []))
    # A withheld passage stays withheld in the translation too.
    media_ops.redact(people["moderator"], media, 2.6, 4.9)
    db.session.commit()
    service.apply_pending_after_commit()
    for url in (f"/stories/{story.id}", f"/stories/{story.id}/transcripts/{transcript.id}/translations/nl.vtt"):
        assert "mijnwerker" not in client.get(url).get_data(as_text=True)
    assert not any(r["id"] == story.id
                   for r in client.get("/api/v1/search?q=mijnwerker").get_json()["results"])


def test_attached_from_the_editor(app, client, login, recorded, people):
    import io

    story, media, transcript = recorded()
    login(people["moderator"])
    response = client.post(f"/stories/{story.id}/transcripts/{transcript.id}/translations",
                           data={"language": "nl", "translation": (io.BytesIO(DUTCH.encode()), "nl.vtt")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and transcript.translations[0].language == "nl"


def test_a_track_is_written_line_by_line(recorded, people):
    story, media, transcript = recorded()
    first, second = transcript.segments[0], transcript.segments[1]
    translation = ops.edit_translation(people["mediator"], transcript, "nl",
                                       {first.id: "  We gingen  naar de mijn. "})
    db.session.commit()
    assert translation.texts == {str(first.id): "We gingen naar de mijn."}
    ops.edit_translation(people["mediator"], transcript, "nl",
                         {first.id: "", second.id: "Mijn vader was mijnwerker."})
    db.session.commit()
    assert translation.texts == {str(second.id): "Mijn vader was mijnwerker."}
    for actor, lines, error in [
        (people["resident"], {first.id: "x"}, "Forbidden"),
        (people["mediator"], {999999: "x"}, "NotFound"),
        (people["mediator"], {first.id: "x" * 20_001}, "ValidationError"),
    ]:
        with pytest.raises(Exception) as caught:
            ops.edit_translation(actor, transcript, "nl", lines)
        assert type(caught.value).__name__ == error
    with pytest.raises(ValidationError):
        ops.edit_translation(people["mediator"], transcript, "fr", {first.id: "x"})
    db.session.rollback()
    assert translation.texts == {str(second.id): "Mijn vader was mijnwerker."}


def test_a_withheld_line_stays_as_it_is(recorded, people):
    story, media, transcript = recorded()
    ops.attach_translation(people["moderator"], transcript, DUTCH.encode(), filename="nl.vtt",
                           language="nl")
    media_ops.redact(people["moderator"], media, 2.6, 4.9)
    db.session.commit()
    second = transcript.segments[1]
    with pytest.raises(Exception) as caught:
        ops.edit_translation(people["mediator"], transcript, "nl", {second.id: "Iets anders."})
    assert type(caught.value).__name__ == "Forbidden"
    # Sending the line unchanged (as the form does) is no change.
    ops.edit_translation(people["mediator"], transcript, "nl",
                         {second.id: "Mijn vader was mijnwerker ondergronds."})


def test_the_no_script_form_and_the_api(app, client, login, recorded, people):
    from tests.transcripts.test_api import _token

    story, media, transcript = recorded()
    first = transcript.segments[0]
    url = f"/stories/{story.id}/transcripts/{transcript.id}/translations/edit"
    login(people["mediator"])
    page = client.get(url + "?language=nl")
    assert page.status_code == 200 and f'name="line-{first.id}"' in page.get_data(as_text=True)
    assert client.get(url + "?language=fr").status_code == 400
    saved = client.post(url, data={"language": "nl", f"line-{first.id}": "We gingen naar de mijn."})
    assert saved.status_code == 302
    assert transcript.translations[0].text_of(first) == "We gingen naar de mijn."
    assert "We gingen naar de mijn." in client.get(url + "?language=nl").get_data(as_text=True)
    api = app.test_client()
    patch = f"/api/v1/stories/{story.id}/transcripts/{transcript.id}/translations/nl"
    body = {"lines": {str(first.id): "Elke ochtend naar de mijn."}}
    assert api.patch(patch, json=body).status_code == 401
    assert api.patch(patch, json=body, headers=_token(people["resident"])).status_code == 403
    answer = api.patch(patch, json=body, headers=_token(people["mediator"]))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["lines"][0]["text"] == "Elke ochtend naar de mijn."
    assert api.patch(patch, json={"lines": {"x": "y"}},
                     headers=_token(people["mediator"])).status_code == 400
