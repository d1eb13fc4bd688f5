"""`memoire import` of a damaged ZIP (issue 13 item 10): an entry failing its CRC check is a
clean, translated error naming the entry, with nothing written; it used to be a traceback."""

from __future__ import annotations

import json
import zipfile

import pytest

from memoire.core.errors import ValidationError
from memoire.imports.operations import import_path
from tests.conftest import count_rows_and_files, jpeg_bytes


@pytest.fixture
def app_config() -> dict:
    return {"DEFAULT_LOCALE": "en", "LOCALES": "en,fr,nl"}


def _damaged(tmp_path, entry: str = "atelier/photo.jpg"):
    """A ZIP whose `entry` was changed after its checksum was written (a bad copy, a bad disk)."""
    record = {"id": "z-1", "title": "La fosse", "visibility": "private",
              "media": [{"path": "photo.jpg", "caption": "Le chevalement"}]}
    archive = tmp_path / "atelier.zip"
    photo = jpeg_bytes()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("atelier/stories.jsonl", json.dumps(record) + "\n")
        zf.writestr(entry, photo)
    raw = archive.read_bytes()
    middle = raw.index(photo) + len(photo) // 2
    archive.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1:])
    return archive


def test_an_entry_failing_its_crc_is_named_and_nothing_is_written(app, tmp_path):
    archive = _damaged(tmp_path)
    before = count_rows_and_files(app)
    with pytest.raises(ValidationError) as refused:
        import_path(None, archive)
    assert refused.value.code == "zip_damaged"
    assert "atelier/photo.jpg" in str(refused.value.message)
    assert count_rows_and_files(app) == before


def test_the_command_says_which_entry_without_a_traceback(app, runner, tmp_path):
    archive = _damaged(tmp_path)
    before = count_rows_and_files(app)
    result = runner.invoke(args=["import", str(archive)])
    assert result.exit_code == 1
    assert "The archive entry atelier/photo.jpg is damaged (its checksum does not match)." in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert count_rows_and_files(app) == before


def test_the_message_is_translated(app, tmp_path):
    from flask_babel import force_locale

    with pytest.raises(ValidationError) as refused:
        import_path(None, _damaged(tmp_path))
    with force_locale("fr"):
        message = str(refused.value.message)  # lazy: read in the narrator's language
    assert message == (
        "Le fichier atelier/photo.jpg de l’archive est endommagé (sa somme de contrôle ne "
        "correspond pas)."
    )
