"""Search latency on PostgreSQL while an erasure purges the search tables.

Usage: python bench/erasure.py [--stories 20000] [--seconds 10] [--postgres-url URL] [--out FILE]

Builds the archive of bench/search.py on PostgreSQL (same generator and seed), then runs
the search mix in a loop from a thread (`service.search` as a visitor) and measures its
latency: for --seconds at rest, during an erasure (erase one oral history, apply its
index work: the copy-and-swap purge of `PostgresBackend.purge_deleted`), and, for
comparison, during the `VACUUM FULL` of the search tables that the purge used to run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


class Searcher(threading.Thread):
    """Runs the mix in a loop; `window()` gives the latencies between two marks."""

    def __init__(self, app, mix) -> None:
        super().__init__(daemon=True)
        self.app, self.mix = app, mix
        self.samples: list[tuple[float, float]] = []  # (ended at, ms)
        self.stop = threading.Event()

    def run(self) -> None:
        from memoire.search import service

        with self.app.test_request_context("/"):
            i = 0
            while not self.stop.is_set():
                params, _m, _f = self.mix[i % len(self.mix)]
                started = time.perf_counter()
                service.search(None, params)
                ended = time.perf_counter()
                self.samples.append((ended, (ended - started) * 1000))
                i += 1

    def window(self, start: float, end: float) -> list[float]:
        return [ms for at, ms in self.samples if start <= at <= end]


def describe(values: list[float]) -> str:
    import load as load_bench

    if not values:
        return "no search finished"
    return (
        f"{len(values)} searches, p50 {statistics.median(values):.0f} ms, "
        f"p95 {load_bench.percentile(values, 0.95):.0f} ms, max {max(values):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--postgres-url", default=os.environ.get("MEMOIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not args.postgres_url:
        sys.exit("no --postgres-url nor MEMOIRE_TEST_POSTGRES_URL")
    import tempfile

    import load as load_bench
    from sqlalchemy import select, text

    search_bench = load_bench.load_search_bench()
    database = f"memoire_bench_erasure_{os.getpid()}"
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory(prefix="memoire-bench-erasure-") as tmp:
        home = Path(tmp)
        url = load_bench.create_database(args.postgres_url, database)
        try:
            settings = {
                "HOME": home, "MEDIA_DIR": home / "media", "SECRET_KEY": "bench",
                "SEARCH": "postgres", "DATABASE_URL": url,
            }
            facts = load_bench.build("postgres", settings, search_bench, args.stories, args.seed, home)
            app = facts["app"]
            mix = search_bench.query_mix(facts["vocabulary"], facts["mons"], args.seed)
            searcher = Searcher(app, mix)
            searcher.start()
            time.sleep(2)  # warm-up
            start = time.perf_counter()
            time.sleep(args.seconds)
            say(f"at rest: {describe(searcher.window(start, time.perf_counter()))}")

            from memoire.extensions import db
            from memoire.privacy.operations import erase_story
            from memoire.search import service
            from memoire.stories.models import Story

            with app.app_context():
                story = db.session.scalar(
                    select(Story).where(Story.kind == "oral_history").order_by(Story.id).limit(1)
                )
                start = time.perf_counter()
                erase_story(None, story)
                db.session.commit()
                service.process_pending()
                took = time.perf_counter() - start
                say(
                    f"during an erasure with the copy-and-swap purge ({took:.1f} s): "
                    f"{describe(searcher.window(start, time.perf_counter()))}"
                )
                time.sleep(2)
                engine = db.engine
            vacuum = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            start = time.perf_counter()
            vacuum.execute(
                text("VACUUM (FULL, ANALYZE) search_segment, search_document, search_term, search_word")
            )
            took = time.perf_counter() - start
            vacuum.close()
            say(
                f"during VACUUM FULL of the search tables (the former purge, {took:.1f} s): "
                f"{describe(searcher.window(start, time.perf_counter()))}"
            )
            searcher.stop.set()
            searcher.join(timeout=60)
            with app.app_context():
                db.engine.dispose()
        finally:
            load_bench.drop_database(args.postgres_url, database)
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write(f"erasure bench, {args.stories} stories\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
