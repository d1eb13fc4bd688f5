"""Fixity finds changed, missing and untracked files; backup and restore round-trip."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from memoire.extensions import db
from memoire.media.operations import add_media
from memoire.preservation.models import FixityRun
from memoire.stories.models import Story
from tests.conftest import jpeg_bytes, make_app


def _story_with_photo(create_story, title="Photo de la fosse", color=(10, 120, 200)):
    story = create_story(title)
    add_media(None, story, io.BytesIO(jpeg_bytes(color=color)), caption="Le chevalement")
    db.session.commit()
    return story


def test_fixity_clean_then_reports_each_finding(app, runner, create_story):
    story = _story_with_photo(create_story)
    result = runner.invoke(args=["fixity"])
    assert result.exit_code == 0, result.output
    assert "0 changed, 0 missing, 0 untracked" in result.output

    storage = app.extensions["memoire.storage"]
    media = story.media[0]
    original = storage.path(media.storage_key)
    original.write_bytes(original.read_bytes() + b"x")  # bit rot
    storage.path(media.derivatives[0].storage_key).unlink()  # lost file
    stray = storage.root / "ab" / "cd" / ("ab" + "c" * 62)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"who put this here")

    result = runner.invoke(args=["fixity"])
    assert result.exit_code == 1
    assert f"changed   {media.storage_key}" in result.output
    assert f"missing   {media.derivatives[0].storage_key}" in result.output
    assert "untracked ab/cd/" in result.output
    # Never repairs: the changed file is still changed.
    assert original.read_bytes().endswith(b"x")
    runs = db.session.scalars(select(FixityRun).order_by(FixityRun.id)).all()
    assert len(runs) == 2 and (runs[1].changed, runs[1].missing, runs[1].untracked) == (1, 1, 1)


def test_backup_and_restore_into_an_empty_home(app, runner, create_story, tmp_path, migrated_template):
    _story_with_photo(create_story, "Première", (200, 10, 10))
    _story_with_photo(create_story, "Seconde", (10, 200, 10))
    dest = tmp_path / "backup"
    result = runner.invoke(args=["backup", str(dest)])
    assert result.exit_code == 0, result.output
    assert (dest / "manifest.json").exists() and (dest / "memoire.sqlite3").exists()

    other = make_app(tmp_path / "restored")
    other_runner = other.test_cli_runner()
    # The CLI runs in the current app context: enter the restored app's.
    with other.app_context():
        result = other_runner.invoke(args=["restore", str(dest)])
        assert result.exit_code == 0, result.output
        titles = sorted(db.session.scalars(select(Story.title)))
        assert titles == ["Première", "Seconde"]
        fixity = other_runner.invoke(args=["fixity"])
        assert fixity.exit_code == 0, fixity.output
        verify = other_runner.invoke(args=["index", "verify"])
        assert verify.exit_code == 0, verify.output
        page = other.test_client().get("/")
        assert "Première" in page.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()


def test_backup_refuses_a_folder_that_is_not_empty(app, runner, tmp_path):
    dest = tmp_path / "full"
    dest.mkdir()
    (dest / "something").write_text("x")
    result = runner.invoke(args=["backup", str(dest)])
    assert result.exit_code != 0 and "something" not in result.output
    assert list(dest.iterdir()) == [dest / "something"]  # nothing written beside it


def test_backup_while_writing_is_consistent(app, create_story, tmp_path):
    """A backup taken while another thread commits stories is a consistent snapshot."""
    import threading

    from memoire.preservation.backup import backup

    stop = threading.Event()

    def writer():
        with app.app_context():
            n = 0
            while not stop.is_set() and n < 200:
                create_story(f"Écrit pendant la sauvegarde {n}")
                n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        manifest = backup(tmp_path / "live")
    finally:
        stop.set()
        thread.join()
    import sqlite3

    conn = sqlite3.connect(tmp_path / "live" / "memoire.sqlite3")
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    stories = conn.execute("select count(*) from story").fetchone()[0]
    consents = conn.execute("select count(*) from consent").fetchone()[0]
    conn.close()
    assert stories == consents  # each story committed with its consent, never half
    assert manifest["problems"] == []
    assert db.session.scalar(select(func.count()).select_from(Story)) >= stories
