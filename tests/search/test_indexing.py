"""Keeping the index true: after commit, rollback, busy lock, verify, rebuild, searchers."""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from memoire.extensions import db
from memoire.search import service
from memoire.search.documents import document_version, story_document
from memoire.search.models import IndexWork
from memoire.stories import operations


def pending_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(IndexWork))


def test_changes_reach_the_index_after_commit(create_story, find):
    story = create_story("Le terril", body="noir")
    assert find(q="terril") == [story.id]
    assert pending_rows() == 0
    data = operations.StoryInput(
        title="La verrerie", body="verre", visibility="public", status="published"
    )
    operations.update_story(None, story, data)
    db.session.commit()
    assert find(q="terril") == []
    assert find(q="verrerie") == [story.id]
    db.session.delete(story)
    db.session.commit()
    assert find(q="verrerie") == []
    assert story.id not in service.backend().document_versions()


def test_rollback_leaves_no_trace(app, find):
    before = service.backend().document_versions()
    data = operations.StoryInput(
        title="Le coron oublié", visibility="public", status="published",
        consent=operations.ConsentInput(given_by="test", online_publication=True),
    )
    story = operations.create_story(None, data)
    assert story.id is not None and pending_rows() == 1  # flushed, work recorded
    db.session.rollback()
    assert pending_rows() == 0
    assert find(q="coron") == []
    assert service.backend().document_versions() == before


def test_a_busy_index_leaves_the_work_pending(app, create_story, find):
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with app.app_context(), service.backend().exclusive(timeout=5):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    holding.wait(5)
    try:
        app.config["MEMOIRE_INDEX_LOCK_TIMEOUT"] = 0.1
        service.backend().lock_timeout = 0.1
        story = create_story("La cité minière")  # commits; the writer cannot get the lock
        assert pending_rows() == 1
        assert find(q="cité") == []
    finally:
        release.set()
        holder.join()
    assert service.process_pending() == 1
    assert find(q="cité") == [story.id]
    assert pending_rows() == 0


def test_verify_finds_planted_drift(create_story, runner):
    kept, dropped, changed = (create_story(t) for t in ("Un", "Deux", "Trois"))
    assert runner.invoke(args=["index", "verify"]).exit_code == 0
    backend = service.backend()
    backend.apply([], [dropped.id])  # missing
    ghost = story_document(kept)
    ghost["id"] = 9999  # extra: no such story
    ghost["version"] = document_version(ghost)
    stale = story_document(changed)
    stale["title"] = "Un autre titre"  # stale: indexed from another state
    stale["version"] = document_version(stale)
    backend.apply([ghost, stale], [])
    drift = service.verify()
    assert (drift.missing, drift.extra, drift.stale) == ([dropped.id], [9999], [changed.id])
    result = runner.invoke(args=["index", "verify"])
    assert result.exit_code == 1
    assert f"missing (1): {dropped.id}" in result.output
    assert "extra (1): 9999" in result.output
    assert f"stale (1): {changed.id}" in result.output
    result = runner.invoke(args=["index", "rebuild"])
    assert result.exit_code == 0 and "indexed 3 stories" in result.output
    assert runner.invoke(args=["index", "verify"]).exit_code == 0


def test_rebuild_swaps_folders_while_searches_go_on(app, create_story):
    if app.config["MEMOIRE_SEARCH"] != "whoosh":
        pytest.skip("index folders are the Whoosh backend's; PostgreSQL rebuilds in a transaction")
    for i in range(40):
        create_story(f"Souvenir {i}", body="la fosse et le terril " * 20)
    index_dir = Path(app.config["MEMOIRE_INDEX_DIR"])
    first = (index_dir / "CURRENT").read_text().strip()
    failures: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def keep_searching():
        with app.app_context():
            while not stop.is_set():
                try:
                    totals.append(service.search(None, {"q": "terril"}).total)
                except BaseException as error:  # noqa: BLE001 - the test reports it
                    failures.append(error)
                    return
                finally:
                    db.session.remove()

    searchers = [threading.Thread(target=keep_searching) for _ in range(2)]
    for thread in searchers:
        thread.start()
    try:
        for _ in range(3):
            assert service.rebuild() == 40
    finally:
        stop.set()
        for thread in searchers:
            thread.join()
    assert failures == []
    assert totals and set(totals) == {40}
    current = (index_dir / "CURRENT").read_text().strip()
    assert current != first
    assert [p.name for p in index_dir.glob("gen-*")] == [current]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_file_descriptors_stay_flat(create_story):
    from memoire.search.backend import SearchQuery

    for i in range(5):
        create_story(f"Souvenir {i}", body="charbon")

    def open_files() -> int:
        gc.collect()  # files of objects already dropped (writers, old searchers) close here
        return len(os.listdir("/proc/self/fd"))

    backend = service.backend()
    query = SearchQuery(text="charbon")
    service.search(None, {"q": "charbon"})
    before = open_files()
    for _ in range(2000):  # the searcher is borrowed and given back, never reopened
        assert backend.search(query, ["public"]).total == 5
    assert open_files() == before
    for i in range(400):  # the whole path, while the index changes: searchers refresh
        if i % 50 == 0:
            create_story(f"Nouveau {i}", body="charbon")
        assert service.search(None, {"q": "charbon"}).total == 6 + i // 50
    assert open_files() <= before + 4  # one more segment may be open, not one per search
