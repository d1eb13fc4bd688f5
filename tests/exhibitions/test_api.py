"""The exhibition JSON for other displays and its IIIF Presentation 3 manifest."""

from __future__ import annotations

import pytest

from memoire.exhibitions import operations as ops
from memoire.extensions import db
from memoire.media.models import Derivative, Media
from memoire.stories import operations as story_ops


@pytest.fixture
def exhibition(curator, rich_story, create_story, create_user):
    contributor = create_user("contributor", email="jeanne.contributrice@example.org")
    fosse = rich_story("La fosse", contributor=contributor, narrators=["Marie Lefebvre", "Jules"])
    bal = create_story("La salle des fêtes", narrators=[])
    exhibition = ops.create_exhibition(
        curator,
        ops.ExhibitionInput(title="Mémoires de la fosse", slug="fosse", introduction="Des voix."),
    )
    ops.add_item(
        curator,
        exhibition,
        fosse,
        caption="La descente",
        excerpt=ops.Excerpt(start=1.5, end=4.5, photo_media_id=ops.photos_of(fosse)[1].id),
    )
    ops.add_item(curator, exhibition, bal, caption="Le samedi soir")
    ops.publish_exhibition(curator, exhibition)
    db.session.commit()
    return exhibition


def test_json_has_items_in_order_with_excerpts_media_and_credits(client, exhibition):
    response = client.get("/api/v1/exhibitions/fosse")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert data["title"] == "Mémoires de la fosse" and data["status"] == "published"
    assert data["url"] == "http://localhost/exhibitions/fosse"
    assert data["manifest"] == "http://localhost/api/v1/exhibitions/fosse/manifest.json"
    first, second = data["items"]
    assert [first["position"], second["position"]] == [1, 2]
    assert (first["caption"], second["caption"]) == ("La descente", "Le samedi soir")
    assert first["audio"]["excerpt"] == {"start": 1.5, "end": 4.5}
    assert first["audio"]["offset"] == 0 and first["audio"]["mime"] == "audio/mp4"
    assert [line["text"] for line in first["transcript"]] == [
        "Mon père était porion.",
        "Le dimanche, on allait au bal.",
    ]
    assert first["transcript"][0] == {
        "start": 1.5,
        "end": 3.0,
        "speaker": "Marie",
        "text": "Mon père était porion.",
    }
    assert first["licence"] == "CC-BY-NC-4.0"
    assert first["licence_url"] == "http://creativecommons.org/licenses/by-nc/4.0/"
    assert first["credit"] == "Told by Marie Lefebvre, Jules · CC BY-NC 4.0"
    assert second["credit"] == "Mémoire archive · CC BY-NC 4.0"
    assert second["audio"] is None and second["photo"] is None
    assert first["place"]["name"] == "Dutemple" and first["place"]["lat"] is not None
    assert first["story"]["url"].startswith("http://localhost/stories/")

    # Media URLs are absolute, are derivatives, and serve.
    for url in (
        first["photo"]["url"],
        first["photo"]["thumbnail_url"],
        first["audio"]["url"],
        data["cover"]["url"],
    ):
        assert url.startswith("http://localhost/media/d/")
        assert client.get(url.removeprefix("http://localhost")).status_code == 200
    chosen = ops.photos_of(exhibition.items[0].story)[1]
    display = chosen.derivative("display")
    assert first["photo"]["url"].endswith(f"/media/d/{display.id}/{display.sha256[:16]}")
    assert (first["photo"]["width"], first["photo"]["height"]) == (display.width, display.height)

    text = response.get_data(as_text=True)
    assert "jeanne.contributrice" not in text and "@" not in text
    assert "/media/o/" not in text
    original_shas = {m.sha256 for m in db.session.query(Media)}
    assert not any(sha[:16] in text for sha in original_shas)


def test_list_of_published_exhibitions(client, exhibition, curator):
    draft = ops.create_exhibition(curator, ops.ExhibitionInput(title="Brouillon", slug="brouillon"))
    db.session.commit()
    data = client.get("/api/v1/exhibitions").get_json()["exhibitions"]
    assert [e["slug"] for e in data] == ["fosse"]
    assert data[0]["items"] == 2 and data[0]["api"] == "http://localhost/api/v1/exhibitions/fosse"
    assert draft.slug not in str(data)


def test_manifest_is_valid_iiif_presentation_3(client, exhibition):
    iiif_prezi3 = pytest.importorskip("iiif_prezi3")
    response = client.get("/api/v1/exhibitions/fosse/manifest.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert data["id"] == "http://localhost/api/v1/exhibitions/fosse/manifest.json"
    assert data["type"] == "Manifest"
    assert data["label"] == {"fr": ["Mémoires de la fosse"]}
    assert data["summary"] == {"fr": ["Des voix."]}

    manifest = iiif_prezi3.Manifest(**data)  # raises on anything the models refuse
    assert manifest.type == "Manifest" and len(manifest.items) == 2

    photo, sound = data["items"]
    body = photo["items"][0]["items"][0]["body"]
    assert (body["type"], body["format"]) == ("Image", "image/jpeg")
    assert (photo["width"], photo["height"]) == (body["width"], body["height"])
    assert photo["rights"] == "http://creativecommons.org/licenses/by-nc/4.0/"
    assert sound["duration"] == pytest.approx(6.0, abs=0.1)
    assert sound["items"][0]["items"][0]["body"]["type"] == "Sound"
    lines = sound["annotations"][0]["items"]
    assert [a["motivation"] for a in lines] == ["supplementing", "supplementing"]
    assert lines[0]["target"] == f"{sound['id']}#t=1.5,3"
    assert lines[0]["body"]["value"] == "Marie: Mon père était porion."
    (first_range,) = data["structures"]  # the second item has neither photo nor excerpt
    assert [part["id"] for part in first_range["items"]] == [
        photo["id"],
        f"{sound['id']}#t=1.5,4.5",
    ]
    for canvas in data["items"]:
        for page in canvas["items"]:
            for annotation in page["items"]:
                assert annotation["body"]["id"].startswith("http://localhost/media/d/")


def test_withdrawn_story_vanishes_from_json_and_manifest(client, exhibition, create_user):
    fosse = exhibition.items[0].story
    story_ops.withdraw_story(create_user("moderator"), fosse)
    db.session.commit()
    data = client.get("/api/v1/exhibitions/fosse").get_json()
    assert [item["story"]["title"] for item in data["items"]] == ["La salle des fêtes"]
    assert data["cover"] is None  # the cover was a photo of the withdrawn story
    manifest = client.get("/api/v1/exhibitions/fosse/manifest.json").get_data(as_text=True)
    assert "La fosse" not in manifest and "porion" not in manifest
    derivative_ids = [d.id for m in fosse.media for d in m.derivatives]
    assert derivative_ids and not any(f"/media/d/{i}/" in manifest for i in derivative_ids)
    assert db.session.query(Derivative).count() > 0


def test_a_non_public_story_never_appears_in_any_output(client, exhibition):
    """The leak check: a story made private after it was added shows nowhere."""
    bal = exhibition.items[1].story
    bal.visibility = "researchers"
    db.session.commit()
    for url in (
        "/exhibitions/fosse",
        "/api/v1/exhibitions/fosse",
        "/api/v1/exhibitions/fosse/manifest.json",
        "/exhibitions",
    ):
        text = client.get(url).get_data(as_text=True)
        assert "La salle des fêtes" not in text and "Le samedi soir" not in text, url


def test_json_speaks_the_visitors_language(client, exhibition):
    data = client.get("/api/v1/exhibitions/fosse?lang=fr").get_json()
    assert data["items"][0]["credit"] == "Raconté par Marie Lefebvre, Jules · CC BY-NC 4.0"
