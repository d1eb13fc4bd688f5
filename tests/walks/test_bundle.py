"""The walk's offline bundle: the exhibition bundle's BagIt bag, derivatives only, stops shown now."""

from __future__ import annotations

import json
import zipfile

import bagit
import pytest

from memoire.extensions import db
from memoire.walks import operations as ops
from memoire.walks.bundle import build_walk_bundle


@pytest.fixture
def walk(curator, rich_story, walk_stories):
    fosse = rich_story("La fosse")  # photos, a 6 s recording, a transcript, at Dutemple
    walk = ops.create_walk(curator, "Parcours", slug="parcours")
    ops.add_stop(curator, walk, fosse, text="Écoutez", excerpt=ops.Excerpt(start=1.5, end=4.5))
    ops.add_stop(curator, walk, walk_stories[0], text="Puis ici")
    ops.add_stop(curator, walk, walk_stories[1], text="Plus ici")
    ops.set_status(curator, walk, ops.PUBLISHED)
    walk_stories[1].visibility = "private"  # changed after it was added: not in the bundle
    db.session.commit()
    return walk


def test_bundle_is_a_valid_bag_and_a_changed_byte_is_detected(app, walk, tmp_path):
    report = build_walk_bundle(walk, tmp_path / "parcours.zip")
    assert report.items == 2
    with zipfile.ZipFile(report.path) as archive:
        names = archive.namelist()
        assert all(n.startswith("parcours/") for n in names)
        archive.extractall(tmp_path / "out")
    bag_dir = tmp_path / "out" / "parcours"
    bag = bagit.Bag(str(bag_dir))
    bag.validate()
    document = json.loads((bag_dir / "data" / "walk.json").read_text())
    assert [s["text"] for s in document["stops"]] == ["Écoutez", "Puis ici"]
    audio = document["stops"][0]["audio"]
    assert audio["url"].startswith("media/excerpt-") and (bag_dir / "data" / audio["url"]).exists()
    assert not any("original" in n for n in names)
    index = (bag_dir / "data" / "index.html").read_text()
    assert "Plus ici" not in index and "<svg" in index and "static/js/walk.js" in index
    assert "http" not in index.split("<main")[1].split("walk__stops")[0]  # the drawn map: no tiles

    target = bag_dir / "data" / "walk.json"
    data = bytearray(target.read_bytes())
    data[10] = data[10] ^ 1
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag_dir)).validate()


def test_export_walk_command(app, walk, tmp_path):
    out = tmp_path / "cli.zip"
    result = app.test_cli_runner().invoke(args=["export", "walk", "parcours", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "2 stop(s)" in result.output
    missing = app.test_cli_runner().invoke(
        args=["export", "walk", "nothing", str(tmp_path / "x.zip")]
    )
    assert missing.exit_code == 1 and not (tmp_path / "x.zip").exists()
