"""Home, story and place pages: what a visitor sees, and what they never see."""

from __future__ import annotations

import io

import pytest

from memoire.extensions import db
from memoire.media.operations import add_media
from memoire.transcripts.operations import attach_transcript
from tests.conftest import gps_exif, jpeg_bytes, wav_bytes

VTT = """WEBVTT

00:00:00.000 --> 00:00:00.800
<v Marcel>On descendait à la fosse.

00:00:00.800 --> 00:00:01.500
<v Marcel>Le terril était notre montagne.
"""


@pytest.fixture
def archive(app, create_story, create_place, create_user):
    valenciennes = create_place("Valenciennes", "commune", None, 50.357, 3.523)
    dutemple = create_place("Dutemple", "quartier", "Valenciennes", 50.3526, 3.5333)
    public = create_story("La fosse Dutemple", summary="Un chevalement", body="Mon père était **mineur**.",
                          kind="oral_history", places=[dutemple], themes=["mine"], narrators=["Marcel D."],
                          period="années 60")
    add_media(None, public, io.BytesIO(jpeg_bytes(exif=gps_exif())), caption="Le chevalement")
    add_media(None, public, io.BytesIO(wav_bytes(1.5)), caption="Entretien")
    db.session.flush()
    attach_transcript(None, public, VTT.encode(), filename="t.vtt")
    db.session.commit()
    from memoire.jobs.operations import run_pending

    run_pending()
    owner = create_user("contributor")
    hidden = {
        "draft": create_story("Brouillon Quimperlé", status="draft", contributor=owner, places=[dutemple]),
        "submitted": create_story("Soumis Quiberon", status="submitted", contributor=owner, places=[dutemple]),
        "private": create_story("Privé Quillebeuf", visibility="private", places=[dutemple]),
        "researchers": create_story("Chercheurs Quintin", visibility="researchers", places=[dutemple]),
        "rejected": create_story("Refusé Quimper", status="rejected", places=[dutemple]),
        "withdrawn": create_story("Retiré Quissac", status="withdrawn", places=[dutemple]),
    }
    return {"public": public, "hidden": hidden, "valenciennes": valenciennes, "dutemple": dutemple}


def test_home_shows_recent_public_stories_map_and_neighbourhoods(client, archive):
    page = client.get("/").get_data(as_text=True)
    assert "La fosse Dutemple" in page
    assert f'href="/stories/{archive["public"].id}"' in page
    assert 'id="home-map"' in page and '"FeatureCollection"' in page
    assert f'/places/{archive["dutemple"].id}' in page
    assert 'lang="fr"' in page


def test_story_page_shows_everything_a_visitor_needs(client, archive):
    story = archive["public"]
    response = client.get(f"/stories/{story.id}?t=1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "La fosse Dutemple" in page and "Marcel D." in page and "années 60" in page
    assert "<strong>mineur</strong>" in page
    assert "Dutemple" in page and "mine" in page
    image = story.media[0]
    display = image.derivative("display")
    assert f"/media/d/{display.id}/" in page
    assert f"/media/o/{image.id}" not in page  # never the original
    assert "<audio" in page and 'data-start="1.0"' in page
    assert "Le terril était notre montagne." in page and "?t=0" in page


def test_story_by_external_id_redirects_to_the_canonical_page(client, create_story):
    story = create_story("Externe", external_id="atelier-7")
    response = client.get("/stories/atelier-7")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/stories/{story.id}")


def test_place_page_shows_parent_map_and_stories(client, archive):
    page = client.get(f'/places/{archive["dutemple"].id}').get_data(as_text=True)
    assert "Dutemple" in page and "Valenciennes" in page and "La fosse Dutemple" in page
    commune = client.get(f'/places/{archive["valenciennes"].id}').get_data(as_text=True)
    assert "La fosse Dutemple" in commune  # stories of child places show on the commune


def test_hidden_stories_404_and_never_appear(client, archive):
    for name, story in archive["hidden"].items():
        assert client.get(f"/stories/{story.id}").status_code == 404, name
    pages = [client.get(url).get_data(as_text=True) for url in
             ["/", f'/places/{archive["dutemple"].id}', f'/places/{archive["valenciennes"].id}',
              "/stories/999999"]]
    for story in archive["hidden"].values():
        for page in pages:
            assert story.title not in page


def test_owner_sees_own_draft_and_staff_sees_all(app, archive, create_user):
    owner_draft = archive["hidden"]["draft"]
    client = app.test_client()
    from memoire.accounts.models import User

    owner = db.session.get(User, owner_draft.contributor_id)
    with client.session_transaction() as session:
        session["_user_id"] = owner.get_id()
        session["_fresh"] = True
    assert client.get(f"/stories/{owner_draft.id}").status_code == 200
    assert client.get(f'/stories/{archive["hidden"]["private"].id}').status_code == 404
    moderator = create_user("moderator")
    with client.session_transaction() as session:
        session["_user_id"] = moderator.get_id()
    assert client.get(f'/stories/{archive["hidden"]["private"].id}').status_code == 200


def test_media_derivatives_are_smaller_and_carry_no_gps(app, archive):
    from PIL import Image

    storage = app.extensions["memoire.storage"]
    image = archive["public"].media[0]
    assert image.gps_lat is not None  # kept, privately, as a suggestion
    for derivative in image.derivatives:
        assert derivative.size < image.size
        with Image.open(storage.path(derivative.storage_key)) as img:
            exif = img.getexif()
            assert 0x8825 not in exif and not exif.get_ifd(0x8825)


def test_media_urls_follow_story_visibility(client, archive, create_story, app):
    story = archive["public"]
    display = story.media[0].derivative("display")
    url = f"/media/d/{display.id}/{display.sha256[:16]}"
    ok = client.get(url)
    assert ok.status_code == 200 and ok.headers["Cache-Control"].startswith("public")
    assert client.get(f"/media/o/{story.media[0].id}").status_code == 404
    hidden = archive["hidden"]["private"]
    add_media(None, hidden, io.BytesIO(jpeg_bytes(color=(1, 2, 3))), caption="x")
    db.session.commit()
    d = hidden.media[0].derivative("display")
    assert client.get(f"/media/d/{d.id}/{d.sha256[:16]}").status_code == 404


def test_audio_is_served_with_range_requests(client, archive):
    recording = next(m for m in archive["public"].media if m.kind == "audio")
    stream = recording.derivative("stream")
    assert stream is not None and recording.processing == "ready"
    url = f"/media/d/{stream.id}/{stream.sha256[:16]}"
    full = client.get(url).data
    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(full)}"
    assert part.headers["Accept-Ranges"] == "bytes"
    assert part.data == full[100:200]


def test_pages_send_security_headers(client, archive):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in csp


def test_markdown_is_sanitised(client, create_story):
    story = create_story("Hostile", body='<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>')
    page = client.get(f"/stories/{story.id}").get_data(as_text=True)
    # Shown as text, never as markup: no script element, no javascript: link, no img element.
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror" in page


def test_a_point_inside_an_outline_ties_the_story_to_that_place(app, create_story):
    from memoire.places.operations import find_or_create_place

    place = find_or_create_place(None, name="Tonini", type="quartier", parent="Denain", lat=50.33, lon=3.39)
    place.outline = {"type": "Polygon", "coordinates": [[[3.38, 50.32], [3.40, 50.32], [3.40, 50.34],
                                                         [3.38, 50.34], [3.38, 50.32]]]}
    db.session.commit()
    inside = create_story("Dans la cité", lat=50.331, lon=3.391)
    outside = create_story("Ailleurs", lat=50.5, lon=3.9)
    assert [p.name for p in inside.places] == ["Tonini"]
    assert outside.places == []


def test_nul_bytes_in_inputs_are_a_clear_400(client):
    assert client.get("/search?q=%00").status_code == 400
    assert client.get("/api/v1/search?q=a%00b").status_code == 400
    assert client.get("/api/v1/search?q=ab").status_code == 200
