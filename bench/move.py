"""`memoire move-to`: time to carry an embedded archive into PostgreSQL, per 1,000 stories.

Usage: python bench/move.py [--stories 5000] [--seed 4] [--postgres-url URL] [--out FILE]

Builds the reproducible archive of bench/search.py (SQLite, same generator: a tenth oral
histories with long transcripts), indexes it with Whoosh, then moves it into a fresh
PostgreSQL database with `memoire move-to` (copy, per-row checksums, search rebuild),
and reports the time of the whole move and per 1,000 stories.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--postgres-url", default=os.environ.get("MEMOIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not args.postgres_url:
        sys.exit("no --postgres-url nor MEMOIRE_TEST_POSTGRES_URL")
    import load as load_bench

    search_bench = load_bench.load_search_bench()
    database = f"memoire_bench_move_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="memoire-bench-move-") as tmp:
        home = Path(tmp)
        settings = {"HOME": home, "MEDIA_DIR": home / "media", "SECRET_KEY": "bench", "SEARCH": "whoosh"}
        facts = load_bench.build("sqlite", settings, search_bench, args.stories, args.seed, home)
        app = facts["app"]
        url = load_bench.create_database(args.postgres_url, database)
        try:
            runner = app.test_cli_runner()
            started = time.perf_counter()
            result = runner.invoke(args=["move-to", url], catch_exceptions=False)
            seconds = time.perf_counter() - started
        finally:
            load_bench.drop_database(args.postgres_url, database)
        last = result.output.strip().splitlines()[-1]
        line = (
            f"move-to: {args.stories} stories in {seconds:.0f} s "
            f"({seconds / args.stories * 1000:.1f} s per 1,000 stories), exit {result.exit_code}: {last}"
        )
        print(line)
        if args.out:
            with args.out.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")


if __name__ == "__main__":
    main()
