"""The leak suite over walks: every planted story (one per visibility and status) is a stop of
one published walk, as if each had been public when it was added and changed since.

The walk pages, the API's JSON and GeoJSON and the builders' editor show a stop only while
its story is public, published and its consent allows exhibition use, whoever asks; a
non-public story's title, words, count and point never come out, and no exact point does.
"""

from __future__ import annotations

import pytest

from memoire.extensions import db
from memoire.places.geo import exact_point, public_point
from memoire.stories.visibility import may_view
from memoire.walks import operations as ops
from memoire.walks.models import Walk, WalkStop
from tests.trust.test_leaks import VIEWERS, client_for, fetch, planted, shows  # noqa: F401

URLS = [
    "/walks",
    "/walks/tout",
    "/api/v1/walks",
    "/api/v1/walks/tout",
    "/api/v1/walks/tout.geojson",
]


@pytest.fixture
def walk(app, planted, create_story, create_place):  # noqa: F811
    place = create_place("Rue zqpointwk", "street", "Valenciennes", 50.36, 3.52)
    pinned = {
        "public": create_story(
            "Titre zqpinpubwk", places=[place], lat=50.36117, lon=3.52113, precision="street"
        ),
        "private": create_story(
            "Titre zqpinprivwk",
            places=[place],
            lat=50.37333,
            lon=3.53777,
            precision="street",
            visibility="private",
        ),
        "unconsented": create_story(
            "Titre zqpinconswk",
            places=[place],
            lat=50.38444,
            lon=3.54888,
            precision="street",
            exhibition_use=False,
        ),
    }
    walk = Walk(slug="tout", title="Tout", introduction="", status=ops.PUBLISHED, stops=[])
    stories = [item.story for item in planted["stories"]] + list(pinned.values())
    for position, story in enumerate(stories):
        walk.stops.append(
            WalkStop(story_id=story.id, position=position, caption=f"Arrêt {position}")
        )
    db.session.add(walk)
    db.session.commit()
    return {"walk": walk, "pinned": pinned}


def _public(story) -> bool:
    return story.status == "published" and story.visibility == "public"


@pytest.mark.parametrize("viewer", [*VIEWERS, "curator", "mediator"])
def test_walks_show_public_consented_stops_only(app, planted, walk, viewer, create_user):  # noqa: F811
    if viewer in {"curator", "mediator"}:
        planted["users"][viewer] = create_user(viewer, email=f"{viewer}@example.org")
    client = client_for(app, planted, viewer)
    user = planted["users"][viewer]
    urls = URLS + (
        ["/walks/tout/edit", "/walks/manage"] if viewer in {"curator", "mediator"} else []
    )
    failures = []
    for url in urls:
        status, text = fetch(client, planted, viewer, url)
        assert status < 500, url
        for item in planted["stories"]:
            # The editor names a stop's story to a builder who may see it (a curator sees
            # researchers' stories); every other way out names public stories only.
            allowed = may_view(user, item.story) if url.endswith("/edit") else _public(item.story)
            if not allowed and (shows(text, item, url) or f"Titre {item.word}" in text):
                failures.append(f"{viewer}: {url} shows {item.word}")
        for name in ("private", "unconsented"):
            story = walk["pinned"][name]
            if url.endswith("/edit") and name == "unconsented":
                continue  # a curator is told which public story lost its consent, by title
            if story.title in text:
                failures.append(f"{viewer}: {url} shows the {name} story")
            for lat, lon in filter(None, [exact_point(story), public_point(story)]):
                if str(round(lat, 6)) in text or str(round(lon, 6)) in text:
                    failures.append(f"{viewer}: {url} shows the {name} story's point")
        exact = exact_point(walk["pinned"]["public"])
        if str(exact[0]) in text or str(exact[1]) in text:
            failures.append(f"{viewer}: {url} shows an exact point")
    assert not failures, "\n".join(sorted(set(failures)))


def test_the_public_stops_do_appear_with_their_count(app, planted, walk):  # noqa: F811
    client = app.test_client()
    document = client.get("/api/v1/walks/tout").get_json()
    public = [item.story.id for item in planted["stories"] if _public(item.story)]
    expected = public + [walk["pinned"]["public"].id]
    assert [s["story"]["id"] for s in document["stops"]] == expected
    listing = client.get("/api/v1/walks").get_json()
    assert listing["walks"][0]["stops"] == len(expected)
    lat, lon = public_point(walk["pinned"]["public"])
    assert str(round(lat, 6)) in client.get("/walks/tout").text
