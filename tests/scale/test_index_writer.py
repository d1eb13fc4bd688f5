"""MEMOIRE_INDEX_WRITER=false: a web worker records index work but never writes the index;
the one writer (`memoire index process`, `memoire worker`) applies it. On both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from memoire.extensions import db
from memoire.search import service
from memoire.search.backend import IndexBusy
from memoire.search.models import IndexWork

pytestmark = pytest.mark.engines


def as_writer(app, writer: bool) -> None:
    app.config["MEMOIRE_INDEX_WRITER"] = writer
    app.extensions.pop("memoire.search", None)  # the next use builds the backend anew


def pending() -> int:
    return db.session.scalar(select(func.count()).select_from(IndexWork))


def test_a_reader_records_work_and_the_writer_applies_it(app, create_story, runner):
    as_writer(app, False)
    story = create_story("Le coron des Trieux", body="briques")
    assert pending() == 1  # recorded in the same transaction, not applied
    assert service.search(None, {"q": "coron"}).total == 0
    assert service.process_pending() == 0  # a reader never takes the writer's place
    with pytest.raises(IndexBusy):
        service.backend().apply([], [story.id])
    with pytest.raises(IndexBusy):
        service.rebuild()
    with pytest.raises(IndexBusy):
        service.backend().purge_deleted()
    as_writer(app, True)
    result = runner.invoke(args=["index", "process"])
    assert result.exit_code == 0 and "applied 1" in result.output
    as_writer(app, False)
    assert [r.story.id for r in service.search(None, {"q": "coron"}).results] == [story.id]
    assert pending() == 0
