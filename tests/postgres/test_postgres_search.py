"""What the PostgreSQL search backend does beyond the shared search suite: safe SQL, one
writer at a time across processes, rebuilds under searches, analysis across languages."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select, text

from memoire.extensions import db
from memoire.search import service
from memoire.search.backend import IndexBusy, SearchQuery
from memoire.search.postgres_backend import WRITER_LOCK, PostgresBackend
from memoire.stories.models import Story

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("engine", ["postgres"], indirect=True)]


@pytest.fixture
def find(app):
    def search(viewer=None, **params):
        return [r.story.id for r in service.search(viewer, params).results]

    return search


@pytest.mark.parametrize(
    "words",
    [
        "'); DROP TABLE story; --",
        "a' | 'b",
        "\\\\ \\'",
        "x:* & !y",
        "abbé'):*",
        '"l\'abbé \\" OR 1=1',
        "lieu:'Mons' OR theme:\\",
        "(((a)))",
        "<-> <2> !!",
    ],
)
def test_user_text_is_never_sql_nor_tsquery_syntax(create_story, words):
    create_story("L'abbé du coron", body="Il disait la messe à la cité.")
    # Straight to the backend, past the service's checks: it must hold on its own.
    for text_ in (words, f"{words}~", f"{words}*"):
        service.backend().search(SearchQuery(text=text_), ["public"])
        service.backend().suggest(text_, ["public"])
    assert db.session.scalar(select(func.count()).select_from(Story)) == 1


def test_quotes_and_backslashes_inside_words_are_found(create_story, find):
    story = create_story("L'abbé", body="Aujourd'hui, l'abbé écrit C:\\dossier.")
    assert find(q="abbé") == [story.id]
    assert find(q="aujourd'hui") == [story.id]
    assert find(q="abb*") == [story.id]


def test_stop_words_never_demand_the_other_language(create_story, find):
    station = create_story("La gare de Mons", body="Le train partait à six heures.")
    miners = create_story("De mijnwerkers", body="Het verhaal van de mijn.", language="nl")
    assert find(q="la gare") == [station.id]
    assert find(q="de mijnwerkers") == [miners.id]
    assert find(q='"la gare"') == [station.id]
    assert find(q="la") == []  # only stop words: nothing to look for


def test_a_word_is_found_in_french_and_dutch_transcripts(create_story, find):
    from memoire.transcripts.models import Transcript, TranscriptSegment

    story = create_story("Entretien", kind="oral_history", language="nl")
    for language, line in (
        ("nl", "De mijnwerkers kwamen thuis."),
        ("fr", "Les mineurs rentraient."),
    ):
        transcript = Transcript(language=language, source_format="vtt")
        transcript.segments = [
            TranscriptSegment(position=0, start=3.0, end=6.0, speaker="A", text=line)
        ]
        story.transcripts.append(transcript)
    db.session.commit()
    for words in ("mijnwerker", "mineur"):
        (result,) = service.search(None, {"q": words}).results
        assert result.story.id == story.id
        assert [s.start for s in result.segments] == [3.0], words
    rows = db.session.execute(
        text("SELECT language, text FROM search_segment ORDER BY language")
    ).all()
    assert rows == [("fr", "Les mineurs rentraient."), ("nl", "De mijnwerkers kwamen thuis.")]


def test_deleting_a_story_removes_its_rows(app, create_story):
    from memoire.transcripts.models import Transcript, TranscriptSegment

    story = create_story("Le terril", body="noir")
    transcript = Transcript(language="fr", source_format="vtt")
    transcript.segments = [
        TranscriptSegment(position=0, start=0.0, end=1.0, speaker="A", text="terril")
    ]
    story.transcripts.append(transcript)
    db.session.commit()
    count = "SELECT count(*) FROM {} WHERE story_id = :id"
    assert db.session.scalar(text(count.format("search_segment")), {"id": story.id}) == 1
    db.session.delete(story)
    db.session.commit()
    for table in ("search_document", "search_segment"):
        assert db.session.scalar(text(count.format(table)), {"id": story.id}) == 0


def test_one_writer_at_a_time_across_connections(app, create_story):
    """Two backends on separate connections stand for two worker processes."""
    story = create_story("Le charbonnage")
    mine, other = service.backend(), PostgresBackend(db.engine, lock_timeout=0.2)
    document = service.documents.story_document(story)
    with mine.exclusive(timeout=1):
        with pytest.raises(IndexBusy):
            other.apply([document], [])
        with pytest.raises(IndexBusy):
            with other.exclusive(timeout=0):
                pass
        mine.apply([document], [])  # re-entrant for the holder
    other.apply([document], [])
    assert other.document_versions()[story.id] == document["version"]


def test_a_killed_writer_releases_the_lock(app, postgres_database):
    """The lock belongs to the server session: a process killed while writing frees it."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _HOLD_LOCK,
            postgres_database["url"].replace("+psycopg", ""),
            str(WRITER_LOCK),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusy):
            with service.backend().exclusive(timeout=0.2):
                pass
    finally:
        holder.kill()
        holder.wait()
    with service.backend().exclusive(timeout=10):
        pass


_HOLD_LOCK = """
import sys, time, psycopg
conn = psycopg.connect(sys.argv[1], autocommit=True)
conn.execute("SELECT pg_advisory_lock(%s)", [int(sys.argv[2])])
print("locked", flush=True)
time.sleep(60)
"""


def test_searches_go_on_during_a_rebuild(app, create_story):
    for i in range(30):
        create_story(f"Souvenir {i}", body="la fosse et le terril " * 20)
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
            assert service.rebuild() == 30
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in searchers:
            thread.join()
    assert failures == []
    assert totals and set(totals) == {30}
    assert service.verify().ok


def test_an_erased_story_leaves_the_search_tables(app, create_story, create_user):
    from memoire.privacy.operations import erase_story

    kept = create_story("La kermesse", body="Tout le quartier dansait.")
    erased = create_story("Le voisin", body="Il s'appelait Durandal, rue des Glycines.")
    files_before = db.session.scalar(text("SELECT pg_relation_filenode('search_document')"))
    erase_story(create_user("admin"), erased)
    db.session.commit()  # the index work carries `purge`: applied, then the tables rewritten
    for table, column in (
        ("search_word", "word"),
        ("search_term", "term"),
        ("search_posting", "lexeme"),
    ):
        rows = db.session.scalar(
            text(f"SELECT count(*) FROM {table} WHERE {column} LIKE 'durand%'")
        )
        assert rows == 0, table
    assert db.session.scalar(text("SELECT count(*) FROM search_document")) == 1
    # Rewritten into new files: the old ones, with the deleted rows' bytes, are gone.
    assert db.session.scalar(text("SELECT pg_relation_filenode('search_document')")) != files_before
    assert service.search(None, {"q": "durandal"}).total == 0
    assert service.backend().suggest("durandol", ["staff"]) is None
    assert [r.story.id for r in service.search(None, {"q": "kermesse"}).results] == [kept.id]


def test_ids_beyond_postgresql_integers_find_nothing(create_story, client):
    create_story("La kermesse", body="souvenir")
    for name in ("place", "narrator"):
        response = client.get("/api/v1/search", query_string={"q": "souvenir", name: "19872802424"})
        assert response.status_code == 200, name
        assert response.get_json()["total"] == 0
    both = {"q": "souvenir", "place": f"1,{2**40}"}
    assert client.get("/api/v1/search", query_string=both).status_code == 200
