"""Search and story pages under concurrent clients, served by gunicorn with 4 workers,
on SQLite + Whoosh and on PostgreSQL + PostgreSQL full-text search.

Usage: python bench/load.py [--stories 20000] [--seconds 15] [--clients 1,4,16]
                            [--profiles sqlite,postgres] [--postgres-url URL] [--out FILE]
                            [--no-http]

For each profile: builds the reproducible archive of bench/search.py (same generator,
same seed), rebuilds the index (timed), then measures
  - in process, the search mix of bench/search.py (50 queries with facets, snippets and
    the visibility filter, `service.search` as a visitor) --runs times: p50 and p95;
  - over HTTP against gunicorn (4 sync workers on 127.0.0.1), for 1, 4 and 16 clients
    during --seconds each: requests per second, p50 and p95 of the search page
    (`/search?q=...`, the mix) and of story pages (`/stories/<id>`, random public stories).
Prints the PostgreSQL / Whoosh ratio of the search mix. The clients run on the same
machine as the server: at 16 clients they take CPU from it, as the figures show.
PostgreSQL: --postgres-url or MEMOIRE_TEST_POSTGRES_URL names the server; the bench
creates and drops a database of its own there.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
WORKERS = 4


def load_search_bench():
    """bench/search.py, whose archive generator and query mix this bench reuses."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- an archive per profile --------------------------------------------------------------------


def create_database(server_url: str, name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def restart_sequences(app) -> None:
    """The generator inserts explicit ids: move PostgreSQL's sequences past them."""
    from sqlalchemy import text

    from memoire.extensions import db

    with app.app_context():
        for table in ("place", "theme", "person", "story", "transcript", "transcript_segment"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
            )
        db.session.commit()


def analyse(app) -> None:
    """Statistics for the planner after the bulk insert, as autovacuum would gather them on
    a server where it runs (this machine's test server has it off): without them PostgreSQL
    guessed ~80 stories and loaded the 20 hits of a page by scanning every public story
    (42 ms instead of 0.07 ms at 20,000 stories)."""
    from sqlalchemy import text

    from memoire.extensions import db

    with app.app_context():
        connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with connection:
            connection.execute(text("ANALYZE"))


def build(profile: str, settings: dict, search_bench, stories: int, seed: int, home: Path) -> dict:
    from flask_migrate import upgrade

    from memoire import create_app
    from memoire.search import service

    app = create_app(settings | {"INDEX_AFTER_COMMIT": False, "TESTING": True})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    started = time.perf_counter()
    facts = search_bench.build_archive(app, stories, seed, home / "fts.sqlite3")
    facts["build_seconds"] = time.perf_counter() - started
    if profile == "postgres":
        restart_sequences(app)
        analyse(app)
    with app.app_context():
        started = time.perf_counter()
        service.rebuild()
        facts["rebuild_seconds"] = time.perf_counter() - started
        service.backend().close()
    facts["app"] = app
    return facts


def in_process_mix(app, mix: list, runs: int) -> list[float]:
    """Milliseconds of `service.search` for each query of the mix, as a visitor, `runs` times."""
    from memoire.extensions import db
    from memoire.search import service

    latencies = []
    with app.app_context(), app.test_request_context():
        for params, _match, _filters in mix:  # warm-up
            service.search(None, params)
        for _ in range(runs):
            for params, _match, _filters in mix:
                started = time.perf_counter()
                service.search(None, params)
                latencies.append((time.perf_counter() - started) * 1000)
                db.session.remove()
    return latencies


def public_story_ids(app) -> list[int]:
    from sqlalchemy import select

    from memoire.extensions import db
    from memoire.stories.models import Story

    with app.app_context():
        ids = list(
            db.session.scalars(
                select(Story.id).where(Story.status == "published", Story.visibility == "public")
            )
        )
        db.session.remove()
    return ids


# --- serving and measuring ---------------------------------------------------------------------


class Server:
    def __init__(self, settings: dict, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEMOIRE_")}
        env.update({f"MEMOIRE_{k}": str(v) for k, v in settings.items()})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/", timeout=30).status_code < 500:
                    return
            except requests.RequestException:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


def measure(url: str, paths: list[str], clients: int, seconds: float) -> dict:
    """`clients` threads requesting `paths` in turn for `seconds`: throughput and latency."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(number: int) -> None:
        nonlocal errors
        session = requests.Session()
        mine, failed = [], 0
        i = number * 7
        while time.perf_counter() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                ok = session.get(url + path, timeout=120).status_code == 200
            except requests.RequestException:
                ok = False
            mine.append((time.perf_counter() - started) * 1000)
            failed += not ok
        session.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "requests": len(latencies),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument(
        "--seconds", type=float, default=15.0, help="per client count and page kind"
    )
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--profiles", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=3, help="in-process runs of the search mix")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--postgres-url", default=os.environ.get("MEMOIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--out", type=Path, help="also append the figures to this file")
    parser.add_argument(
        "--no-http", action="store_true", help="only the in-process search mix (no gunicorn)"
    )
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    from urllib.parse import urlencode

    search_bench = load_search_bench()
    mixes: dict[str, list[float]] = {}
    for profile in args.profiles.split(","):
        with tempfile.TemporaryDirectory(prefix=f"memoire-bench-load-{profile}-") as tmp:
            home = Path(tmp)
            settings: dict = {"HOME": home, "MEDIA_DIR": home / "media", "SECRET_KEY": "bench"}
            database = f"memoire_bench_{os.getpid()}"
            if profile == "postgres":
                if not args.postgres_url:
                    say("postgres: skipped (no --postgres-url nor MEMOIRE_TEST_POSTGRES_URL)")
                    continue
                settings.update(
                    SEARCH="postgres", DATABASE_URL=create_database(args.postgres_url, database)
                )
            else:
                settings.update(SEARCH="whoosh")
            try:
                facts = build(profile, settings, search_bench, args.stories, args.seed, home)
                say(
                    f"{profile}: {args.stories} stories, {facts['words']:,} words "
                    f"({'real French' if facts['real_text'] else 'word salad'}), built in "
                    f"{facts['build_seconds']:.0f} s, index rebuilt in {facts['rebuild_seconds']:.0f} s "
                    f"({facts['words'] / facts['rebuild_seconds']:,.0f} words/s)"
                )
                mix = search_bench.query_mix(facts["vocabulary"], facts["mons"], args.seed)
                latencies = in_process_mix(facts["app"], mix, args.runs)
                mixes[profile] = latencies
                say(
                    f"{profile}: search mix in process ({len(mix)} queries x {args.runs}): "
                    f"p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms"
                )
                if args.no_http:
                    with facts["app"].app_context():
                        from memoire.extensions import db

                        db.engine.dispose()
                    continue
                search_paths = [f"/search?{urlencode(params)}" for params, _m, _f in mix]
                ids = public_story_ids(facts["app"])
                random.Random(args.seed).shuffle(ids)
                story_paths = [f"/stories/{i}" for i in ids[:2000]]
                server = Server(settings, home / "gunicorn.log")
                try:
                    for path in search_paths + story_paths[:50]:  # warm-up
                        requests.get(server.url + path, timeout=120)
                    for count in clients:
                        for kind, paths in (("search", search_paths), ("story", story_paths)):
                            figures = measure(server.url, paths, count, args.seconds)
                            say(
                                f"{profile:8} {kind:6} {count:2} clients: {figures['rps']:6.1f} req/s, "
                                f"p50 {figures['p50']:7.1f} ms, p95 {figures['p95']:7.1f} ms "
                                f"({figures['requests']} requests, {figures['errors']} errors)"
                            )
                finally:
                    server.stop()
                with facts["app"].app_context():
                    from memoire.extensions import db

                    db.engine.dispose()
            finally:
                if profile == "postgres":
                    drop_database(args.postgres_url, database)
    if {"sqlite", "postgres"} <= set(mixes):
        whoosh = mixes["sqlite"]
        postgres = mixes["postgres"]
        say(
            f"search mix PostgreSQL FTS / Whoosh: "
            f"p50 {statistics.median(postgres) / statistics.median(whoosh):.2f}x, "
            f"p95 {percentile(postgres, 0.95) / percentile(whoosh, 0.95):.2f}x"
        )
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
