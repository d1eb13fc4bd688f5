"""`memoire media purge`: what a killed upload leaves in media/tmp goes, committed files whose
move a crash interrupted are put in place, and uploads in progress are left alone."""

from __future__ import annotations

import io
import os
import time

from memoire.core.storage import get_storage
from memoire.extensions import db
from memoire.media import operations as media_ops
from tests.conftest import jpeg_bytes


def test_leftovers_of_a_killed_upload_are_removed(app, runner, create_story):
    storage = get_storage()
    staged = storage.stage(io.BytesIO(b"half an upload"))  # staged, never committed
    (storage.tmp / "derive-abc").mkdir()
    (storage.tmp / "derive-abc" / "display.jpg").write_bytes(b"x")
    old = time.time() - 3 * 24 * 3600  # older than any grace period
    for path in (staged.path, storage.tmp / "derive-abc"):
        os.utime(path, (old, old))
    fresh = storage.stage(io.BytesIO(b"an upload still in progress"))

    result = runner.invoke(args=["media", "purge"])
    assert result.exit_code == 0, result.output
    assert "2 temporary file(s) removed" in result.output
    assert not staged.path.exists() and not (storage.tmp / "derive-abc").exists()
    assert fresh.path.exists()  # younger than the grace period
    assert runner.invoke(args=["media", "purge", "--older-than", "0"]).exit_code == 0
    assert list(storage.temporary_files()) == []


def test_a_move_interrupted_after_commit_is_finished(app, runner, create_story):
    story = create_story("La photo du terril")
    media = media_ops.add_media(None, story, io.BytesIO(jpeg_bytes()), caption="Le terril")
    db.session.commit()
    storage = get_storage()
    final = storage.path(media.storage_key)
    # The crash: committed, but the original is still at its temporary name.
    os.replace(final, storage.tmp / f"{media.sha256}.0123456789abcdef")
    assert "missing" in runner.invoke(args=["fixity"]).output

    result = runner.invoke(args=["media", "purge", "--older-than", "0"])
    assert result.exit_code == 0 and "1 file(s) moved into place" in result.output
    assert final.exists()
    fixity = runner.invoke(args=["fixity"])
    assert fixity.exit_code == 0, fixity.output
