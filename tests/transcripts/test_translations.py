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
