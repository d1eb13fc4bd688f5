"""Page weights and time to first paint of a first visit, on a phone on a slow connection.

Usage: python bench/first_visit.py [--runs 3] [--profile slow4g|3g]

Loads the demo archive into a temporary home (as `memoire demo` does), serves it on
127.0.0.1 with a thread, and opens each page of the walk in Debian's Chromium at 360×740
with the network throttled by the DevTools protocol (slow 4G: 150 ms latency, 1.6 Mbit/s
down, 750 kbit/s up; 3G: 300 ms, 400 kbit/s, 400 kbit/s) and a 4× slower CPU, with an
empty cache each time (a first visit). Map tiles are refused (the figures are the
archive's own bytes, not OpenStreetMap's). For each page: bytes transferred (all
requests, compressed as sent), number of requests, first paint, first contentful paint
and the load event, as medians of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROFILES = {
    "slow4g": {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8},
    "3g": {"latency": 300, "downloadThroughput": 400e3 / 8, "uploadThroughput": 400e3 / 8},
}


def serve(home: Path):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from memoire import create_app
    from memoire.core.storage import get_storage
    from memoire.demo.loader import load_demo
    from memoire.extensions import db
    from memoire.search import service

    app = create_app({"HOME": str(home), "MEDIA_DIR": str(home / "media"), "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        get_storage().ensure()
        upgrade(directory=app.extensions["migrate"].directory)
        service.ensure_index()
        load_demo()
        db.session.commit()
        from sqlalchemy import select

        from memoire.media.models import Media
        from memoire.stories.models import Story

        story_id = db.session.scalar(
            select(Story.id).join(Media, Media.story_id == Story.id).where(
                Story.status == "published", Story.visibility == "public", Media.kind == "audio"
            ).limit(1)
        )
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}", story_id


def measure(browser, url: str, profile: dict) -> dict:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    base = url.split("/", 3)[:3]
    origin = "/".join(base)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin) else r.abort())
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **profile})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_timeout(1500)  # scripts loaded on demand (maps, player) after the load event
    timing = page.evaluate("""() => {
        const paint = Object.fromEntries(performance.getEntriesByType('paint').map(p => [p.name, p.startTime]));
        const nav = performance.getEntriesByType('navigation')[0];
        return {fp: paint['first-paint'], fcp: paint['first-contentful-paint'], load: nav.loadEventEnd};
    }""")
    context.close()
    return {"bytes": sum(sizes.values()), "requests": len(sizes), **timing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="slow4g")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server, root, story_id = serve(Path(tmp))
        pages = {
            "home": "/",
            "all memories": "/memories",
            "search": "/search?q=fosse",
            "story (player)": f"/stories/{story_id}",
            "shared moment": f"/stories/{story_id}?t=30",
            "map": "/map",
            "sign up": "/account/signup",
        }
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            print(f"profile {args.profile}, CPU ×4, 360×740, empty cache, medians of {args.runs}")
            print(f"{'page':<16} {'KiB':>7} {'req':>4} {'FP ms':>7} {'FCP ms':>7} {'load ms':>8}")
            for name, path in pages.items():
                runs = [measure(browser, root + path, PROFILES[args.profile]) for _ in range(args.runs)]
                med = {k: statistics.median(r[k] or 0 for r in runs) for k in runs[0]}
                print(f"{name:<16} {med['bytes'] / 1024:7.1f} {med['requests']:4.0f} "
                      f"{med['fp']:7.0f} {med['fcp']:7.0f} {med['load']:8.0f}")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
