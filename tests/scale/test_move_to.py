"""`memoire move-to DATABASE_URL`: an embedded archive copied into an empty PostgreSQL
database, every row verified, ids and sequences kept, search rebuilt; a non-empty target
refused. Needs a PostgreSQL server (MEMOIRE_TEST_POSTGRES_URL), skipped otherwise."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from memoire import create_app
from memoire.extensions import db
from memoire.privacy.operations import erase_story
from memoire.transcripts.operations import attach_transcript

VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Jeanne>On allait au bal de la ducasse.\n"


@pytest.fixture
def target_url(postgres_server_url):
    server = make_url(postgres_server_url)
    name = f"memoire_move_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def archive(app, create_story, create_user):
    """Public, private and erased stories, a transcript with its revision, consent, audit."""
    admin = create_user("admin")
    first = create_story("Le bal de la ducasse", body="On dansait sur la place de Trith.")
    attach_transcript(admin, first, VTT, filename="bal.vtt")
    create_story("Le carnet de Jeanne", body="brouillon secret", visibility="private", status="draft")
    create_story("Les pigeons du coron", body="Les coulonneux de Denain.")
    gone = create_story("Une histoire retirée", body="à effacer")  # the highest id given
    erase_story(admin, gone)
    db.session.commit()
    return {"first": first.id, "erased": gone.id}


def _target_app(app, url):
    return create_app(
        {
            "HOME": app.config["MEMOIRE_HOME"],
            "MEDIA_DIR": app.config["MEMOIRE_MEDIA_DIR"],
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "DATABASE_URL": url,
            "SEARCH": "postgres",
        }
    )


def _oai_identifiers(client) -> list[str]:
    body = client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").get_data(as_text=True)
    return sorted(re.findall(r"<identifier>([^<]+)</identifier>", body))


def _next_story_id() -> int:
    """The id the archive would give its next story (AUTOINCREMENT counters included)."""
    top = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM story"))
    has_counters = db.session.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")
    )
    if has_counters:
        seq = db.session.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = 'story'"))
        top = max(top, seq or 0)
    return top + 1


def test_move_copies_verifies_and_keeps_every_page(app, runner, archive, target_url, create_story):
    next_id = _next_story_id()
    source_client = app.test_client()
    public_ids = [archive["first"]]
    pages = {i: source_client.get(f"/stories/{i}").status_code for i in range(1, 6)}
    identifiers = _oai_identifiers(source_client)

    result = runner.invoke(args=["move-to", target_url])
    assert result.exit_code == 0, result.output
    assert "DIFFERENT" not in result.output and "moved 3 stories" in result.output

    moved = _target_app(app, target_url)
    with moved.app_context():
        from memoire.preservation.fixity import check
        from memoire.search import service
        from memoire.stories.models import Story

        assert service.verify().ok
        assert check().clean
        client = moved.test_client()
        assert {i: client.get(f"/stories/{i}").status_code for i in range(1, 6)} == pages
        assert _oai_identifiers(client) == identifiers
        found = service.search(None, {"q": "ducasse"})
        assert [r.story.id for r in found.results] == public_ids
        assert service.search(None, {"q": "secret"}).total == 0
        # The next story takes the id the archive would have given: none given twice.
        assert create_story("Après le déménagement").id == next_id
        assert db.session.get(Story, archive["first"]).title == "Le bal de la ducasse"
        db.session.remove()
        db.engine.dispose()


def test_a_target_holding_rows_is_refused_and_left_as_it_was(app, runner, archive, target_url):
    assert runner.invoke(args=["move-to", target_url]).exit_code == 0
    engine = create_engine(target_url)
    with engine.connect() as conn:
        before = conn.scalar(text("SELECT count(*) FROM story"))
    result = runner.invoke(args=["move-to", target_url])
    assert result.exit_code != 0 and "pas vide" in result.output  # French: the default locale
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM story")) == before
    engine.dispose()


@pytest.mark.parametrize("url", ["sqlite:///elsewhere.sqlite3", "not a url"])
def test_only_postgresql_is_a_target(app, runner, url, tmp_path):
    result = runner.invoke(args=["move-to", url])
    assert result.exit_code != 0
    assert "PostgreSQL" in result.output or "URL" in result.output
    assert not (tmp_path / "elsewhere.sqlite3").exists()
