"""The step-by-step contribution form, without JavaScript: every step a plain form."""

from __future__ import annotations

import io
import re

import pytest

from memoire.audit.models import AuditEvent
from memoire.extensions import db
from memoire.media.models import Media
from memoire.stories.models import Story
from tests.conftest import count_rows_and_files, gps_exif, jpeg_bytes, wav_bytes


def field_errors(html: str, field_id: str) -> list[str]:
    match = re.search(rf'id="{field_id}-error">(.*?)</div>', html, re.S)
    return re.findall(r"<p>(.*?)</p>", match.group(1), re.S) if match else []


@pytest.fixture
def resident(create_user, login):
    user = create_user("contributor", email="resident@example.org")
    login(user)
    return user


def _start(client, title="La ducasse de 1962") -> int:
    response = client.post(
        "/contribute",
        data={
            "title": title,
            "body": "On dansait sur la place.",
            "language": "fr",
            "new_themes": "fête, ducasse",
        },
    )
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[2])


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get("/contribute")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_the_whole_flow_saves_a_draft_at_each_step_then_submits(client, resident, create_place):
    create_place("Dutemple", parent="Valenciennes")
    story_id = _start(client)
    story = db.session.get(Story, story_id)
    assert story.status == "draft" and story.contributor_id == resident.id
    assert sorted(t.name for t in story.themes) == ["ducasse", "fête"]

    photo = {
        "photo-photo": (io.BytesIO(jpeg_bytes()), "place.jpg"),
        "photo-caption": "La place en 1962",
        "photo-alt_text": "",
    }
    assert (
        client.post(
            f"/contribute/{story_id}/media/photo", data=photo, content_type="multipart/form-data"
        ).status_code
        == 302
    )
    recording = {
        "rec-recording": (io.BytesIO(wav_bytes()), "voice.wav"),
        "rec-caption": "Marie raconte",
    }
    assert (
        client.post(
            f"/contribute/{story_id}/media/recording",
            data=recording,
            content_type="multipart/form-data",
        ).status_code
        == 302
    )
    db.session.expire_all()
    story = db.session.get(Story, story_id)
    image, audio = story.media
    assert (
        image.kind == "image" and image.alt_text == "La place en 1962"
    )  # pre-filled with the caption
    assert audio.kind == "audio" and story.kind == "oral_history"

    response = client.post(
        f"/contribute/{story_id}/where",
        data={"place_name": "dutemple", "commune": "", "lat": "50,3527", "lon": "3.5334"},
    )
    assert response.headers["Location"].endswith(f"/contribute/{story_id}/when")
    response = client.post(f"/contribute/{story_id}/when", data={"period": "années 60"})
    assert response.headers["Location"].endswith(f"/contribute/{story_id}/who")
    response = client.post(
        f"/contribute/{story_id}/who",
        data={"narrator": "me", "narrator_name": "", "birth_decade": "1940"},
    )
    assert response.headers["Location"].endswith(f"/contribute/{story_id}/consent")

    db.session.expire_all()
    story = db.session.get(Story, story_id)
    assert [p.name for p in story.places] == ["Dutemple"]  # the known place, accents and case aside
    assert (story.lat, story.lon) == (50.3527, 3.5334)
    assert (story.period_start, story.period_end, story.period_text) == (1960, 1969, "années 60")
    assert [p.display_name for p in story.narrators] == [resident.display_name]
    assert story.status == "draft"

    response = client.post(
        f"/contribute/{story_id}/consent",
        data={
            "online_publication": "y",
            "research_use": "y",
            "visibility": "public",
            "precision": "street",
            "licence": "CC-BY-NC-4.0",
            "send": "Send",
        },
    )
    assert response.headers["Location"].endswith("/my-stories")
    db.session.expire_all()
    story = db.session.get(Story, story_id)
    assert (
        story.status == "submitted" and story.visibility == "public" and story.precision == "street"
    )
    consent = story.consent
    assert consent.online_publication and consent.research_use and not consent.exhibition_use
    assert consent.method == "online" and consent.given_by == resident.display_name
    assert consent.licence == "CC-BY-NC-4.0"
    assert (
        db.session.query(AuditEvent).filter_by(action="story.submit", object_id=story_id).count()
        == 1
    )
    html = client.get("/my-stories").get_data(as_text=True)
    assert "La ducasse de 1962" in html and "With the moderators" in html
    # Once with the moderators, the contributor can no longer change it.
    assert client.get(f"/contribute/{story_id}/what").status_code == 403


def test_consent_defaults_to_cc_by_nc_and_nothing_ticked(client, resident):
    story_id = _start(client)
    html = client.get(f"/contribute/{story_id}/consent").get_data(as_text=True)
    assert re.search(
        r'<option selected value="CC-BY-NC-4.0"|<option value="CC-BY-NC-4.0" selected', html
    )
    for name in ("online_publication", "research_use", "exhibition_use"):
        assert re.search(rf'<input (?![^>]*checked)[^>]*name="{name}"', html)


def test_public_visibility_needs_online_consent_shown_by_the_field(client, resident):
    story_id = _start(client)
    response = client.post(
        f"/contribute/{story_id}/consent",
        data={
            "visibility": "public",
            "precision": "exact",
            "licence": "CC-BY-NC-4.0",
            "send": "Send",
        },
    )
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "online_publication") == [
        "To show the memory to everyone, the narrator must agree to online publication."
    ]
    assert db.session.get(Story, story_id).status == "draft"


def test_a_minor_needs_a_guardian(client, resident):
    story_id = _start(client)
    data = {
        "online_publication": "y",
        "visibility": "public",
        "precision": "exact",
        "licence": "CC-BY-NC-4.0",
        "narrator_is_minor": "y",
        "save": "Save",
    }
    response = client.post(f"/contribute/{story_id}/consent", data=data)
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "guardian_name") == [
        "A narrator under 18 needs a parent's or guardian's consent."
    ]
    response = client.post(
        f"/contribute/{story_id}/consent", data={**data, "guardian_name": "Sophie Martin"}
    )
    assert response.status_code == 302
    consent = db.session.get(Story, story_id).consent
    assert consent.narrator_is_minor and consent.guardian_name == "Sophie Martin"


def test_sending_needs_a_narrator_and_keeps_the_answers(client, resident):
    story_id = _start(client)
    response = client.post(
        f"/contribute/{story_id}/consent",
        data={
            "online_publication": "y",
            "visibility": "public",
            "precision": "exact",
            "licence": "CC-BY-NC-4.0",
            "send": "Send",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Say who tells this memory before sending it." in html
    assert f"/contribute/{story_id}/who" in html
    story = db.session.get(Story, story_id)
    assert story.status == "draft" and story.consent.online_publication  # the draft was saved


def test_period_errors_are_shown_by_the_field(client, resident):
    story_id = _start(client)
    response = client.post(f"/contribute/{story_id}/when", data={"period": "il y a longtemps"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_errors(html, "period") == ["This period could not be understood: il y a longtemps"]
    assert 'aria-describedby="period-help period-error"' in html


def test_title_is_required(client, resident):
    response = client.post("/contribute", data={"title": "  ", "language": "fr"})
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "title")
    assert db.session.query(Story).count() == 0


def test_a_photo_needs_a_description_and_nothing_is_kept_without_it(app, client, resident):
    story_id = _start(client)
    before = count_rows_and_files(app)
    response = client.post(
        f"/contribute/{story_id}/media/photo",
        data={
            "photo-photo": (io.BytesIO(jpeg_bytes()), "p.jpg"),
            "photo-caption": "",
            "photo-alt_text": "",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "photo-alt_text") == [
        "Describe the photo in a few words, for people who cannot see it."
    ]
    # Nothing stored; the photo is only held in the temporary folder for the next try.
    after = count_rows_and_files(app)
    assert after == {**before, "files": before["files"] + 1}
    assert len(list(app.extensions["memoire.storage"].tmp.iterdir())) == 1


def test_a_broken_file_is_refused_by_its_field_and_nothing_is_kept(app, client, resident):
    story_id = _start(client)
    before = count_rows_and_files(app)
    response = client.post(
        f"/contribute/{story_id}/media/recording",
        data={
            "rec-recording": (io.BytesIO(b"this is not a recording"), "notes.txt"),
            "rec-caption": "",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "rec-recording")
    assert count_rows_and_files(app) == before


def test_media_captions_can_be_changed_and_files_removed(client, resident):
    story_id = _start(client)
    client.post(
        f"/contribute/{story_id}/media/photo",
        data={
            "photo-photo": (io.BytesIO(jpeg_bytes()), "p.jpg"),
            "photo-caption": "Avant",
            "photo-alt_text": "",
        },
        content_type="multipart/form-data",
    )
    media = db.session.query(Media).one()
    response = client.post(
        f"/contribute/{story_id}/media/{media.id}",
        data={f"m{media.id}-caption": "Après", f"m{media.id}-alt_text": "Une place pavée"},
    )
    assert response.status_code == 302
    db.session.refresh(media)
    assert (media.caption, media.alt_text) == ("Après", "Une place pavée")
    response = client.post(
        f"/contribute/{story_id}/media/{media.id}",
        data={f"m{media.id}-caption": "", f"m{media.id}-alt_text": ""},
    )
    assert response.status_code == 400
    assert client.post(f"/contribute/{story_id}/media/{media.id}/remove").status_code == 302
    assert db.session.query(Media).count() == 0


def test_a_photos_gps_is_offered_for_the_point(client, resident):
    story_id = _start(client)
    client.post(
        f"/contribute/{story_id}/media/photo",
        data={
            "photo-photo": (io.BytesIO(jpeg_bytes(exif=gps_exif(50.35, 3.53))), "p.jpg"),
            "photo-caption": "Le terril",
            "photo-alt_text": "",
        },
        content_type="multipart/form-data",
    )
    media = db.session.query(Media).one()
    html = client.get(f"/contribute/{story_id}/where").get_data(as_text=True)
    assert f'name="use_gps" value="{media.id}"' in html
    response = client.post(
        f"/contribute/{story_id}/where",
        data={"place_name": "", "lat": "", "lon": "", "use_gps": str(media.id)},
    )
    html = response.get_data(as_text=True)
    assert re.search(r'id="lat"[^>]*value="50\.35', html) or re.search(
        r'value="50\.35[^"]*"[^>]*id="lat"', html
    )
    assert db.session.get(Story, story_id).lat is None  # a suggestion until saved


def test_coordinates_must_come_in_pairs(client, resident):
    story_id = _start(client)
    response = client.post(
        f"/contribute/{story_id}/where", data={"place_name": "", "lat": "50.3", "lon": ""}
    )
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "lon") == [
        "A point needs both a latitude and a longitude."
    ]


def test_a_new_place_joins_the_gazetteer(client, resident):
    story_id = _start(client)
    client.post(
        f"/contribute/{story_id}/where",
        data={"place_name": "Rue des Glycines (Onnaing)", "commune": "", "lat": "", "lon": ""},
    )
    place = db.session.get(Story, story_id).places[0]
    assert place.name == "Rue des Glycines" and place.parent.name == "Onnaing"


def test_place_typeahead_matches_accents_and_other_names(client, resident, create_place):
    # Gazetteer places (imported, with an external id) are offered to everybody.
    epinlieu = create_place("Épinlieu", parent="Mons")
    epinlieu.external_id = "test:epinlieu"
    place = create_place("Cité Dutemple", parent="Valenciennes")
    place.other_names = ["La Cité du Temple"]
    place.external_id = "test:dutemple"
    create_place("Impasse Secrète", parent="Mons")  # named only by a contribution: not offered
    db.session.commit()
    assert client.get("/contribute/places?q=secrete").get_json()["places"] == []
    names = [p["label"] for p in client.get("/contribute/places?q=epin").get_json()["places"]]
    assert names == ["Épinlieu (Mons)"]
    names = [
        p["name"] for p in client.get("/contribute/places?q=cite du TEMPLE").get_json()["places"]
    ]
    assert names == ["Cité Dutemple"]
    assert client.get("/contribute/places?q=e").get_json() == {"places": []}


def test_a_rejected_story_can_be_changed_and_sent_again(client, resident, create_user):
    story_id = _start(client)
    client.post(f"/contribute/{story_id}/who", data={"narrator": "other", "narrator_name": "Paul"})
    client.post(
        f"/contribute/{story_id}/consent",
        data={
            "online_publication": "y",
            "visibility": "public",
            "precision": "exact",
            "licence": "CC-BY-NC-4.0",
            "send": "Send",
        },
    )
    from memoire.stories.operations import send_back_story

    moderator = create_user("moderator")
    send_back_story(moderator, db.session.get(Story, story_id), "Merci d'ajouter la date.")
    db.session.commit()
    html = client.get("/my-stories").get_data(as_text=True)
    assert "Merci d&#39;ajouter la date." in html and "Sent back to you" in html
    assert "Merci d&#39;ajouter la date." in client.get(f"/contribute/{story_id}/when").get_data(
        as_text=True
    )
    client.post(f"/contribute/{story_id}/when", data={"period": "1962"})
    response = client.post(
        f"/contribute/{story_id}/consent",
        data={
            "online_publication": "y",
            "visibility": "public",
            "precision": "exact",
            "licence": "CC-BY-NC-4.0",
            "send": "Send",
        },
    )
    assert response.status_code == 302
    assert db.session.get(Story, story_id).status == "submitted"


def test_another_person_narrating_keeps_a_pseudonym(client, resident):
    story_id = _start(client)
    response = client.post(
        f"/contribute/{story_id}/who", data={"narrator": "other", "narrator_name": ""}
    )
    assert field_errors(response.get_data(as_text=True), "narrator_name") == [
        "Give the narrator's name, or a pseudonym."
    ]
    client.post(
        f"/contribute/{story_id}/who",
        data={"narrator": "other", "narrator_name": "Tante Lili", "pseudonym": "y"},
    )
    [person] = db.session.get(Story, story_id).narrators
    assert person.display_name == "Tante Lili" and person.is_pseudonym
