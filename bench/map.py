"""Time and bytes of the map of memories' GeoJSON (/api/v1/map.geojson) for 20,000 stories.

Usage: python bench/map.py [--stories 20000] [--runs 7]

Stories keep their public point (memoire.maps.points); the same request with every point
coarsened per request (as before they were stored) is measured too, and must give the
same body.

Builds a temporary archive (migrated SQLite) with Core inserts: 600 places around
Valenciennes and Mons (communes, quartiers, streets), 10 themes, the stories (60 %
exact, 25 % street, 15 % quartier precision; one or two places and themes each;
a photo with a thumbnail for a third of them), then asks the endpoint as a visitor:
  - uncached: the process cache emptied before each request;
  - cached: the same request again (the archive's version checked, body from memory);
  - revalidated: If-None-Match with the ETag (304, no body);
  - the generation read alone (memoire.stories.generation: one row per audience), which
    is all a revalidation (304) costs.
Prints medians and the body size raw and gzipped.
Targets: uncached < 200 ms, cached < 10 ms, gzipped < 1 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = (
    "fosse mine terril coron école ducasse fanfare usine gare canal verrerie laminoir "
    "kermesse marché boulangerie café estaminet procession carnaval grève pigeon colombophile "
    "jardin ouvrier cité église chapelle rue place quartier mineur porion galibot lampe "
    "chevalement cavalier briqueterie sucrerie tram Escaut Dutemple Epinlieu Nimy Jemappes"
).split()
THEMES = [
    "mine",
    "ecole",
    "fetes",
    "travail",
    "commerces",
    "migrations",
    "sport",
    "religion",
    "guerre",
    "transports",
]


def _title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(3, 7))
    return " ".join(words).capitalize()


def build_archive(app, count: int, seed: int = 7) -> None:
    """Insert places, themes and `count` public stories with Core inserts."""
    from sqlalchemy import insert

    from memoire.core.db import utcnow
    from memoire.extensions import db
    from memoire.media.models import Derivative, Media
    from memoire.places.models import Place
    from memoire.stories.models import Story, StoryPlace, Theme, story_themes

    rng = random.Random(seed)
    now = utcnow()
    places = []
    centres = [
        ("Valenciennes", 50.357, 3.523),
        ("Mons", 50.454, 3.952),
        ("Denain", 50.329, 3.395),
        ("Vieux-Condé", 50.460, 3.568),
        ("Onnaing", 50.389, 3.597),
    ]
    pid = 0
    quartiers = []
    streets = []
    for name, lat, lon in centres:
        pid += 1
        commune = pid
        places.append(
            {"id": pid, "name": name, "type": "commune", "lat": lat, "lon": lon, "parent_id": None}
        )
        for q in range(12):
            pid += 1
            qlat, qlon = lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.03, 0.03)
            places.append(
                {
                    "id": pid,
                    "name": f"{name} quartier {q}",
                    "type": "quartier",
                    "lat": qlat,
                    "lon": qlon,
                    "parent_id": commune,
                }
            )
            quartiers.append(pid)
            for s in range(9):
                pid += 1
                places.append(
                    {
                        "id": pid,
                        "name": f"Rue {rng.choice(WORDS)} {s}",
                        "type": "street",
                        "lat": qlat + rng.uniform(-0.004, 0.004),
                        "lon": qlon + rng.uniform(-0.006, 0.006),
                        "parent_id": pid - s - 1,
                    }
                )
                streets.append(pid)
    for row in places:
        row.update(other_names=[], description="", created_at=now, updated_at=now)
    db.session.execute(insert(Place), places)
    db.session.execute(
        insert(Theme),
        [
            {"id": i + 1, "slug": t, "name": t.capitalize(), "names": {}}
            for i, t in enumerate(THEMES)
        ],
    )
    by_id = {p["id"]: p for p in places}
    stories, links, themes, media, derivatives = [], [], [], [], []
    for sid in range(1, count + 1):
        precision = rng.choices(["exact", "street", "quartier"], [60, 25, 15])[0]
        street = by_id[rng.choice(streets)]
        start = rng.choice([None, *range(1930, 2020)])
        decade = start is not None and rng.random() < 0.3
        stories.append(
            {
                "id": sid,
                "title": _title(rng),
                "summary": "",
                "body": "",
                "kind": rng.choice(["oral_history", "photo", "anecdote", "heritage"]),
                "language": "fr",
                "period_start": start - start % 10 if decade else start,
                "period_end": (start - start % 10 + 9) if decade else start,
                "period_text": None,
                "period_approximate": False,
                "precision": precision,
                "lat": street["lat"] + rng.uniform(-0.0005, 0.0005) if rng.random() < 0.7 else None,
                "lon": street["lon"] + rng.uniform(-0.0008, 0.0008),
                "visibility": "public",
                "status": "published",
                "licence": "CC-BY-NC-4.0",
                "created_at": now,
                "updated_at": now,
                "published_at": now,
            }
        )
        if stories[-1]["lat"] is None:
            stories[-1]["lon"] = None
        links.append({"story_id": sid, "place_id": street["id"], "role": "happened", "position": 0})
        if rng.random() < 0.3:
            links.append(
                {"story_id": sid, "place_id": rng.choice(quartiers), "role": "told", "position": 1}
            )
        for slug_id in rng.sample(range(1, len(THEMES) + 1), rng.randint(1, 2)):
            themes.append({"story_id": sid, "theme_id": slug_id})
        if rng.random() < 0.33:
            mid = len(media) + 1
            sha = f"{rng.getrandbits(256):064x}"
            media.append(
                {
                    "id": mid,
                    "story_id": sid,
                    "kind": "image",
                    "position": 0,
                    "caption": "",
                    "alt_text": "Photo",
                    "storage_key": f"o/{sha}",
                    "sha256": sha,
                    "size": 1,
                    "mime": "image/jpeg",
                    "has_personal_metadata": False,
                    "tags": {},
                    "processing": "ready",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            tsha = f"{rng.getrandbits(256):064x}"
            derivatives.append(
                {
                    "id": mid,
                    "media_id": mid,
                    "role": "thumbnail",
                    "storage_key": f"d/{tsha}",
                    "sha256": tsha,
                    "size": 1,
                    "mime": "image/jpeg",
                    "width": 320,
                    "height": 240,
                }
            )
    db.session.execute(insert(Story), stories)
    db.session.execute(insert(StoryPlace), links)
    db.session.execute(insert(story_themes), themes)
    if media:
        db.session.execute(insert(Media), media)
        db.session.execute(insert(Derivative), derivatives)
    db.session.commit()


def measure(app, runs: int) -> dict:
    import gzip

    from memoire.extensions import db
    from memoire.maps.geojson import get_cache
    from memoire.stories import generation

    with db.engine.begin() as connection:
        generation.bump(connection)  # Core inserts bypass the ORM: bulk writers bump themselves
    client = app.test_client()
    headers = {"Accept-Encoding": "gzip"}
    uncached, uncached_cpu, cached, revalidated, version = [], [], [], [], []
    computed, computed_build = [], []
    # Before stored points: every point coarsened per request (the same endpoint, patched).
    import functools

    import memoire.api.maps as api_maps
    from memoire.maps.geojson import stories_geojson as build_stories

    api_maps.stories_geojson = functools.partial(build_stories, stored=False)
    try:
        for _ in range(runs):
            get_cache(app).clear()
            started = time.perf_counter()
            response = client.get("/api/v1/map.geojson", headers=headers)
            computed.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    finally:
        api_maps.stories_geojson = build_stories
    computed_body = gzip.decompress(response.get_data())
    response = None
    for _ in range(runs):
        get_cache(app).clear()
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get("/api/v1/map.geojson", headers=headers)
        uncached.append(time.perf_counter() - started)
        uncached_cpu.append(time.process_time() - cpu)
        assert response.status_code == 200, response.status_code
    etag = response.headers["ETag"]
    for _ in range(runs * 5):
        started = time.perf_counter()
        again = client.get("/api/v1/map.geojson", headers=headers)
        cached.append(time.perf_counter() - started)
        assert again.status_code == 200
        started = time.perf_counter()
        not_modified = client.get("/api/v1/map.geojson", headers={**headers, "If-None-Match": etag})
        revalidated.append(time.perf_counter() - started)
        assert not_modified.status_code == 304
    build, encoding, compressing = [], [], []
    with app.test_request_context():
        from memoire.maps.geojson import GZIP_LEVEL, encode, stories_geojson
        for _ in range(runs):
            started = time.perf_counter()
            generation.counters()
            version.append(time.perf_counter() - started)
            started = time.process_time()
            stories_geojson(None, stored=False)
            computed_build.append(time.process_time() - started)
            started = time.process_time()
            collection = stories_geojson(None)
            build.append(time.process_time() - started)
            started = time.process_time()
            body = encode(collection)
            encoding.append(time.process_time() - started)
            started = time.process_time()
            gzip.compress(body, GZIP_LEVEL, mtime=0)
            compressing.append(time.process_time() - started)
    gzipped = response.get_data()
    raw = gzip.decompress(gzipped)
    assert raw == computed_body, "stored points must give the same map as coarsening per request"
    return {
        "computed_ms": statistics.median(computed) * 1000,
        "computed_build_ms": statistics.median(computed_build) * 1000,
        "uncached_ms": statistics.median(uncached) * 1000,
        "uncached_cpu_ms": statistics.median(uncached_cpu) * 1000,
        "cached_ms": statistics.median(cached) * 1000,
        "cached_max_ms": max(cached) * 1000,
        "revalidated_ms": statistics.median(revalidated) * 1000,
        "generation_ms": statistics.median(version) * 1000,
        "build_ms": statistics.median(build) * 1000,
        "encode_ms": statistics.median(encoding) * 1000,
        "gzip_ms": statistics.median(compressing) * 1000,
        "raw_bytes": len(raw),
        "gzip_bytes": len(gzipped),
        "features": raw.count(b'"type":"Feature"'),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from memoire import create_app
    from memoire.extensions import db

    with tempfile.TemporaryDirectory() as home:
        app = create_app(
            {
                "HOME": home,
                "MEDIA_DIR": f"{home}/media",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            started = time.perf_counter()
            build_archive(app, args.stories)
            print(
                f"archive of {args.stories} stories built in {time.perf_counter() - started:.1f} s"
            )
            from memoire.maps.points import backfill_public_points

            # Core inserts bypass the listener that keeps stories' public points.
            started = time.perf_counter()
            placed = backfill_public_points(db.session.connection())
            db.session.commit()
            backfill_s = time.perf_counter() - started
            print(f"public points backfilled  {placed} stories in {backfill_s:.2f} s")
            figures = measure(app, args.runs)
            db.session.remove()
            db.engine.dispose()
    print(f"features                  {figures['features']}")
    print(
        f"uncached (median)         {figures['uncached_ms']:.1f} ms   target < 200 ms "
        f"(CPU time {figures['uncached_cpu_ms']:.1f} ms: the wall time less waiting for a busy machine)"
    )
    print(
        f"uncached, points coarsened per request (before stored points, median) "
        f"{figures['computed_ms']:.1f} ms; build alone {figures['computed_build_ms']:.0f} ms "
        f"against {figures['build_ms']:.0f} ms with stored points (CPU time)"
    )
    print(
        f"cached (median)           {figures['cached_ms']:.2f} ms   target < 10 ms "
        f"(max {figures['cached_max_ms']:.1f} ms)"
    )
    print(f"revalidated, 304 (median) {figures['revalidated_ms']:.2f} ms")
    print(
        f"generation read           {figures['generation_ms']:.2f} ms (every request; "
        f"before, a fingerprint of nine tables: ~210 ms CPU at 20,000 stories after any change)"
    )
    print(
        f"  uncached, of which        build (SQL, points) {figures['build_ms']:.0f} ms, "
        f"JSON {figures['encode_ms']:.0f} ms, gzip {figures['gzip_ms']:.0f} ms "
        f"(CPU time, medians)"
    )
    print(f"body raw                  {figures['raw_bytes'] / 1e6:.2f} MB")
    print(f"body gzipped              {figures['gzip_bytes'] / 1e6:.3f} MB   target < 1 MB")
    print(
        f"load average              {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
