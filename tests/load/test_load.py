"""Load that loses nothing, on each profile, served as in production (gunicorn, 4 workers).

Concurrently: 50 uploads of a story with a photo (the JSON API with bearer tokens), 500
searches (the search page and the search API) and 200 story pages. Afterwards every
upload is in the database with its files on disk and the right checksums (`memoire
fixity` clean), every document is in the index (`memoire index verify` clean) and no
request failed with a 5xx. Then a worker is killed (SIGKILL) while it takes in a large
photo: nothing half-written remains (fixity clean, `memoire media purge` removes what
it staged), and the uploads that ran beside it are intact.

Profiles: SQLite + Whoosh, with the web workers only recording index work and one index
writer applying it; PostgreSQL + PostgreSQL search, every worker applying index work.
"""

from __future__ import annotations

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

import pytest
import requests

from tests.load import harness

pytestmark = [pytest.mark.load, pytest.mark.timeout(600)]

WORKERS = 4
UPLOADS, SEARCHES, PAGE_VIEWS = 50, 500, 200
CLIENTS = 12
SEEDED = 40
CONTRIBUTORS = 5
WORDS = [
    "fosse",
    "terril",
    "coron",
    "école",
    "ducasse",
    "kermesse",
    "charbon",
    "usine",
    "gare",
    "mineurs",
    "Épinlieu",
    "Dutemple",
]
QUERIES = [
    *WORDS,
    '"la fosse"',
    "fosse OU usine",
    "charb*",
    "lieu:Mons",
    "charbonage",
    "souvenir SAUF usine",
    "theme:mines",
]


@dataclass
class Archive:
    settings: dict
    tokens: list[str]
    published: list[int]
    uploaded: list[int] = field(default_factory=list)


@pytest.fixture(params=["sqlite", "postgres"])
def profile(request, tmp_path):
    """MEMOIRE_* settings of a fresh archive on this profile (names without the prefix)."""
    settings = {
        "HOME": tmp_path / "home",
        "MEDIA_DIR": tmp_path / "media",
        "SECRET_KEY": "load-test",
        "LOCALES": "fr,nl,en",
    }
    if request.param == "sqlite":
        # Web workers record index work; one writer applies it (the Whoosh rule).
        settings.update(SEARCH="whoosh", INDEX_AFTER_COMMIT=False)
        yield request.param, settings
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(request.getfixturevalue("postgres_server_url"))
    name = f"memoire_load_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    settings.update(
        SEARCH="postgres",
        INDEX_AFTER_COMMIT=True,
        DATABASE_URL=server.set(database=name).render_as_string(hide_password=False),
    )
    yield request.param, settings
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed(settings: dict) -> Archive:
    """Contributors with API tokens, and published stories to search and read."""
    from memoire import create_app
    from memoire.accounts.operations import create_token, create_user
    from memoire.extensions import db
    from memoire.places.operations import find_or_create_place
    from memoire.stories import operations as ops

    app = create_app(settings | {"INDEX_AFTER_COMMIT": True})
    rng = random.Random(10)
    with app.app_context():
        tokens = []
        for i in range(CONTRIBUTORS):
            user = create_user(
                None, f"contributor{i}@example.org", "correct horse battery", role="contributor"
            )
            tokens.append(create_token(None, user, "load test")[1])
        place = find_or_create_place(
            None, name="Épinlieu", type="quartier", parent="Mons", lat=50.441, lon=3.96
        )
        published = []
        for i in range(SEEDED):
            body = " ".join(rng.choice(WORDS) for _ in range(60))
            data = ops.StoryInput(
                title=f"Souvenir {i} de la {rng.choice(WORDS)}",
                body=body,
                kind="anecdote",
                visibility="public",
                status="published",
                language="fr",
                themes=["Mines"],
                places=[(place, "happened")],
                consent=ops.ConsentInput(
                    given_by="test", online_publication=True, research_use=True, exhibition_use=True
                ),
            )
            published.append(ops.create_story(None, data).id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return Archive(settings=settings, tokens=tokens, published=published)


def upload(url: str, token: str, n: int) -> tuple[list[int], int | None]:
    """A story with a photo through the API: statuses of both requests, the story id."""
    headers = {"Authorization": f"Bearer {token}"}
    created = requests.post(
        f"{url}/api/v1/stories",
        headers=headers,
        timeout=120,
        json={
            "title": f"Photo {n} du coron",
            "body": f"Le coron numéro {n}, la fosse.",
            "language": "fr",
        },
    )
    if created.status_code != 201:
        return [created.status_code], None
    story_id = created.json()["id"]
    sent = requests.post(
        f"{url}/api/v1/stories/{story_id}/media",
        headers=headers,
        timeout=120,
        files={"file": (f"coron-{n}.jpg", harness.photo(n), "image/jpeg")},
        data={"caption": f"Le coron {n}", "alt_text": f"Les maisons du coron {n}"},
    )
    return [created.status_code, sent.status_code], story_id


def run_mix(url: str, archive: Archive) -> dict[str, list[int]]:
    """The three kinds of traffic, shuffled, from several clients at once."""
    rng = random.Random(3)
    tasks = [("upload", n) for n in range(UPLOADS)]
    tasks += [("search", n) for n in range(SEARCHES)]
    tasks += [("page", n) for n in range(PAGE_VIEWS)]
    rng.shuffle(tasks)
    statuses: dict[str, list[int]] = {"upload": [], "search": [], "page": []}
    lock = threading.Lock()

    def one(task: tuple[str, int]) -> None:
        kind, n = task
        if kind == "upload":
            codes, story_id = upload(url, archive.tokens[n % len(archive.tokens)], n)
            with lock:
                if story_id is not None:
                    archive.uploaded.append(story_id)
        elif kind == "search":
            query = QUERIES[n % len(QUERIES)]
            path = "/api/v1/search" if n % 5 == 0 else "/search"
            codes = [requests.get(url + path, params={"q": query}, timeout=120).status_code]
        else:
            story_id = archive.published[n % len(archive.published)]
            codes = [requests.get(f"{url}/stories/{story_id}", timeout=120).status_code]
        with lock:
            statuses[kind].extend(codes)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one, tasks))
    return statuses


def check_archive(settings: dict, story_ids: list[int]) -> None:
    """Every upload with its photo; files and checksums right; every document in the index."""
    # Work a busy writer lock left pending is the next writer's: here, the administrator's.
    process = harness.memoire(settings, "index", "process")
    assert process.returncode == 0, process.stderr
    print(f"\n{settings['SEARCH']}: {process.stdout.strip()} after the load")
    fixity = harness.memoire(settings, "fixity")
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr
    verify = harness.memoire(settings, "index", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "pending" not in verify.stdout, verify.stdout
    from memoire import create_app
    from memoire.extensions import db
    from memoire.media.models import Media

    app = create_app(settings)
    with app.app_context():
        from sqlalchemy import func, select

        counts = dict(
            db.session.execute(
                select(Media.story_id, func.count())
                .where(Media.story_id.in_(story_ids))
                .group_by(Media.story_id)
            ).all()
        )
        db.session.remove()
        db.engine.dispose()
    assert counts == {story_id: 1 for story_id in story_ids}


def test_load_loses_nothing(profile, tmp_path):
    name, settings = profile
    started = time.monotonic()
    init = harness.memoire(settings, "init")
    assert init.returncode == 0, init.stderr
    archive = seed(settings)
    log = tmp_path / "gunicorn.log"
    whoosh = name == "sqlite"

    phases = {"setup": time.monotonic() - started}
    with harness.serving(settings, WORKERS, log, index_writer=whoosh) as server:
        mark = time.monotonic()
        statuses = run_mix(server.url, archive)
        phases["mix"] = time.monotonic() - mark
        if whoosh:
            _wait_for_index_work(settings)
    failures = {k: [s for s in v if s >= 500] for k, v in statuses.items()}
    assert failures == {"upload": [], "search": [], "page": []}, log.read_text()[-3000:]
    assert statuses["upload"] == [201] * (2 * UPLOADS)
    assert set(statuses["search"]) <= {200, 429} and set(statuses["page"]) == {200}
    assert len(archive.uploaded) == UPLOADS
    mark = time.monotonic()
    check_archive(settings, archive.uploaded)
    phases["checks"] = time.monotonic() - mark

    # A worker killed while it takes in a large photo, other uploads going on beside it.
    big = harness.large_photo()
    with harness.serving(settings, WORKERS, log, index_writer=whoosh) as server:
        victim = _start_large_upload(server, archive, big)
        beside = ThreadPoolExecutor(4)
        others = [
            beside.submit(upload, server.url, archive.tokens[i % CONTRIBUTORS], 1000 + i)
            for i in range(8)
        ]
        killed = _kill_when_staging(server, victim, Path(str(settings["MEDIA_DIR"])) / "tmp")
        results = [future.result() for future in others]
        beside.shutdown()
        victim["thread"].join(60)
        if whoosh:
            _wait_for_index_work(settings)
    assert killed, "the worker was not caught taking in the photo"
    assert victim["error"] is not None  # the client saw the connection drop, not an answer
    assert [codes for codes, _ in results] == [[201, 201]] * 8
    staged = list((Path(str(settings["MEDIA_DIR"])) / "tmp").iterdir())
    assert staged, "the killed upload left nothing staged: it was not caught mid-upload"
    purge = harness.memoire(settings, "media", "purge", "--older-than", "0")
    assert purge.returncode == 0, purge.stderr
    assert list((Path(str(settings["MEDIA_DIR"])) / "tmp").iterdir()) == []
    check_archive(settings, archive.uploaded + [story_id for _, story_id in results])
    phases["total"] = time.monotonic() - started
    print(f"\n{name}: " + ", ".join(f"{k} {v:.0f} s" for k, v in phases.items()))


def _wait_for_index_work(settings: dict, timeout: float = 120) -> None:
    """The single writer catches up with the work the web workers recorded."""
    from memoire import create_app
    from memoire.extensions import db
    from memoire.search.models import IndexWork

    app = create_app(settings)
    deadline = time.monotonic() + timeout
    with app.app_context():
        from sqlalchemy import func, select

        while db.session.scalar(select(func.count()).select_from(IndexWork)):
            db.session.rollback()
            assert time.monotonic() < deadline, "the index writer fell behind"
            time.sleep(0.2)
        db.session.remove()
        db.engine.dispose()


def _start_large_upload(server: harness.Server, archive: Archive, photo: bytes) -> dict:
    """Create a draft, then send a large photo on a connection whose port we know."""
    created = requests.post(
        f"{server.url}/api/v1/stories",
        timeout=60,
        json={"title": "La grande photo"},
        headers={"Authorization": f"Bearer {archive.tokens[0]}"},
    )
    assert created.status_code == 201
    story_id = created.json()["id"]
    boundary = "memoireloadtest"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="alt_text"\r\n\r\nLa fosse\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="grande.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    connection = HTTPConnection("127.0.0.1", server.port, timeout=120)
    connection.connect()
    victim = {
        "story_id": story_id,
        "port": connection.sock.getsockname()[1],
        "error": None,
        "started": time.time(),
    }

    def send() -> None:
        try:
            connection.request(
                "POST",
                f"/api/v1/stories/{story_id}/media",
                body=body,
                headers={
                    "Authorization": f"Bearer {archive.tokens[0]}",
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
            )
            victim["status"] = connection.getresponse().status
        except OSError as error:  # the worker died under it
            victim["error"] = error
        finally:
            connection.close()

    victim["thread"] = threading.Thread(target=send)
    victim["thread"].start()
    return victim


def _kill_when_staging(
    server: harness.Server, victim: dict, tmp: Path, timeout: float = 60
) -> bool:
    """SIGKILL the worker serving the large photo once its file is being written to disk."""
    import signal

    deadline = time.monotonic() + timeout
    pid = None
    while time.monotonic() < deadline and "status" not in victim:
        pid = pid or harness.worker_serving(server, victim["port"])
        if pid is not None and any(_is_large(path) for path in tmp.iterdir()):
            os.kill(pid, signal.SIGKILL)
            return True
        time.sleep(0.002)
    return False


def _is_large(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 1_000_000
    except FileNotFoundError:
        return False
