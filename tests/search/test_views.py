"""The /search page (without JavaScript) and /api/v1/search."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.search.conftest import login


@pytest.fixture
def archive(create_story, hainaut, add_transcript):
    interview = create_story(
        "Entretien avec Marcel",
        kind="oral_history",
        places=[hainaut["dutemple"]],
        themes=["Mines"],
        body="Marcel raconte la fosse.",
        period="années 50",
        lat=50.3526,
        lon=3.5333,
    )
    add_transcript(
        interview,
        [
            (0.0, 5.0, "Enquêtrice", "Bonjour"),
            (65.0, 80.0, "Marcel", "Mon père descendait à la fosse Dutemple."),
        ],
    )
    school = create_story(
        "L'école d'Épinlieu",
        places=[hainaut["epinlieu"]],
        themes=["École"],
        body="La fosse était loin.",
    )
    return interview, school


def test_search_page_works_without_javascript(client, archive, page_shell):
    interview, school = archive
    response = client.get("/search?q=fosse&lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="q"' in page and 'value="fosse"' in page
    assert "2 memories found" in page
    assert "<mark>fosse</mark>" in page
    assert f'href="/stories/{interview.id}?t=65"' in page
    assert "Marcel" in page
    # Facets are links that narrow the search.
    links = [html.unescape(href) for href in re.findall(r'href="([^"]*theme=[^"]*)"', page)]
    assert any("theme=mines" in link for link in links)
    narrowed = client.get(next(link for link in links if "theme=mines" in link)).get_data(
        as_text=True
    )
    assert "1 memory found" in narrowed and 'aria-current="true"' in narrowed
    # A map of the hits, with a plain list of them for those without JavaScript.
    data = json.loads(
        re.search(
            r'<script type="application/json" id="search-map-data">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert {f["properties"]["id"] for f in data["features"]} == {interview.id, school.id}
    assert 'class="map__list"' in page


def test_search_page_did_you_mean_and_errors(client, archive, page_shell):
    page = client.get("/search?q=fose&lang=en").get_data(as_text=True)
    assert "Did you mean" in page and "q=fosse" in page
    bad = client.get('/search?q="fosse&lang=en')
    assert bad.status_code == 400
    assert "A quotation mark is not closed" in bad.get_data(as_text=True)


def test_search_page_browses_and_pages(client, create_story, page_shell):
    for i in range(25):
        create_story(f"Souvenir {i}")
    first = client.get("/search?lang=en").get_data(as_text=True)
    assert "25 memories found" in first and 'rel="next"' in first
    assert 'href="/search?page=2"' in first
    assert "Souvenir 24" in first  # most recently added first
    assert "Souvenir 4" in client.get("/search?page=2").get_data(as_text=True)


def test_search_page_for_a_logged_in_researcher(app, client, create_story, create_user, page_shell):
    story = create_story("Le terril", visibility="researchers")
    assert "Le terril" not in client.get("/search?q=terril").get_data(as_text=True)
    researcher = app.test_client()
    login(researcher, create_user("researcher"))
    assert f"/stories/{story.id}" in researcher.get("/search?q=terril").get_data(as_text=True)


def test_search_api(client, archive):
    interview, school = archive
    data = client.get("/api/v1/search?q=fosse&per_page=1").get_json()
    assert data["total"] == 2 and data["page"] == 1 and data["per_page"] == 1 and data["pages"] == 2
    (hit,) = data["results"]
    assert set(hit) >= {"id", "title", "score", "url", "snippet", "segments", "places"}
    assert hit["score"] > 0
    all_hits = client.get("/api/v1/search?q=fosse").get_json()["results"]
    by_id = {h["id"]: h for h in all_hits}
    (segment,) = by_id[interview.id]["segments"]
    assert segment == {
        "start": 65.0,
        "end": 80.0,
        "speaker": "Marcel",
        "snippet": "Mon père descendait à la <mark>fosse</mark> Dutemple.",
        "url": f"/stories/{interview.id}?t=65",
        "chapter": None,  # a passage of what was said, not a chapter
    }
    assert by_id[school.id]["snippet"] == "La <mark>fosse</mark> était loin."
    assert {p["name"] for p in by_id[school.id]["places"]} == {"Épinlieu"}
    facets = data["facets"]
    assert {v["label"]: v["count"] for v in facets["theme"]} == {"Mines": 1, "École": 1}
    assert {v["label"] for v in facets["place"]} == {"Mons", "Épinlieu", "Valenciennes", "Dutemple"}
    assert data["suggestion"] is None


def test_search_api_filters_and_suggestion(client, archive):
    interview, school = archive
    data = client.get("/api/v1/search?q=fose&kind=oral_history").get_json()
    assert [h["id"] for h in data["results"]] == [interview.id]
    assert data["suggestion"] == "fosse" and data["fuzzy"] is True
    assert client.get("/api/v1/search?lang=nl").get_json()["total"] == 0
    assert client.get("/api/v1/search?lang=fr").get_json()["total"] == 2
    assert client.get("/api/v1/search?bbox=3.5,50.3,3.6,50.4").get_json()["total"] == 1


@pytest.mark.parametrize(
    "query",
    [
        'q="fosse',
        "q=(fosse",
        "q=*osse",
        "bbox=1,2,3",
        "page=0",
        "per_page=1000",
        "sort=up",
        "decade=1955",
        "kind=poem",
        "place=Mons",
    ],
)
def test_search_api_bad_requests_are_clear_400s(client, archive, query):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid" and error["message"]


def test_map_geojson_of_a_search(client, archive):
    interview, school = archive
    data = client.get("/api/v1/map.geojson?q=Marcel").get_json()
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [3.5333, 50.3526]}  # lon, lat
    assert feature["properties"]["id"] == interview.id
    assert {"id", "title", "url", "kind"} <= set(feature["properties"])


def test_the_search_page_reads_hits_in_a_fixed_number_of_statements(client, create_story):
    """Each hit's first photo (the page's map shows its thumbnail) is loaded with the others,
    not one query per hit and per photo: on PostgreSQL a round trip each (issue 20)."""
    import io

    from memoire.extensions import db
    from memoire.media.operations import add_media
    from tests.conftest import jpeg_bytes, statements_run

    def statements(q: str) -> int:
        with statements_run() as seen:
            assert client.get(f"/search?q={q}").status_code == 200
        return len(seen)

    for n in range(5):
        story = create_story(f"Le terril {n}", body="charbon", lat=50.35, lon=3.52)
        add_media(None, story, io.BytesIO(jpeg_bytes(size=(64, 48))), caption="Le terril")
    lone = create_story("La verrerie", body="verre", lat=50.35, lon=3.52)
    add_media(None, lone, io.BytesIO(jpeg_bytes(size=(64, 48))), caption="La verrerie")
    db.session.commit()
    one, five = statements("verre"), statements("charbon")
    assert five == one, (one, five)
