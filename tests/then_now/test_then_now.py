"""Then and now (issue 18 item 5): an archive photo paired with a photo of the same view today.

The rule lives in memoire.then_now.operations (pair_photos, is_shown, shown_clause); it is
tested there, then at each door: the story page, the pair's pages, the pairing form and
the JSON/GeoJSON API (answers checked against the OpenAPI document).
"""

# ruff: noqa: F811  (the client and login fixtures are imported)
from __future__ import annotations

import io

import pytest

from memoire.core.errors import Conflict, Forbidden, NotFound, ValidationError
from memoire.extensions import db
from memoire.media.operations import add_media
from memoire.privacy.operations import erase_story
from memoire.then_now import operations as ops
from memoire.then_now.models import ThenNowPair
from tests.api.helpers import assert_documented
from tests.conftest import jpeg_bytes, wav_bytes
from tests.english_client import client, login  # noqa: F401


def _photo(story, color=(120, 80, 40), caption=""):
    media = add_media(None, story, io.BytesIO(jpeg_bytes(color=color)), caption=caption)
    db.session.commit()
    return media


@pytest.fixture
def scene(create_user, create_story, create_place):
    """The 1930s fosse Dutemple (public) and a resident's draft photo of it today."""
    resident = create_user("contributor", email="lea@example.org")
    quartier = create_place("Dutemple", "quartier", "Valenciennes", 50.3526, 3.5333)
    street = create_place("Rue Lomprez", "street", "Dutemple", 50.3531, 3.5341)
    old = create_story("La fosse en 1930", places=[street], precision="street")
    today = create_story(
        "La fosse aujourd'hui",
        places=[street],
        status="draft",
        contributor=resident,
        precision="street",
    )
    return {
        "resident": resident,
        "quartier": quartier,
        "street": street,
        "old": old,
        "today": today,
        "then": _photo(old, caption="Le chevalement"),
        "now": _photo(today, (60, 140, 60)),
    }


def _publish(story):
    story.status = "published"
    db.session.commit()


def test_a_pair_waits_for_both_photos_to_be_public(app, scene):
    pair = ops.pair_photos(scene["resident"], scene["then"].id, scene["now"].id)
    db.session.commit()
    assert pair.place_id == scene["street"].id  # the archive story's place by default
    assert not ops.is_shown(pair)  # today's photo is still a draft, waiting for moderation
    assert ops.shown_pairs() == [] and ops.pairs_of_story(scene["old"]) == []
    with pytest.raises(NotFound):
        ops.get_shown_pair(pair.id)
    _publish(scene["today"])
    assert ops.is_shown(pair) and ops.shown_pairs() == [pair]
    assert ops.pairs_of_story(scene["old"]) == [pair] == ops.pairs_of_story(scene["today"])
    # Either side made private (or withdrawn): the pair is hidden for everybody, at once.
    for story, field, value in [
        (scene["old"], "visibility", "private"),
        (scene["today"], "status", "withdrawn"),
    ]:
        before = getattr(story, field)
        setattr(story, field, value)
        db.session.commit()
        assert not ops.is_shown(pair) and ops.shown_pairs() == []
        assert ops.pairs_of_story(scene["old"]) == [] == ops.pairs_of_story(scene["today"])
        setattr(story, field, before)
        db.session.commit()
    assert ops.shown_pairs() == [pair]


def test_erasing_either_side_erases_the_pair_and_leaves_the_other_story(app, scene):
    ops.pair_photos(scene["resident"], scene["then"].id, scene["now"].id)
    db.session.commit()
    old_id = scene["old"].id
    erase_story(None, scene["today"])
    db.session.commit()
    assert db.session.query(ThenNowPair).count() == 0
    assert db.session.get(type(scene["old"]), old_id) is not None
    assert len(db.session.get(type(scene["old"]), old_id).media) == 1


def test_the_rule_refuses_what_may_not_be_paired(app, scene, create_user, create_story):
    resident, then, now = scene["resident"], scene["then"], scene["now"]
    private = create_story("Photo privée", visibility="private", places=[scene["street"]])
    hidden = _photo(private)
    stranger_public = _photo(create_story("Photo d'un autre", places=[scene["street"]]))
    with pytest.raises(NotFound):  # a non-public archive photo is not even named
        ops.pair_photos(resident, hidden.id, now.id)
    with pytest.raises(NotFound):
        ops.pair_photos(resident, "999999", now.id)
    with pytest.raises(NotFound):  # somebody else's private photo as "today"
        ops.pair_photos(resident, then.id, hidden.id)
    with pytest.raises(Forbidden):  # somebody else's public photo as "today"
        ops.pair_photos(resident, then.id, stranger_public.id)
    with pytest.raises(Forbidden):  # nobody logged in
        from flask_login import AnonymousUserMixin

        ops.pair_photos(AnonymousUserMixin(), then.id, now.id)
    with pytest.raises(ValidationError):  # a recording is not a photo
        sound = add_media(None, scene["today"], io.BytesIO(wav_bytes()))
        db.session.commit()
        ops.pair_photos(resident, then.id, sound.id)
    with pytest.raises(ValidationError):  # a place no story of the pair speaks of
        elsewhere = type(scene["street"])(name="Ailleurs", type="quartier")
        db.session.add(elsewhere)
        db.session.flush()
        ops.pair_photos(resident, then.id, now.id, place=elsewhere)
    db.session.rollback()
    with pytest.raises(NotFound):  # an id naming no place: refused, never the default place
        ops.pair_photos(resident, then.id, now.id, place="999999")
    db.session.rollback()
    # A "quartier" story does not name its street through a pair: its quartier is fine.
    scene["today"].precision = "quartier"
    db.session.commit()
    with pytest.raises(ValidationError):
        ops.pair_photos(resident, then.id, now.id)
    db.session.rollback()
    pair = ops.pair_photos(resident, then.id, now.id, place=scene["quartier"], caption=" Vue ")
    db.session.commit()
    assert pair.place_id == scene["quartier"].id and pair.caption == "Vue"
    with pytest.raises(Conflict):
        ops.pair_photos(resident, then.id, now.id, place=scene["quartier"])
    db.session.rollback()
    with pytest.raises(ValidationError):
        ops.pair_photos(None, then.id, then.id)
    db.session.rollback()
    assert db.session.query(ThenNowPair).count() == 1


def test_pages_show_the_pair_with_its_slider_once_public(app, scene, client, login):
    pair = ops.pair_photos(scene["resident"], scene["then"].id, scene["now"].id)
    db.session.commit()
    page = client.get(f"/stories/{scene['old'].id}").get_data(as_text=True)
    assert "data-then-now" not in page
    assert client.get(f"/then-and-now/{pair.id}").status_code == 404
    _publish(scene["today"])
    now_url = f"/media/d/{scene['now'].derivative('display').id}/"
    for url in (
        f"/stories/{scene['old'].id}",
        f"/stories/{scene['today'].id}",
        f"/then-and-now/{pair.id}",
        "/then-and-now",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "data-then-now-range" in page and now_url in page, url
        assert "js/then-now.js" in page and "Rue Lomprez" in page, url
    # The map of memories offers the pairs as a layer (memories-map.js), and a link without script.
    map_page = client.get("/map").get_data(as_text=True)
    assert 'data-then-now-url="/api/v1/then-and-now.geojson"' in map_page
    assert 'href="/then-and-now"' in map_page


def test_the_pairing_form(app, scene, client, login, create_story):
    then, now = scene["then"], scene["now"]
    assert client.get(f"/then-and-now/new?then={then.id}").status_code in (302, 401)
    login(scene["resident"])
    story_page = client.get(f"/stories/{scene['old'].id}").get_data(as_text=True)
    assert f"/then-and-now/new?then={then.id}" in story_page
    form = client.get(f"/then-and-now/new?then={then.id}").get_data(as_text=True)
    assert f'value="{now.id}"' in form and "La fosse aujourd&#39;hui" in form
    # A bad choice: a clear message, nothing written.
    bad = client.post("/then-and-now/new", data={"then": then.id, "now": "abc"})
    assert bad.status_code == 404 or bad.status_code == 400
    assert db.session.query(ThenNowPair).count() == 0
    nowhere = client.post(
        "/then-and-now/new", data={"then": then.id, "now": now.id, "place": "999999"}
    )
    assert nowhere.status_code == 400 and "This place does not exist." in nowhere.get_data(
        as_text=True
    )
    assert db.session.query(ThenNowPair).count() == 0
    private = create_story("Photo privée", visibility="private")
    hidden = _photo(private)
    assert client.get(f"/then-and-now/new?then={hidden.id}").status_code == 404
    done = client.post(
        "/then-and-now/new",
        data={"then": then.id, "now": now.id, "place": scene["quartier"].id, "caption": "La fosse"},
    )
    assert done.status_code == 302 and f"/stories/{scene['old'].id}" in done.headers["Location"]
    assert db.session.query(ThenNowPair).one().caption == "La fosse"
    again = client.post("/then-and-now/new", data={"then": then.id, "now": now.id})
    assert again.status_code == 400 and "already paired" in again.get_data(as_text=True)


def test_the_api_answers_documented_pairs(app, scene, client):
    pair = ops.pair_photos(None, scene["then"].id, scene["now"].id, caption="La fosse")
    db.session.commit()
    assert client.get("/api/v1/then-and-now").get_json() == {"pairs": []}
    assert client.get(f"/api/v1/then-and-now/{pair.id}").status_code == 404
    _publish(scene["today"])
    for url in (
        "/api/v1/then-and-now",
        "/api/v1/then-and-now.geojson",
        f"/api/v1/then-and-now/{pair.id}",
        "/api/v1/then-and-now/999999",
    ):
        response = client.get(url)
        assert_documented(response, url)
    document = client.get(f"/api/v1/then-and-now/{pair.id}").get_json()
    assert document["then"]["story"]["id"] == scene["old"].id
    assert document["now"]["image_url"].startswith("http")
    assert document["place"]["name"] == "Rue Lomprez"
    layer = client.get("/api/v1/then-and-now.geojson").get_json()
    assert [f["properties"]["id"] for f in layer["features"]] == [pair.id]
    properties = layer["features"][0]["properties"]
    assert properties["then_thumbnail"].startswith("http") and properties["now_thumbnail"]


def test_undoing_a_pair_is_for_its_maker_or_staff(app, scene, client, login, create_user):
    pair = ops.pair_photos(scene["resident"], scene["then"].id, scene["now"].id)
    _publish(scene["today"])
    url = f"/then-and-now/{pair.id}/undo"
    assert client.post(url).status_code == 302  # to the login page
    login(create_user("contributor", email="voisin@example.org"))
    assert "Undo this pair" not in client.get(f"/then-and-now/{pair.id}").get_data(as_text=True)
    assert client.post(url).status_code == 403
    assert db.session.query(ThenNowPair).count() == 1
    login(scene["resident"])
    assert "Undo this pair" in client.get(f"/then-and-now/{pair.id}").get_data(as_text=True)
    done = client.post(url)
    assert done.status_code == 302 and f"/stories/{scene['old'].id}" in done.headers["Location"]
    assert db.session.query(ThenNowPair).count() == 0
    assert len(scene["old"].media) == 1 and len(scene["today"].media) == 1  # both photos stay
    assert client.post(url).status_code == 404


def test_the_api_pairs_and_undoes_as_the_form_does(app, scene, create_user):
    """POST and DELETE /api/v1/then-and-now: the same operations, in the token's user's name."""
    from tests.api.helpers import bearer, token_for

    api = app.test_client()
    resident = bearer(token_for(scene["resident"]))
    body = {"then": scene["then"].id, "now": scene["now"].id, "caption": "La fosse"}
    assert api.post("/api/v1/then-and-now", json=body).status_code == 401
    # The rule's refusals, documented and in the user's words.
    for wrong, status, field in (
        ({**body, "now": scene["then"].id}, 403, "now"),  # a public photo, not one of hers
        ({**body, "then": 999999}, 404, "then"),
        # The body's own name for the field, not the web form's ("place").
        ({**body, "place_id": 999999}, 404, "place_id"),
        ({**body, "place_id": "rue"}, 400, "place_id"),
        ({**body, "colour": "sepia"}, 400, "colour"),
        ({"then": scene["then"].id}, 400, "now"),
    ):
        refused = api.post("/api/v1/then-and-now", json=wrong, headers=resident)
        assert refused.status_code == status, (wrong, refused.get_json())
        assert_documented(refused, "/api/v1/then-and-now", "post")
        assert refused.get_json()["error"]["field"] == field, refused.get_json()
    assert db.session.query(ThenNowPair).count() == 0
    made = api.post("/api/v1/then-and-now", json=body, headers=resident)
    assert made.status_code == 201, made.get_json()
    assert_documented(made, "/api/v1/then-and-now", "post")
    # The resident's photo is a draft: the pair exists but is not shown, not even its address.
    assert made.get_json()["shown"] is False and made.get_json()["api"] is None
    pair_id = made.get_json()["id"]
    again = api.post("/api/v1/then-and-now", json=body, headers=resident)
    assert again.status_code == 409
    # A stranger cannot tell a hidden pair from a missing one, and undoes neither.
    stranger = bearer(token_for(create_user("contributor", email="voisin@example.org")))
    hidden = api.delete(f"/api/v1/then-and-now/{pair_id}", headers=stranger)
    missing = api.delete(f"/api/v1/then-and-now/{pair_id + 1000}", headers=stranger)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()
    assert_documented(hidden, f"/api/v1/then-and-now/{pair_id}", "delete")
    _publish(scene["today"])
    assert api.delete(f"/api/v1/then-and-now/{pair_id}", headers=stranger).status_code == 403
    assert api.get(f"/api/v1/then-and-now/{pair_id}").status_code == 200
    undone = api.delete(f"/api/v1/then-and-now/{pair_id}", headers=resident)
    assert undone.status_code == 204 and undone.data == b""
    assert_documented(undone, f"/api/v1/then-and-now/{pair_id}", "delete")
    assert db.session.query(ThenNowPair).count() == 0
    assert len(scene["old"].media) == 1 and len(scene["today"].media) == 1  # both photos stay
    # Once both stories are public, the answer carries the pair's addresses.
    shown = api.post("/api/v1/then-and-now", json=body, headers=resident).get_json()
    assert shown["shown"] is True and shown["api"].endswith(f"/then-and-now/{shown['id']}")
