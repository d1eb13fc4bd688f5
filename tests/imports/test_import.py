"""`memoire import`: good files, idempotent re-runs, and bad lines that leave nothing behind."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from memoire.extensions import db
from memoire.imports.operations import import_path
from memoire.stories.models import Story
from tests.conftest import count_rows_and_files, gps_exif, jpeg_bytes, wav_bytes

VTT = """WEBVTT

00:00:00.000 --> 00:00:01.000
<v Marcel>On descendait à la fosse à cinq heures.
"""


def good_record(n: int = 1, **extra) -> dict:
    record = {
        "id": f"ext-{n}",
        "title": f"La fosse Dutemple {n}",
        "summary": "Souvenirs de la mine",
        "body": "Mon père était **mineur** à Dutemple.",
        "kind": "oral_history",
        "narrators": [{"name": "Marcel D."}],
        "period": {"text": "années 60"},
        "language": "fr",
        "themes": ["mine", "famille"],
        "places": [
            {"name": "Valenciennes", "type": "commune", "lat": 50.357, "lon": 3.523},
            {"name": "Dutemple", "type": "quartier", "parent": "Valenciennes", "lat": 50.3526, "lon": 3.5333},
        ],
        "media": [{"path": "photo.jpg", "caption": "Le chevalement"}, {"path": "voice.wav", "caption": "Entretien"}],
        "transcript": "voice.vtt",
        "visibility": "public",
        "status": "published",
        "consent": {"given_by": "Marcel D.", "method": "signed_form", "online_publication": True,
                    "research_use": True, "exhibition_use": True, "licence": "CC-BY-NC-4.0"},
        "licence": "CC-BY-NC-4.0",
    }
    record.update(extra)
    return record


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "workshop"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(jpeg_bytes(exif=gps_exif()))
    (folder / "voice.wav").write_bytes(wav_bytes(1.5))
    (folder / "voice.vtt").write_text(VTT, encoding="utf-8")
    return folder


def write_jsonl(folder: Path, records, name: str = "stories.jsonl") -> Path:
    path = folder / name
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_file_creates_stories_with_media_places_and_transcript(app, folder):
    path = write_jsonl(folder, [good_record(1), good_record(2, media=[{"path": "photo.jpg"}], transcript=None)])
    summary = import_path(None, path)
    assert (summary.created, summary.failed) == (2, 0)
    story = db.session.scalar(select(Story).where(Story.external_id == "ext-1"))
    assert story.period_start == 1960 and story.period_end == 1969
    assert [p.name for p in story.places] == ["Valenciennes", "Dutemple"]
    assert story.places[1].parent.name == "Valenciennes"
    assert {t.slug for t in story.themes} == {"mine", "famille"}
    kinds = sorted(m.kind for m in story.media)
    assert kinds == ["audio", "image"]
    image = next(m for m in story.media if m.kind == "image")
    assert {d.role for d in image.derivatives} == {"thumbnail", "display"}
    assert image.gps_lat == pytest.approx(50.35, abs=0.01)
    segment = story.transcripts[0].segments[0]
    assert segment.speaker == "Marcel" and "fosse" in segment.text
    # Files are in place after the commit, content-addressed.
    storage = app.extensions["memoire.storage"]
    assert storage.exists(image.storage_key)
    assert all(storage.exists(d.storage_key) for d in image.derivatives)


def test_rerun_updates_instead_of_duplicating(app, folder):
    path = write_jsonl(folder, [good_record(1)])
    import_path(None, path)
    before = count_rows_and_files(app)
    second = import_path(None, path)
    assert (second.created, second.updated, second.failed) == (0, 1, 0)
    assert count_rows_and_files(app) == before
    # A changed title updates the same story.
    write_jsonl(folder, [good_record(1, title="Nouveau titre")])
    import_path(None, path)
    titles = db.session.scalars(select(Story.title)).all()
    assert titles == ["Nouveau titre"]


BAD_LINES = {
    "unknown key": good_record(9, colour="blue"),
    "missing title": {k: v for k, v in good_record(9).items() if k != "title"},
    "missing file": good_record(9, media=[{"path": "nowhere.jpg"}]),
    "latitude 200": good_record(9, places=[{"name": "Nulle part", "lat": 200, "lon": 3.5}]),
    "escaping path": good_record(9, media=[{"path": "../outside.jpg"}]),
    "broken photo": good_record(9, media=[{"path": "broken.jpg"}]),
    "bad period": good_record(9, period={"text": "un jour"}),
    "bad kind": good_record(9, kind="poem"),
    "transcript beyond audio": good_record(9, transcript="long.vtt"),
    "not json": "{this is not json",
}


@pytest.mark.parametrize("name", list(BAD_LINES))
def test_bad_line_leaves_nothing_and_others_are_unaffected(app, folder, name):
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 20)
    (folder / "long.vtt").write_text("WEBVTT\n\n00:10:00.000 --> 00:10:05.000\nTrop tard\n", encoding="utf-8")
    (folder.parent / "outside.jpg").write_bytes(jpeg_bytes())
    # One good story already in the archive.
    import_path(None, write_jsonl(folder, [good_record(1)], "first.jsonl"))
    before = count_rows_and_files(app)
    path = write_jsonl(folder, [BAD_LINES[name]])
    summary = import_path(None, path)
    assert summary.failed == 1 and summary.results[0].line == 1
    assert summary.results[0].error
    assert count_rows_and_files(app) == before
    assert not list((Path(app.config["MEMOIRE_MEDIA_DIR"]) / "tmp").glob("*.*"))


def test_failed_line_reports_its_number_and_the_rest_goes_in(app, folder, runner, tmp_path):
    path = write_jsonl(folder, [good_record(1), good_record(2, colour="x"), good_record(3)])
    report = tmp_path / "report.json"
    result = runner.invoke(args=["import", str(path), "--report", str(report)])
    assert result.exit_code == 1
    assert "line 2" in result.output and "colour" in result.output
    data = json.loads(report.read_text())
    assert [(line["line"], line["status"]) for line in data["lines"]] == [
        (1, "created"), (2, "failed"), (3, "created")
    ]
    assert data["lines"][0]["external_id"] == "ext-1" and data["lines"][0]["story_id"]
    assert data["lines"][1]["error"]
    assert db.session.scalar(select(func.count()).select_from(Story)) == 2


def test_dry_run_validates_without_writing(app, folder, runner):
    before = count_rows_and_files(app)
    path = write_jsonl(folder, [good_record(1), good_record(2, kind="poem")])
    result = runner.invoke(args=["import", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "1 created" in result.output and "1 failed" in result.output
    assert count_rows_and_files(app) == before


def test_zip_with_jsonl_and_media(app, folder, tmp_path):
    write_jsonl(folder, [good_record(1)])
    archive = tmp_path / "workshop.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in folder.iterdir():
            zf.write(file, f"atelier/{file.name}")
    summary = import_path(None, archive)
    assert summary.created == 1


@pytest.mark.parametrize("entry", ["../evil.txt", "/etc/evil", "a/../../evil"])
def test_zip_escaping_paths_are_refused_before_extraction(app, tmp_path, entry):
    from memoire.core.errors import ValidationError

    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("stories.jsonl", json.dumps(good_record(1)))
        zf.writestr(zipfile.ZipInfo(entry), b"x")
    with pytest.raises(ValidationError) as refused:
        import_path(None, archive)
    assert refused.value.code == "zip_escape"
    assert not (tmp_path / "evil.txt").exists()


def test_zip_links_and_oversize_are_refused(app, tmp_path):
    from memoire.core.errors import ValidationError

    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as zf:
        info = zipfile.ZipInfo("media/photo.jpg")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
        zf.writestr("stories.jsonl", "{}")
    with pytest.raises(ValidationError) as refused:
        import_path(None, link)
    assert refused.value.code == "zip_link"

    app.config["MEMOIRE_ZIP_MAX_BYTES"] = 1000
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("stories.jsonl", "{}")
        zf.writestr("bomb.bin", b"\0" * 100_000)
    with pytest.raises(ValidationError) as refused:
        import_path(None, big)
    assert refused.value.code == "zip_too_large"


def test_stories_are_found_by_either_id(app, folder):
    from memoire.stories.operations import find_story

    import_path(None, write_jsonl(folder, [good_record(1)]))
    story = find_story("ext-1")
    assert find_story(str(story.id)) is story


def test_import_uses_shared_gazetteer_style_names_accent_insensitively(app, folder):
    records = [
        good_record(1, media=[], transcript=None,
                    places=[{"name": "Épinlieu", "type": "quartier", "parent": "Mons", "lat": 50.44, "lon": 3.97}]),
        good_record(2, media=[], transcript=None,
                    places=[{"name": "epinlieu", "type": "quartier", "parent": "Mons"}]),
    ]
    import_path(None, write_jsonl(folder, records))
    from memoire.places.models import Place

    names = db.session.scalars(select(Place.name).order_by(Place.name)).all()
    assert names == ["Mons", "Épinlieu"]
