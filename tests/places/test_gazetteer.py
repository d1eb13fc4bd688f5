"""Gazetteer import (`memoire places import`), a point's place, and the real gazetteer files."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import func, select

from memoire.extensions import db
from memoire.places.gazetteer import import_file, import_places, place_containing
from memoire.places.models import Place
from tests.conftest import shared_data


def square(west: float, south: float, size: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [west, south],
                [west + size, south],
                [west + size, south + size],
                [west, south + size],
                [west, south],
            ]
        ],
    }


def feature(geometry, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def place_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Place))


def by_external(external_id: str) -> Place:
    return db.session.scalar(select(Place).where(Place.external_id == external_id))


GOOD = collection(
    feature(
        square(3.50, 50.34, 0.05),
        name="Valenciennes",
        type="commune",
        external_id="insee:59606",
        wikidata="Q133163",
        other_names=["Valencijn"],
    ),
    feature(
        square(3.52, 50.35, 0.01),
        name="Dutemple",
        type="quartier",
        external_id="q:dutemple",
        parent_id="insee:59606",
        other_names="Cité Dutemple; Le Temple",
    ),
    feature(
        {"type": "Point", "coordinates": [3.5251, 50.3532]},
        name="Rue du Temple",
        type="street",
        external_id="s:temple",
        parent="Dutemple",
        osm_id="way/1234",
    ),
)


def test_import_creates_places_with_outlines_points_and_parents(app):
    report = import_places(None, GOOD)
    db.session.commit()

    assert (report.created, report.updated, report.skipped) == (3, 0, [])
    commune = by_external("insee:59606")
    assert commune.type == "commune" and commune.wikidata_id == "Q133163"
    assert commune.other_names == ["Valencijn"]
    # The pin of an outlined place lies inside its outline.
    assert shape(commune.outline).contains(Point(commune.lon, commune.lat))
    quartier = by_external("q:dutemple")
    assert quartier.parent_id == commune.id
    assert quartier.other_names == ["Cité Dutemple", "Le Temple"]
    street = by_external("s:temple")
    assert (street.lat, street.lon, street.outline) == (50.3532, 3.5251, None)
    assert street.parent_id == quartier.id and street.osm_id == "way/1234"


def test_import_is_idempotent_and_updates_by_external_id(app):
    import_places(None, GOOD)
    db.session.commit()
    before = place_count()

    again = import_places(None, GOOD)
    db.session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert place_count() == before

    renamed = json.loads(json.dumps(GOOD))
    renamed["features"][2]["properties"]["name"] = "Rue du Temple (ancienne)"
    third = import_places(None, renamed)
    db.session.commit()
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assert by_external("s:temple").name == "Rue du Temple (ancienne)"
    assert place_count() == before


def test_features_without_identifier_are_matched_by_name_type_and_parent(app):
    data = collection(
        feature({"type": "Point", "coordinates": [3.95, 50.45]}, name="Mons", type="commune"),
        feature(
            {"type": "Point", "coordinates": [3.889, 50.448]},
            name="Jemappes",
            type="quartier",
            parent="Mons",
        ),
    )
    import_places(None, data)
    db.session.commit()
    report = import_places(None, data)
    db.session.commit()
    assert (report.created, report.unchanged) == (0, 2)
    assert place_count() == 2


def test_bad_features_are_reported_with_their_index_and_skipped(app):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[3.5, 50.3], [3.6, 50.4], [3.6, 50.3], [3.5, 50.4], [3.5, 50.3]]],
    }
    data = collection(
        GOOD["features"][0],
        feature({"type": "Point", "coordinates": [3.5, 50.3]}, type="street"),  # 1: no name
        feature(bowtie, name="Papillon"),  # 2: crosses itself
        feature(
            {"type": "Point", "coordinates": [50.35, 93.5]}, name="Latitude folle"
        ),  # 3: lat > 90
        feature(
            {"type": "Point", "coordinates": [3.5, 50.3]}, name="X", type="castle"
        ),  # 4: bad type
        {"type": "Point", "coordinates": [3.5, 50.3]},  # 5: not a Feature
        feature(
            {"type": "LineString", "coordinates": [[3.5, 50.3], [3.6, 50.4]]}, name="Ligne"
        ),  # 6
        feature(
            {"type": "Polygon", "coordinates": [[[3.5, 50.3], [3.6, 50.3], [3.6, 50.4]]]},
            name="Ouvert",
        ),  # 7
        GOOD["features"][1],
    )
    report = import_places(None, data)
    db.session.commit()

    assert [index for index, _message in report.skipped] == [1, 2, 3, 4, 5, 6, 7]
    messages = dict(report.skipped)
    assert "Feature 2" in messages[2] and "crosses itself" in messages[2]
    assert "93.5" in messages[3]
    assert "castle" in messages[4]
    assert report.created == 2  # the good ones around the bad ones are stored
    assert {p.name for p in db.session.scalars(select(Place))} == {"Valenciennes", "Dutemple"}


def test_a_file_that_is_not_geojson_is_refused_whole(app, tmp_path):
    from memoire.core.errors import ValidationError

    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        import_file(None, path)
    assert "line 1" in str(caught.value)
    path.write_text(json.dumps({"type": "Topology"}), encoding="utf-8")
    with pytest.raises(ValidationError):
        import_file(None, path)
    path.write_text(
        json.dumps({**GOOD, "crs": {"type": "name", "properties": {"name": "EPSG:2154"}}})
    )
    with pytest.raises(ValidationError) as caught:
        import_file(None, path)
    assert "EPSG:2154" in str(caught.value)
    assert place_count() == 0


def test_cli_imports_reports_and_exits_non_zero_on_skipped(app, runner, tmp_path):
    path = tmp_path / "places.geojson"
    bad = feature({"type": "Point", "coordinates": [200, 50]}, name="Loin")
    path.write_text(json.dumps(collection(*GOOD["features"], bad)), encoding="utf-8")

    result = runner.invoke(args=["places", "import", str(path)])
    assert result.exit_code == 1
    assert "3 created" in result.output and "1 skipped" in result.output
    assert "skipped 3:" in result.output and "200" in result.output

    good = tmp_path / "good.geojson"
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    result = runner.invoke(args=["places", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 3 unchanged" in result.output

    result = runner.invoke(args=["places", "import", str(good), "--dry-run", "--id-prefix", "x:"])
    assert "3 created" in result.output
    db.session.rollback()
    assert place_count() == 3


def test_place_containing_finds_the_smallest_outline(app):
    import_places(None, GOOD)
    db.session.commit()
    assert place_containing(50.355, 3.525).name == "Dutemple"  # inside both: the quartier
    assert place_containing(50.38, 3.54).name == "Valenciennes"
    assert place_containing(50.80, 4.35) is None
    # The cache follows the gazetteer: a new, smaller outline wins at once.
    import_places(
        None, collection(feature(square(3.524, 50.354, 0.002), name="Îlot", type="building"))
    )
    db.session.commit()
    assert place_containing(50.355, 3.525).name == "Îlot"


@pytest.mark.shared_data
def test_real_nord_communes_import_with_insee_codes(app, runner):
    path = shared_data("gazetteer", "france_nord", "communes-59-nord.geojson")
    result = runner.invoke(
        args=[
            "places",
            "import",
            str(path),
            "--type",
            "commune",
            "--name-field",
            "nom",
            "--id-field",
            "code",
            "--id-prefix",
            "insee:",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "648 created" in result.output
    valenciennes = by_external("insee:59606")
    assert valenciennes.name == "Valenciennes" and valenciennes.type == "commune"
    assert shape(valenciennes.outline).is_valid
    assert shape(valenciennes.outline).contains(Point(valenciennes.lon, valenciennes.lat))
    # Valenciennes' town hall, and a point in Denain, fall in their communes.
    assert place_containing(50.3579, 3.5235).name == "Valenciennes"
    assert place_containing(50.3290, 3.3958).name == "Denain"

    again = runner.invoke(
        args=[
            "places",
            "import",
            str(path),
            "--type",
            "commune",
            "--name-field",
            "nom",
            "--id-field",
            "code",
            "--id-prefix",
            "insee:",
        ]
    )
    assert again.exit_code == 0
    assert "0 created, 0 updated, 648 unchanged" in again.output
    assert place_count() == 648


@pytest.mark.shared_data
def test_real_belgian_localities_of_hainaut(app, tmp_path):
    rows = json.loads(
        shared_data("gazetteer", "belgium_postcodes", "zipcode-belgium.json").read_text()
    )
    hainaut = [r for r in rows if 7000 <= int(r["zip"]) <= 7999]
    data = collection(
        *[
            feature(
                {"type": "Point", "coordinates": [r["lng"], r["lat"]]},
                name=r["city"],
                external_id=f"{r['zip']}-{r['city']}",
                type="commune",
            )
            for r in hainaut
        ]
    )
    path = tmp_path / "hainaut.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")

    report = import_file(None, path)
    db.session.commit()
    assert report.skipped == [] and report.created == len(hainaut)
    jemappes = by_external("7012-Jemappes")
    assert abs(jemappes.lat - 50.448) < 0.01 and abs(jemappes.lon - 3.889) < 0.01
    assert import_file(None, path).created == 0


def test_find_place_follows_added_renamed_and_rolled_back_places(app):
    from memoire.places.operations import find_or_create_place, find_place

    assert find_place("Wallers") is None
    wallers = find_or_create_place(None, name="Wallers", type="commune")
    db.session.commit()
    assert find_place("wallers") is wallers
    arenberg = find_or_create_place(None, name="Arenberg", type="quartier", parent=wallers)
    db.session.commit()
    assert find_place("Arenberg", wallers) is arenberg
    arenberg.other_names = ["Cité d'Arenberg"]
    db.session.commit()
    assert find_place("cite d'arenberg") is arenberg
    arenberg.name = "Fosse Arenberg"
    db.session.commit()
    assert find_place("Arenberg") is None and find_place("fosse arenberg") is arenberg
    find_or_create_place(None, name="Haveluy", type="commune")
    assert find_place("Haveluy") is not None  # in this transaction, before commit
    db.session.rollback()
    assert find_place("Haveluy") is None


def test_find_place_within_one_transaction_follows_this_sessions_changes(app):
    """The gazetteer's version is read once per transaction: what this session writes (even
    unflushed, even in a savepoint rolled back) and what others commit must still show."""
    from sqlalchemy.orm import Session

    from memoire.places.models import Place
    from memoire.places.operations import find_or_create_place, find_place

    wallers = find_or_create_place(None, name="Wallers", type="commune")
    db.session.commit()
    assert find_place("Wallers") is wallers  # the version, read for this transaction
    wallers.name = "Wallers-Arenberg"  # not flushed
    assert find_place("Wallers") is None and find_place("wallers-arenberg") is wallers
    savepoint = db.session.begin_nested()
    haveluy = find_or_create_place(None, name="Haveluy", type="commune")
    wallers.name = "Wallers-Haveluy"
    assert find_place("Haveluy") is haveluy and find_place("Wallers-Haveluy") is wallers
    savepoint.rollback()
    assert find_place("Haveluy") is None and find_place("Wallers-Haveluy") is None
    assert find_place("Wallers-Arenberg") is wallers
    db.session.commit()

    assert find_place("Denain") is None
    with Session(db.engine) as other:  # another process's import
        other.add(Place(name="Denain", type="commune", other_names=[]))
        other.commit()
    db.session.rollback()  # this transaction ends: the next one reads the gazetteer again
    assert find_place("Denain") is not None


def test_fold_drops_every_combining_mark_as_its_definition_says():
    """`fold` strips marks through a translation table filled as characters come; it must
    say what the definition says (NFKD, marks dropped, casefold, one space) for any text."""
    import random
    import unicodedata

    from memoire.places.operations import fold

    def defined(text):
        decomposed = unicodedata.normalize("NFKD", text or "")
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        return " ".join(stripped.replace("’", "'").casefold().split())

    samples = ["Épinlieu", "L’Héribus  du  Çà", "ǅemal ﬁn Ⅻ", "", None, "Straße Œuvre",
               "Ἀθῆναι", "한국어", "x\u0301\u0327y", "\u0300 seule", "Denain\x00"]
    rng = random.Random(7)
    samples += ["".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(30)))
                for _ in range(3000)]
    for text in samples:
        assert fold(text) == defined(text), repr(text)
    assert fold("Fosse Dutemple à Valenciennes") == "fosse dutemple a valenciennes"
