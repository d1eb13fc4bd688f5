"""Walk operations: order, the exhibitions' consent rule re-checked on every read, the public point."""

from __future__ import annotations

import pytest

from memoire.core.errors import Forbidden, ValidationError
from memoire.extensions import db
from memoire.places.geo import exact_point, public_point
from memoire.stories import operations as story_ops
from memoire.walks import operations as ops
from memoire.walks.presenters import walk_document, walk_geojson


def _walk(actor, title="Autour de la fosse", **kwargs):
    walk = ops.create_walk(actor, title, **kwargs)
    db.session.commit()
    return walk


def test_curators_mediators_and_admins_build_walks(create_user):
    for role in ("curator", "mediator", "admin"):
        assert ops.may_build(create_user(role))
    for role in ("contributor", "moderator", "researcher"):
        with pytest.raises(Forbidden):
            ops.create_walk(create_user(role), "Non")


def test_slug_is_made_and_checked(curator):
    walk = _walk(curator, "Dans l'Épinlieu")
    assert walk.slug == "dans-l-epinlieu" and walk.status == ops.DRAFT
    for bad in ("Avec Majuscules", "manage", "new"):
        with pytest.raises(ValidationError):
            ops.create_walk(curator, "Autre", slug=bad)
    with pytest.raises(ValidationError):
        ops.create_walk(curator, "Autre", slug="dans-l-epinlieu")
    with pytest.raises(ValidationError):
        ops.create_walk(curator, "  ")


def test_stops_keep_their_order_and_can_be_moved(curator, walk_stories):
    walk = _walk(curator)
    for story in walk_stories:
        ops.add_stop(curator, walk, story, text=f"Ici, {story.title}")
    db.session.commit()
    assert [s.story.title for s in walk.stops] == ["Arrêt 1", "Arrêt 2", "Arrêt 3"]
    ops.move_stop(curator, walk.stops[2], -1)
    assert [s.story.title for s in walk.stops] == ["Arrêt 1", "Arrêt 3", "Arrêt 2"]
    ops.reorder_stops(curator, walk, [walk.stops[2].id, walk.stops[1].id, walk.stops[0].id])
    assert [s.story.title for s in walk.stops] == ["Arrêt 2", "Arrêt 3", "Arrêt 1"]
    with pytest.raises(ValidationError):
        ops.reorder_stops(curator, walk, [walk.stops[0].id])
    ops.remove_stop(curator, walk.stops[0])
    db.session.commit()
    assert [(s.position, s.story.title) for s in walk.stops] == [(0, "Arrêt 3"), (1, "Arrêt 1")]


def test_route_length_and_time_use_the_public_points(curator, walk_stories, in_request):
    walk = _walk(curator)
    for story in walk_stories:
        ops.add_stop(curator, walk, story)
    document = walk_document(walk)
    points = [public_point(s) for s in walk_stories]
    assert points != [exact_point(s) for s in walk_stories]  # coarsened ("street")
    assert [(d["point"]["lat"], d["point"]["lon"]) for d in document["stops"]] == [
        (round(lat, 6), round(lon, 6)) for lat, lon in points
    ]
    # ~445 m north, then ~430 m east: about 0.9 km, 12 minutes at 4.5 km/h.
    assert 800 < document["length_m"] < 950
    assert document["walking_minutes"] == round(document["length_m"] / 75)
    geojson = walk_geojson(document)
    line = geojson["features"][0]
    assert line["geometry"]["type"] == "LineString"
    assert line["geometry"]["coordinates"] == [[lon, lat] for lat, lon in document_points(document)]
    assert [f["properties"]["position"] for f in geojson["features"][1:]] == [1, 2, 3]


def document_points(document):
    return [(s["point"]["lat"], s["point"]["lon"]) for s in document["stops"]]


def test_non_public_or_unconsented_stories_are_refused(
    curator, create_story, create_user, create_place
):
    walk = _walk(curator)
    owner = create_user("contributor")
    place = create_place()
    cases = {
        "private": create_story("Privée", visibility="private", contributor=owner, places=[place]),
        "draft": create_story("Brouillon", status="draft", contributor=owner, places=[place]),
        "researchers": create_story("Chercheurs", visibility="researchers", places=[place]),
        "no consent": create_story("Sans accord", exhibition_use=False, places=[place]),
        "nowhere": create_story("Nulle part"),
    }
    for name, story in cases.items():
        with pytest.raises(ValidationError) as refused:
            ops.add_stop(curator, walk, story.id)
        if name == "private":
            assert str(refused.value).startswith("No public story")
        if name == "nowhere":
            assert "no place" in str(refused.value)
    assert walk.stops == []


def test_a_story_whose_consent_changes_drops_out(curator, walk_stories, create_user, in_request):
    moderator = create_user("moderator")
    walk = _walk(curator)
    for story in walk_stories:
        ops.add_stop(curator, walk, story)
    ops.set_status(curator, walk, ops.PUBLISHED)
    db.session.commit()
    assert len(ops.visible_stops(walk)) == 3

    story = walk_stories[1]
    data = story_ops.StoryInput(
        title=story.title,
        visibility="public",
        status="published",
        consent=story_ops.ConsentInput(
            given_by="test", online_publication=True, exhibition_use=False
        ),
    )
    story_ops.update_story(moderator, story, data)
    walk_stories[2].visibility = "private"
    db.session.commit()

    assert [s.story.title for s in ops.visible_stops(walk)] == ["Arrêt 1"]
    document = walk_document(walk)
    assert [s["story"]["title"] for s in document["stops"]] == ["Arrêt 1"]
    assert document["length_m"] == 0
    hidden = ops.hidden_stops(walk)
    assert [n for n, _, _ in hidden] == [2, 3]
    assert "exhibition use" in str(hidden[0][2])
    assert len(walk.stops) == 3  # kept, in case the story comes back
    with pytest.raises(ValidationError):
        ops.update_stop(curator, walk.stops[1], text="x", excerpt=ops.Excerpt())


def test_an_excerpt_needs_a_recording(curator, walk_stories):
    walk = _walk(curator)
    with pytest.raises(ValidationError):
        ops.add_stop(curator, walk, walk_stories[0], excerpt=ops.Excerpt(start=1, end=3))
