"""Preservation benchmark: `memoire fixity` and `memoire backup` on 10,000 media files,
and what a running backup does to search latency.

    python bench/preservation.py [--files 10000] [--kb 64]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--kb", type=int, default=64)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-preservation-"))

    from sqlalchemy import insert

    from memoire import create_app
    from memoire.core.cli import init_archive
    from memoire.core.storage import key_for
    from memoire.extensions import db
    from memoire.media.models import Media
    from memoire.preservation.backup import backup
    from memoire.preservation.fixity import check
    from memoire.search import service
    from memoire.stories.models import Story

    app = create_app({"HOME": str(work / "home"), "MEDIA_DIR": str(work / "media")})
    with app.app_context():
        init_archive()
        root = Path(app.config["MEMOIRE_MEDIA_DIR"])
        started = time.perf_counter()
        stories = [{"id": i + 1, "title": f"Souvenir {i} de la fosse et du terril", "body": "la ducasse " * 50,
                    "visibility": "public", "status": "published", "kind": "photo", "language": "fr",
                    "licence": "CC-BY-NC-4.0", "precision": "exact", "summary": "", "period_approximate": False}
                   for i in range(args.files // 2)]
        db.session.execute(insert(Story), stories)
        rows = []
        for n in range(args.files):
            data = os.urandom(args.kb * 1024)
            sha = hashlib.sha256(data).hexdigest()
            path = root / key_for(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            rows.append({"story_id": n // 2 + 1, "kind": "image", "mime": "image/jpeg", "sha256": sha,
                         "size": len(data), "storage_key": key_for(sha), "position": n % 2, "caption": "",
                         "alt_text": "", "tags": {}, "processing": "ready", "has_personal_metadata": False})
        db.session.execute(insert(Media), rows)
        db.session.commit()
        service.rebuild()
        total_mb = args.files * args.kb / 1024
        print(f"archive: {args.files} files ({total_mb:.0f} MB) built in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        report = check()
        took = time.perf_counter() - started
        print(f"fixity: {report.checked} files in {took:.1f} s ({total_mb / took:.0f} MB/s), clean={report.clean}")

        def latencies(seconds: float, stop: threading.Event | None = None) -> list[float]:
            client = app.test_client()
            values, end = [], time.perf_counter() + seconds
            while time.perf_counter() < end and not (stop and stop.is_set()):
                t = time.perf_counter()
                client.get("/api/v1/search?q=ducasse&per_page=20")
                values.append((time.perf_counter() - t) * 1000)
            return values

        baseline = latencies(8)
        results: list[float] = []
        stop = threading.Event()

        def searcher() -> None:
            with app.app_context():
                results.extend(latencies(3600, stop))

        thread = threading.Thread(target=searcher)
        thread.start()
        started = time.perf_counter()
        manifest = backup(work / "backup")
        took = time.perf_counter() - started
        stop.set()
        thread.join()
        print(f"backup: {len(manifest['files'])} files in {took:.1f} s ({total_mb / took:.0f} MB/s), "
              f"problems={len(manifest['problems'])}")

        def p(values, q):
            values = sorted(values)
            return values[min(len(values) - 1, int(q * len(values)))]

        print(f"search latency alone:        p50 {statistics.median(baseline):.1f} ms, p95 {p(baseline, 0.95):.1f} ms "
              f"({len(baseline)} searches)")
        print(f"search latency during backup: p50 {statistics.median(results):.1f} ms, p95 {p(results, 0.95):.1f} ms "
              f"({len(results)} searches)")


if __name__ == "__main__":
    main()
