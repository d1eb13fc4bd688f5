"""Fixity: re-read every stored file, compare its SHA-256, and report — never repair."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from memoire.core.db import utcnow
from memoire.core.storage import get_storage
from memoire.extensions import db
from memoire.media.models import Derivative, Media
from memoire.preservation.models import FixityRun


@dataclass
class FixityReport:
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.changed or self.missing or self.untracked)


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def tracked_files() -> dict[str, str]:
    """storage key -> expected SHA-256, for every original, derivative and consent scan."""
    keys: dict[str, str] = {}
    for key, sha in db.session.execute(select(Media.storage_key, Media.sha256)):
        keys[key] = sha
    for key, sha in db.session.execute(select(Derivative.storage_key, Derivative.sha256)):
        keys[key] = sha
    from memoire.network.models import ConsentScan  # scanned consent forms: kept files too

    for key, sha in db.session.execute(select(ConsentScan.storage_key, ConsentScan.sha256)):
        keys[key] = sha
    return keys


def check() -> FixityReport:
    storage = get_storage()
    report = FixityReport()
    expected = tracked_files()
    for key, sha in sorted(expected.items()):
        report.checked += 1
        if not storage.exists(key):
            report.missing.append(key)
        elif file_sha256(storage.path(key)) != sha:
            report.changed.append(key)
    report.untracked = sorted(set(storage.keys()) - set(expected))
    return report


def run_fixity() -> tuple[FixityReport, FixityRun]:
    """Check and record the run (the CLI commits): a schedule leaves a history."""
    run = FixityRun(started_at=utcnow())
    report = check()
    run.finished_at = utcnow()
    run.checked, run.changed = report.checked, len(report.changed)
    run.missing, run.untracked = len(report.missing), len(report.untracked)
    run.findings = (
        [{"key": k, "finding": "changed"} for k in report.changed]
        + [{"key": k, "finding": "missing"} for k in report.missing]
        + [{"key": k, "finding": "untracked"} for k in report.untracked]
    )[:10_000]
    db.session.add(run)
    db.session.flush()
    return report, run
