"""Walk pages and API: published only, stops shown by the rule, the public point, the editor."""

from __future__ import annotations

import json

import pytest

from memoire.extensions import db
from memoire.places.geo import exact_point, public_point
from memoire.walks import operations as ops


@pytest.fixture
def published_walk(curator, walk_stories):
    walk = ops.create_walk(curator, "Autour de la fosse", introduction="Trois arrêts.")
    for story in walk_stories:
        ops.add_stop(curator, walk, story, text=f"Texte arrêt {story.title}")
    ops.set_status(curator, walk, ops.PUBLISHED)
    db.session.commit()
    return walk


def test_pages_list_and_show_the_stops_in_order(client, published_walk, walk_stories):
    index = client.get("/walks")
    assert index.status_code == 200 and "Autour de la fosse" in index.text
    page = client.get("/walks/autour-de-la-fosse")
    assert page.status_code == 200
    text = page.text
    positions = [text.index(f"Texte arrêt Arrêt {n}") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert "js/walk.js" in text and "<script>" not in text  # no inline script (CSP)
    assert "data-walk-locate" in text
    lat, lon = public_point(walk_stories[0])
    assert f'data-lat="{round(lat, 6)}"' in text
    for story in walk_stories:  # the exact point never leaves the server
        exact = exact_point(story)
        assert str(exact[0]) not in text and str(exact[1]) not in text


def test_drafts_are_hidden_from_visitors(client, curator, walk_stories, login):
    walk = ops.create_walk(curator, "Brouillon de parcours")
    ops.add_stop(curator, walk, walk_stories[0])
    db.session.commit()
    assert client.get("/walks/brouillon-de-parcours").status_code == 404
    assert client.get("/api/v1/walks/brouillon-de-parcours").status_code == 404
    assert client.get("/api/v1/walks/brouillon-de-parcours.geojson").status_code == 404
    assert "Brouillon de parcours" not in client.get("/walks").text
    login(curator)
    assert client.get("/walks/brouillon-de-parcours").status_code == 200


def test_api_json_and_geojson(client, published_walk, walk_stories):
    listing = client.get("/api/v1/walks").get_json()
    assert [w["slug"] for w in listing["walks"]] == ["autour-de-la-fosse"]
    document = client.get("/api/v1/walks/autour-de-la-fosse").get_json()
    assert [s["story"]["id"] for s in document["stops"]] == [s.id for s in walk_stories]
    assert document["stops"][0]["text"] == "Texte arrêt Arrêt 1"
    assert document["length_m"] > 0 and document["walking_minutes"] > 0
    response = client.get("/api/v1/walks/autour-de-la-fosse.geojson")
    assert response.mimetype == "application/geo+json"
    geojson = json.loads(response.data)
    assert geojson["features"][0]["geometry"]["type"] == "LineString"
    lat, lon = public_point(walk_stories[2])
    assert geojson["features"][-1]["geometry"]["coordinates"] == [round(lon, 6), round(lat, 6)]


def test_editor_builds_a_walk_without_javascript(client, create_user, login, walk_stories):
    mediator = create_user("mediator")
    login(mediator)
    response = client.post("/walks/new", data={"title": "Parcours de l'atelier"})
    assert response.status_code == 302
    for story in walk_stories[:2]:
        client.post(
            "/walks/parcours-de-l-atelier/stops", data={"story": str(story.id), "text": "Ici"}
        )
    walk = ops.get_walk("parcours-de-l-atelier")
    assert [s.story_id for s in walk.stops] == [walk_stories[0].id, walk_stories[1].id]
    second = walk.stops[1]
    client.post(f"/walks/parcours-de-l-atelier/stops/{second.id}", data={"action": "up"})
    db.session.expire_all()
    walk = ops.get_walk("parcours-de-l-atelier")
    assert walk.stops[0].id == second.id
    client.post(
        f"/walks/parcours-de-l-atelier/stops/{second.id}",
        data={"action": "save", "text": "Nouveau texte", "start": "", "end": ""},
    )
    db.session.expire_all()
    assert ops.get_walk("parcours-de-l-atelier").stops[0].caption == "Nouveau texte"
    bad = client.post(
        "/walks/parcours-de-l-atelier/stops", data={"story": "999999"}, follow_redirects=True
    )
    assert bad.status_code == 200 and "No public story with the id 999999" in bad.text
    bad_time = client.post(
        "/walks/parcours-de-l-atelier/stops",
        data={"story": str(walk_stories[2].id), "start": "abc", "end": "1"},
        follow_redirects=True,
    )
    assert "Write a time as seconds" in bad_time.text
    client.post("/walks/parcours-de-l-atelier/status", data={"status": "published"})
    assert client.get("/api/v1/walks/parcours-de-l-atelier").status_code == 200


def test_only_builders_reach_the_editor(client, create_user, login, published_walk):
    assert client.get("/walks/manage").status_code in (302, 401)
    login(create_user("contributor"))
    assert client.get("/walks/manage").status_code == 403
    assert client.post("/walks/new", data={"title": "x"}).status_code == 403
    assert client.get("/walks/autour-de-la-fosse/edit").status_code == 403
