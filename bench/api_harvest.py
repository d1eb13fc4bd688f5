"""The API for programs on a large archive: list pages, story detail, exports and a full OAI-PMH harvest.

Usage: python bench/api_harvest.py [--stories 5000] [--runs 20]

Creates --stories published public stories (each with a place, a theme, a narrator
and a period, as imported archives have) in a temporary home, without media, then
measures as a visitor:
  - p50/p95 of GET /api/v1/stories (page 1 and a deep page), /api/v1/stories/<id>,
    and a 304 answer to If-None-Match;
  - /api/v1/exports/stories.csv and .json of the whole archive: seconds and megabytes;
  - a whole ListRecords harvest following resumption tokens (page size 100):
    seconds, pages, records per second, and the slowest page.
Target: list pages p95 < 150 ms; a 5,000-story harvest in under 60 s.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _latency(client, url: str, runs: int, headers=None, status=200) -> tuple[float, float]:
    client.get(url, headers=headers)  # warm-up
    times = []
    for _ in range(runs):
        took, response = _timed(lambda: client.get(url, headers=headers))
        assert response.status_code == status, (url, response.status_code)
        times.append(took * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def _fill(count: int) -> None:
    from memoire.extensions import db
    from memoire.places.operations import find_or_create_place
    from memoire.stories import operations as ops
    from memoire.stories.periods import Period

    places = [
        find_or_create_place(
            None,
            name=f"Quartier {n}",
            type="quartier",
            parent="Valenciennes",
            lat=50.35 + n / 1000,
            lon=3.52 + n / 1000,
        )
        for n in range(20)
    ]
    for n in range(count):
        decade = 1930 + (n % 8) * 10
        ops.create_story(
            None,
            ops.StoryInput(
                title=f"Souvenir n°{n}",
                summary="Un souvenir du quartier",
                body="Texte " * 80,
                kind="anecdote",
                period=Period(decade, decade + 9),
                themes=[f"Thème {n % 12}"],
                narrators=[ops.NarratorInput(name=f"Narrateur {n % 300}")],
                places=[(places[n % len(places)], "happened")],
                visibility="public",
                status="published",
                consent=ops.ConsentInput(given_by="bench", online_publication=True),
            ),
        )
        if n % 500 == 499:
            db.session.commit()
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from memoire import create_app
    from memoire.core.cli import init_archive

    home = Path(tempfile.mkdtemp(prefix="bench-api-"))
    app = create_app(
        {
            "HOME": str(home),
            "MEDIA_DIR": str(home / "media"),
            "SECRET_KEY": "bench",
            "INDEX_AFTER_COMMIT": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        init_archive()
        took, _ = _timed(lambda: _fill(args.stories))
        print(f"{args.stories} stories created in {took:.1f} s")
        client = app.test_client()
        deep = max(1, args.stories // 20 - 1)
        for url in (
            "/api/v1/stories",
            f"/api/v1/stories?page={deep}",
            "/api/v1/stories?decade=1960&per_page=100",
            "/api/v1/stories/1",
        ):
            p50, p95 = _latency(client, url, args.runs)
            print(f"GET {url:<45} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
        etag = client.get("/api/v1/stories").headers["ETag"]
        p50, p95 = _latency(
            client, "/api/v1/stories", args.runs, {"If-None-Match": etag}, status=304
        )
        print(f"GET /api/v1/stories (304){'':<24} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
        for fmt in ("csv", "json"):
            took, response = _timed(lambda f=fmt: client.get(f"/api/v1/exports/stories.{f}"))
            print(
                f"export stories.{fmt}: {took:.2f} s, {len(response.data) / 1e6:.1f} MB, "
                f"truncated={response.headers['X-Export-Truncated']}"
            )

        started, pages, records, slowest = time.perf_counter(), 0, 0, 0.0
        query = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
        while True:
            took, response = _timed(lambda q=query: client.get("/oai", query_string=q))
            slowest = max(slowest, took)
            pages += 1
            records += response.data.count(b"<record>")
            match = TOKEN.search(response.data)
            if not match:
                break
            query = {"verb": "ListRecords", "resumptionToken": match.group(1).decode()}
        total = time.perf_counter() - started
        print(
            f"OAI-PMH ListRecords harvest: {records} records, {pages} pages in {total:.1f} s "
            f"({records / total:.0f} records/s, slowest page {slowest * 1000:.0f} ms)"
        )
    print(f"\narchive kept in {home}")


if __name__ == "__main__":
    main()
