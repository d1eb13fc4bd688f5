"""Stories keep the coarsened point public maps show (memoire.maps.points).

The stored point is what `geo.public_point` gives, kept in the flush of every change that
moves it, never stored for a story that is not public; the map of memories reads it.
"""

from __future__ import annotations

import dataclasses
import gzip
import json

import pytest
from sqlalchemy import update

from memoire.contributions.operations import story_input
from memoire.extensions import db
from memoire.maps.points import backfill_public_points
from memoire.places import geo
from memoire.stories import operations as ops
from memoire.stories.models import Story

EXACT = (50.352613, 3.528741)


@pytest.fixture
def places(create_place):
    quartier = create_place("Dutemple", "quartier", "Valenciennes", 50.3480, 3.5400)
    street = create_place("Rue des Mineurs", "street", "Dutemple", 50.3512, 3.5301)
    other = create_place("Epinlieu", "quartier", "Mons", 50.4400, 3.9600)
    return {"quartier": quartier, "street": street, "other": other}


def stored(story: Story) -> tuple[float, float] | None:
    db.session.refresh(story)
    if story.public_lat is None:
        return None
    return story.public_lat, story.public_lon


def change(story: Story, **fields) -> Story:
    ops.update_story(None, story, dataclasses.replace(story_input(story), **fields))
    db.session.commit()
    return story


def map_points(client) -> dict[int, list[float]]:
    response = client.get("/api/v1/map.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return {f["id"]: f["geometry"]["coordinates"] for f in json.loads(data)["features"]}


@pytest.mark.parametrize("precision", ["exact", "street", "quartier"])
def test_the_stored_point_is_the_coarsened_one(create_story, places, precision):
    story = create_story(
        "La fosse",
        precision=precision,
        lat=EXACT[0],
        lon=EXACT[1],
        places=[places["street"], places["quartier"]],
    )
    assert stored(story) == geo.public_point(story)
    if precision != "exact":
        assert stored(story) != EXACT


def test_a_story_without_point_has_none(create_story):
    assert stored(create_story("Nulle part")) is None


def test_changing_precision_moves_the_stored_point(create_story, places):
    story = create_story("La fosse", lat=EXACT[0], lon=EXACT[1], places=[places["street"]])
    assert stored(story) == EXACT
    change(story, precision="street")
    street_point = stored(story)
    assert street_point != EXACT and street_point == geo.public_point(story)
    change(story, precision="quartier")
    assert stored(story) == (places["quartier"].lat, places["quartier"].lon)


def test_changing_places_moves_the_stored_point(create_story, places):
    story = create_story("La fosse", precision="street", places=[places["street"]])
    before = stored(story)
    assert before == geo.public_point(story)
    change(story, places=[(places["other"], "happened")])
    assert stored(story) != before
    assert stored(story) == geo.public_point(story)


def test_a_place_moved_moves_its_stories_points(create_story, places):
    story = create_story("La fosse", precision="street", places=[places["street"]])
    street = places["street"]
    street.lat, street.lon = 50.3600, 3.5100
    db.session.commit()
    assert stored(story) == geo.public_point(story)
    assert stored(story) == (
        geo._snap(50.36, geo.STREET_GRID_LAT),
        geo._snap(3.51, geo.STREET_GRID_LON),
    )


def test_a_story_that_stops_being_public_keeps_no_point(create_story, places, client):
    story = create_story("La fosse", lat=EXACT[0], lon=EXACT[1], places=[places["street"]])
    assert story.id in map_points(client)
    change(story, visibility="researchers")
    assert stored(story) is None
    assert story.id not in map_points(client)
    change(story, visibility="public")
    assert stored(story) == EXACT
    ops.send_back_story(None, story, "À revoir")
    db.session.commit()
    assert stored(story) is None
    assert story.id not in map_points(client)


def test_a_private_story_never_gets_a_point(create_story, places, client):
    story = create_story(
        "Secret",
        visibility="private",
        status="draft",
        lat=EXACT[0],
        lon=EXACT[1],
        places=[places["street"]],
    )
    assert stored(story) is None
    assert story.id not in map_points(client)


def test_the_map_reads_the_stored_points(create_story, places, client):
    story = create_story("La fosse", precision="street", lat=EXACT[0], lon=EXACT[1])
    expected = geo.public_point(story)
    assert map_points(client)[story.id] == [round(expected[1], 6), round(expected[0], 6)]
    # A point written behind the listener's back is what the map shows: it is read, not computed.
    db.session.execute(
        update(Story).where(Story.id == story.id).values(public_lat=1.5, public_lon=2.5)
    )
    db.session.commit()
    from memoire.maps.geojson import get_cache

    get_cache().clear()
    assert map_points(client)[story.id] == [2.5, 1.5]


def test_backfill_restores_what_core_writes_skipped(create_story, places):
    public = create_story(
        "La fosse", precision="quartier", lat=EXACT[0], lon=EXACT[1], places=[places["street"]]
    )
    hidden = create_story(
        "Secret", visibility="private", status="draft", lat=EXACT[0], lon=EXACT[1]
    )
    expected = stored(public)
    db.session.execute(update(Story).values(public_lat=None, public_lon=None))
    db.session.execute(
        update(Story).where(Story.id == hidden.id).values(public_lat=1.0, public_lon=1.0)
    )
    assert backfill_public_points(db.session.connection()) == 1
    db.session.commit()
    assert stored(public) == expected
    assert stored(hidden) is None
