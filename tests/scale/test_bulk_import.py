"""`memoire import` at bulk speed: index work applied in batches during the run and once at
its end, not after every line; each line still its own transaction; the index left as a
rebuild would leave it; a progress bar on a terminal. On both engines."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from memoire.extensions import db
from memoire.imports.cli import ImportProgress
from memoire.search import service
from memoire.search.models import IndexWork
from memoire.stories.models import Story

pytestmark = pytest.mark.engines

VTT = "WEBVTT\n\n" + "\n".join(
    f"00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n<v Marcel>Le galibot {i} descendait au fond.\n"
    for i in range(30)
)


def record(n: int, **extra) -> dict:
    return {
        "id": f"bulk-{n}",
        "title": f"Souvenir du coron numéro {n}",
        "body": f"Le terril fumait encore en hiver, disait la voisine {n}.",
        "kind": "anecdote",
        "language": "fr",
        "places": [{"name": "Denain", "type": "commune", "lat": 50.329, "lon": 3.395}],
        "themes": ["mine"],
        "visibility": "public",
        "status": "published",
        "consent": {"given_by": "Narratrice", "method": "signed_form", "online_publication": True},
        **extra,
    }


def write_file(folder: Path, lines: list) -> Path:
    (folder / "t.vtt").write_text(VTT, encoding="utf-8")
    path = folder / "stories.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def applies(app, monkeypatch):
    """Sizes of the batches the search backend is asked to apply, and its writers' commits."""
    sizes: list[int] = []
    search_backend = service.backend()
    original_apply, original_writer = search_backend.apply, search_backend.writer

    def counting(documents, deleted_ids):
        sizes.append(len(documents))
        return original_apply(documents, deleted_ids)

    @contextmanager
    def counting_writer(size=None, **options):
        with original_writer(size, **options) as write:
            if write is counting:  # PostgreSQL: each batch is an `apply` of its own
                yield write
            else:
                yield lambda documents, deleted_ids: (sizes.append(len(documents)),
                                                      write(documents, deleted_ids))
        sizes.append("commit")

    monkeypatch.setattr(search_backend, "apply", counting)
    monkeypatch.setattr(search_backend, "writer", counting_writer)
    return sizes


def test_index_work_is_applied_at_the_end_in_one_writer_not_per_line(
    app, runner, tmp_path, monkeypatch, applies
):
    monkeypatch.setattr(service, "BULK_EVERY", 3)
    lines = [record(n) for n in range(7)]
    lines[0]["transcript"] = "t.vtt"
    lines[0]["kind"] = "oral_history"
    result = runner.invoke(args=["import", str(write_file(tmp_path, lines))])
    assert result.exit_code == 0, result.output
    # 3 stories read at a time, all taken by one writer that commits once; not 7 writes.
    assert applies == [3, 3, 1, "commit"]
    assert db.session.scalar(select(func.count()).select_from(IndexWork)) == 0
    assert service.search(None, {"q": "terril"}).total == 7
    assert service.search(None, {"q": "galibot"}).total == 1
    assert service.verify().ok


@pytest.fixture(params=["at_the_end", "fed_as_it_goes"])
def feeding(request, monkeypatch):
    """Both ways a bulk run gives its work to the writer: a small run at its end, a large
    one (here: any) fed every BULK_EVERY lines while the next lines are read."""
    monkeypatch.setattr(service, "FEED_FROM", 10**9 if request.param == "at_the_end" else 1)
    return request.param


def test_a_large_run_feeds_its_writer_while_it_reads_the_next_lines(
    app, runner, tmp_path, monkeypatch, applies
):
    from sqlalchemy.orm import Session

    monkeypatch.setattr(service, "BULK_EVERY", 3)
    monkeypatch.setattr(service, "FEED_FROM", 5)
    committed = []
    search_backend = service.backend()
    counting_writer = search_backend.writer

    @contextmanager
    def watching(size=None, **options):
        with counting_writer(size, **options) as write:
            def fed(documents, deleted_ids):
                with Session(db.engine) as session:  # what the file's lines committed so far
                    committed.append(session.scalar(select(func.count()).select_from(Story)))
                write(documents, deleted_ids)
            yield fed

    monkeypatch.setattr(search_backend, "writer", watching)
    lines = [record(n) for n in range(7)]
    result = runner.invoke(args=["import", str(write_file(tmp_path, lines))])
    assert result.exit_code == 0, result.output
    # Fed after the 3rd and 6th lines, the last one at the end: one writer, one commit.
    assert applies == [3, 3, 1, "commit"]
    assert committed == [3, 6, 7]
    assert db.session.scalar(select(func.count()).select_from(IndexWork)) == 0
    assert service.search(None, {"q": "terril"}).total == 7
    assert service.verify().ok


def test_a_story_changed_after_it_was_fed_is_found_as_it_ends(
    app, runner, tmp_path, monkeypatch, engine, caplog
):
    """The same id twice in one file: the first state went to the writer, the second is
    applied once the writer committed; one document, the newer words, none of the older."""
    from memoire.search import whoosh_backend

    monkeypatch.setattr(service, "BULK_EVERY", 2)
    monkeypatch.setattr(service, "FEED_FROM", 1)
    if engine == "sqlite":  # the multiprocess writer, whose deletions wait for its commit
        monkeypatch.setattr(whoosh_backend, "PARALLEL_FROM", 1)
        monkeypatch.setattr(whoosh_backend, "PARALLEL_BATCH", 2)
        monkeypatch.setattr(service.backend(), "procs", 2)
    lines = [record(1), record(2), record(3), record(1, body="Le chevalement de Wallers.")]
    result = runner.invoke(args=["import", str(write_file(tmp_path, lines))])
    assert result.exit_code == 0, result.output
    assert "3 created, 1 updated" in result.output
    # Not by giving up on feeding: the writer fed during the run is the one that committed.
    assert not [r for r in caplog.records if r.name == "memoire.search.service"]
    assert service.search(None, {"q": "chevalement"}).total == 1
    assert service.search(None, {"q": "terril"}).total == 2
    assert db.session.scalar(select(func.count()).select_from(IndexWork)) == 0
    assert service.verify().ok


def test_a_bad_line_leaves_nothing_and_the_others_are_indexed(app, runner, tmp_path, monkeypatch, feeding):
    monkeypatch.setattr(service, "BULK_EVERY", 2)
    lines = [record(1), record(2), record(3, places="nowhere"), "{not json", record(4)]
    result = runner.invoke(args=["import", str(write_file(tmp_path, lines))])
    assert result.exit_code == 1
    assert "line 3" in result.output and "line 4" in result.output
    ids = set(db.session.scalars(select(Story.external_id)))
    assert ids == {"bulk-1", "bulk-2", "bulk-4"}
    assert service.search(None, {"q": "terril"}).total == 3
    assert db.session.scalar(select(func.count()).select_from(IndexWork)) == 0
    assert service.verify().ok


def test_a_story_the_writer_cannot_take_leaves_the_others_indexed(
    app, runner, tmp_path, monkeypatch, feeding, engine
):
    from memoire.search import documents

    original = documents.story_document

    def refusing(story, *args, **kwargs):
        if story.external_id == "bulk-2":
            raise RuntimeError("refused")
        return original(story, *args, **kwargs)

    monkeypatch.setattr(documents, "story_document", refusing)
    if engine == "sqlite":  # a multiprocess writer cancelled: its processes must not linger
        from memoire.search import whoosh_backend

        monkeypatch.setattr(whoosh_backend, "PARALLEL_FROM", 1)
        monkeypatch.setattr(whoosh_backend, "PARALLEL_BATCH", 1)
        monkeypatch.setattr(service.backend(), "procs", 2)
    result = runner.invoke(args=["import", str(write_file(tmp_path, [record(1), record(2), record(3)]))])
    assert result.exit_code == 0, result.output
    assert multiprocessing.active_children() == []
    assert service.search(None, {"q": "terril"}).total == 2
    refused = db.session.scalar(select(Story.id).where(Story.external_id == "bulk-2"))
    assert {story_id for story_id, _, _ in service.failing_work()} == {refused}
    monkeypatch.setattr(documents, "story_document", original)
    service.process_pending()  # `memoire index process` once the cause is fixed
    assert service.search(None, {"q": "terril"}).total == 3
    assert service.verify().ok


def test_a_commit_outside_a_bulk_run_is_still_applied_at_once(app, create_story):
    with service.bulk_indexing():
        pass
    create_story("Le marché de Trith", body="betteraves")
    assert service.search(None, {"q": "betteraves"}).total == 1


def test_whoosh_index_is_one_segment_no_larger_than_a_rebuild(
    app, runner, tmp_path, monkeypatch, engine, feeding
):
    if engine != "sqlite":
        pytest.skip("Whoosh segments: embedded profile only")
    monkeypatch.setattr(service, "BULK_EVERY", 4)
    lines = [record(n, transcript="t.vtt", kind="oral_history") for n in range(12)]
    runner.invoke(args=["import", str(write_file(tmp_path, lines))])
    # Re-importing the same file replaces every document: deletions a merge must drop.
    result = runner.invoke(args=["import", str(write_file(tmp_path, lines))])
    assert result.exit_code == 0, result.output
    search_backend = service.backend()
    ix = search_backend._open(search_backend._current())
    with ix.reader() as reader:
        assert len(reader.leaf_readers()) == 1 and not reader.has_deletions()
    folder = Path(app.config["MEMOIRE_INDEX_DIR"])
    after_import = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    service.rebuild()
    rebuilt = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert after_import <= rebuilt * 1.05


def test_a_large_run_is_analysed_by_several_processes(
    app, runner, tmp_path, monkeypatch, engine, feeding
):
    """Whoosh's multiprocess writer for a large bulk run and a large rebuild: the same
    documents, one segment, the same hits as a single process gives."""
    if engine != "sqlite":
        pytest.skip("Whoosh writers: embedded profile only")
    from whoosh.multiproc import MpWriter

    from memoire.search import whoosh_backend

    monkeypatch.setattr(whoosh_backend, "PARALLEL_FROM", 6)
    monkeypatch.setattr(whoosh_backend, "PARALLEL_BATCH", 2)
    search_backend = service.backend()
    monkeypatch.setattr(search_backend, "procs", 2)
    writers = []
    big_writer = search_backend._big_writer

    def spy(ix, size, **options):
        writers.append(big_writer(ix, size, **options))
        return writers[-1]

    monkeypatch.setattr(search_backend, "_big_writer", spy)
    # Which process turns each document into field values: the analysing ones, not this one.
    made = tmp_path / "fields"
    made.mkdir()
    to_fields = whoosh_backend.to_fields

    def fields_made_by(document):
        (made / f"{os.getpid()}-{document['id']}-{uuid.uuid4().hex}").touch()
        return to_fields(document)

    monkeypatch.setattr(whoosh_backend, "to_fields", fields_made_by)

    def made_here_and_there():
        names = [p.name.split("-") for p in made.iterdir()]
        for path in made.iterdir():
            path.unlink()
        return ({int(pid) for pid, _, _ in names},
                sorted(int(story_id) for _, story_id, _ in names))

    lines = [record(n, transcript="t.vtt", kind="oral_history") for n in range(12)]
    result = runner.invoke(args=["import", str(write_file(tmp_path, lines))])
    assert result.exit_code == 0, result.output
    assert len(writers) == 1 and isinstance(writers[0], MpWriter)
    if feeding == "fed_as_it_goes":
        # Fed while the lines are read: one process analyses beside the import (the other
        # core is the import's), its segment kept as written, and nobody waits for room.
        assert writers[0].procs == 1 and writers[0].multisegment
        assert writers[0].jobqueue._maxsize > 10**6
    processes, story_ids = made_here_and_there()
    assert os.getpid() not in processes and len(story_ids) == 12

    def found():
        page = service.search(None, {"q": "galibot"})
        return page.total, sorted((r.story.id, len(r.segments)) for r in page.results)

    imported = found()
    assert imported[0] == 12 and all(segments for _, segments in imported[1])
    ix = search_backend._open(search_backend._current())
    with ix.reader() as reader:
        assert len(reader.leaf_readers()) == 1
    assert service.verify().ok
    made_here_and_there()
    service.rebuild()
    assert isinstance(writers[-1], MpWriter) and not writers[-1].multisegment
    assert found() == imported
    processes, story_ids = made_here_and_there()
    assert os.getpid() not in processes and story_ids == sorted(i for i, _ in imported[1])
    monkeypatch.setattr(search_backend, "procs", 1)
    service.rebuild()
    assert not isinstance(writers[-1], MpWriter) and found() == imported
    assert made_here_and_there() == ({os.getpid()}, story_ids)  # one process: this one


def test_postings_that_outgrow_memory_are_sorted_through_runs(app, create_story, monkeypatch, engine):
    """Whoosh sorts the postings that outgrow its writer's memory through run files, which
    memoire writes RUN_CHUNK postings to a pickle (whoosh_backend._write_run): with a
    memory limit small enough that every posting goes through them, in one process and
    in several, the index finds what it finds without them, and no run is left behind."""
    if engine != "sqlite":
        pytest.skip("Whoosh writers: embedded profile only")
    from whoosh.writing import PostingPool

    from memoire.search import whoosh_backend

    stories = [
        create_story(f"Le puits {n}", body=f"galibot herscheuse {n} " + "porion " * (n % 5))
        for n in range(12)
    ]

    def found():
        page = service.search(None, {"q": "galibot OR porion"})
        # Whoosh orders equal scores by where its heap met them: compare (score, story).
        return page.total, sorted((round(r.score, 6), r.story.id) for r in page.results)

    service.rebuild()
    in_memory = found()
    assert in_memory[0] == len(stories)
    runs: list[int] = []
    save = PostingPool.save

    def counting_save(pool):
        save(pool)
        runs.append(len(pool.runs))

    monkeypatch.setattr(PostingPool, "save", counting_save)
    monkeypatch.setattr(whoosh_backend, "WRITER_LIMIT_MB", 0.001)  # a run every few postings
    monkeypatch.setattr(whoosh_backend, "RUN_CHUNK", 3)  # several chunks per run
    search_backend = service.backend()
    for procs, parallel_from in ((1, 10**6), (2, 6)):
        monkeypatch.setattr(search_backend, "procs", procs)
        monkeypatch.setattr(whoosh_backend, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(whoosh_backend, "PARALLEL_BATCH", 2)
        runs.clear()
        service.rebuild()
        assert found() == in_memory
        if procs == 1:
            assert max(runs) > 10  # the postings did go through many runs
    folder = Path(app.config["MEMOIRE_INDEX_DIR"])
    assert not [p for p in folder.rglob("*.run")]


def test_a_rebuild_missing_documents_is_never_swapped_in(app, create_story, monkeypatch, engine):
    """A multiprocess writer whose process died commits without its documents: the rebuild
    sees the count fall short, says so, and searches go on with the index they had."""
    if engine != "sqlite":
        pytest.skip("Whoosh writers: embedded profile only")
    from whoosh.index import FileIndex

    create_story("Le galibot de Denain", body="Il descendait au fond.")
    search_backend = service.backend()
    before = search_backend._current()
    monkeypatch.setattr(FileIndex, "doc_count", lambda ix: 0)
    with pytest.raises(RuntimeError, match="holds 0 of 1 documents"):
        service.rebuild()
    monkeypatch.undo()
    assert search_backend._current() == before
    assert service.search(None, {"q": "galibot"}).total == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_rate_and_time_left(monkeypatch):
    clock = iter([0.0, 10.0, 20.0])
    monkeypatch.setattr("memoire.imports.cli.time.monotonic", lambda: next(clock))
    terminal = _Terminal()
    bar = ImportProgress(100, stream=terminal)  # started at 0 s
    bar.done = 49
    bar.step()  # the 50th line, at 10 s: 5 lines/s, 50 left: 10 s
    bar.close()
    shown = terminal.getvalue()
    assert "50/100" in shown and "5.0 lines/s" in shown and "0:10 left" in shown


def test_the_bar_says_when_the_index_is_being_written(monkeypatch):
    clock = iter([0.0, 20.0])
    monkeypatch.setattr("memoire.imports.cli.time.monotonic", lambda: next(clock))
    terminal = _Terminal()
    bar = ImportProgress(100, stream=terminal)
    bar.done = 99
    bar.step()
    bar.lines_read()
    bar.close()
    assert terminal.getvalue().endswith("100/100 5.0 lines/s, 0:00 left \nevery line read; "
                                        "writing the search index...\n")


def test_no_progress_bar_when_not_a_terminal():
    quiet = io.StringIO()
    bar = ImportProgress(100, stream=quiet)
    for _ in range(100):
        bar.step()
    bar.close()
    assert quiet.getvalue() == ""


def test_runs_read_back_in_either_format(tmp_path):
    """memoire's runs hold lists of postings; a writer process started without memoire's
    modules (spawn, forkserver) writes Whoosh's own, one posting per pickle. Both read back
    the same postings, in order, and the file goes once read."""
    from whoosh.externalsort import SortingPool
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import PostingPool

    from memoire.search import whoosh_backend

    postings = sorted(
        ("body_fr", f"mot{n % 7}".encode(), n, 1.0, bytes([n % 5])) for n in range(10)
    )
    pool = PostingPool(FileStorage(str(tmp_path)), None)
    for write in (SortingPool._write_run, whoosh_backend._write_run):
        path, f = pool._new_run()
        write(pool, f, postings)
        assert list(pool._read_run(path)) == postings
        assert not (tmp_path / path).exists()


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_postgresql_writes_a_runs_batches_beside_it_in_order(app, create_story, monkeypatch):
    """The thread writing a bulk run's batches keeps their order and hands its error over."""
    import threading

    from memoire.search import documents
    from memoire.search.postgres_backend import PostgresBackend

    story = create_story("Le chevalement", body="Le puits Sabatier.")
    search_backend = service.backend()
    search_backend.apply([], [story.id])
    before = documents.build_documents(db.session, [story.id])
    story.body = "La cité Lambrecht."
    db.session.commit()
    after = documents.build_documents(db.session, [story.id])

    with search_backend.writer(beside=True) as write:
        write([], [story.id])
        write(*before)
        write(*after)  # the last batch for a story is the one kept
    assert service.search(None, {"q": "Lambrecht"}).total == 1
    assert service.search(None, {"q": "Sabatier"}).total == 0

    calls = []
    original = PostgresBackend._apply

    def failing_second(self, conn, docs, gone):
        calls.append(threading.current_thread().name)
        if len(calls) == 2:
            raise RuntimeError("the server went away")
        return original(self, conn, docs, gone)

    monkeypatch.setattr(PostgresBackend, "_apply", failing_second)
    with pytest.raises(RuntimeError, match="went away"):
        with search_backend.writer(beside=True) as write:
            write(*before)
            write([], [story.id])  # fails in the thread
            write(*after)  # raised here or at the end, never written
    monkeypatch.setattr(PostgresBackend, "_apply", original)
    assert calls[:2] == ["memoire-index-writer"] * 2 and len(calls) == 2
    assert service.search(None, {"q": "Sabatier"}).total == 1  # the first batch committed
    assert not [t for t in threading.enumerate() if t.name == "memoire-index-writer"]
    with search_backend.exclusive(0):  # the writer lock was released
        pass


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_a_postgresql_writer_failing_beside_a_run_leaves_its_work_for_the_end(
    app, runner, tmp_path, monkeypatch
):
    import threading

    from memoire.search.postgres_backend import PostgresBackend

    monkeypatch.setattr(service, "BULK_EVERY", 2)
    monkeypatch.setattr(service, "FEED_FROM", 1)
    original, failed = PostgresBackend._apply, []

    def failing_once(self, conn, docs, gone):
        if not failed and docs:
            failed.append(threading.current_thread().name)
            raise RuntimeError("the server went away")
        return original(self, conn, docs, gone)

    monkeypatch.setattr(PostgresBackend, "_apply", failing_once)
    result = runner.invoke(args=["import", str(write_file(tmp_path, [record(n) for n in range(1, 8)]))])
    assert result.exit_code == 0, result.output
    assert failed == ["memoire-index-writer"]  # fed beside the run, then left for its end
    assert service.search(None, {"q": "terril"}).total == 7
    assert db.session.scalar(select(func.count()).select_from(IndexWork)) == 0
    assert service.verify().ok
