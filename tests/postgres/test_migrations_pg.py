"""The same Alembic migrations build the schema on PostgreSQL, and `memoire init` is an upgrade."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from memoire.extensions import db
from memoire.search import postgres_backend
from tests.conftest import make_app

#: Tables of the PostgreSQL search (migrations 0002, 0021): derived data, not models.
SEARCH_TABLES = set(postgres_backend.SEARCH_TABLES)


@pytest.fixture
def empty_database(postgres_server_url):
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    server = make_url(postgres_server_url)
    name = f"memoire_migrations_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _not_search_table(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name in SEARCH_TABLES) and not (
        type_ == "index" and getattr(getattr(obj, "table", None), "name", None) in SEARCH_TABLES
    )


@pytest.mark.postgres
def test_upgrade_from_empty_matches_the_models(tmp_path, empty_database):
    app = make_app(tmp_path, DATABASE_URL=empty_database, SEARCH="postgres")
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": _not_search_table})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(conn).get_table_names())
            configurations = set(conn.scalars(text("SELECT cfgname FROM pg_ts_config")))
            extensions = set(conn.scalars(text("SELECT extname FROM pg_extension")))
            folded = conn.scalar(
                text("SELECT to_tsvector('memoire_fr', 'L''École des Mineurs')::text")
            )
        db.engine.dispose()
    assert not diff, f"models and migrations differ on PostgreSQL: {diff}"
    assert {"story", "place", "media", "transcript_segment", "index_work", "job"} <= tables
    assert SEARCH_TABLES <= tables
    assert {"memoire_fr", "memoire_nl", "memoire_name"} <= configurations
    assert {"unaccent", "pg_trgm"} <= extensions
    assert folded == "'ecol':2 'mineur':4"  # accents folded, stop words dropped, stemmed


@pytest.mark.postgres
def test_init_twice_is_an_upgrade(tmp_path, empty_database):
    app = make_app(tmp_path, DATABASE_URL=empty_database, SEARCH="postgres")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.app_context():
        from memoire.accounts.operations import create_user

        create_user(None, "keep@example.org", "a long password", role="admin")
        db.session.commit()
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        from memoire.accounts.operations import find_user

        assert find_user("keep@example.org").role == "admin"
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgres
def test_the_search_migration_goes_down_and_up_again(tmp_path, empty_database):
    app = make_app(tmp_path, DATABASE_URL=empty_database, SEARCH="postgres")
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    with app.app_context():
        from flask_migrate import downgrade, upgrade

        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0001")
        assert not SEARCH_TABLES & set(inspect(db.engine).get_table_names())
        upgrade(directory=directory)
        assert SEARCH_TABLES <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_the_search_migration_does_nothing_on_sqlite(tmp_path):
    app = make_app(tmp_path)
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    assert revision == _head(app)  # every migration ran, the search one doing nothing
    assert not SEARCH_TABLES & tables


def _head(app) -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", app.extensions["migrate"].directory)
    return ScriptDirectory.from_config(config).get_current_head()
