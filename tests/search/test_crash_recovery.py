"""A crash between the commit and the indexing loses nothing: `memoire index process` finishes it.

The crash is simulated by turning off the after-commit indexing: the work rows are
committed with the change, and nothing applies them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from memoire.extensions import db
from memoire.search import service
from memoire.search.models import IndexWork


@pytest.fixture
def app_config() -> dict:
    return {"INDEX_AFTER_COMMIT": False}


def test_index_process_repairs_a_crash_after_commit(create_story, find, runner):
    stories = [create_story(f"Le coron {i}", body="briques rouges") for i in range(3)]
    assert find(q="coron") == []
    assert db.session.scalar(select(func.count()).select_from(IndexWork)) == 3
    drift = service.verify()
    assert drift.ok and drift.pending == [s.id for s in stories]
    assert runner.invoke(args=["index", "verify"]).exit_code == 0  # pending is not drift

    result = runner.invoke(args=["index", "process"])
    assert result.exit_code == 0, result.output
    assert "applied 3" in result.output
    assert sorted(find(q="coron")) == [s.id for s in stories]
    assert db.session.scalar(select(func.count()).select_from(IndexWork)) == 0
    assert service.verify().pending == []


def test_deletions_are_repaired_too(app, create_story, find):
    story = create_story("La verrerie")
    service.process_pending()
    assert find(q="verrerie") == [story.id]
    db.session.delete(story)
    db.session.commit()
    assert find(q="verrerie") == []  # the database has the last word even before indexing
    assert story.id in service.backend().document_versions()
    assert service.process_pending() == 1
    assert story.id not in service.backend().document_versions()


def test_applying_twice_changes_nothing(create_story, find):
    story = create_story("Le terril")
    rows = db.session.scalars(select(IndexWork)).all()
    db.session.add_all([IndexWork(story_id=r.story_id) for r in rows])  # the same work again
    db.session.commit()
    service.process_pending()
    service.process_pending()
    assert find(q="terril") == [story.id]
    assert service.verify().ok


def test_a_story_the_index_cannot_take_does_not_hold_back_the_others(
    create_story, find, monkeypatch, runner
):
    from memoire.search import documents

    stories = [create_story(f"La verrerie {i}") for i in range(3)]
    poison = stories[1]
    real = documents.story_document

    def failing(story, segments=None, **links):
        if story.id == poison.id:
            raise RuntimeError("cannot read this story")
        return real(story, segments, **links)

    monkeypatch.setattr(documents, "story_document", failing)
    assert service.process_pending() == 2
    assert sorted(find(q="verrerie")) == [stories[0].id, stories[2].id]
    (left,) = db.session.scalars(select(IndexWork)).all()
    assert left.story_id == poison.id and left.attempts == 1 and "cannot read" in left.last_error
    result = runner.invoke(args=["index", "process"])
    assert result.exit_code == 1 and f"story {poison.id}: failed 2 times" in result.output
    db.session.expire_all()
    monkeypatch.setattr(documents, "story_document", real)
    assert service.process_pending() == 1
    assert sorted(find(q="verrerie")) == [s.id for s in stories]
