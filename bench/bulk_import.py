"""`memoire import` of a large JSON Lines file: stories per second and index size, per profile.

Usage: python bench/bulk_import.py [--stories 20000] [--profiles sqlite,postgres]
                                   [--postgres-url URL] [--seed 4] [--out FILE]

Writes a JSON Lines file of the shape of bench/search.py's archive, from the same real
French text: the first tenth oral histories with a WebVTT transcript of about 500 timed
segments (6,000 words), then anecdotes of about 300 words, with places, themes,
narrators, periods and consent (85 % public and published). Then, per profile, runs
`memoire import` on a fresh archive the way a new user would (index work through one
writer, fed every 500 lines on a run this large), and reports stories/s; on the embedded profile it also compares
the Whoosh folder's size with the size a rebuild of the same archive makes.
Goal (issue 20): 20,000 stories in under 5 minutes, index no larger than a rebuild.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _vtt_time(seconds: float) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{secs:06.3f}"


def write_file(folder: Path, count: int, seed: int) -> tuple[Path, bool]:
    """The JSON Lines file (and its transcripts) of `count` stories; (path, real text)."""
    import json

    import load as load_bench  # noqa: F401  (bench/ is on the path: same generator as search)

    search_bench = load_bench.load_search_bench()
    rng = random.Random(seed)
    source = search_bench.TextSource(rng)
    transcripts = folder / "transcripts"
    transcripts.mkdir(parents=True, exist_ok=True)
    path = folder / "stories.jsonl"
    orals = count // 10
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            commune, lat, lon, quartiers = rng.choice(search_bench.COMMUNES)
            quartier = rng.choice(quartiers)
            start = rng.randrange(1900, 2020)
            public = rng.random() < 0.85
            record = {
                "id": f"bulk-{number:05d}",
                "title": source.title() or f"Récit {number}",
                "summary": source.anecdote(30),
                "body": source.anecdote(300 if number >= orals else 80),
                "kind": "oral_history" if number < orals else "anecdote",
                "language": "fr",
                "narrators": [
                    {
                        "name": f"{rng.choice(search_bench.FIRST_NAMES)} "
                        f"{rng.choice(search_bench.LAST_NAMES)}"
                    }
                ],
                "period": {"start": start, "end": start + rng.randrange(0, 15)},
                "themes": rng.sample(search_bench.THEMES, rng.randint(1, 3)),
                "places": [
                    {"name": commune, "type": "commune", "lat": lat, "lon": lon},
                    {
                        "name": quartier,
                        "type": "quartier",
                        "parent": commune,
                        "lat": lat + rng.uniform(-0.02, 0.02),
                        "lon": lon + rng.uniform(-0.03, 0.03),
                    },
                ],
                "visibility": "public" if public else "private",
                "status": "published" if public else "draft",
                "consent": {
                    "given_by": "Narrateur",
                    "method": "signed_form",
                    "online_publication": public,
                    "precision": rng.choice(["exact", "street", "quartier"]),
                },
            }
            if number < orals:
                name = f"bulk-{number:05d}.vtt"
                lines = ["WEBVTT", ""]
                for begin, end, speaker, text in source.transcript(6000):
                    lines += [f"{_vtt_time(begin)} --> {_vtt_time(max(end, begin + 0.5))}",
                              f"<v {speaker}>{text}", ""]
                (transcripts / name).write_text("\n".join(lines), encoding="utf-8")
                record["transcript"] = f"transcripts/{name}"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path, source.real


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_import(profile: str, settings: dict, path: Path) -> dict:
    """Import the file through the `memoire import` command, as a new user would."""
    from flask_migrate import upgrade

    from memoire import create_app
    from memoire.extensions import db

    app = create_app(settings | {"TESTING": True})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    runner = app.test_cli_runner()
    # When the last line was written: what follows is the index's own end (Whoosh: the
    # segment written by the analysing process; PostgreSQL: the last batches, statistics).
    from memoire.search import service as search_service

    last_line: list[float] = []
    finish = search_service.BulkIndexing.finish

    def timed_finish(self) -> None:
        last_line.append(time.perf_counter())
        finish(self)

    search_service.BulkIndexing.finish = timed_finish
    cpu, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        result = runner.invoke(args=["import", str(path)], catch_exceptions=False)
    finally:
        search_service.BulkIndexing.finish = finish
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    facts = {
        "seconds": seconds,
        "output": result.output.strip().splitlines()[-1:],
        "after_last_line": seconds - (last_line[0] - started) if last_line else 0.0,
        "cpu": time.process_time() - cpu,
        "children_cpu": after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime,
    }
    if profile == "sqlite":
        index = Path(settings["HOME"]) / "index"
        facts["index_bytes"] = folder_size(index)
        from memoire.search import service

        with app.app_context():
            started = time.perf_counter()
            service.rebuild()
            facts["rebuild_seconds"] = time.perf_counter() - started
            service.backend().close()
        facts["rebuilt_bytes"] = folder_size(index)
    with app.app_context():
        db.engine.dispose()
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--profiles", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--postgres-url", default=os.environ.get("MEMOIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--out", type=Path, help="also append the figures to this file")
    args = parser.parse_args()
    import load as load_bench

    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory(prefix="memoire-bench-import-") as tmp:
        started = time.perf_counter()
        path, real = write_file(Path(tmp) / "file", args.stories, args.seed)
        say(
            f"file: {args.stories} stories ({'real French' if real else 'word salad'}), "
            f"{path.stat().st_size / 1e6:.0f} MB + transcripts, written in "
            f"{time.perf_counter() - started:.0f} s"
        )
        for profile in args.profiles.split(","):
            home = Path(tmp) / profile
            settings: dict = {"HOME": home, "MEDIA_DIR": home / "media", "SECRET_KEY": "bench"}
            database = f"memoire_bench_import_{os.getpid()}"
            if profile == "postgres":
                if not args.postgres_url:
                    say("postgres: skipped (no --postgres-url nor MEMOIRE_TEST_POSTGRES_URL)")
                    continue
                settings.update(
                    SEARCH="postgres",
                    DATABASE_URL=load_bench.create_database(args.postgres_url, database),
                )
            else:
                settings.update(SEARCH="whoosh")
            try:
                facts = run_import(profile, settings, path)
            finally:
                if profile == "postgres":
                    load_bench.drop_database(args.postgres_url, database)
            line = (
                f"{profile}: imported {args.stories} stories in {facts['seconds']:.0f} s "
                f"({args.stories / facts['seconds']:.1f} stories/s) {facts['output']}; "
                f"{facts['after_last_line']:.0f} s of it after the last line; processor "
                f"{facts['cpu']:.0f} s in the import's process, {facts['children_cpu']:.0f} s "
                f"in its helpers (analysis, transcripts parsed ahead)"
            )
            if "index_bytes" in facts:
                line += (
                    f"; index {facts['index_bytes'] / 1e6:.0f} MB after the import, "
                    f"{facts['rebuilt_bytes'] / 1e6:.0f} MB after a rebuild "
                    f"({facts['rebuild_seconds']:.0f} s)"
                )
            say(line)
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
