"""Revision ids fit PostgreSQL's alembic_version column (VARCHAR(32)), and there is one head."""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def test_revision_ids_fit_alembic_version_on_postgresql():
    ids = {}
    for path in VERSIONS.glob("*.py"):
        text = path.read_text()
        revision = re.search(r"^revision = ['\"]([^'\"]+)['\"]", text, re.M).group(1)
        down = re.search(r"^down_revision = (?:['\"]([^'\"]+)['\"]|None)", text, re.M).group(1)
        assert len(revision) <= 32, f"{path.name}: revision id {revision!r} is over 32 characters"
        ids[revision] = down
    heads = set(ids) - set(ids.values())
    assert len(heads) == 1, f"several heads: {sorted(heads)}"
