"""Get-or-create at the operation level (issue 13 item 9): a row another writer added in the
meantime is found, never inserted twice; a place is matched by name and any ancestor before
a new one is made. The real concurrent processes are in tests/postgres/test_concurrent_writers.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from memoire.core import concurrency
from memoire.extensions import db
from memoire.places.models import Place
from memoire.places.operations import find_or_create_place
from memoire.stories import operations as story_ops
from memoire.stories.models import Person, Theme

pytestmark = pytest.mark.engines


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_theme_inserted_by_another_writer_is_reused(app, monkeypatch):
    # Another writer commits the theme between our look-up and our insert.
    other = Theme(slug="terrils", name="Terrils", names={})
    real_insert = concurrency.insert_ignoring_conflict

    def insert_after_the_other_writer(model, values, unique):
        with db.engine.begin() as conn:
            conn.execute(Theme.__table__.insert().values(slug=other.slug, name=other.name, names={}))
        real_insert(model, values, unique)

    monkeypatch.setattr(story_ops, "insert_ignoring_conflict", insert_after_the_other_writer)
    theme = story_ops.get_or_create_theme("Terrils")
    db.session.commit()
    assert theme.slug == "terrils" and _count(Theme) == 1


def test_get_or_create_returns_the_same_rows(app):
    first = story_ops.get_or_create_theme("Mémoire ouvrière")
    person = story_ops.get_or_create_person(story_ops.NarratorInput(name="Jeanne"))
    db.session.commit()
    assert story_ops.get_or_create_theme("memoire  ouvriere") is first
    assert story_ops.get_or_create_person(story_ops.NarratorInput(name=" Jeanne ")) is person
    assert _count(Theme) == 1 and _count(Person) == 1


def test_a_place_is_matched_under_any_ancestor(app):
    street = find_or_create_place(None, name="Rue du Coron", type="street", parent=find_or_create_place(
        None, name="Dutemple", type="quartier", parent="Valenciennes"))
    db.session.commit()
    places = _count(Place)
    # Named with its commune instead of its quartier: still the known street.
    assert find_or_create_place(None, name="rue du coron", parent="Valenciennes") is street
    assert find_or_create_place(None, name="Rue du Coron") is street
    assert _count(Place) == places
    # Under another commune it is another place.
    other = find_or_create_place(None, name="Rue du Coron", parent="Anzin")
    assert other is not street and other.parent.name == "Anzin"


def test_deadlocks_are_recognised_as_retryable():
    class Orig(Exception):
        sqlstate = "40P01"

    assert concurrency.is_retryable(OperationalError("SELECT 1", {}, Orig()))
    assert not concurrency.is_retryable(ValueError("no"))


def test_an_import_line_that_deadlocks_is_run_again(app, tmp_path, monkeypatch):
    from memoire.imports import operations as imports

    class Orig(Exception):
        sqlstate = "40P01"

    real = imports.import_record
    calls = []

    def deadlock_once(actor, record, base, *args):
        calls.append(record["id"])
        if len(calls) == 1:
            real(actor, record, base, *args)  # half-written, then the database gives up on us
            raise OperationalError("INSERT", {}, Orig())
        return real(actor, record, base, *args)

    monkeypatch.setattr(imports, "import_record", deadlock_once)
    path = tmp_path / "one.jsonl"
    path.write_text('{"id": "a", "title": "Un souvenir", "themes": ["Terrils"]}\n', encoding="utf-8")
    summary = imports.import_jsonl(None, path)
    assert [r.status for r in summary.results] == ["created"]
    assert calls == ["a", "a"]
    assert _count(Theme) == 1
