"""End-to-end fixtures: the app served on 127.0.0.1 by a thread, driven by Debian's Chromium.

The server runs on a fresh, migrated home of its own with CSRF on, as in production.
Background jobs (audio streams) do not run by themselves here: tests call
`live_server.run_jobs()` where a real deployment's worker would have done the work.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "axe.min.js"
PASSWORD = "correct horse battery"


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return (
            f"no Chromium at {CHROMIUM}: install Debian's chromium package to run the browser tests"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)


@dataclass
class LiveServer:
    app: Flask
    url: str

    def run_jobs(self) -> int:
        """Do what the worker would: prepare audio streams and the like."""
        from memoire.jobs.operations import run_pending

        with self.app.app_context():
            return run_pending()

    def create_place(self, name: str, parent: str | None = None) -> None:
        from memoire.extensions import db
        from memoire.places.operations import find_or_create_place

        with self.app.app_context():
            place = find_or_create_place(
                None, name=name, type="quartier", parent=parent, lat=50.3526, lon=3.5333
            )
            # A gazetteer place (imported, with an id): offered to every contributor.
            place.external_id = f"test:{name}"
            db.session.commit()

    def create_user(self, role: str, email: str) -> None:
        """An account with this role; the server is shared by the whole session, so a second
        test asking for the same address gets the account the first one made."""
        from memoire.accounts.models import User
        from memoire.accounts.operations import create_user
        from memoire.extensions import db

        with self.app.app_context():
            existing = db.session.query(User).filter_by(email=email).one_or_none()
            if existing is not None:
                if existing.role != role:
                    raise AssertionError(f"{email} already exists with role {existing.role}")
                return
            create_user(None, email, PASSWORD, role=role, display_name=email.split("@")[0].title())
            db.session.commit()


class _QuietHandler(WSGIRequestHandler):
    """No access log: a failing test's output shows the failure, not every static file."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def live_server(browser_available, tmp_path_factory) -> Iterator[LiveServer]:
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from memoire import create_app
    from memoire.core.storage import get_storage
    from memoire.extensions import db
    from memoire.search import service

    home = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "HOME": str(home),
            "MEDIA_DIR": str(home / "media"),
            "SECRET_KEY": "browser-tests",
            "WTF_CSRF_ENABLED": True,
            # Many logins from one address within a minute: the limit has its own test.
            "RATELIMIT_ENABLED": False,
            # Tiles from the internet would make the tests depend on the network.
            "TILE_URL": "",
        }
    )
    with app.app_context():
        get_storage().ensure()
        upgrade(directory=app.extensions["migrate"].directory)
        service.ensure_index()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


# `playwright_driver` and `chromium` are session fixtures of tests/conftest.py, shared by
# every browser test in the run (two sync Playwright drivers cannot live in one process).


@pytest.fixture
def new_page(chromium, request):
    """new_page(locale="fr-BE") -> a phone-sized page in a fresh browser profile."""
    contexts = []

    def make(locale: str = "fr-BE", **options):
        context = chromium.new_context(
            viewport=PHONE,
            locale=locale,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            **options,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, "step") saves test-artifacts/screenshots/<test>-NN-step.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    counter = iter(range(1, 100))

    def take(page, step: str) -> Path:
        path = SCREENSHOTS / f"{name}-{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def write_test_files(folder: Path) -> tuple[Path, Path]:
    """A small JPEG from Pillow and a one-second WAV, as a phone would hand them over."""
    from tests.conftest import jpeg_bytes, wav_bytes

    folder.mkdir(parents=True, exist_ok=True)
    photo = folder / "ducasse.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480)))
    recording = folder / "souvenir.wav"
    recording.write_bytes(wav_bytes(seconds=1.5))
    return photo, recording


def wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Poll a JavaScript expression until it is true. (wait_for_function evaluates strings
    with eval, which the archive's Content-Security-Policy rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.1)


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; return the violations of these impacts, summarised."""
    if not AXE.exists():
        pytest.skip(f"axe-core not vendored at {AXE}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def clean_folder(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
