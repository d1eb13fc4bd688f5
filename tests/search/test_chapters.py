"""Chapters (OHMS index segments) are searched like segments: a hit lands on their second."""

from __future__ import annotations

from memoire.extensions import db
from memoire.search import service
from memoire.transcripts import operations as ops

SEGMENTS = [
    (0.0, 30.0, "Marcel", "Je suis né en trente-deux."),
    (30.0, 90.0, "Marcel", "Mon père descendait tous les jours."),
    (90.0, 150.0, "Marcel", "Puis la fermeture, et tout le monde est parti."),
]


def _interview(create_story, add_transcript, **story):
    story = create_story("Entretien avec Marcel", kind="oral_history", **story)
    transcript = add_transcript(story, SEGMENTS)
    ops.save_chapter(
        None,
        transcript,
        {
            "start": "1:30",
            "title": "La grève de soixante",
            "synopsis": "Les piquets devant le charbonnage, l'hiver.",
            "keywords": "syndicat; solidarité",
            "subjects": "Grève de 1960-1961",
        },
    )
    db.session.commit()
    return story, transcript


def test_a_chapter_hit_lands_on_its_second(create_story, add_transcript):
    story, transcript = _interview(create_story, add_transcript)
    for words in ("grève", "piquets", "charbonnages", "syndicat", "solidarite"):
        (result,) = service.search(None, {"q": words}).results
        (hit,) = [s for s in result.segments if s.chapter_id is not None]
        assert hit.start == 90.0, words
        assert hit.url == f"/stories/{story.id}?t=90"
        assert hit.chapter == "La grève de soixante"
        assert "<mark>" in hit.snippet
    # A word said in a segment still finds the segment, not the chapter.
    (result,) = service.search(None, {"q": "fermeture"}).results
    assert [(s.segment_id is not None, s.start) for s in result.segments] == [(True, 90.0)]


def test_changed_and_removed_chapters_leave_the_index(create_story, add_transcript):
    story, transcript = _interview(create_story, add_transcript)
    (chapter,) = transcript.chapters
    ops.save_chapter(None, transcript, {"start": "2:00", "title": "Le lavoir de la cité"}, chapter)
    db.session.commit()
    assert service.search(None, {"q": "piquets"}).results == []
    (result,) = service.search(None, {"q": "lavoir"}).results
    assert [s.start for s in result.segments] == [120.0]
    ops.delete_chapter(None, chapter)
    db.session.commit()
    assert service.search(None, {"q": "lavoir"}).results == []


def test_chapters_of_a_translated_transcript(create_story, add_transcript):
    # A segment of a second language track is indexed once per language (on PostgreSQL too).
    story, transcript = _interview(create_story, add_transcript)
    from memoire.transcripts.models import TranscriptTranslation

    transcript.translations.append(
        TranscriptTranslation(
            language="nl", texts={str(transcript.segments[1].id): "Mijn vader was mijnwerker."}
        )
    )
    db.session.commit()
    (result,) = service.search(None, {"q": "mijnwerkers"}).results
    assert [s.start for s in result.segments] == [30.0]
    (result,) = service.search(None, {"q": "grève"}).results
    assert [s.start for s in result.segments] == [90.0]


def test_the_search_page_and_api_show_the_chapter(client, create_story, add_transcript, page_shell):
    story, transcript = _interview(create_story, add_transcript)
    page = client.get("/search?q=piquets").get_data(as_text=True)
    assert f"/stories/{story.id}?t=90" in page
    found = client.get("/api/v1/search?q=piquets").get_json()
    (hit,) = found["results"][0]["segments"]
    assert hit["start"] == 90.0 and hit["chapter"] == "La grève de soixante"
