"""Withdrawing hides a story everywhere at once; mediators upload a workshop in one go."""

from __future__ import annotations

import io

import pytest

from memoire.audit.models import AuditEvent
from memoire.extensions import db
from memoire.stories.models import Story, StoryTombstone
from tests.conftest import jpeg_bytes, wav_bytes


@pytest.fixture
def published(create_user, create_place, create_story):
    author = create_user("contributor", email="author@example.org")
    place = create_place("Dutemple", parent="Valenciennes")
    story = create_story(
        "Le bal du samedi soir", contributor=author, places=[place], body="Un souvenir de bal."
    )
    return story, place, author


def test_a_withdrawn_story_disappears_from_every_page_at_once(client, login, published):
    story, place, author = published
    pages = ["/", f"/stories/{story.id}", f"/places/{place.id}", f"/places/{place.parent_id}"]
    for url in pages:
        assert "Le bal du samedi soir" in client.get(url).get_data(as_text=True), url

    login(author)
    confirm = client.get(f"/my-stories/{story.id}/withdraw")
    assert confirm.status_code == 200 and "Withdraw" in confirm.get_data(as_text=True)
    response = client.post(f"/my-stories/{story.id}/withdraw")
    assert response.status_code == 302

    client.post("/account/logout")
    assert client.get(f"/stories/{story.id}").status_code == 404
    for url in ["/", f"/places/{place.id}", f"/places/{place.parent_id}"]:
        assert "Le bal du samedi soir" not in client.get(url).get_data(as_text=True), url
    assert "Le bal du samedi soir" not in client.get("/api/v1/map.geojson").get_data(as_text=True)
    # Not even its author sees it any more; the administrators are asked to erase it.
    login(author)
    assert client.get(f"/stories/{story.id}").status_code == 404
    assert "Nobody can see it any more" in client.get("/my-stories").get_data(as_text=True)
    assert db.session.get(StoryTombstone, story.id) is not None
    assert (
        db.session.query(AuditEvent).filter_by(action="story.withdraw", object_id=story.id).count()
        == 1
    )


def test_the_withdraw_page_asks_first_and_get_changes_nothing(client, login, published):
    story, _place, author = published
    login(author)
    client.get(f"/my-stories/{story.id}/withdraw")
    assert db.session.get(Story, story.id).status == "published"


def test_workshop_upload_makes_one_draft_per_file_and_reports_bad_ones(client, login, create_user):
    mediator = create_user("mediator", email="mediator@example.org")
    login(mediator)
    response = client.post(
        "/contribute/workshop",
        data={
            "title": "Atelier du 12 mars",
            "files": [
                (io.BytesIO(wav_bytes()), "marie.wav"),
                (io.BytesIO(jpeg_bytes()), "photo.jpg"),
                (io.BytesIO(b"not a file we take"), "notes.txt"),
            ],
            "narrator": "",
            "place_name": "Centre social Dutemple",
            "period": "années 70",
            "language": "fr",
            "method": "signed_form",
            "given_by": "Les participants de l'atelier",
            "online_publication": "y",
            "research_use": "y",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400  # one file failed: the page says which
    html = response.get_data(as_text=True)
    assert "notes.txt" in html
    stories = db.session.query(Story).order_by(Story.id).all()
    assert [s.title for s in stories] == [
        "Atelier du 12 mars — marie.wav",
        "Atelier du 12 mars — photo.jpg",
    ]
    for story in stories:
        assert story.status == "draft" and story.contributor_id == mediator.id
        assert story.consent.method == "signed_form"
        assert story.consent.given_by == "Les participants de l'atelier"
        assert [p.name for p in story.places] == ["Centre social Dutemple"]
        assert story.period_start == 1970
    assert stories[0].kind == "oral_history" and stories[1].kind == "photo"
    assert stories[1].media[0].alt_text == "Atelier du 12 mars"


def test_workshop_upload_needs_the_consent_method(client, login, create_user):
    login(create_user("mediator"))
    response = client.post(
        "/contribute/workshop",
        data={
            "title": "Atelier",
            "files": [(io.BytesIO(wav_bytes()), "a.wav")],
            "language": "fr",
            "given_by": "X",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Say how consent was given." in response.get_data(as_text=True)
    assert db.session.query(Story).count() == 0


def test_a_mediator_records_how_consent_was_given(client, login, create_user):
    login(create_user("mediator"))
    response = client.post(
        "/contribute", data={"title": "Chez Paulette", "body": "…", "language": "fr"}
    )
    story_id = int(response.headers["Location"].split("/")[2])
    html = client.get(f"/contribute/{story_id}/who").get_data(as_text=True)
    assert (
        'value="other" checked' in html
        or 'checked type="radio" value="other"' in html
        or (
            'value="other"' in html
            and "checked" in html.split('value="other"')[0].rsplit("<input", 1)[1]
        )
    )
    client.post(
        f"/contribute/{story_id}/who", data={"narrator": "other", "narrator_name": "Paulette"}
    )
    data = {
        "online_publication": "y",
        "visibility": "public",
        "precision": "exact",
        "licence": "CC-BY-NC-4.0",
        "send": "Send",
        "given_by": "Paulette",
    }
    response = client.post(f"/contribute/{story_id}/consent", data=data)
    assert response.status_code == 400
    assert "Say how the narrator gave consent." in response.get_data(as_text=True)
    response = client.post(
        f"/contribute/{story_id}/consent", data={**data, "method": "oral_recorded"}
    )
    assert response.status_code == 302
    story = db.session.get(Story, story_id)
    assert story.status == "submitted"
    assert (story.consent.method, story.consent.given_by) == ("oral_recorded", "Paulette")
    assert [p.display_name for p in story.narrators] == ["Paulette"]
