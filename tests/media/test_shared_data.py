"""Every third-party photo and recording in ../shared/data: facts for good files, MediaError for the rest.

Which files are broken comes from each folder's SOURCE.md and MANIFEST.csv; the rules
are spelt out below so a change of verdict is a visible change of this file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from memoire.core.errors import MediaError
from memoire.media.processing import (
    detect_kind,
    inspect_audio,
    inspect_image,
    make_image_derivatives,
    make_stream,
    waveform_peaks,
)

pytestmark = pytest.mark.shared_data

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
MAX_PIXELS = 64_000_000  # the configured default
GOOD, BAD, EITHER = "good", "refused", "either"


def _files(folder: str) -> list[str]:
    root = DATA / folder
    if not root.is_dir():
        return []
    return sorted(str(p.relative_to(DATA)) for p in root.rglob("*") if p.is_file())


def _params(folder: str) -> list:
    files = _files(folder)
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{DATA / folder} is absent"))]
    return files


def _manifest(folder: str) -> dict[str, dict[str, str]]:
    path = DATA / folder / "MANIFEST.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


# --------------------------------------------------------------------------- verdicts

# exif_photos/SOURCE.md: every JPEG decodes (the "invalid" ones only break EXIF parsers).

# pillow_hostile/SOURCE.md, file by file. Formats we do not take (BMP, ICO, PPM) are refused
# whatever Pillow could do with them.
HOSTILE_GOOD = {
    "bombs/decompression_bomb_extents.gif",  # frame 0 is sane; only seek(1) is a bomb
    "corrupt/photoshop-200dpi-broken.jpg",  # "must still load"
    "corrupt/sugarshack_bad_mpo_header.jpg",  # "opens as JPEG"
    "truncated/truncated_app14.jpg",  # loads
    "truncated/truncated_exif_dpi.jpg",  # loads
}
HOSTILE_EITHER = {
    # A fuzzer crasher: upstream only asks that it does not crash. Pillow 13 decodes it,
    # Pillow 12 reports "decoder error -2"; refusing it is as right as taking it.
    "corrupt/crash-0da013a13571cc8eb457a39fee8db18f8a3c7127.tif",
}


def _hostile_verdict(name: str) -> str:
    if name in HOSTILE_EITHER:
        return EITHER
    if name in HOSTILE_GOOD or name.startswith(("exif_edge/", "odd_modes/")):
        return GOOD  # valid pixels under hostile EXIF, or valid odd colour modes
    return BAD  # bombs, corrupt, truncated, unsupported formats, and the docs


# audio_mutagen: MANIFEST.csv says what mutagen made of each file; we take the containers
# listed in the issue when mutagen read them with a positive length.
AUDIO_TYPES = {"MP3", "MP4", "AAC", "OggVorbis", "OggOpus", "OggFLAC", "FLAC", "WAVE", "AIFF"}
AUDIO_IMAGES = {"image.jpg"}  # a cover JPEG: a good photo, properly classified


def _audio_verdict(name: str) -> str:
    if name in AUDIO_IMAGES:
        return GOOD
    row = _manifest("audio_mutagen").get(name)
    if row is None:  # SOURCE.md, MANIFEST.csv
        return BAD
    readable = row["result"] == "ok" and float(row["length_s"] or 0) > 0
    return GOOD if readable and row["mutagen_type"] in AUDIO_TYPES else BAD


# --------------------------------------------------------------------------- running a file


def _take_in(path: Path, out_dir: Path):
    """What the intake does: classify, read the facts, and for photos make derivatives."""
    kind, mime = detect_kind(path)
    if kind == "image":
        facts = inspect_image(path, max_pixels=MAX_PIXELS)
        derivatives = make_image_derivatives(path, out_dir, max_pixels=MAX_PIXELS)
        for derivative in derivatives:
            _assert_bare(derivative.path)
        return facts
    facts = inspect_audio(path)
    assert facts.duration > 0 and facts.channels
    return facts


def _assert_bare(path: Path) -> None:
    with Image.open(path) as img:
        assert img.mode == "RGB"
        exif = img.getexif()
        assert len(exif) == 0 and len(exif.get_ifd(ExifTags.IFD.GPSInfo)) == 0
        assert "icc_profile" not in img.info and "xmp" not in img.info


def _check(name: str, verdict: str, tmp_path: Path):
    path = DATA / name
    if verdict == GOOD:
        return _take_in(path, tmp_path)
    try:
        facts = _take_in(path, tmp_path)
    except MediaError as refused:
        assert refused.code in {
            "empty_file",
            "unsupported_type",
            "image_too_large",
            "corrupt_image",
            "corrupt_audio",
            "no_audio",
        }
        assert str(refused)
        return None
    assert verdict == EITHER, f"{name} should have been refused, got {facts}"
    return facts


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", _params("exif_photos"))
def test_exif_photos(name: str, tmp_path: Path) -> None:
    is_photo = name.endswith(".jpg")
    facts = _check(name, GOOD if is_photo else BAD, tmp_path)
    if not is_photo:
        return
    row = _manifest("exif_photos")[name.removeprefix("exif_photos/")]
    width, height = int(row["width"]), int(row["height"])
    if row["orientation"] in {"5", "6", "7", "8"}:
        width, height = height, width
    assert (facts.width, facts.height) == (width, height)
    if row["gps_lat"]:
        assert facts.gps_lat == pytest.approx(float(row["gps_lat"]), abs=1e-5)
        assert facts.gps_lon == pytest.approx(float(row["gps_lon"]), abs=1e-5)
        assert facts.has_personal_metadata
    else:
        assert facts.gps_lat is None and facts.gps_lon is None


@pytest.mark.parametrize("name", _params("pillow_hostile"))
def test_pillow_hostile(name: str, tmp_path: Path) -> None:
    _check(name, _hostile_verdict(name.removeprefix("pillow_hostile/")), tmp_path)


@pytest.mark.parametrize("name", _params("audio_mutagen"))
def test_audio_mutagen(name: str, tmp_path: Path) -> None:
    verdict = _audio_verdict(name.removeprefix("audio_mutagen/"))
    facts = _check(name, verdict, tmp_path)
    if verdict != GOOD or name.endswith(".jpg"):
        return
    # Many good files are header-only stubs: ffmpeg may find nothing to decode in them,
    # and then the background job must get a MediaError, never a crash or an empty stream.
    for make in (
        lambda: make_stream(DATA / name, tmp_path / "stream.m4a"),
        lambda: waveform_peaks(DATA / name),
    ):
        try:
            made = make()
        except MediaError as refused:
            assert refused.code == "corrupt_audio"
            continue
        assert made, f"{name}: {facts}"
    assert list(tmp_path.glob(".*.part")) == []
