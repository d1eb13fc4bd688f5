"""Counts per neighbourhood: distinct visible stories, the same figure as the place page lists."""

from __future__ import annotations

import re

from memoire.places.queries import neighbourhoods


def _counts(viewer=None) -> dict[str, int]:
    return {p.name: n for p, n in neighbourhoods(viewer)}


def test_a_story_tied_to_a_town_its_quartier_and_a_landmark_counts_once(create_place, create_story):
    mons = create_place("Mons", "commune", None, 50.45, 3.95)
    epinlieu = create_place("Epinlieu", "quartier", mons, 50.44, 3.96)
    beffroi = create_place("Le beffroi", "landmark", epinlieu, 50.454, 3.951)
    create_story("Trois fois liée", places=[mons, epinlieu, beffroi])
    create_story("Au quartier", places=[epinlieu])
    create_story("Brouillon", places=[mons], status="submitted")

    counts = _counts()
    assert counts["Mons"] == 2
    assert counts["Epinlieu"] == 2


def test_home_and_map_lists_match_the_place_page(client, create_place, create_story):
    mons = create_place("Mons", "commune", None, 50.45, 3.95)
    epinlieu = create_place("Epinlieu", "quartier", mons, 50.44, 3.96)
    for i in range(3):
        create_story(f"Souvenir {i}", places=[mons, epinlieu])
    page = client.get(f"/places/{mons.id}").get_data(as_text=True)
    listed = page.count("<article class=\"card")
    assert listed == 3
    for url in ("/", "/map"):
        html = client.get(url).get_data(as_text=True)
        line = re.search(r">Mons</a>[^<]*(?:<[^>]+>[^<]*){0,3}", html)
        assert line, url
        assert "3" in line.group(0) and "6" not in line.group(0), (url, line.group(0))
