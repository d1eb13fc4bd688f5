"""Archive ids are never given again: SQLite tables get AUTOINCREMENT, keeping their rows

On SQLite an INTEGER PRIMARY KEY without AUTOINCREMENT takes max(id) + 1, so erasing the
newest story (or exhibition, place, person, map layer...) gave its id to the next one:
citations, /s/<id>, OAI identifiers and the old tombstone then pointed at another memory.
Every table with a single integer key is rebuilt with AUTOINCREMENT (data, indexes and
foreign keys kept; env.py turns foreign keys off around SQLite migrations so the rebuild
cascades nothing), and its counter starts after the highest id it ever gave that we still
know of: rows, tombstones, audit lines. PostgreSQL sequences never go back: nothing to do.

Revision ID: 0009_ids_never_reused
Revises: 0008_story_news
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0009_ids_never_reused'
down_revision = '0008_story_news'
branch_labels = None
depends_on = None


def _integer_key_tables(bind) -> list[str]:
    inspector = sa.inspect(bind)
    names = []
    for name in inspector.get_table_names():
        if name.startswith("sqlite_") or name == "alembic_version":
            continue
        key = inspector.get_pk_constraint(name)["constrained_columns"]
        columns = {c["name"]: c for c in inspector.get_columns(name)}
        if len(key) == 1 and isinstance(columns[key[0]]["type"], sa.Integer):
            names.append(name)
    return names


def _has_autoincrement(bind, name: str) -> bool:
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).scalar()
    return "AUTOINCREMENT" in (sql or "").upper()


def _known_ids(bind, name: str) -> int:
    """The highest id this table is known to have given, including rows now gone."""
    highest = [
        bind.exec_driver_sql(
            "SELECT max(object_id) FROM audit_event WHERE object_type = ?", (name,)
        ).scalar()
    ]
    if name == "story":
        highest.append(bind.exec_driver_sql("SELECT max(story_id) FROM story_tombstone").scalar())
    return max([h for h in highest if h is not None], default=0)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for name in _integer_key_tables(bind):
        if _has_autoincrement(bind, name):
            continue
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
        known = _known_ids(bind, name)
        seq = bind.exec_driver_sql(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (name,)
        ).scalar()
        if seq is None:
            bind.exec_driver_sql(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, known)
            )
        elif seq < known:
            bind.exec_driver_sql("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (known, name))
    problems = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:5]}")


def downgrade():
    # Going back to reusable ids would only make the archive forget a promise: keep them.
    pass
