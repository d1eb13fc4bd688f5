"""Exhibitions on the demo archive: page, JSON and IIIF latency, and the offline bundle's build time.

Usage: python bench/exhibition_bundle.py [--items 30] [--runs 20] [--keep DIR]

Loads the demo archive (`memoire demo`: its stories, photos, recordings and the
"memoires-de-la-mine" exhibition) into a temporary home, then builds a second
exhibition of --items items by cycling through the demo exhibition's items (each
with its photo or audio excerpt). Measures, for both:
  - `memoire exhibition import` of the demo file (seconds);
  - p50/p95 of GET /exhibitions/<slug>, /api/v1/exhibitions/<slug> and
    /api/v1/exhibitions/<slug>/manifest.json as a visitor, over --runs runs after a warm-up;
  - `build_bundle` (BagIt, SHA-256, excerpts cut by ffmpeg): seconds, files, megabytes,
    and `bagit.Bag.validate()` time on the unzipped bag.
Target: a 30-item bundle in under 30 s on one core; pages p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _latency(client, url: str, runs: int) -> tuple[float, float]:
    client.get(url)  # warm-up
    times = []
    for _ in range(runs):
        took, response = _timed(lambda: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        times.append(took * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep the bundles in this folder")
    args = parser.parse_args()

    import bagit

    from memoire import create_app
    from memoire.core.cli import init_archive
    from memoire.demo import loader
    from memoire.exhibitions import operations as ops
    from memoire.exhibitions.bundle import build_bundle
    from memoire.extensions import db

    home = Path(tempfile.mkdtemp(prefix="bench-exhibition-"))
    app = create_app({"HOME": str(home), "MEDIA_DIR": str(home / "media"), "SECRET_KEY": "bench"})
    out_dir = args.keep or home / "bundles"
    out_dir.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        init_archive()
        took, _ = _timed(loader.load_demo)
        print(f"demo archive loaded in {took:.1f} s")
        took, report = _timed(
            lambda: ops.import_exhibition_file(None, loader.DEMO_DIR / "exhibition.json")
        )
        db.session.commit()
        print(
            f"exhibition import (re-import of the demo file): {took * 1000:.0f} ms, "
            f"{report.added} items, {len(report.refused)} refused"
        )
        demo = ops.get_exhibition("memoires-de-la-mine")

        big = ops.create_exhibition(
            None, ops.ExhibitionInput(title="Banc d'essai", slug="banc-essai")
        )
        sources = list(demo.items)
        for n in range(args.items):
            source = sources[n % len(sources)]
            excerpt = ops.Excerpt(source.excerpt_start, source.excerpt_end, source.photo_media_id)
            ops.add_item(
                None, big, source.story, caption=f"{n + 1}. {source.caption}", excerpt=excerpt
            )
        ops.publish_exhibition(None, big)
        db.session.commit()

        client = app.test_client()
        for exhibition in (demo, big):
            slug = exhibition.slug
            print(f"\n{slug}: {len(exhibition.items)} items")
            for url in (
                f"/exhibitions/{slug}",
                f"/api/v1/exhibitions/{slug}",
                f"/api/v1/exhibitions/{slug}/manifest.json",
            ):
                p50, p95 = _latency(client, url, args.runs)
                print(f"  GET {url:<50} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
            target = out_dir / f"{slug}.zip"
            took, bundle = _timed(lambda e=exhibition, t=target: build_bundle(e, t))
            print(
                f"  bundle: {took:.2f} s, {bundle.files} files, {bundle.size / 1e6:.1f} MB "
                f"({took / max(1, bundle.items):.2f} s per item)"
            )
            unzipped = home / "unzipped" / slug
            with zipfile.ZipFile(target) as archive:
                archive.extractall(unzipped)
            took, _ = _timed(lambda u=unzipped, s=slug: bagit.Bag(str(u / s)).validate())
            print(f"  bagit validate: {took:.2f} s")
    print(f"\narchive kept in {home}")


if __name__ == "__main__":
    main()
