"""Move an archive's records to another database (the embedded profile outgrowing SQLite).

`move_to(url)` copies every table of the schema, parents before children, into an empty
PostgreSQL database migrated to the same revision: ids as they are, sequences moved past
the highest id ever given (SQLite's AUTOINCREMENT counters included, so erased stories'
ids are never handed out again), then reads everything back and compares each table's
row count and a SHA-256 of every row's content, and rebuilds the PostgreSQL search
tables. The media folder is not touched: both profiles read it where it is. A target
that holds any row is refused, so a move never mixes two archives.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, create_engine, func, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from memoire.core.errors import ValidationError
from memoire.extensions import db

#: Rows read and written per statement.
COPY_BATCH = 2_000


@dataclass
class TableReport:
    name: str
    rows: int
    checksum: str
    copied_rows: int = 0
    copied_checksum: str = ""

    @property
    def ok(self) -> bool:
        return self.rows == self.copied_rows and self.checksum == self.copied_checksum


@dataclass
class MoveReport:
    tables: list[TableReport] = field(default_factory=list)
    stories: int = 0
    indexed: int = 0
    seconds: float = 0.0
    #: Seconds of each phase: copy, verify, index.
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(table.ok for table in self.tables)


def _canonical(value) -> object:
    """A value as both engines give it back: naive UTC times, JSON as sorted text."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if hasattr(value, "value") and not isinstance(value, str | int | bool):  # an Enum member
        return value.value
    return value


def row_digest(row) -> bytes:
    """SHA-256 of one row's content, column by column."""
    return hashlib.sha256(
        json.dumps([_canonical(v) for v in row], ensure_ascii=False, default=str).encode()
    ).digest()


def _ordered(table: Table):
    """Rows in primary-key order (the same on both engines)."""
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys)


def table_fingerprint(conn: Connection, table: Table) -> tuple[int, str]:
    """(row count, SHA-256 over every row's digest in key order) of a table."""
    total = hashlib.sha256()
    count = 0
    for row in conn.execution_options(yield_per=COPY_BATCH).execute(_ordered(table)):
        total.update(row_digest(row))
        count += 1
    return count, total.hexdigest()


def _self_parent_first(table: Table, rows: list) -> list:
    """Rows of a table that points at itself, each after the row it points at."""
    links = [
        (fk.parent.name, fk.column.name)
        for fk in table.foreign_keys
        if fk.column.table is table
    ]
    if not links:
        return rows
    keyed = {tuple(getattr(r, c) for _, c in links): r for r in rows}
    placed: set = set()
    ordered, waiting = [], list(rows)
    while waiting:
        left = []
        for row in waiting:
            parent = tuple(getattr(row, p) for p, _ in links)
            if any(v is None for v in parent) or parent in placed or parent not in keyed:
                ordered.append(row)
                placed.add(tuple(getattr(row, c) for _, c in links))
            else:
                left.append(row)
        if len(left) == len(waiting):  # a cycle: PostgreSQL will say which row breaks it
            ordered.extend(left)
            break
        waiting = left
    return ordered


def _copy_table(source: Connection, target: Connection, table: Table) -> None:
    self_referencing = any(fk.column.table is table for fk in table.foreign_keys)
    result = source.execution_options(yield_per=COPY_BATCH).execute(_ordered(table))
    if self_referencing:
        rows = _self_parent_first(table, result.all())
        batches = [rows[i : i + COPY_BATCH] for i in range(0, len(rows), COPY_BATCH)]
    else:
        batches = result.partitions(COPY_BATCH)
    for batch in batches:
        target.execute(insert(table), [row._asdict() for row in batch])


def _highest_ids(source: Connection) -> dict[str, int]:
    """SQLite's AUTOINCREMENT counters: the highest id each table ever gave."""
    if source.dialect.name != "sqlite":
        return {}
    if not inspect(source).has_table("sqlite_sequence"):
        return {}
    return {name: int(seq) for name, seq in source.execute(text("SELECT name, seq FROM sqlite_sequence"))}


def _move_sequences(target: Connection, tables: list[Table], highest: dict[str, int]) -> None:
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].name != "id":
            continue
        sequence = target.scalar(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        )
        if sequence is None:
            continue
        top = max(target.scalar(select(func.max(table.c.id))) or 0, highest.get(table.name, 0))
        # setval(seq, n, false): the next id given is n; with nothing copied, 1.
        target.execute(
            text("SELECT setval(CAST(:seq AS regclass), :next, false)"),
            {"seq": sequence, "next": top + 1},
        )


def _target_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValidationError(_l("This is not a database URL: %(url)s", url=url)) from None
    if parsed.get_backend_name() != "postgresql":
        raise ValidationError(_l("The archive moves to a PostgreSQL database (postgresql+psycopg://...)."))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed)


def _target_rows(engine: Engine) -> list[str]:
    """Tables of the target that hold rows (the Alembic version aside)."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        busy = []
        for name in inspector.get_table_names():
            if name == "alembic_version":
                continue
            if conn.scalar(text(f'SELECT EXISTS (SELECT 1 FROM "{name}")')):
                busy.append(name)
        return busy


def move_to(url: str, *, progress=None) -> MoveReport:
    """Copy this archive's records into the empty PostgreSQL database at `url` and verify them.

    Raises ValidationError when the target cannot take the archive (not PostgreSQL,
    unreachable, or holding rows); nothing is written to it then. The copy runs in one
    transaction on the target: a failure leaves it empty again.
    """
    from flask_migrate import upgrade

    from memoire import create_app
    from memoire.search import service

    started = time.perf_counter()
    say = progress or (lambda message: None)
    target_engine = _target_engine(url)
    try:
        busy = _target_rows(target_engine)
    except OperationalError as error:
        raise ValidationError(
            _l("The target database cannot be reached: %(err)s", err=str(error.orig).strip())
        ) from None
    if busy:
        raise ValidationError(
            _l("The target database is not empty (%(tables)s): a move needs an empty database.",
               tables=", ".join(sorted(busy)[:5]))
        )
    source_engine = db.engine
    settings = {
        key.removeprefix("MEMOIRE_"): value
        for key, value in current_app.config.items()
        if key.startswith("MEMOIRE_")
    }
    settings.update(DATABASE_URL=target_engine.url.render_as_string(hide_password=False),
                    SEARCH="postgres", INDEX_AFTER_COMMIT=False)
    for key in ("TESTING", "SERVER_NAME"):
        if key in current_app.config:
            settings[key] = current_app.config[key]
    target_app = create_app(settings)
    with target_app.app_context():
        upgrade(directory=target_app.extensions["migrate"].directory)
    with source_engine.connect() as conn:
        source_revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    with target_engine.connect() as conn:
        target_revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    if source_revision != target_revision:
        raise ValidationError(
            _l("This archive's database is at revision %(src)s, the code at %(dest)s: "
               "run `memoire init` before moving.", src=source_revision, dest=target_revision)
        )

    tables = list(db.metadata.sorted_tables)
    report = MoveReport()
    phase = time.perf_counter()
    with source_engine.connect() as source:
        highest = _highest_ids(source)
        with target_engine.begin() as target:
            for table in tables:
                _copy_table(source, target, table)
                say(f"copied {table.name}")
            _move_sequences(target, tables, highest)
        report.phases["copy"] = time.perf_counter() - phase
        phase = time.perf_counter()
        for table in tables:
            rows, checksum = table_fingerprint(source, table)
            report.tables.append(TableReport(table.name, rows, checksum))
        source.rollback()
    with target_engine.connect() as target:
        for entry in report.tables:
            entry.copied_rows, entry.copied_checksum = table_fingerprint(
                target, db.metadata.tables[entry.name]
            )
        from memoire.stories.models import Story

        report.stories = target.scalar(select(func.count()).select_from(Story.__table__))
    report.phases["verify"] = time.perf_counter() - phase
    if report.ok:
        phase = time.perf_counter()
        with target_app.app_context():
            say("rebuilding the PostgreSQL search tables")
            report.indexed = service.rebuild()
            db.engine.dispose()
        report.phases["index"] = time.perf_counter() - phase
    target_engine.dispose()
    report.seconds = time.perf_counter() - started
    return report
