"""The offline bundle of an exhibition: a BagIt bag (RFC 8493) zipped, that plays with no network.

Layout inside the zip (one folder named after the exhibition's slug):

    bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    data/index.html           the exhibition, openable from the unzipped folder (file://)
    data/exhibition.json      the public document, with media as relative paths
    data/static/...           its CSS and JavaScript, copied from memoire/static
    data/media/...            display photos, thumbnails and audio excerpts

Only derivatives go in (never an original), audio is cut to each excerpt's range,
and the items are those the rule lets through at the moment the bundle is made.
"""

from __future__ import annotations

import contextlib
import json
import logging
import mimetypes
import os
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import bagit
import imageio_ffmpeg
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from memoire.config import public_base_url
from memoire.core.errors import MediaError
from memoire.core.storage import get_storage
from memoire.exhibitions.models import Exhibition
from memoire.exhibitions.presenters import SiteLinks, exhibition_document
from memoire.media.models import Derivative

log = logging.getLogger(__name__)

#: Files of memoire/static the offline page needs; it needs nothing else.
STATIC_FILES = (
    "css/memoire.css",
    "css/exhibition.css",
    "js/player.js",
    "js/exhibition.js",
    "js/kiosk.js",
)
DEFAULT_ORGANISATION = "Réseau Hainaut Solidaire — Mémoire"
#: Already compressed: stored as is in the zip.
_STORED_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".m4a", ".mp3", ".zip"}
# bagit.make_bag changes the working directory while it works: one bag at a time per process.
_BAG_LOCK = threading.Lock()


@dataclass(frozen=True)
class BundleReport:
    path: Path
    items: int
    files: int
    size: int


class BundleLinks(SiteLinks):
    """Media copied (or cut) into the bag's `media/` folder and addressed relatively; links out stay absolute."""

    def __init__(self, root: Path):
        super().__init__(external=True)
        self.root = root
        self.media_dir = root / "media"
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self.copied: dict[int, str] = {}

    def image(self, derivative: Derivative) -> str:
        if derivative.id not in self.copied:
            suffix = mimetypes.guess_extension(derivative.mime) or ".bin"
            name = f"{derivative.role}-{derivative.sha256[:16]}{suffix}"
            shutil.copyfile(get_storage().path(derivative.storage_key), self.media_dir / name)
            self.copied[derivative.id] = f"media/{name}"
        return self.copied[derivative.id]

    def audio(self, stream: Derivative, start: float, end: float) -> tuple[str, float]:
        name = f"excerpt-{stream.sha256[:12]}-{start:g}-{end:g}.m4a"
        target = self.media_dir / name
        if not target.exists():
            cut_excerpt(get_storage().path(stream.storage_key), target, start, end)
        return f"media/{name}", start


def cut_excerpt(source: Path, target: Path, start: float, end: float) -> Path:
    """Write seconds `start`..`end` of a (public, derivative) recording as mono AAC in .m4a."""
    partial = target.with_name(f".{target.name}.part")
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-y",
        "-protocol_whitelist",
        "file",
        "-ss",
        f"{start:.3f}",
        "-i",
        f"file:{Path(source).resolve()}",
        "-t",
        f"{end - start:.3f}",
        "-map",
        "0:a:0",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        f"file:{partial.resolve()}",
    ]
    try:
        result = subprocess.run(command, capture_output=True, check=False)
        if result.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
            log.warning(
                "ffmpeg could not cut %s: %s",
                source,
                result.stderr[-2000:].decode(errors="replace"),
            )
            raise MediaError(
                _l("An audio excerpt could not be cut for the bundle."), code="excerpt_failed"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


@contextlib.contextmanager
def _site_context() -> Iterator[None]:
    """A request context to build absolute URLs from the command line, on the archive's public address."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(
        "/", base_url=public_base_url()
    ):
        yield


def _bundle_locale(document: dict) -> str:
    supported = [c.strip() for c in str(current_app.config["MEMOIRE_LOCALES"]).split(",")]
    wanted = [c for c in document["languages"] if c in supported]
    return wanted[0] if wanted else str(current_app.config["MEMOIRE_DEFAULT_LOCALE"])


def _write_payload(exhibition: Exhibition, root: Path) -> tuple[dict, str]:
    links = BundleLinks(root)
    document = exhibition_document(exhibition, links)
    source_url = url_for("exhibitions.show", slug=exhibition.slug, _external=True)
    generated_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    bundle_document = {**document, "source": source_url, "generated_at": generated_at}
    (root / "exhibition.json").write_text(
        json.dumps(bundle_document, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    with force_locale(_bundle_locale(document)):
        html = render_template("exhibitions/offline.html", doc=document, generated_at=generated_at)
    (root / "index.html").write_text(html, encoding="utf-8")
    static_root = Path(current_app.static_folder)
    for name in STATIC_FILES:
        target = root / "static" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(static_root / name, target)
    return document, source_url


def _zip(bag_dir: Path, out_path: Path) -> int:
    """Zip the bag under a folder of its name; return how many files went in."""
    partial = out_path.with_name(f".{out_path.name}.part")
    count = 0
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(bag_dir.rglob("*")):
            if not path.is_file():
                continue
            stored = path.suffix.lower() in _STORED_SUFFIXES
            archive.write(
                path,
                f"{bag_dir.name}/{path.relative_to(bag_dir).as_posix()}",
                compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
            )
            count += 1
    os.replace(partial, out_path)
    return count


def build_bundle(exhibition: Exhibition, out_path: str | Path) -> BundleReport:
    """Write the exhibition's offline BagIt bundle as a zip at `out_path` (replaced whole, or untouched)."""
    out_path = Path(out_path).resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="exhibition-bag-"))
    try:
        bag_dir = work / exhibition.slug
        bag_dir.mkdir()
        with _site_context():
            document, source_url = _write_payload(exhibition, bag_dir)
        info = {
            "Source-Organization": str(
                current_app.config.get("MEMOIRE_SOURCE_ORGANIZATION", DEFAULT_ORGANISATION)
            ),
            "External-Description": exhibition.title,
            "External-Identifier": source_url,
            "Bagging-Date": datetime.now(UTC).date().isoformat(),
            "Title": exhibition.title,
        }
        with _BAG_LOCK:
            bagit.make_bag(str(bag_dir), info, checksums=["sha256"])
        files = _zip(bag_dir, out_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BundleReport(
        path=out_path, items=len(document["items"]), files=files, size=out_path.stat().st_size
    )
