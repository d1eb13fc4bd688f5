"""The Alembic migrations build the schema the models describe, and `memoire init` is an upgrade."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from memoire.extensions import db
from tests.conftest import make_app


def test_upgrade_from_empty_matches_the_models(tmp_path):
    app = make_app(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(inspect(conn).get_table_names())
        engine.dispose()
    assert not diff, f"models and migrations differ: {diff}"
    assert {"story", "place", "media", "derivative", "transcript_segment", "index_work",
            "audit_event", "exhibition_item", "map_feature", "consent", "account"} <= tables


def test_init_twice_is_an_upgrade(tmp_path):
    app = make_app(tmp_path)
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
        db.engine.dispose()


def test_constraint_names_follow_the_convention(tmp_path):
    app = make_app(tmp_path)
    app.test_cli_runner().invoke(args=["init"])
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        fks = inspect(conn).get_foreign_keys("story")
    engine.dispose()
    assert fks and all(fk["name"] and fk["name"].startswith("fk_story_") for fk in fks)
