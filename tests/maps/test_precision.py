"""No public output gives the exact point of a story marked "quartier".

The story's exact point (a contributor's tap) is 50.352613, 3.528741; its quartier's
point is 50.3480, 3.5400 and its street's 50.3512, 3.5301, so any text holding the
exact point, in any usual rounding, comes from the story itself. Besides the outputs
named here, every GET route of the app that needs no other argument is asked too, so
that an output added later is checked without editing this test.
"""

from __future__ import annotations

import gzip
import re

import pytest

from memoire.extensions import db

EXACT = (50.352613, 3.528741)
NEEDLES = [
    "50.352613",
    "50.35261",
    "50.3526",
    "3.528741",
    "3.52874",
    "3.5287",
    "50,352613",
    "50,3526",
    "3,528741",
    "3,5287",  # French decimal comma in pages
    "50.352 6",
    "503526",  # split or scaled forms
]


@pytest.fixture
def archive(create_place, create_story, create_user):
    quartier = create_place("Dutemple", "quartier", "Valenciennes", 50.3480, 3.5400)
    street = create_place("Rue des Mineurs", "street", "Dutemple", 50.3512, 3.5301)
    story = create_story(
        "La fosse Dutemple",
        body="Le chevalement de la fosse.",
        summary="Souvenir de la fosse",
        themes=["Mine"],
        period="1960",
        precision="quartier",
        lat=EXACT[0],
        lon=EXACT[1],
        places=[street, quartier],
        narrators=["Jeanne"],
    )
    return {"story": story, "quartier": quartier, "street": street, "commune": quartier.parent}


def leaks(text: str) -> list[str]:
    return [needle for needle in NEEDLES if needle in text]


def body_text(response) -> str:
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def named_outputs(archive) -> list[str]:
    story, quartier, commune = archive["story"], archive["quartier"], archive["commune"]
    return [
        f"/stories/{story.id}",
        "/",
        f"/places/{quartier.id}",
        # The street is tied only to a "quartier" story: it is not public at all (404), and
        # is walked with the other routes below (tests/trust/test_leaks_privacy.py).
        f"/places/{commune.id}",
        "/map",
        "/map?kind=anecdote&theme=mine&decade=1960",
        "/api/v1/map.geojson",
        "/api/v1/map.geojson?theme=mine",
        "/api/v1/map.geojson?bbox=3.52,50.34,3.55,50.36",
        "/api/v1/places.geojson",
        "/api/v1/places.geojson?outlines=1",
        "/api/v1/places?q=mineurs",
        "/api/v1/places?near=50.3526,3.5287",
        "/api/v1/layers.geojson",
        "/api/v1/feelings.geojson",
    ]


def optional_outputs(app, archive) -> list[str]:
    """Outputs of other domains, asked when the app has them."""
    story = archive["story"]
    wanted = [
        ("api.story", f"/api/v1/stories/{story.id}"),
        ("api.stories_index", "/api/v1/stories"),
        ("api.search", "/api/v1/search?q=fosse"),
        ("search.search_page", "/search?q=fosse"),
        ("oai.endpoint", "/oai?verb=ListRecords&metadataPrefix=oai_dc"),
    ]
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    found = []
    for _endpoint, url in wanted:
        path = url.split("?")[0]
        if path in rules or any(_matches(rule, path) for rule in rules):
            found.append(url)
    return found


def _matches(rule: str, path: str) -> bool:
    pattern = "^" + re.sub(r"<[^>]+>", "[^/]+", rule) + "$"
    return not rule.startswith("/_stub") and re.match(pattern, path) is not None


def every_simple_get_route(app, archive) -> list[str]:
    """GET routes taking no argument, or only a story or place id: filled with ours."""
    story, street = archive["story"], archive["street"]
    values = {"story_id": str(story.id), "place_id": str(street.id)}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/static", "/_stub")):
            continue
        if set(rule.arguments) - set(values):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+:)?{name}>", values[name], url)
        urls.append(url)
    return urls


def test_no_public_output_holds_the_exact_point_of_a_quartier_story(app, client, archive):
    found = {}
    for url in named_outputs(archive):
        for headers in ({}, {"Accept-Encoding": "gzip"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)
            found[url] = leaks(body_text(response))
    for url in optional_outputs(app, archive) + every_simple_get_route(app, archive):
        response = client.get(url)
        if response.status_code < 400:
            found[url] = leaks(body_text(response))
    assert {url: needles for url, needles in found.items() if needles} == {}
    # The pages really show the story where its consent allows: at its quartier.
    assert "3.54" in body_text(client.get("/api/v1/map.geojson"))


def test_staff_see_the_exact_point(app, client, archive, create_user, login):
    """The control that makes the test above meaningful: the needles do find the point."""
    login(client, create_user("moderator"))
    assert "50.352613" in body_text(client.get("/api/v1/map.geojson"))


def test_the_map_list_without_javascript_names_no_street_of_a_quartier_story(app, client, archive):
    page = client.get("/map?theme=mine").get_data(as_text=True)
    assert "La fosse Dutemple" in page
    # The story is counted under its quartier; its street is not even listed.
    assert client.get("/api/v1/places?q=mineurs").json["places"] == []
    dutemple = client.get("/api/v1/places?q=dutemple").json["places"][0]
    assert dutemple["story_count"] == 1
    db.session.rollback()
