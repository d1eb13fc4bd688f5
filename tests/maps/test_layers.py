"""Subjective maps: drawing, moderation, GeoJSON export and import, feelings per quartier."""

from __future__ import annotations

import io
import json

import pytest

from memoire.core.errors import Forbidden, ValidationError
from memoire.extensions import db
from memoire.maps import operations as ops
from memoire.maps.geometry import GeometryError
from memoire.maps.models import SubjectiveMap
from tests.maps.geojson_checks import assert_rfc7946


def point(lon, lat, feeling="pride", **props):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"feeling": feeling, **props},
    }


def line(feeling="joy", **props):
    return {
        "type": "Feature",
        "properties": {"feeling": feeling, **props},
        "geometry": {
            "type": "LineString",
            "coordinates": [[3.52, 50.35], [3.53, 50.355], [3.54, 50.352]],
        },
    }


def area(feeling="fear", **props):
    ring = [[3.53, 50.34], [3.54, 50.34], [3.54, 50.35], [3.53, 50.35], [3.53, 50.34]]
    return {
        "type": "Feature",
        "properties": {"feeling": feeling, **props},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


BOWTIE = {
    "type": "Feature",
    "properties": {"feeling": "anger"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[3.5, 50.3], [3.6, 50.4], [3.6, 50.3], [3.5, 50.4], [3.5, 50.3]]],
    },
}


def fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def mediator(create_user):
    return create_user("mediator")


@pytest.fixture
def layer(app, mediator):
    made = ops.create_layer(
        mediator, ops.LayerInput(title="Atelier Epinlieu", group_name="Atelier Epinlieu, mars 2026")
    )
    ops.save_features(
        mediator, made, fc(point(3.95, 50.45, label="La maison de quartier"), line(), area())
    )
    db.session.commit()
    return made


def layer_ids(client, url="/api/v1/layers.geojson") -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {f["properties"]["layer_id"] for f in assert_rfc7946(response.data)["features"]}


# --- operations -------------------------------------------------------------------------------


def test_save_features_adds_updates_and_removes(app, layer, mediator):
    features = list(layer.features)
    assert [f.feeling for f in features] == ["pride", "joy", "fear"]
    assert features[0].author_name == mediator.display_name  # who drew it, by default
    kept = {
        "type": "Feature",
        "geometry": features[1].geometry,
        "properties": {
            "feature_id": features[1].id,
            "feeling": "nostalgia",
            "label": "Le chemin de l'école",
        },
    }
    ops.save_features(mediator, layer, fc(kept, point(3.9, 50.4, "belonging")))
    db.session.commit()
    saved = db.session.get(SubjectiveMap, layer.id).features
    assert [(f.feeling, f.label) for f in saved] == [
        ("nostalgia", "Le chemin de l'école"),
        ("belonging", ""),
    ]
    assert saved[0].id == features[1].id  # updated in place, not replaced


@pytest.mark.parametrize(
    ("bad", "index", "words"),
    [
        (BOWTIE, 1, "crosses itself"),
        (point(3.5, 95.0), 1, "latitude 95"),
        (point(200.0, 50.0), 1, "longitude 200"),
        (point(3.5, 50.3, feeling="boredom"), 1, "choose a feeling"),
        (
            {
                "type": "Feature",
                "properties": {"feeling": "joy"},
                "geometry": {"type": "MultiPoint", "coordinates": [[3.5, 50.3]]},
            },
            1,
            "not accepted",
        ),
        (point(3.5, 50.3, story_id=999), 1, "no story"),
    ],
)
def test_invalid_features_refuse_the_whole_save_naming_the_index(
    app, layer, mediator, bad, index, words
):
    before = [(f.id, f.feeling) for f in layer.features]
    with pytest.raises(ValidationError) as caught:
        ops.save_features(mediator, layer, fc(line(), bad))
    db.session.rollback()
    assert isinstance(caught.value, GeometryError) and caught.value.index == index
    assert str(caught.value).startswith(f"Feature {index}:") and words in str(caught.value)
    assert [(f.id, f.feeling) for f in db.session.get(SubjectiveMap, layer.id).features] == before


def test_who_may_edit_and_publish(app, layer, create_user):
    resident = create_user("contributor")
    with pytest.raises(Forbidden):
        ops.save_features(resident, layer, fc(line()))
    with pytest.raises(Forbidden):
        ops.publish_layer(resident, layer)
    own = ops.create_layer(resident, ops.LayerInput(title="Mon chemin"))
    ops.add_feature(resident, own, ops.FeatureInput(geometry=line()["geometry"], feeling="joy"))
    ops.submit_layer(resident, own)
    assert own.status == "submitted"
    moderator = create_user("moderator")
    ops.publish_layer(moderator, own)
    assert own.status == "published"
    # A resident's change to a published map sends it back to review; a moderator's does not.
    ops.add_feature(resident, own, ops.FeatureInput(geometry=line()["geometry"], feeling="joy"))
    assert own.status == "submitted"
    ops.publish_layer(moderator, own)
    ops.add_feature(
        moderator, own, ops.FeatureInput(geometry=line()["geometry"], feeling="sadness")
    )
    assert own.status == "published"
    with pytest.raises(ValidationError):
        ops.submit_layer(resident, ops.create_layer(resident, ops.LayerInput(title="Vide")))


# --- visibility -------------------------------------------------------------------------------


def test_unpublished_layers_never_appear_in_any_geojson(
    app, client, layer, mediator, create_user, login
):
    draft_id = layer.id
    assert layer_ids(client) == set()
    assert client.get(f"/api/v1/layers/{draft_id}.geojson").status_code == 404
    assert client.get(f"/map/layers/{draft_id}").status_code == 404
    assert client.get("/api/v1/layers").json == {"layers": []}
    assert client.get("/api/v1/feelings.geojson").json["features"] == []
    ops.submit_layer(mediator, layer)
    db.session.commit()
    assert layer_ids(client) == set()
    assert client.get(f"/api/v1/layers/{draft_id}.geojson").status_code == 404

    ops.publish_layer(create_user("moderator"), layer)
    db.session.commit()
    assert layer_ids(client) == {draft_id}
    assert_rfc7946(client.get(f"/api/v1/layers/{draft_id}.geojson").data)
    assert len(client.get("/api/v1/layers").json["layers"]) == 1

    ops.reject_layer(create_user("moderator"), layer, "Un nom de famille dans un commentaire")
    db.session.commit()
    assert layer_ids(client) == set()
    # Its editors still see it.
    login(client, create_user("mediator"))
    assert client.get(f"/api/v1/layers/{draft_id}.geojson").status_code == 200


def test_story_links_only_for_stories_the_viewer_may_see(
    app, client, layer, mediator, create_story, create_user
):
    public = create_story("Publique")
    # The mediator's own private story: linking one you may not see is refused (no oracle).
    private = create_story("Privée", visibility="private", contributor=mediator)
    ops.save_features(
        mediator,
        layer,
        fc(point(3.9, 50.4, story_id=public.id), point(3.9, 50.41, story_id=private.id)),
    )
    ops.publish_layer(create_user("moderator"), layer)
    db.session.commit()
    features = client.get(f"/api/v1/layers/{layer.id}.geojson").json["features"]
    assert features[0]["properties"]["story_url"] == f"/stories/{public.id}"
    assert (
        "story_url" not in features[1]["properties"] and "story_id" not in features[1]["properties"]
    )
    assert "Privée" not in json.dumps(features)


# --- export and import ------------------------------------------------------------------------


def test_export_then_import_round_trips(app, client, layer, mediator, login, create_user):
    login(client, mediator)
    exported = client.get(f"/api/v1/layers/{layer.id}.geojson?download=1")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    document = assert_rfc7946(exported.data)
    assert document["layer"]["title"] == "Atelier Epinlieu"

    copy = ops.create_layer(mediator, ops.LayerInput(title="Copie"))
    db.session.commit()
    response = client.post(
        f"/map/layers/{copy.id}/import",
        data={"file": (io.BytesIO(exported.data), "atelier.geojson")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    copied = client.get(f"/api/v1/layers/{copy.id}.geojson").json["features"]
    original = document["features"]
    assert [f["geometry"] for f in copied] == [f["geometry"] for f in original]
    assert [f["properties"]["feeling"] for f in copied] == ["pride", "joy", "fear"]
    assert {f["properties"]["feature_id"] for f in copied}.isdisjoint(
        {f["properties"]["feature_id"] for f in original}
    )


def test_import_refuses_bad_geometry_with_a_clear_message(app, client, layer, mediator, login):
    login(client, mediator)
    before = len(layer.features)
    body = json.dumps(fc(line(), line(), BOWTIE)).encode()
    response = client.post(
        f"/map/layers/{layer.id}/import",
        data={"file": (io.BytesIO(body), "x.geojson")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Feature 2: the area crosses itself" in response.get_data(as_text=True)
    out_of_range = json.dumps(
        fc({**line(), "geometry": {"type": "LineString", "coordinates": [[3.5, 50.3], [3.5, 91]]}})
    )
    response = client.post(
        f"/map/layers/{layer.id}/import",
        data={"file": (io.BytesIO(out_of_range.encode()), "y.geojson")},
        content_type="multipart/form-data",
    )
    assert "Feature 0: latitude 91" in response.get_data(as_text=True)
    response = client.post(
        f"/map/layers/{layer.id}/import",
        data={"file": (io.BytesIO(b"\xff\xfe"), "z.geojson")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert len(db.session.get(SubjectiveMap, layer.id).features) == before


# --- pages --------------------------------------------------------------------------------------


def test_pages_without_javascript(app, client, mediator, login, create_user):
    assert client.get("/map/layers/new").status_code == 302  # log in first
    login(client, mediator)
    created = client.post(
        "/map/layers/new", data={"title": "Le chemin de l'école", "group_name": "CM2"}
    )
    assert created.status_code == 302
    layer = db.session.query(SubjectiveMap).filter_by(title="Le chemin de l'école").one()
    editor = client.get(f"/map/layers/{layer.id}/edit").get_data(as_text=True)
    assert "Drawing on the map needs JavaScript" in editor
    ops.save_features(mediator, layer, fc(line()))
    db.session.commit()
    feature = layer.features[0]
    prefix = f"f{feature.id}-"
    saved = client.post(
        f"/map/layers/{layer.id}/features/{feature.id}",
        data={
            prefix + "feeling": "nostalgia",
            prefix + "label": "Par le terril",
            prefix + "comment": "Tous les matins",
            prefix + "author_name": "Léa",
            prefix + "story_id": "",
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert (feature.feeling, feature.label, feature.author_name) == (
        "nostalgia",
        "Par le terril",
        "Léa",
    )
    refused = client.post(
        f"/map/layers/{layer.id}/features/{feature.id}", data={prefix + "feeling": "ennui"}
    )
    assert refused.status_code == 400

    assert client.post(f"/map/layers/{layer.id}/submit").status_code == 302
    db.session.expire_all()
    assert layer.status == "submitted"
    assert client.post(f"/map/layers/{layer.id}/publish").status_code == 403
    login(client, create_user("moderator"))
    queue = client.get("/map/layers/review").get_data(as_text=True)
    assert "Le chemin de l&#39;école" in queue
    assert (
        client.post(f"/map/layers/{layer.id}/publish", data={"next": "review"}).status_code == 302
    )
    db.session.expire_all()
    assert layer.status == "published"
    page = client.get(f"/map/layers/{layer.id}").get_data(as_text=True)
    assert "Par le terril" in page and "Tous les matins" in page


def test_browser_save_endpoint(app, client, layer, mediator, login, create_user):
    url = f"/map/layers/{layer.id}/features.json"
    assert client.post(url, json=fc(line())).status_code == 302  # not logged in
    login(client, create_user("contributor"))
    assert (
        client.post(url, json=fc(line())).status_code == 404
    )  # someone else's draft: not even seen
    login(client, mediator)
    refused = client.post(url, json=fc(line(), BOWTIE))
    assert refused.status_code == 400
    assert refused.json["error"]["index"] == 1
    saved = client.post(url, json=fc(line(label="Vers l'école")))
    assert saved.status_code == 200
    assert [f["properties"]["label"] for f in assert_rfc7946(saved.data)["features"]] == [
        "Vers l'école"
    ]


# --- feelings per quartier ---------------------------------------------------------------------


def test_feelings_per_quartier(app, client, create_place, mediator, create_user):
    from memoire.places.gazetteer import import_places

    import_places(
        None,
        fc(
            {
                "type": "Feature",
                "properties": {"name": "Dutemple", "type": "quartier"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [3.52, 50.345],
                            [3.545, 50.345],
                            [3.545, 50.36],
                            [3.52, 50.36],
                            [3.52, 50.345],
                        ]
                    ],
                },
            },
            {
                "type": "Feature",
                "properties": {"name": "Epinlieu", "type": "quartier"},
                "geometry": {"type": "Point", "coordinates": [3.96, 50.44]},
            },
        ),
    )
    layer = ops.create_layer(mediator, ops.LayerInput(title="Ressentis"))
    ops.save_features(
        mediator,
        layer,
        fc(
            point(3.53, 50.35, "pride"),
            point(3.531, 50.351, "pride"),
            area("fear"),
            line("joy"),  # Dutemple
            point(3.961, 50.441, "sadness"),  # ~130 m from Epinlieu's point
            point(2.35, 48.85, "anger"),  # Paris: no quartier
        ),
    )
    db.session.commit()
    assert client.get("/api/v1/feelings.geojson").json["features"] == []  # not published yet
    ops.publish_layer(create_user("moderator"), layer)
    db.session.commit()

    heat = assert_rfc7946(client.get("/api/v1/feelings.geojson").data)
    rows = {f["properties"]["title"]: f["properties"] for f in heat["features"]}
    assert rows["Dutemple"]["counts"]["pride"] == 2
    assert rows["Dutemple"]["total"] == 4 and rows["Dutemple"]["dominant"] == "pride"
    assert rows["Epinlieu"]["counts"]["sadness"] == 1
    table = client.get("/map/feelings").get_data(as_text=True)
    assert "Dutemple" in table and "Outside the known quartiers" in table


def test_map_page_lists_places_and_layers_without_javascript(
    app, client, create_place, create_story, layer, create_user
):
    dutemple = create_place("Dutemple", "quartier", "Valenciennes", 50.348, 3.54)
    create_story("La fosse", places=[dutemple], themes=["Mine"], period="1960")
    create_story("L'école", places=[dutemple], kind="photo", period="1972")
    ops.publish_layer(create_user("moderator"), layer)
    db.session.commit()
    page = client.get("/map").get_data(as_text=True)
    assert "Dutemple" in page and "2 memories" in page
    assert "Atelier Epinlieu" in page
    assert 'data-geojson-url="/api/v1/map.geojson"' in page
    filtered = client.get("/map?kind=photo&decade=1970").get_data(as_text=True)
    assert "L&#39;école" in filtered and "La fosse</a>" not in filtered
    assert (
        client.get("/map?bbox=nonsense").status_code == 200
    )  # a bad filter is a message, not an error
