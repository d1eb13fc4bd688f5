"""Which search backend the app uses: configuration, not code (`MEMOIRE_SEARCH`).

`whoosh` (default): the embedded index on disk. `postgres`: full-text search in the
archive's PostgreSQL database (needs a `postgresql+psycopg://` MEMOIRE_DATABASE_URL).

`MEMOIRE_INDEX_WRITER=false` makes a process a reader only: it records index work with
every change (as always) but never opens the writer; one `memoire worker` or
`memoire index process` applies the work. With Whoosh on several web workers, exactly
one process should be the writer; with PostgreSQL any process may be.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from flask import Flask

from memoire.search.backend import IndexBusy, SearchBackend


class ReaderOnly:
    """A backend that searches but never writes: the writer lock is never free here."""

    def __init__(self, backend: SearchBackend) -> None:
        self._backend = backend

    def __getattr__(self, name: str):
        return getattr(self._backend, name)

    @contextmanager
    def exclusive(self, timeout: float | None = None):
        raise IndexBusy("this process does not write the search index (MEMOIRE_INDEX_WRITER=false)")
        yield  # pragma: no cover  (a generator, for contextmanager)

    def apply(self, documents: list[dict], deleted_ids: list[int]) -> None:
        with self.exclusive():
            pass

    @contextmanager
    def writer(self, size: int | None = None, *, beside: bool = False):
        with self.exclusive():
            yield self.apply  # pragma: no cover

    def rebuild(self, documents, size: int | None = None) -> int:
        with self.exclusive():
            return 0

    def purge_deleted(self) -> None:
        with self.exclusive():
            pass


def make_backend(app: Flask) -> SearchBackend:
    """The search backend `app` is configured for."""
    kind = str(app.config.get("MEMOIRE_SEARCH") or "whoosh").strip().lower()
    lock_timeout = float(app.config["MEMOIRE_INDEX_LOCK_TIMEOUT"])
    if kind == "whoosh":
        from memoire.search.whoosh_backend import WhooshBackend

        procs = app.config.get("MEMOIRE_INDEX_PROCS")
        backend = WhooshBackend(
            app.config["MEMOIRE_INDEX_DIR"],
            lock_timeout=lock_timeout,
            procs=int(procs) if procs else min(2, os.cpu_count() or 1),
        )
    elif kind == "postgres":
        if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
            raise RuntimeError(
                "MEMOIRE_SEARCH=postgres needs the records in PostgreSQL: "
                "set MEMOIRE_DATABASE_URL=postgresql+psycopg://..."
            )
        from memoire.extensions import db
        from memoire.search.postgres_backend import PostgresBackend

        with app.app_context():
            engine = db.engine
        backend = PostgresBackend(engine, lock_timeout=lock_timeout)
    else:
        raise RuntimeError(f"unknown MEMOIRE_SEARCH {kind!r}: use 'whoosh' or 'postgres'")
    if not _is_writer(app):
        return ReaderOnly(backend)
    return backend


def _is_writer(app: Flask) -> bool:
    value = app.config.get("MEMOIRE_INDEX_WRITER", True)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)
