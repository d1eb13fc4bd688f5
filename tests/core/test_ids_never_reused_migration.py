"""Migration 0009 gives SQLite tables AUTOINCREMENT without losing or cascading any row."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from memoire.extensions import db
from tests.conftest import make_app


def test_upgrade_keeps_rows_and_never_gives_an_erased_id_again(tmp_path):
    from flask_migrate import upgrade

    app = make_app(tmp_path)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision="0008_story_news")
        db.engine.dispose()
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys=ON"))
            for number in (1, 2, 3):
                conn.execute(text(
                    "INSERT INTO story (id, title, summary, body, kind, language, period_approximate,"
                    " precision, visibility, status, licence, created_at, updated_at)"
                    " VALUES (:id, :title, '', '', 'anecdote', 'fr', 0, 'exact', 'public',"
                    " 'published', 'CC-BY-4.0', '2026-01-01', '2026-01-01')"),
                    {"id": number, "title": f"Souvenir {number}"})
                conn.execute(text(
                    "INSERT INTO consent (story_id, given_by, given_at, method, online_publication,"
                    " research_use, exhibition_use, licence, precision, narrator_is_minor)"
                    " VALUES (:id, 'x', '2026-01-01', 'online', 1, 1, 1, 'CC-BY-4.0', 'exact', 0)"),
                    {"id": number})
            # The newest story was erased before the upgrade: only its tombstone remembers it.
            conn.execute(text("DELETE FROM story WHERE id = 3"))
            conn.execute(text(
                "INSERT INTO story_tombstone (story_id, deleted_at, sets, reason)"
                " VALUES (3, '2026-01-02', '[]', 'erased')"))
        engine.dispose()

        upgrade(directory=directory)
        db.engine.dispose()
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as conn:
            sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'story'")).scalar()
            assert "AUTOINCREMENT" in sql.upper()
            assert conn.execute(text("SELECT count(*) FROM consent")).scalar() == 2  # nothing cascaded
            assert conn.execute(text("SELECT title FROM story ORDER BY id")).scalars().all() == [
                "Souvenir 1", "Souvenir 2"]
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
            for table in ("story", "place", "person", "exhibition", "subjective_map", "map_feature",
                          "media", "transcript", "theme", "account"):
                create = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": table}
                ).scalar()
                assert "AUTOINCREMENT" in create.upper(), table
            conn.execute(text(
                "INSERT INTO story (title, summary, body, kind, language, period_approximate,"
                " precision, visibility, status, licence, created_at, updated_at)"
                " VALUES ('Nouveau', '', '', 'anecdote', 'fr', 0, 'exact', 'private', 'draft',"
                " 'CC-BY-4.0', '2026-01-03', '2026-01-03')"))
            new_id = conn.execute(text("SELECT id FROM story WHERE title = 'Nouveau'")).scalar()
        engine.dispose()
    assert new_id == 4  # not 3: the erased story's id stays its own
    # (a later migration rebuilding the table, 0013, keeps the counter: migrations/env.py)


def test_a_later_table_rebuild_keeps_the_counter(tmp_path):
    """A database already past 0009 whose newest story was erased, then a migration that
    rebuilds the story table (0013, batch mode): the erased id is still not given again."""
    from flask_migrate import upgrade

    app = make_app(tmp_path)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision="0012_transcript_translations")
        db.engine.dispose()
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as conn:
            for number in (1, 2, 3):
                conn.execute(text(
                    "INSERT INTO story (title, summary, body, kind, language, period_approximate,"
                    " precision, visibility, status, licence, created_at, updated_at)"
                    " VALUES (:title, '', '', 'anecdote', 'fr', 0, 'exact', 'private', 'draft',"
                    " 'CC-BY-4.0', '2026-01-01', '2026-01-01')"), {"title": f"S{number}"})
            conn.execute(text("DELETE FROM story WHERE id = 3"))
        engine.dispose()
        upgrade(directory=directory)
        db.engine.dispose()
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO story (title, summary, body, kind, language, period_approximate,"
                " precision, visibility, status, licence, created_at, updated_at)"
                " VALUES ('Nouveau', '', '', 'anecdote', 'fr', 0, 'exact', 'private', 'draft',"
                " 'CC-BY-4.0', '2026-01-03', '2026-01-03')"))
            new_id = conn.execute(text("SELECT id FROM story WHERE title = 'Nouveau'")).scalar()
        engine.dispose()
    assert new_id == 4
