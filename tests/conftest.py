"""Shared fixtures: an app on a migrated SQLite copy per test, factories for the archive's objects.

Suites that must hold on both profiles (`tests/search`, `tests/trust`, or any test marked
`engines`) run twice: on SQLite + Whoosh, and on PostgreSQL + PostgreSQL full-text search
when MEMOIRE_TEST_POSTGRES_URL names a server (skipped otherwise). The PostgreSQL runs share
one database per test session, migrated once and emptied after each test.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from memoire import create_app
from memoire.extensions import db

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TESTS_DIR = Path(__file__).resolve().parent
#: Test folders that run on both engines.
ENGINE_SUITES = ("search", "trust")
ENGINES = ("sqlite", "postgres")
POSTGRES_URL_VARIABLE = "MEMOIRE_TEST_POSTGRES_URL"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when the shared data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not found: {path}")
    return path


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """Run the Alembic migrations once; each test gets a copy of the resulting database."""
    home = tmp_path_factory.mktemp("template")
    app = create_app({"HOME": str(home), "MEDIA_DIR": str(home / "media"), "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()
    return home / "memoire.sqlite3"


def make_app(tmp_path: Path, template: Path | None = None, **overrides):
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    if template is not None and not (home / "memoire.sqlite3").exists():
        shutil.copyfile(template, home / "memoire.sqlite3")
    config = {
        "HOME": str(home),
        "MEDIA_DIR": str(tmp_path / "media"),
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    app = create_app(config)
    app.extensions["memoire.storage"].ensure()
    app.before_request(_forget_request_globals)
    return app


def _forget_request_globals() -> None:
    """Tests keep one app context open across requests; a real server has one per request.
    Drop what extensions cache in `g` (the logged-in user, the locale) so each request
    starts as it would in production."""
    from flask import g

    for name in list(g):
        g.pop(name, None)


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change settings."""
    return {}


def pytest_generate_tests(metafunc):
    """Run the engine suites once per engine (see module docstring)."""
    if "app" not in metafunc.fixturenames or _parametrises_engine(metafunc):
        return
    try:
        suite = Path(metafunc.definition.path).resolve().relative_to(TESTS_DIR).parts[0]
    except ValueError:
        suite = ""
    if suite in ENGINE_SUITES or metafunc.definition.get_closest_marker("engines"):
        metafunc.parametrize("engine", ENGINES, indirect=True)


def _parametrises_engine(metafunc) -> bool:
    for marker in metafunc.definition.iter_markers("parametrize"):
        names = marker.args[0] if marker.args else marker.kwargs.get("argnames", "")
        names = names.split(",") if isinstance(names, str) else names
        if "engine" in [n.strip() for n in names]:
            return True
    return False


@pytest.fixture
def engine(request) -> str:
    """The profile the `app` runs on: "sqlite" (SQLite + Whoosh) unless parametrised."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The PostgreSQL server tests may use, or skip."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: the PostgreSQL profile is not tested")
    return url


@pytest.fixture(scope="session")
def postgres_database(postgres_server_url, tmp_path_factory):
    """A database of its own for this test session, migrated once; dropped at the end."""
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.engine import make_url

    server = make_url(postgres_server_url)
    name = f"memoire_test_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    url = server.set(database=name).render_as_string(hide_password=False)
    home = tmp_path_factory.mktemp("postgres")
    app = create_app(
        {
            "HOME": str(home),
            "MEDIA_DIR": str(home / "media"),
            "TESTING": True,
            "DATABASE_URL": url,
            "SEARCH": "postgres",
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory)
        # Children before parents, so that plain DELETEs never break a foreign key.
        from memoire.search.postgres_backend import SEARCH_TABLES

        search_tables = list(reversed(SEARCH_TABLES))
        tables = search_tables + [t.name for t in reversed(db.metadata.sorted_tables)]
        missing = set(inspect(db.engine).get_table_names()) - set(tables) - {"alembic_version"}
        assert not missing, f"tables the cleanup between tests does not know: {missing}"
        sequences = list(
            db.session.scalars(
                text("SELECT quote_ident(sequence_name) FROM information_schema.sequences")
            )
        )
        db.session.remove()
        db.engine.dispose()
    yield {"url": url, "tables": tables, "sequences": sequences}
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(database: dict) -> None:
    """Every table emptied, sequences restarted: the next test starts from a migrated database.

    DELETE rather than TRUNCATE: TRUNCATE makes new files for every table and index, which
    costs more than deleting the few rows a test writes."""
    from sqlalchemy import text

    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '20s'"))
        for table in database["tables"]:
            conn.execute(text(f'DELETE FROM "{table}"'))
        for sequence in database["sequences"]:
            conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


@pytest.fixture
def app(tmp_path, migrated_template, app_config, engine, request):
    if engine == "postgres":
        database = request.getfixturevalue("postgres_database")
        app = make_app(
            tmp_path, None, **{"DATABASE_URL": database["url"], "SEARCH": "postgres", **app_config}
        )
    else:
        app = make_app(tmp_path, migrated_template, **app_config)
    with app.app_context():
        from memoire.search import service

        service.ensure_index()
        yield app
        db.session.remove()
        if engine == "postgres":
            _empty_postgres(database)
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- factories -----------------------------------------------------------------------------


# Each factory is also a plain function, so that a module may build its data once
# (a fixture with scope="module", see tests/trust/test_leaks_network.py).


@pytest.fixture
def create_user(app):
    return user_factory()


def user_factory():
    from memoire.accounts.operations import create_user as _create

    counter = iter(range(1, 10_000))

    def factory(role: str = "contributor", email: str | None = None, password: str = "correct horse battery"):
        user = _create(None, email or f"{role}{next(counter)}@example.org", password, role=role)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def create_place(app):
    return place_factory()


def place_factory():
    from memoire.places.operations import find_or_create_place

    def factory(name: str = "Dutemple", type: str = "quartier", parent: str | None = "Valenciennes",
                lat: float | None = 50.3526, lon: float | None = 3.5333):
        place = find_or_create_place(None, name=name, type=type, parent=parent, lat=lat, lon=lon)
        db.session.commit()
        return place

    return factory


@pytest.fixture
def create_story(app):
    """create_story(title=..., visibility=..., status=..., places=[place], themes=[...], ...)"""
    return story_factory()


def story_factory():
    from memoire.stories import operations as ops
    from memoire.stories.periods import parse_period

    def factory(title: str = "La fosse Dutemple", *, body: str = "", summary: str = "",
                kind: str = "anecdote", visibility: str = "public", status: str = "published",
                contributor=None, places=(), themes=(), narrators=(), period=None,
                language: str = "fr", external_id: str | None = None, precision: str | None = None,
                lat=None, lon=None, exhibition_use: bool = True):
        data = ops.StoryInput(
            title=title, body=body, summary=summary, kind=kind, visibility=visibility,
            status=status, language=language, themes=list(themes),
            narrators=[ops.NarratorInput(name=n) for n in narrators],
            places=[(p, "happened") if not isinstance(p, tuple) else p for p in places],
            period=parse_period(period), external_id=external_id, precision=precision,
            lat=lat, lon=lon,
            consent=ops.ConsentInput(given_by="test", online_publication=True, research_use=True,
                                     exhibition_use=exhibition_use,
                                     precision=precision or "exact"),
        )
        # Created as the system (a record in any status), then owned by `contributor`.
        story = ops.create_story(None, data)
        story.contributor_id = getattr(contributor, "id", None)
        db.session.commit()
        return story

    return factory


def jpeg_bytes(size=(800, 600), color=(180, 90, 40), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, "JPEG", quality=85, **kwargs)
    return buffer.getvalue()


def gps_exif(lat: float = 50.35, lon: float = 3.53):
    """An EXIF block with GPS, camera owner and serial: what phones really write."""
    exif = Image.Exif()
    exif[0x010F] = "TestMaker"  # Make
    exif[0x0110] = "TestPhone"  # Model
    exif[0x013B] = "Jeanne Dupont"  # Artist
    exif[0xA431] = "SN123456"  # BodySerialNumber (in Exif IFD on real files)

    def dms(value: float):
        value = abs(value)
        d = int(value)
        m = int((value - d) * 60)
        s = round(((value - d) * 60 - m) * 60, 2)
        return (float(d), float(m), s)

    gps = {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
    exif[0x8825] = gps
    return exif


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    import math
    import struct
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
            for i in range(int(seconds * rate))
        )
        w.writeframes(frames)
    return buffer.getvalue()


# A CSRF token is a signed timestamp: two pages made a second apart carry different ones.
_CSRF_TOKEN = re.compile(r'((?:name="csrf_token" value|data-csrf)=")[^"]*"')


def without_csrf(page: str) -> str:
    """A page with its CSRF tokens blanked, for tests that compare two answers byte for byte
    (a hidden thing must read as a missing one): the token says nothing about what was asked."""
    return _CSRF_TOKEN.sub(r'\1T"', page)


def count_rows_and_files(app) -> dict:
    """What an operation that failed must leave exactly as it was."""
    from sqlalchemy import func, select

    from memoire import models

    counts = {}
    for model in (models.Story, models.Media, models.Derivative, models.Place, models.Person,
                  models.Transcript, models.TranscriptSegment, models.Consent):
        counts[model.__tablename__] = db.session.scalar(select(func.count()).select_from(model))
    media_root = Path(app.config["MEMOIRE_MEDIA_DIR"])
    counts["files"] = sum(1 for p in media_root.rglob("*") if p.is_file())
    return counts


@contextmanager
def statements_run():
    """The (statement, parameters) the app's engine runs inside the block, in order: what a
    page or a search costs in round trips, and what PostgreSQL is asked."""
    from sqlalchemy import event

    seen: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, *_args):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


# --- browser tests ----------------------------------------------------------------------------

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright driver for the whole run: a second sync driver cannot start beside it."""
    if not CHROMIUM_PATH.exists():
        pytest.skip(f"no Chromium at {CHROMIUM_PATH}: install Debian's chromium package")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM_PATH), args=CHROMIUM_LAUNCH_ARGS
    )
    yield browser
    browser.close()
