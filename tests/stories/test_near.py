"""Près de moi (issue 18 item 4): nearest public stories, from their public point."""

from __future__ import annotations

import pytest

from memoire.core.errors import ValidationError
from memoire.stories.near import distance_m, nearest_public, parse_point


def test_parse_point():
    assert parse_point("", "") is None
    assert parse_point("50,3571", "3.5234") == (50.357, 3.523)
    for lat, lon in [("abc", "3"), ("91", "3"), ("nan", "3"), ("50", "")]:
        with pytest.raises(ValidationError):
            parse_point(lat, lon)


def test_ordering_by_the_public_point_and_public_only(app, create_story):
    here = (50.357, 3.523)
    create_story("Loin", lat=50.40, lon=3.60)
    create_story("Tout près", lat=50.3572, lon=3.5232)
    create_story("Pas loin", lat=50.36, lon=3.53)
    create_story("Caché tout près", lat=50.357, lon=3.523, visibility="private")
    create_story("Brouillon", lat=50.357, lon=3.523, status="draft")
    # A "quartier" story counts from its coarsened point (a ~1 km cell), not its exact tap.
    create_story("Discret", lat=50.3571, lon=3.5231, precision="quartier")
    found = nearest_public(here)
    titles = [s.title for s, _ in found]
    assert "Caché tout près" not in titles and "Brouillon" not in titles
    assert titles.index("Tout près") < titles.index("Pas loin") < titles.index("Loin")
    distances = dict((s.title, d) for s, d in found)
    assert distances["Discret"] > 100  # its exact tap is 15 m away; its public point is not
    assert distance_m((50.0, 3.0), (51.0, 3.0)) == pytest.approx(111_195, rel=0.01)


def test_near_page_without_javascript(client, create_story, create_place):
    town = create_place("Valenciennes", "commune", None, 50.357, 3.523)
    create_story("Tout près", lat=50.3572, lon=3.5232, places=[town])
    create_story("Caché", lat=50.357, lon=3.523, visibility="private")
    page = client.get("/near")
    assert page.status_code == 200 and "<script>" not in page.get_data(as_text=True)
    html = client.get("/near?lat=50.357&lon=3.523").get_data(as_text=True)
    assert "Tout près" in html and "Caché" not in html
    html = client.get("/near?place=valenciennes").get_data(as_text=True)
    assert "Tout près" in html and "Valenciennes" in html
    assert client.get("/near?lat=abc&lon=3").status_code == 400
    assert client.get("/near?place=Nulle+part+zzz").status_code == 200
