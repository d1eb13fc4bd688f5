"""The offline bundle of a walk: the exhibition bundle's BagIt bag, with a walk inside.

Same pieces as `memoire.exhibitions.bundle` (its BundleLinks copy derivatives and cut
each excerpt, its zip and bag lock, its site context): only the payload differs —
data/walk.json, data/walk.geojson and data/index.html, an ordered list of stops with a
route drawn from the stops' public points (no tiles: no network), their text and excerpt.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import bagit
from flask import current_app, render_template, url_for

from memoire.exhibitions.bundle import (
    _BAG_LOCK,
    DEFAULT_ORGANISATION,
    BundleLinks,
    BundleReport,
    _site_context,
    _zip,
)
from memoire.walks.models import Walk
from memoire.walks.presenters import walk_document, walk_geojson

STATIC_FILES = ("css/memoire.css", "css/walk.css", "js/player.js", "js/exhibition.js", "js/walk.js")


def route_drawing(stops: list[dict], size: int = 300, margin: int = 20) -> dict:
    """The stops' points projected into a square SVG box (north up), for the drawn map."""
    if not stops:
        return {"size": size, "points": []}
    lats = [s["point"]["lat"] for s in stops]
    lons = [s["point"]["lon"] for s in stops]
    span = max(max(lats) - min(lats), (max(lons) - min(lons)) * 0.64, 1e-4)
    scale = (size - 2 * margin) / span
    points = [
        (
            round(margin + (lon - min(lons)) * 0.64 * scale, 1),
            round(size - margin - (lat - min(lats)) * scale, 1),
        )
        for lat, lon in zip(lats, lons, strict=True)
    ]
    return {"size": size, "points": points}


def build_walk_bundle(walk: Walk, out_path: str | Path) -> BundleReport:
    """Write the walk's offline BagIt bundle as a zip at `out_path` (only the stops shown now)."""
    out_path = Path(out_path).resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="walk-bag-"))
    try:
        root = work / walk.slug
        root.mkdir()
        with _site_context():
            document = walk_document(walk, BundleLinks(root))
            source = url_for("walks.show", slug=walk.slug, _external=True)
            generated = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            payload = {**document, "source": source, "generated_at": generated}
            (root / "walk.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2))
            (root / "walk.geojson").write_text(
                json.dumps(walk_geojson(document), ensure_ascii=False)
            )
            html = render_template(
                "walks/offline.html",
                doc=document,
                drawing=route_drawing(document["stops"]),
                source=source,
                generated_at=generated,
            )
            (root / "index.html").write_text(html, encoding="utf-8")
        static_root = Path(current_app.static_folder)
        for name in STATIC_FILES:
            target = root / "static" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(static_root / name, target)
        info = {
            "Source-Organization": str(
                current_app.config.get("MEMOIRE_SOURCE_ORGANIZATION", DEFAULT_ORGANISATION)
            ),
            "External-Description": walk.title,
            "External-Identifier": source,
            "Bagging-Date": datetime.now(UTC).date().isoformat(),
            "Title": walk.title,
        }
        with _BAG_LOCK:
            bagit.make_bag(str(root), info, checksums=["sha256"])
        files = _zip(root, out_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BundleReport(
        path=out_path, items=len(document["stops"]), files=files, size=out_path.stat().st_size
    )
