"""Erasure on PostgreSQL without VACUUM FULL: the search tables are copied with their live
rows and swapped in, so the erased text leaves the tables' files while searches go on.
PostgreSQL only (MEMOIRE_TEST_POSTGRES_URL), skipped otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from memoire.extensions import db
from memoire.privacy.operations import erase_story
from memoire.search import service
from memoire.search.postgres_backend import SEARCH_TABLES

pytestmark = pytest.mark.engines
UNIQUE = "zorglubienne"


@pytest.fixture
def postgres_only(engine):
    if engine != "postgres":
        pytest.skip("the search tables' files: PostgreSQL profile only")


def relations() -> dict[str, str]:
    """Every search table and index → its file, relative to the data directory."""
    rows = db.session.execute(
        text(
            "SELECT c.relname, pg_relation_filepath(c.oid) FROM pg_class c "
            "WHERE c.relname = ANY(:tables) OR c.oid IN ("
            "  SELECT indexrelid FROM pg_index WHERE indrelid = ANY(CAST(:tables AS regclass[])))"
        ),
        {"tables": list(SEARCH_TABLES)},
    )
    return dict(rows.all())


def test_erasure_rewrites_the_search_tables_without_the_text(
    app, postgres_only, create_story, create_user
):
    admin = create_user("admin")
    keep = create_story("Les coulonneux de Denain", body="pigeons voyageurs")
    gone = create_story("Une histoire à effacer", body=f"la {UNIQUE} du coron")
    assert service.search(None, {"q": UNIQUE}).total == 1
    before = relations()
    erase_story(admin, gone)
    db.session.commit()
    service.process_pending()

    after = relations()
    assert set(after) == set(before)  # same tables and index names
    assert all(after[name] != before[name] for name in before)  # new files for each
    validated = db.session.execute(
        text(
            "SELECT conname, convalidated FROM pg_constraint "
            "WHERE conrelid = CAST('search_segment' AS regclass) AND contype = 'f'"
        )
    ).all()
    assert validated and all(ok for _, ok in validated)
    assert not db.session.scalar(
        text("SELECT count(*) FROM pg_class WHERE relname LIKE 'search%_swap%'")
    )
    assert [r.story.id for r in service.search(None, {"q": "pigeons"}).results] == [keep.id]
    assert service.search(None, {"q": UNIQUE}).total == 0
    assert not db.session.scalar(
        text("SELECT count(*) FROM search_word WHERE word LIKE :w"), {"w": f"%{UNIQUE[:8]}%"}
    )
    data = Path(db.session.scalar(text("SHOW data_directory")))
    if not os.access(data, os.R_OK | os.X_OK):
        return  # the server's files are not readable from here: the checks above stand
    for relative in after.values():
        for path in data.glob(relative + "*"):
            assert UNIQUE.encode() not in path.read_bytes(), path
    # The old files are gone from the disk, not merely emptied.
    assert not any((data / relative).exists() for relative in before.values())


def _theme_counts(q: str) -> dict[str, int]:
    return {v.label: v.count for v in service.search(None, {"q": q}).facets["theme"]}


def test_a_purge_with_nothing_erased_keeps_every_document(app, postgres_only, create_story):
    stories = [
        create_story(f"Le terril numéro {n}", body="schiste", themes=["Mines"]) for n in range(3)
    ]
    service.backend().purge_deleted()
    assert service.search(None, {"q": "schiste"}).total == len(stories)
    assert service.verify().ok
    # Facet values keep their ids through the copy; a value first named after it gets one
    # of its own.
    assert _theme_counts("schiste") == {"Mines": 3}
    create_story("Le terril de la fête", body="schiste", themes=["Fêtes", "Mines"])
    assert _theme_counts("schiste") == {"Mines": 4, "Fêtes": 1}
