"""IIIF Presentation 3 manifests of stories, checked with the iiif-prezi3 library."""

from __future__ import annotations

import json

from iiif_prezi3 import Manifest

from memoire.stories.iiif import story_canvases
from tests.api.fixtures import REDACTED_WORD
from tests.api.helpers import assert_documented


def _language_map(value) -> bool:
    return isinstance(value, dict) and all(isinstance(v, list) and v for v in value.values())


def _validated(data: dict) -> Manifest:
    """Parse with iiif-prezi3 (pydantic models of the specification), then check the rules of
    Presentation 3 that its models leave open."""
    manifest = Manifest(**data)
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert _language_map(data["label"]) and data["items"], "a label map and at least one canvas"
    for canvas in data["items"]:
        assert _language_map(canvas["label"])
        sized = canvas.get("width", 0) > 0 and canvas.get("height", 0) > 0
        assert sized or canvas.get("duration", 0) > 0, "a canvas has a size or a duration"
        for page in canvas["items"] + canvas.get("annotations", []):
            for annotation in page["items"]:
                assert annotation["target"].split("#")[0] == canvas["id"]
                if "#t=" in annotation["target"]:
                    start, end = map(float, annotation["target"].split("#t=")[1].split(","))
                    assert 0 <= start <= end <= canvas["duration"]
    return manifest


def test_manifest_of_a_story_with_photo_recording_and_transcript(client, archive):
    story = archive["public"]
    url = f"/api/v1/stories/{story.id}/manifest.json"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    assert "presentation/3/context.json" in response.headers["Content-Type"]
    assert_documented(response, url)
    data = response.get_json()
    manifest = _validated(data)
    assert str(manifest.id) == f"http://localhost{url}"
    photo, sound = data["items"]

    assert photo["width"] and photo["height"]
    painting = photo["items"][0]["items"][0]
    assert painting["motivation"] == "painting" and painting["body"]["type"] == "Image"
    assert painting["body"]["id"].startswith("http://localhost/media/d/")
    assert client.get(painting["body"]["id"]).status_code == 200

    assert sound["duration"] == sound["items"][0]["items"][0]["body"]["duration"]
    assert abs(sound["duration"] - 3.0) < 0.1
    assert sound["items"][0]["items"][0]["body"]["type"] == "Sound"
    annotations = sound["annotations"][0]["items"]
    assert [a["motivation"] for a in annotations] == ["supplementing"] * 3
    assert annotations[0]["target"] == f"{sound['id']}#t=0,1"
    assert annotations[2]["target"] == f"{sound['id']}#t=2,3"
    assert annotations[0]["body"]["value"] == "Marcel : Le chevalement dominait la cité."
    raw = json.dumps(data)
    assert REDACTED_WORD not in raw and "/media/o/" not in raw
    assert data["rights"] == "http://creativecommons.org/licenses/by-nc/4.0/"


def test_a_story_in_words_only_still_has_a_valid_manifest(client, create_story):
    story = create_story("Le café du coin", summary="Un souvenir sans photo")
    data = client.get(f"/api/v1/stories/{story.id}/manifest.json").get_json()
    _validated(data)
    assert len(data["items"]) == 1
    assert data["items"][0]["items"][0]["items"][0]["body"]["value"] == "Un souvenir sans photo"


def test_canvases_are_shared_with_other_manifests(app, archive):
    with app.test_request_context():
        canvases = story_canvases(archive["public"], "https://example.org/iiif/exhibition/mine")
    assert [c["id"].rsplit("/", 1)[0] for c in canvases] == [
        "https://example.org/iiif/exhibition/mine/canvas"
    ] * 2


def test_hidden_stories_have_no_manifest(client, archive, auth_headers):
    for story in archive["hidden"].values():
        assert client.get(f"/api/v1/stories/{story.id}/manifest.json").status_code == 404
    researchers = archive["hidden"]["researchers"]
    allowed = client.get(
        f"/api/v1/stories/{researchers.id}/manifest.json", headers=auth_headers("researcher")
    )
    assert allowed.status_code == 200
    _validated(allowed.get_json())
