"""`memoire network import|list`: the operations' rules through the command line, a bad line named,
nothing half-written."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from memoire.extensions import db
from memoire.network.models import Organisation, Workshop, WorkshopStory

ORGS_CSV = (
    "name,kind,country,place,website,languages,neighbourhoods\n"
    "Maison de quartier d'Épinlieu,neighbourhood_house,be,,https://epinlieu.example,fr;nl,Dutemple\n"
    "Université de Mons,university,BE,,,fr,\n"
)


def _speak(app, locale: str) -> None:
    """Commands speak the archive's default language (forget the one already chosen)."""
    from flask_babel import refresh

    app.config["MEMOIRE_DEFAULT_LOCALE"] = locale
    refresh()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_organisations_from_csv_then_update_and_list(runner, network, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS_CSV, encoding="utf-8")
    before = _count(Organisation)
    result = runner.invoke(args=["network", "import", "organisations", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated" in result.output
    house = db.session.scalar(
        select(Organisation).where(Organisation.slug == "maison-de-quartier-d-epinlieu")
    )
    assert house.country == "BE" and house.languages == ["fr", "nl"]
    assert [p.name for p in house.neighbourhoods] == ["Dutemple"]
    # Re-running the file updates the same records.
    path.write_text(
        ORGS_CSV.replace("https://epinlieu.example", "https://epinlieu.example/new"),
        encoding="utf-8",
    )
    result = runner.invoke(args=["network", "import", "organisations", str(path)])
    assert "0 created, 2 updated" in result.output
    db.session.expire_all()
    assert _count(Organisation) == before + 2
    assert db.session.get(Organisation, house.id).website == "https://epinlieu.example/new"
    listing = runner.invoke(args=["network", "list", "organisations"]).output
    assert (
        "maison-de-quartier-d-epinlieu\tneighbourhood_house\tBE\tMaison de quartier d'Épinlieu"
        in listing
    )


def test_import_workshops_from_json_attaches_stories(runner, network, tmp_path):
    records = [
        {
            "title": "Journée de collecte",
            "starts_on": "2024-05-15",
            "place": "Dutemple",
            "organisations": ["centre-social-dutemple"],
            "methods": [network["method"].slug],
            "audience": "families",
            "participants": 25,
            "stories": [str(network["public"].id)],
        },
    ]
    path = tmp_path / "workshops.json"
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    result = runner.invoke(args=["network", "import", "workshops", str(path)])
    assert result.exit_code == 0, result.output
    workshop = db.session.scalar(select(Workshop).where(Workshop.title == "Journée de collecte"))
    assert [o.slug for o in workshop.organisations] == ["centre-social-dutemple"]
    assert db.session.get(WorkshopStory, network["public"].id).workshop_id == workshop.id
    listing = runner.invoke(args=["network", "list", "workshops"]).output
    assert f"{workshop.id}\t2024-05-15\tJournée de collecte\tcentre-social-dutemple\t1" in listing


def test_a_bad_line_is_named_and_nothing_is_kept(runner, network, tmp_path, app):
    _speak(app, "en")
    before = (_count(Organisation), _count(Workshop))
    cases = {
        "orgs.csv": (
            "organisations",
            ORGS_CSV + "Sans pays,association,XX,,,fr,\n",
            "Line 4 (country)",
        ),
        "orgs2.csv": ("organisations", ORGS_CSV + ",association,FR,,,fr,\n", "Line 4 (name)"),
        "orgs3.csv": (
            "organisations",
            ORGS_CSV + "Ailleurs,association,FR,Atlantide,,fr,\n",
            "Line 4 (place)",
        ),
        "typo.csv": ("organisations", "name,contry\nX,FR\n", "Line 2: unknown column contry"),
        "w.jsonl": (
            "workshops",
            '{"title": "Un", "starts_on": "2024-01-01"}\n'
            '{"title": "Deux", "starts_on": "2024-13-01"}\n',
            "Line 2 (starts_on)",
        ),
        "w2.json": (
            "workshops",
            '[\n {"title": "Un", "starts_on": "2024-01-01"},\n\n'
            ' {"title": "Trois", "starts_on": "2024-01-02", "organisations": ["nulle-part"]}\n]',
            "Line 4 (organisations)",
        ),
        "w3.json": (
            "workshops",
            '[\n {"title": "Un",\n "starts_on": 2024-01-01}\n]',
            "Line 3: not valid JSON",
        ),
        "w4.jsonl": (
            "workshops",
            '{"title": "Un", "starts_on": "2024-01-01", "stories": ["nope-42"]}\n',
            "Line 1",
        ),
        "w.txt": ("workshops", "title\n", ".csv, .json or .jsonl"),
    }
    for name, (kind, content, expected) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = runner.invoke(args=["network", "import", kind, str(path)])
        assert result.exit_code == 1, (name, result.output)
        assert expected in result.output, (name, result.output)
        assert "Traceback" not in result.output
    db.session.expire_all()
    assert (_count(Organisation), _count(Workshop)) == before


def test_errors_are_translated(runner, network, tmp_path, app):
    path = tmp_path / "w.jsonl"
    path.write_text('{"title": "Deux", "starts_on": "2024-13-01"}\n', encoding="utf-8")
    _speak(app, "fr")
    result = runner.invoke(args=["network", "import", "workshops", str(path)])
    assert "Ligne 1 (starts_on)" in result.output
    assert "Pas une date" in result.output


def test_dry_run_stores_nothing(runner, network, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS_CSV, encoding="utf-8")
    before = _count(Organisation)
    result = runner.invoke(args=["network", "import", "organisations", str(path), "--dry-run"])
    assert result.exit_code == 0 and "2 organisations checked" in result.output
    db.session.expire_all()
    assert _count(Organisation) == before
