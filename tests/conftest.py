"""Shared fixtures: an app on a migrated SQLite copy per test, factories for the archive's objects."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from memoire import create_app
from memoire.extensions import db

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


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
    return app


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change settings."""
    return {}


@pytest.fixture
def app(tmp_path, migrated_template, app_config):
    app = make_app(tmp_path, migrated_template, **app_config)
    with app.app_context():
        from memoire.search import service

        service.ensure_index()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- factories -----------------------------------------------------------------------------


@pytest.fixture
def create_user(app):
    from memoire.accounts.operations import create_user as _create

    counter = iter(range(1, 10_000))

    def factory(role: str = "contributor", email: str | None = None, password: str = "correct horse battery"):
        user = _create(None, email or f"{role}{next(counter)}@example.org", password, role=role)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def create_place(app):
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
        story = ops.create_story(contributor, data)
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
