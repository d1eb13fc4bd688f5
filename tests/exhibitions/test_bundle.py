"""The offline bundle: a valid BagIt bag of derivatives, cut excerpts, the JSON and a static page."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import bagit
import pytest
from mutagen.mp4 import MP4

from memoire.exhibitions import operations as ops
from memoire.exhibitions.bundle import build_bundle
from memoire.extensions import db
from memoire.media.models import Derivative, Media
from memoire.stories import operations as story_ops


@pytest.fixture
def exhibition(curator, rich_story, create_story):
    fosse = rich_story("La fosse")
    cite = rich_story("La cité")
    bal = create_story("Le bal")
    exhibition = ops.create_exhibition(
        curator,
        ops.ExhibitionInput(title="Mémoires de la fosse", slug="fosse", introduction="Des voix."),
    )
    ops.add_item(
        curator, exhibition, fosse, caption="La descente", excerpt=ops.Excerpt(start=1.5, end=4.5)
    )
    ops.add_item(curator, exhibition, bal, caption="Le dimanche")
    ops.add_item(curator, exhibition, cite, caption="La cité", excerpt=ops.Excerpt(start=0, end=2))
    ops.publish_exhibition(curator, exhibition)
    db.session.commit()
    return exhibition


def unzip_bundle(zip_path: Path, into: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        assert all(name.startswith("fosse/") and ".." not in name for name in names)
        archive.extractall(into)
    return into / "fosse"


def test_bundle_is_a_valid_bag_of_derivatives_only(app, exhibition, tmp_path):
    report = build_bundle(exhibition, tmp_path / "fosse.zip")
    assert report.items == 3 and report.path == tmp_path / "fosse.zip"
    bag_dir = unzip_bundle(report.path, tmp_path / "out")
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # raises BagValidationError when anything is off
    assert "sha256" in bag.algorithms
    assert bag.info["External-Description"] == "Mémoires de la fosse"
    assert bag.info["Title"] == "Mémoires de la fosse"
    assert bag.info["External-Identifier"] == "http://127.0.0.1:5000/exhibitions/fosse"
    assert bag.info["Bagging-Date"]
    assert bag.info["Source-Organization"]

    data = bag_dir / "data"
    for name in (
        "index.html",
        "exhibition.json",
        "static/css/memoire.css",
        "static/css/exhibition.css",
        "static/js/exhibition.js",
        "static/js/player.js",
        "static/js/kiosk.js",
    ):
        assert (data / name).is_file(), name
    document = json.loads((data / "exhibition.json").read_text(encoding="utf-8"))
    assert [item["caption"] for item in document["items"]] == [
        "La descente",
        "Le dimanche",
        "La cité",
    ]
    assert document["source"] == "http://127.0.0.1:5000/exhibitions/fosse"

    # Every media file is a derivative (never an original), and the page names only local files.
    shas = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in (data / "media").iterdir()}
    originals = {m.sha256 for m in db.session.query(Media)}
    derivatives = {d.sha256 for d in db.session.query(Derivative)}
    assert not shas.keys() & originals
    photos = [p for p in shas.values() if p.suffix == ".jpg"]
    assert photos and all(hashlib.sha256(p.read_bytes()).hexdigest() in derivatives for p in photos)
    for item in document["items"]:
        for media in (item["photo"], item["audio"]):
            if media:
                assert (
                    not media["url"].startswith(("http", "/")) and (data / media["url"]).is_file()
                )

    # Audio excerpts are cut to their range; transcript times stay those of the recording.
    first, _, third = document["items"]
    assert first["audio"]["offset"] == 1.5 and first["audio"]["excerpt"] == {
        "start": 1.5,
        "end": 4.5,
    }
    assert MP4(data / first["audio"]["url"]).info.length == pytest.approx(3.0, abs=0.1)
    assert MP4(data / third["audio"]["url"]).info.length == pytest.approx(2.0, abs=0.1)
    assert first["transcript"][0]["start"] == 1.5
    html = (data / "index.html").read_text(encoding="utf-8")
    assert 'data-excerpt-start="0.0" data-excerpt-end="3.0"' in html
    assert f'<source src="{first["audio"]["url"]}" type="audio/mp4">' in html
    # Everything the page loads is a file of the bundle; only plain links lead out.
    assert re.findall(r'\ssrc="([^"]*)"', html) and all(
        src.startswith(("static/", "media/")) for src in re.findall(r'\ssrc="([^"]*)"', html)
    )
    assert re.findall(r'<link rel="stylesheet" href="([^"]*)"', html) == [
        "static/css/memoire.css",
        "static/css/exhibition.css",
    ]


def test_one_changed_byte_makes_the_bag_invalid(app, exhibition, tmp_path):
    bag_dir = unzip_bundle(build_bundle(exhibition, tmp_path / "fosse.zip").path, tmp_path / "out")
    bagit.Bag(str(bag_dir)).validate()
    target = next((bag_dir / "data" / "media").glob("*.jpg"))
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    target.write_bytes(bytes(raw))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag_dir)).validate()


def test_a_withdrawn_story_is_not_in_a_new_bundle(app, exhibition, tmp_path, create_user):
    fosse = exhibition.items[0].story
    fosse_files = {d.sha256 for m in fosse.media for d in m.derivatives}
    story_ops.withdraw_story(create_user("moderator"), fosse)
    db.session.commit()
    bag_dir = unzip_bundle(build_bundle(exhibition, tmp_path / "fosse.zip").path, tmp_path / "out")
    bagit.Bag(str(bag_dir)).validate()
    data = bag_dir / "data"
    document = json.loads((data / "exhibition.json").read_text(encoding="utf-8"))
    assert [item["caption"] for item in document["items"]] == ["Le dimanche", "La cité"]
    assert "La fosse" not in (data / "index.html").read_text(encoding="utf-8")
    shas = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (data / "media").iterdir()}
    assert not shas & fosse_files


def test_export_command_and_button(app, runner, client, login, curator, exhibition, tmp_path):
    out = tmp_path / "sortie" / "fosse.zip"
    result = runner.invoke(args=["export", "exhibition", "fosse", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 item(s)" in result.output
    bagit.Bag(str(unzip_bundle(out, tmp_path / "cli"))).validate()
    result = runner.invoke(args=["export", "exhibition", "nope", str(tmp_path / "x.zip")])
    assert result.exit_code != 0 and not (tmp_path / "x.zip").exists()

    login(curator)
    response = client.post("/exhibitions/fosse/bundle")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "filename=fosse.zip" in response.headers["Content-Disposition"]
    (tmp_path / "web.zip").write_bytes(response.get_data())
    response.close()
    bagit.Bag(str(unzip_bundle(tmp_path / "web.zip", tmp_path / "web"))).validate()
