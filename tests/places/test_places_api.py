"""/api/v1/places (type-ahead for the place picker), /api/v1/places.geojson, and place pages."""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import shape

from memoire.extensions import db
from memoire.places.gazetteer import import_places, public_story_counts, search_places


def pt(lon, lat, **props):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


@pytest.fixture
def gazetteer(app):
    outline = {
        "type": "Polygon",
        "coordinates": [
            [[3.93, 50.44], [3.97, 50.44], [3.97, 50.47], [3.93, 50.47], [3.93, 50.44]]
        ],
    }
    import_places(
        None,
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": outline,
                    "properties": {"name": "Mons", "type": "commune", "id": "be:mons"},
                },
                pt(
                    3.960,
                    50.440,
                    name="Épinlieu",
                    type="quartier",
                    parent="Mons",
                    other_names=["Cité de l'Épinlieu"],
                ),
                pt(3.889, 50.448, name="Jemappes", type="quartier", parent="Mons"),
                pt(3.523, 50.357, name="Valenciennes", type="commune", other_names=["Valencijn"]),
                pt(3.540, 50.348, name="Dutemple", type="quartier", parent="Valenciennes"),
                pt(3.955, 50.445, name="Saint-Symphorien", type="quartier", parent="Mons"),
                pt(3.412, 50.448, name="Saint-Amand-les-Eaux", type="commune"),
                pt(3.961, 50.441, name="Rue de l'Épinlieu", type="street", parent="Épinlieu"),
            ],
        },
    )
    db.session.commit()


def names(response) -> list[str]:
    assert response.status_code == 200
    return [p["name"] for p in response.json["places"]]


def test_type_ahead_ignores_accents_and_case_and_reads_other_names(client, gazetteer):
    assert names(client.get("/api/v1/places?q=epinl"))[0] == "Épinlieu"
    assert "Rue de l'Épinlieu" in names(client.get("/api/v1/places?q=EPINLIEU"))
    found = client.get("/api/v1/places?q=valencijn").json["places"]
    assert found[0]["name"] == "Valenciennes" and found[0]["matched_name"] == "Valencijn"
    assert names(client.get("/api/v1/places?q=cite de l'epin")) == ["Épinlieu"]
    assert names(client.get("/api/v1/places?q=saint sym")) == ["Saint-Symphorien"]
    assert names(client.get("/api/v1/places?q=zzz")) == []
    assert names(client.get("/api/v1/places?q=epinlieu&type=street")) == ["Rue de l'Épinlieu"]
    assert client.get("/api/v1/places?type=castle").status_code == 400


def test_nearest_first_with_a_position(client, gazetteer):
    near_mons = names(client.get("/api/v1/places?q=saint&near=50.45,3.95"))
    assert near_mons == ["Saint-Symphorien", "Saint-Amand-les-Eaux"]
    near_amand = names(client.get("/api/v1/places?q=saint&near=50.45,3.41"))
    assert near_amand == ["Saint-Amand-les-Eaux", "Saint-Symphorien"]
    # "Tap on the map": no words, the nearest places with their distance.
    tapped = client.get("/api/v1/places?near=50.3481,3.5401&limit=2").json["places"]
    assert tapped[0]["name"] == "Dutemple" and tapped[0]["distance_m"] < 20
    assert client.get("/api/v1/places?near=95,3").status_code == 400
    assert client.get("/api/v1/places?near=abc").status_code == 400


def test_counts_are_of_public_stories_only(client, gazetteer, create_story):
    from sqlalchemy import select

    from memoire.places.models import Place

    def place(name):
        return db.session.scalar(select(Place).where(Place.name == name))

    street, quartier = place("Rue de l'Épinlieu"), place("Épinlieu")
    create_story("Publique", places=[street])
    create_story("Privée", places=[street], visibility="private")
    create_story("Brouillon", places=[street], status="draft")
    create_story("Chercheurs", places=[street], visibility="researchers")
    create_story("Discrète", places=[street], precision="quartier")  # may not name its street
    create_story("Au quartier", places=[quartier])
    counts = public_story_counts()
    assert counts[street.id] == 1
    assert counts[quartier.id] == 2  # its own and its street's
    assert counts[place("Mons").id] == 2
    listed = {
        p["name"]: p["story_count"] for p in client.get("/api/v1/places?q=epinlieu").json["places"]
    }
    assert listed == {"Épinlieu": 2, "Rue de l'Épinlieu": 1}
    detail = client.get(f"/api/v1/places/{quartier.id}").json
    assert detail["children"] == [
        {"id": street.id, "name": "Rue de l'Épinlieu", "type": "street", "story_count": 1}
    ]
    assert client.get("/api/v1/places/99999").status_code == 404


def test_places_geojson(client, gazetteer, create_story):
    from geojson import loads

    document = client.get("/api/v1/places.geojson")
    parsed = loads(document.get_data(as_text=True))
    assert parsed.is_valid
    assert len(parsed["features"]) == 8
    assert all(f["geometry"]["type"] == "Point" for f in parsed["features"])
    outlines = client.get("/api/v1/places.geojson?outlines=1&type=commune").json["features"]
    mons = next(f for f in outlines if f["properties"]["name"] == "Mons")
    assert mons["geometry"]["type"] == "Polygon" and shape(mons["geometry"]).is_valid
    boxed = client.get("/api/v1/places.geojson?bbox=3.5,50.34,3.6,50.36").json["features"]
    assert sorted(f["properties"]["name"] for f in boxed) == ["Dutemple", "Valenciennes"]
    assert client.get("/api/v1/places.geojson?bbox=1,2").status_code == 400


def test_search_places_function(app, gazetteer):
    assert [m.place.name for m in search_places("jem")] == ["Jemappes"]
    assert search_places("") and len(search_places("", limit=3)) == 3


def test_place_page_shows_outline_children_and_moments(client, gazetteer, create_story):
    from sqlalchemy import select

    from memoire.places.models import Place
    from memoire.transcripts.models import Transcript, TranscriptSegment

    mons = db.session.scalar(select(Place).where(Place.name == "Mons"))
    street = db.session.scalar(select(Place).where(Place.name == "Rue de l'Épinlieu"))
    told = create_story("Le terril", places=[street])
    discreet = create_story("Chez moi", places=[street], precision="quartier")
    for story, text in ((told, "Sur la rue on jouait"), (discreet, "Ma maison rue de l'Épinlieu")):
        db.session.add(
            Transcript(
                story_id=story.id,
                segments=[
                    TranscriptSegment(
                        position=0, start=62.0, end=70.0, text=text, place_id=street.id
                    )
                ],
            )
        )
    db.session.commit()

    page = client.get(f"/places/{mons.id}").get_data(as_text=True)
    data = json.loads(
        re.search(
            r'<script type="application/json" id="place-map-data">(.*?)</script>', page, re.S
        ).group(1)
    )
    kinds = [f["geometry"]["type"] for f in data["features"]]
    assert kinds[0] == "Polygon"  # the commune's outline
    child_names = {
        f["properties"]["title"] for f in data["features"] if f["properties"].get("place_id")
    }
    assert {"Mons", "Épinlieu", "Jemappes", "Saint-Symphorien"} <= child_names

    street_page = client.get(f"/places/{street.id}").get_data(as_text=True)
    assert "Sur la rue on jouait" in street_page and f"/stories/{told.id}?t=62" in street_page
    # A "quartier" story's minute about the street is not listed under the street.
    assert "Ma maison" not in street_page


def test_places_named_only_by_hidden_stories_stay_hidden(
    client, gazetteer, create_place, create_story, create_user, login
):
    secret = create_place("Chez Mme Dupont", "building", "Dutemple", 50.3481, 3.5402)
    create_story("Privée", visibility="private", places=[secret])
    assert names(client.get("/api/v1/places?q=dupont")) == []
    assert client.get(f"/api/v1/places/{secret.id}").status_code == 404
    everything = client.get("/api/v1/places.geojson").get_data(as_text=True)
    assert "Dupont" not in everything
    assert "Dupont" not in client.get("/api/v1/places?near=50.3481,3.5402").get_data(as_text=True)
    # Staff see it; once a public story names it, everybody does.
    login(client, create_user("moderator"))
    assert names(client.get("/api/v1/places?q=dupont")) == ["Chez Mme Dupont"]
    assert "Dupont" in client.get("/api/v1/places.geojson").get_data(as_text=True)


def test_reimport_adopts_a_contributed_place_instead_of_duplicating_it(app, create_place):
    from sqlalchemy import func, select

    from memoire.places.models import Place

    contributed = create_place("Nimy", "quartier", None, 50.47, 3.95)
    assert contributed.external_id is None
    report = import_places(
        None,
        {
            "type": "FeatureCollection",
            "features": [pt(3.9545, 50.4759, name="Nimy", type="quartier")],
        },
    )
    db.session.commit()
    assert (report.created, report.updated) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(Place)) == 1
    assert contributed.external_id == "name:quartier::nimy" and contributed.lat == 50.4759
