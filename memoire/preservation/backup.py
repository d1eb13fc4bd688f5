"""Consistent backups while the archive runs, and restore into an empty home.

SQLite is copied with its online backup API (a consistent snapshot even while
requests write); PostgreSQL with pg_dump. Media are copied with their checksums
verified on the way, and a manifest lists every file.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from memoire.core.db import utcnow
from memoire.core.errors import ValidationError
from memoire.core.storage import get_storage
from memoire.extensions import db
from memoire.preservation.fixity import tracked_files

MANIFEST = "manifest.json"


def _sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _copy_hashing(src: Path, dest: Path) -> str:
    digest = hashlib.sha256()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(src, "rb") as fin, open(dest, "wb") as fout:
        while chunk := fin.read(1024 * 1024):
            digest.update(chunk)
            fout.write(chunk)
    return digest.hexdigest()


def backup(dest: Path) -> dict:
    """Write a consistent copy of the database and the media to `dest` (must be empty)."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise ValidationError(_l("The backup folder must be empty."))
    dest.mkdir(parents=True, exist_ok=True)
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    # The media list is taken first: files named by the database snapshot taken next
    # are all in it or added after; content-addressed files are never rewritten.
    if url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(dest / "memoire.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
        database = "memoire.sqlite3"
        snapshot_url = f"sqlite:///{dest / 'memoire.sqlite3'}"
    else:
        pg_url = url.replace("postgresql+psycopg://", "postgresql://")
        with open(dest / "memoire.pgdump", "wb") as out:
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", pg_url], stdout=out, check=True)
        database = "memoire.pgdump"
        snapshot_url = None
    expected = _expected_files(snapshot_url)
    storage = get_storage()
    files, problems = [], []
    for key, sha in sorted(expected.items()):
        if not storage.exists(key):
            problems.append({"key": key, "problem": "missing"})
            continue
        copied = _copy_hashing(storage.path(key), dest / "media" / key)
        if copied != sha:
            problems.append({"key": key, "problem": "changed"})
        files.append({"key": key, "sha256": copied})
    manifest = {
        "format": "memoire-backup/1",
        "created_at": utcnow().isoformat() + "Z",
        "database": database,
        "files": files,
        "problems": problems,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def _expected_files(snapshot_url: str | None) -> dict[str, str]:
    if snapshot_url is None:
        return tracked_files()
    from sqlalchemy import create_engine

    from memoire.media.models import Derivative, Media
    from memoire.network.models import ConsentScan

    engine = create_engine(snapshot_url)
    try:
        with engine.connect() as conn:
            rows = list(conn.execute(select(Media.storage_key, Media.sha256)))
            rows += list(conn.execute(select(Derivative.storage_key, Derivative.sha256)))
            rows += list(conn.execute(select(ConsentScan.storage_key, ConsentScan.sha256)))
    finally:
        engine.dispose()
    return dict(rows)


def restore(src: Path) -> dict:
    """Restore a backup into this app's (empty) home and media folder, then rebuild the index."""
    src = Path(src)
    manifest_path = src / MANIFEST
    if not manifest_path.exists():
        raise ValidationError(_l("This folder is not a memoire backup (no manifest)."))
    manifest = json.loads(manifest_path.read_text())
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    storage = get_storage()
    if any(storage.keys()):
        raise ValidationError(_l("Restore needs an empty media folder."))
    if manifest["database"] == "memoire.sqlite3":
        if not url.startswith("sqlite"):
            raise ValidationError(_l("This backup is of a SQLite archive."))
        target = _sqlite_path(url)
        db.engine.dispose()
        if target.exists() and target.stat().st_size > 0:
            has_rows = sqlite3.connect(target).execute(
                "select count(*) from sqlite_master where name='story'").fetchone()[0]
            if has_rows and sqlite3.connect(target).execute("select count(*) from story").fetchone()[0]:
                raise ValidationError(_l("Restore needs an empty archive."))
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(src / "memoire.sqlite3", target)
    else:
        pg_url = url.replace("postgresql+psycopg://", "postgresql://")
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", pg_url,
                        str(src / "memoire.pgdump")], check=True)
    bad = []
    for entry in manifest["files"]:
        copied = _copy_hashing(src / "media" / entry["key"], storage.path(entry["key"]))
        if copied != entry["sha256"]:
            bad.append(entry["key"])
    if bad:
        raise ValidationError(_l("%(n)s files of the backup do not match their checksum.", n=len(bad)))
    return manifest
