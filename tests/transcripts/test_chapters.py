"""Chapters (OHMS index segments): imported whole, edited, placed, shown, exported back."""

from __future__ import annotations

import pytest

from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.transcripts import operations as ops
from memoire.transcripts.ohms import parse_index
from tests.conftest import shared_data

OHMS = """<?xml version="1.0" encoding="UTF-8"?>
<ROOT xmlns="https://www.weareavp.com/nunncenter/ohms"><record id="1">
<title>Les matins</title><duration>0:00:10</duration>
<vtt_transcript>WEBVTT

00:00:00.000 --> 00:00:04.000
&lt;v Marie&gt;On allait à la fosse Dutemple.

00:00:04.000 --> 00:00:09.000
&lt;v Marie&gt;Le soir, rue des Sarts.
</vtt_transcript>
<index>
<point><time>4</time><title>Le soir</title><partial_transcript>Le soir, rue</partial_transcript>
<synopsis>Les jeux dans la rue.</synopsis><keywords>jeux;rue des Sarts</keywords><subjects>Enfance</subjects>
<gpspoints><gps>50.3561, 3.5412</gps><gps_zoom>17</gps_zoom><gps_text>Rue des Sarts</gps_text></gpspoints></point>
<point><time>0</time><title>La fosse</title><synopsis>Le travail du père.</synopsis>
<keywords>fosse Dutemple;mine</keywords><subjects>Travail;Charbon</subjects></point>
</index></record></ROOT>
"""


def test_every_field_of_the_ohms_index_is_read():
    [fosse, soir] = parse_index(OHMS.encode())
    assert (fosse.start, fosse.title, fosse.keywords, fosse.subjects) == (
        0.0, "La fosse", ["fosse Dutemple", "mine"], ["Travail", "Charbon"])
    assert (soir.lat, soir.lon, soir.gps_text, soir.partial_transcript) == (
        50.3561, 3.5412, "Rue des Sarts", "Le soir, rue")


def test_a_real_ohms_export_keeps_its_keywords_and_gps():
    path = shared_data("french_text", "oral_history_ohms", "ohms_xml", "legacy", "duarte_OH0344.xml")
    chapters = parse_index(path.read_bytes())
    assert len(chapters) == 7 and chapters[0].keywords and chapters[0].lat is not None


def test_attaching_ohms_brings_its_chapters(recorded, people):
    story, media, transcript = recorded()
    ops.attach_transcript(people["moderator"], story, OHMS.encode(), filename="i.xml", media=media)
    db.session.commit()
    assert [c.title for c in transcript.chapters] == ["La fosse", "Le soir"]
    assert transcript.chapters[1].lat == 50.3561
    ops.attach_transcript(people["moderator"], story, b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nun\n",
                          filename="t.vtt", media=media)
    db.session.commit()
    assert len(transcript.chapters) == 2  # a file with no index keeps the chapters in place


def test_chapter_crud_and_its_rules(recorded, people, create_place):
    story, media, transcript = recorded()
    chapter = ops.save_chapter(people["mediator"], transcript,
                               {"start": "0:05", "title": " Le  soir ", "keywords": "jeux; rue; jeux"})
    db.session.commit()
    assert (chapter.start, chapter.title, chapter.keywords) == (5.0, "Le soir", ["jeux", "rue"])
    ops.save_chapter(people["mediator"], transcript, {"start": "1", "title": "Début"}, chapter)
    assert chapter.start == 1.0
    for bad in [{"start": "", "title": "x"}, {"start": "1", "title": ""},
                {"start": "99", "title": "x"}, {"start": "1", "title": "x", "place_id": "999999"}]:
        with pytest.raises(ValidationError):
            ops.save_chapter(people["mediator"], transcript, bad)
    ops.delete_chapter(people["moderator"], chapter)
    db.session.commit()
    assert transcript.chapters == []


def test_a_moment_obeys_the_story_precision(recorded, people, create_place, create_story):
    story, media, transcript = recorded()
    quartier = create_place("Dutemple", "quartier", "Valenciennes")
    street = create_place("Rue des Sarts", "street", "Dutemple")
    story.precision = "quartier"
    db.session.commit()
    with pytest.raises(ValidationError):
        ops.save_chapter(people["moderator"], transcript,
                         {"start": "0", "title": "x", "place_id": str(street.id)})
    db.session.rollback()
    chapter = ops.save_chapter(people["moderator"], transcript,
                               {"start": "0", "title": "x", "place_id": str(quartier.id)})
    assert chapter.place_id == quartier.id
    segment = transcript.segments[0]
    with pytest.raises(ValidationError):
        ops.edit_segments(people["moderator"], transcript, {segment.id: {"place_id": street.id}},
                          base_version=transcript.version)
    ops.edit_segments(people["moderator"], transcript, {segment.id: {"place_id": quartier.id}},
                      base_version=transcript.version)
    assert segment.place_id == quartier.id


def test_the_story_page_shows_a_table_of_contents_and_exports(app, client, recorded, people):
    story, media, transcript = recorded()
    ops.attach_transcript(people["moderator"], story, OHMS.encode(), filename="i.xml", media=media)
    db.session.commit()
    page = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert 'href="?t=4#player"' in page and "Le soir" in page
    vtt = client.get(f"/stories/{story.id}/transcripts/{transcript.id}/chapters.vtt")
    assert vtt.status_code == 200 and vtt.mimetype == "text/vtt"
    assert "00:00:00.000 --> 00:00:04.000\nLa fosse" in vtt.get_data(as_text=True)
    xml = client.get(f"/stories/{story.id}/transcripts/{transcript.id}/ohms.xml")
    assert xml.status_code == 200
    # The export reads back the same: segments, chapters with keywords, subjects and GPS.
    again = parse_index(xml.data)
    assert [(c.start, c.title, c.keywords, c.subjects, c.lat) for c in again] == [
        (c.start, c.title, c.keywords, c.subjects, c.lat) for c in transcript.chapters]
    from memoire.transcripts.parsers import parse_transcript

    assert [s.text for s in parse_transcript(xml.data, "x.xml").segments] == [
        s.text for s in transcript.segments]


def test_the_export_hides_gps_of_a_story_shown_roughly(app, client, recorded, people):
    story, media, transcript = recorded()
    ops.attach_transcript(people["moderator"], story, OHMS.encode(), filename="i.xml", media=media)
    story.precision = "quartier"
    db.session.commit()
    xml = client.get(f"/stories/{story.id}/transcripts/{transcript.id}/ohms.xml").get_data(as_text=True)
    assert "50.3561" not in xml and "Rue des Sarts</gps_text>" not in xml


def test_chapters_are_edited_in_the_editor(app, client, login, recorded, people):
    story, media, transcript = recorded()
    login(people["moderator"])
    url = f"/stories/{story.id}/transcripts/{transcript.id}/chapters"
    response = client.post(url, data={"start": "0:05", "title": "Le soir", "subjects": "Enfance"})
    assert response.status_code == 302 and transcript.chapters[0].subjects == ["Enfance"]
    chapter = transcript.chapters[0]
    bad = client.post(f"{url}/{chapter.id}", data={"start": "0:05", "title": ""})
    assert bad.status_code == 400 and "needs a title" in bad.get_data(as_text=True)
    client.post(f"{url}/{chapter.id}", data={"delete": "1"})
    assert transcript.chapters == []
