"""The map of memories as GeoJSON: points per viewer, filters, visibility, caching."""

from __future__ import annotations

import gzip
import json

import pytest

from memoire.extensions import db
from memoire.maps.geojson import MapFilters, stories_geojson
from memoire.stories.presenters import story_feature
from tests.maps.geojson_checks import assert_rfc7946


@pytest.fixture
def places(create_place):
    quartier = create_place("Dutemple", "quartier", "Valenciennes", 50.3480, 3.5400)
    street = create_place("Rue des Mineurs", "street", "Dutemple", 50.3512, 3.5301)
    return quartier, street


def features_by_id(collection) -> dict:
    return {f["properties"]["id"]: f for f in collection["features"]}


def test_points_are_those_of_story_feature_for_every_precision(
    app, create_story, create_user, places
):
    quartier, street = places
    stories = [
        create_story("Exacte", precision="exact", lat=50.352613, lon=3.528741, places=[street]),
        create_story("Rue", precision="street", lat=50.352613, lon=3.528741, places=[street]),
        create_story(
            "Quartier", precision="quartier", lat=50.352613, lon=3.528741, places=[street]
        ),
        create_story("Sans point", precision="street", places=[street]),
        create_story("Au quartier", precision="exact", places=[quartier]),
    ]
    create_story("Nulle part")  # no point, no place: not on the map
    staff = create_user("moderator")
    for viewer in (None, staff):
        with app.test_request_context():
            collection = stories_geojson(viewer, MapFilters())
            expected = {s.id: story_feature(viewer, db.session.get(type(s), s.id)) for s in stories}
        found = features_by_id(collection)
        assert set(found) == set(expected)
        for story_id, feature in expected.items():
            assert found[story_id]["geometry"] == feature["geometry"], feature["properties"][
                "title"
            ]
            assert found[story_id]["properties"]["url"] == feature["properties"]["url"]
    # Sanity: the visitor's points are not the exact ones for street and quartier precision.
    with app.test_request_context():
        visitor = features_by_id(stories_geojson(None))
        staff_view = features_by_id(stories_geojson(staff))
    assert staff_view[stories[2].id]["geometry"]["coordinates"] == [3.528741, 50.352613]
    assert visitor[stories[2].id]["geometry"]["coordinates"] == [3.54, 50.348]
    assert visitor[stories[1].id]["geometry"]["coordinates"] != [3.528741, 50.352613]


def test_visitors_see_only_public_published_stories(
    app, client, login, create_story, create_user, places
):
    _quartier, street = places
    owner = create_user("contributor")
    public = create_story("Publique", places=[street])
    hidden = {
        create_story("Brouillon", status="draft", places=[street], contributor=owner).id,
        create_story("Soumise", status="submitted", places=[street]).id,
        create_story("Refusée", status="rejected", places=[street]).id,
        create_story("Retirée", status="withdrawn", places=[street]).id,
        create_story("Privée", visibility="private", places=[street]).id,
    }
    research = create_story("Chercheurs", visibility="researchers", places=[street])

    def ids(response) -> set[int]:
        assert response.status_code == 200
        return {f["properties"]["id"] for f in assert_rfc7946(response.data)["features"]}

    assert ids(client.get("/api/v1/map.geojson")) == {public.id}
    for query in ("?kind=anecdote", "?bbox=3,50,4,51", "?decade=1960"):
        assert not ids(client.get("/api/v1/map.geojson" + query)) & (hidden | {research.id})

    login(client, create_user("researcher"))
    assert ids(client.get("/api/v1/map.geojson")) == {public.id, research.id}
    login(client, owner)
    assert ids(client.get("/api/v1/map.geojson")) == {
        public.id,
        next(iter(h for h in hidden if db.session.get(type(public), h).contributor_id == owner.id)),
    }
    login(client, create_user("moderator"))
    assert ids(client.get("/api/v1/map.geojson")) == {public.id, research.id} | hidden


def test_filters_theme_kind_decade(app, client, create_story, places):
    _quartier, street = places
    mine = create_story(
        "Fosse",
        themes=["Mine"],
        kind="oral_history",
        period={"start": 1955, "end": 1965},
        places=[street],
    )
    school = create_story("École", themes=["École"], kind="photo", period="1972", places=[street])
    undated = create_story("Sans date", themes=["Mine"], places=[street])

    def ids(query: str) -> set[int]:
        return {
            f["properties"]["id"]
            for f in client.get("/api/v1/map.geojson" + query).json["features"]
        }

    assert ids("") == {mine.id, school.id, undated.id}
    assert ids("?theme=mine") == {mine.id, undated.id}
    assert ids("?kind=photo") == {school.id}
    # A period touching the decade counts: 1955-1965 is in the 1950s and the 1960s.
    assert ids("?decade=1950") == {mine.id}
    assert ids("?decade=1960") == {mine.id}
    assert ids("?decade=1975") == {school.id}
    assert ids("?decade=1980") == set()
    # A period, as the search reads it: every story whose years touch it.
    assert ids("?decade=1950-1970") == {mine.id, school.id}
    assert ids("?decade=1960-1970") == {mine.id, school.id}
    assert ids("?decade=1930-1940") == set()
    assert ids("?decade=1970s") == {school.id}
    feature = client.get("/api/v1/map.geojson?theme=mine&kind=oral_history").json["features"][0]
    assert feature["properties"]["themes"] == ["mine"]
    assert (feature["properties"]["start"], feature["properties"]["end"]) == (1955, 1965)


def test_bbox_filters_on_the_point_shown_never_the_exact_one(app, client, create_story, places):
    _quartier, street = places
    story = create_story(
        "Quartier", precision="quartier", lat=50.352613, lon=3.528741, places=[street]
    )
    around_exact = "3.5285,50.3524,3.5290,50.3528"
    around_shown = "3.539,50.347,3.541,50.349"
    assert client.get(f"/api/v1/map.geojson?bbox={around_exact}").json["features"] == []
    shown = client.get(f"/api/v1/map.geojson?bbox={around_shown}").json["features"]
    assert [f["properties"]["id"] for f in shown] == [story.id]


@pytest.mark.parametrize("decade", ["1970-1950", "1955-1970", "1950-", "nineteen", "1000-2990"])
def test_bad_period_is_a_clear_400(client, decade):
    response = client.get(f"/api/v1/map.geojson?decade={decade}")
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "decade"


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "3,50,4,95", "3,51,4,50"])
def test_bad_bbox_is_a_clear_400(client, bbox):
    response = client.get(f"/api/v1/map.geojson?bbox={bbox}")
    assert response.status_code == 400
    assert "west,south,east,north" in response.json["error"]["message"]


def test_gzip_etag_304_and_invalidation_when_the_archive_changes(app, client, create_story, places):
    _quartier, street = places
    first = create_story("Première", places=[street])

    plain = client.get("/api/v1/map.geojson")
    assert plain.status_code == 200
    assert plain.mimetype == "application/geo+json"
    assert "Accept-Encoding" in plain.headers["Vary"]
    zipped = client.get("/api/v1/map.geojson", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]  # two representations, two tags

    etag = plain.headers["ETag"]
    not_modified = client.get("/api/v1/map.geojson", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""

    second = create_story("Seconde", places=[street])  # committed through the ORM
    changed = client.get("/api/v1/map.geojson", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert {f["properties"]["id"] for f in changed.json["features"]} == {first.id, second.id}

    # Withdrawing a story takes it off the map at once, cached or not.
    from memoire.stories.operations import withdraw_story

    withdraw_story(None, db.session.get(type(first), first.id))
    db.session.commit()
    after = client.get("/api/v1/map.geojson", headers={"If-None-Match": changed.headers["ETag"]})
    assert {f["properties"]["id"] for f in after.json["features"]} == {second.id}


def test_cache_is_per_viewer(app, client, login, create_story, create_user, places):
    _quartier, street = places
    create_story("Quartier", precision="quartier", lat=50.352613, lon=3.528741, places=[street])
    visitor = client.get("/api/v1/map.geojson")
    login(client, create_user("admin"))
    staff = client.get("/api/v1/map.geojson")
    assert b"50.352613" in staff.data and b"50.352613" not in visitor.data
    assert staff.headers["ETag"] != visitor.headers["ETag"]
    assert staff.headers["Cache-Control"].startswith("private")
    assert visitor.headers["Cache-Control"].startswith("public")


def test_story_page_map_follows_segment_places(
    app, create_story, create_user, create_place, places
):
    from memoire.maps.geojson import story_places_geojson
    from memoire.transcripts.models import Transcript, TranscriptSegment

    quartier, street = places
    street.external_id = "osm:way/1"  # a gazetteer street: public knowledge
    secret = create_place("Chez Mme Dupont", "building", "Dutemple", 50.3481, 3.5402)
    other = places[0].parent
    exact = create_story("Exacte", places=[quartier])
    hidden = create_story("Discrète", precision="quartier", places=[quartier])
    for story in (exact, hidden):
        transcript = Transcript(
            story_id=story.id,
            segments=[
                TranscriptSegment(position=0, start=0, end=5, text="La rue", place_id=street.id),
                TranscriptSegment(position=1, start=5, end=9, text="La ville", place_id=other.id),
            ],
        )
        db.session.add(transcript)
    db.session.commit()
    with app.test_request_context():
        shown = story_places_geojson(None, db.session.get(type(exact), exact.id))
        discreet = story_places_geojson(None, db.session.get(type(hidden), hidden.id))
        staff = story_places_geojson(
            create_user("moderator"), db.session.get(type(hidden), hidden.id)
        )
    assert [f["properties"]["place_id"] for f in shown["features"]] == [quartier.id, street.id]
    assert [f["properties"]["role"] for f in shown["features"]] == ["story", "segment"]
    # A place named by no visible story is not shown (Chez Mme Dupont), staff excepted.
    assert secret.id not in [f["properties"]["place_id"] for f in shown["features"]]
    # A "quartier" story does not show the street one minute of it speaks of; staff see it.
    assert [f["properties"]["place_id"] for f in discreet["features"]] == [quartier.id]
    assert street.id in [f["properties"]["place_id"] for f in staff["features"]]
    assert json.dumps(shown)  # plain JSON for the page's data block


def test_search_words_narrow_the_map(app, client, create_story, places):
    from memoire.search import service

    if not hasattr(service, "search_story_ids"):
        pytest.skip("the search service has no search_story_ids yet")
    _quartier, street = places
    mine = create_story("La fosse Dutemple", body="Le chevalement de la fosse.", places=[street])
    create_story("La ducasse", body="Les manèges sur la place.", places=[street])
    private = create_story("La fosse secrète", visibility="private", places=[street])
    found = client.get("/api/v1/map.geojson?q=fosse")
    assert found.status_code == 200
    assert [f["properties"]["id"] for f in found.json["features"]] == [mine.id]
    assert private.id not in {
        f["properties"]["id"] for f in client.get("/api/v1/map.geojson?q=secrète").json["features"]
    }


def test_cache_is_bounded_in_entries_and_bytes():
    from memoire.maps.geojson import CachedBody, MapCache

    cache = MapCache(entries=3, max_bytes=100)
    for i in range(5):
        cache.put((i,), CachedBody(etag=str(i), gzipped=b"x" * 10))
    assert [key for key in cache.bodies] == [(2,), (3,), (4,)]
    cache.put((9,), CachedBody(etag="9", gzipped=b"x" * 95))
    assert list(cache.bodies) == [(9,)]  # the newest body stays, even alone over the limit
    assert cache.get((9,)).etag == "9" and cache.get((2,)) is None


def test_a_client_refusing_gzip_gets_plain_json(client, create_story, places):
    _quartier, street = places
    create_story("Une", places=[street])
    response = client.get("/api/v1/map.geojson", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in response.headers
    assert response.json["features"][0]["properties"]["title"] == "Une"
