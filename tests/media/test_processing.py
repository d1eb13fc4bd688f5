"""Photos and recordings made here, in every shape the intake must take in or refuse."""

from __future__ import annotations

import math
import struct
import subprocess
import sys
import wave
import zlib
from array import array
from datetime import datetime
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageOps

from memoire.core.errors import MediaError
from memoire.media.processing import (
    AudioFacts,
    DerivativeFile,
    ImageFacts,
    detect_kind,
    inspect_audio,
    inspect_image,
    make_image_derivatives,
    make_stream,
    make_waveform,
    waveform_peaks,
)

MAX_PIXELS = 64_000_000
RED = (230, 20, 20)


# --------------------------------------------------------------------------- helpers


def noisy_picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A gradient with grain, so JPEG sizes look like a photo's, not a flat colour's."""
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    grain = Image.effect_noise(size, 40)
    picture = Image.merge(
        "RGB", (gradient, grain, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    return picture.convert(mode)


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: orientation, date, serial number and a GPS fix near Mons."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Fairphone"
    exif[ExifTags.Base.Artist] = "Jeanne Dupont"
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = "1987:06:14 15:30:00"
    sub[ExifTags.Base.BodySerialNumber] = "SN-0042"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 27.0, 18.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (3.0, 57.0, 0.0)
    return exif


def assert_bare_rgb_jpeg(derivative: DerivativeFile) -> None:
    """A derivative is an sRGB-by-default JPEG with no EXIF, GPS, XMP, ICC or comment."""
    assert derivative.mime == "image/jpeg"
    assert derivative.path.exists()
    with Image.open(derivative.path) as img:
        assert img.format == "JPEG"
        assert img.mode == "RGB"
        assert (img.width, img.height) == (derivative.width, derivative.height)
        exif = img.getexif()
        assert len(exif) == 0
        assert len(exif.get_ifd(ExifTags.IFD.GPSInfo)) == 0
        for key in ("exif", "icc_profile", "xmp", "photoshop", "comment"):
            assert key not in img.info
    raw = derivative.path.read_bytes()
    assert b"Exif\x00\x00" not in raw and b"SN-0042" not in raw and b"Jeanne" not in raw


def by_role(derivatives: list[DerivativeFile]) -> dict[str, DerivativeFile]:
    assert sorted(d.role for d in derivatives) == ["display", "thumbnail"]
    return {d.role: d for d in derivatives}


def ffmpeg(*args: str) -> None:
    """Run the ffmpeg that imageio-ffmpeg ships (the test makes its own recordings)."""
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    subprocess.run([exe, "-nostdin", "-v", "error", "-y", *args], check=True)


def decode_pcm(path: Path, rate: int) -> array:
    """The recording as mono signed 16-bit samples at `rate`."""
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    out = subprocess.run(
        [exe, "-nostdin", "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(rate)]
        + ["-f", "s16le", "-"],
        check=True,
        capture_output=True,
    ).stdout
    samples = array("h", out)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def sine_wav(
    path: Path,
    seconds: float,
    *,
    rate: int = 16_000,
    amplitude: float = 0.5,
    loud: tuple[float, float] | None = None,
) -> Path:
    """A 440 Hz mono WAV; with `loud`, only that time range sounds and the rest is silent."""
    frames = array("h")
    for i in range(int(seconds * rate)):
        t = i / rate
        on = loud is None or loud[0] <= t < loud[1]
        frames.append(int(on * amplitude * 32767 * math.sin(2 * math.pi * 440 * t)))
    if sys.byteorder == "big":
        frames.byteswap()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames.tobytes())
    return path


def peak(samples: array) -> float:
    return max(max(samples), -min(samples)) / 32768 if samples else 0.0


def fake_png(width: int, height: int) -> bytes:
    """A PNG header that claims a size, with one tiny IDAT: what a decompression bomb shows first."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- photos: facts


def test_jpeg_facts_are_oriented_dated_and_located(tmp_path: Path) -> None:
    original = tmp_path / "upload.bin"  # the name says nothing; the bytes decide
    noisy_picture((600, 400)).save(original, "JPEG", exif=camera_exif(orientation=6))

    assert detect_kind(original) == ("image", "image/jpeg")
    facts = inspect_image(original, max_pixels=MAX_PIXELS)

    assert isinstance(facts, ImageFacts)
    assert facts.mime == "image/jpeg"
    assert (facts.width, facts.height) == (400, 600)  # orientation 6 turns it upright
    assert facts.taken_at == datetime(1987, 6, 14, 15, 30, 0)
    assert facts.gps_lat == pytest.approx(50.455, abs=1e-6)
    assert facts.gps_lon == pytest.approx(-3.95, abs=1e-6)
    assert facts.has_personal_metadata is True


def test_photo_without_metadata_has_no_personal_data(tmp_path: Path) -> None:
    original = tmp_path / "plain.png"
    noisy_picture((300, 200)).save(original, "PNG")

    facts = inspect_image(original, max_pixels=MAX_PIXELS)

    assert facts == ImageFacts("image/png", 300, 200, None, None, None, False)


@pytest.mark.parametrize(
    ("raw_date", "expected"),
    [
        ("0000:00:00 00:00:00", None),  # camera clock never set
        ("2999:01:01 00:00:00", None),  # in the future
        ("1961:05:01 08:00:00\x00", datetime(1961, 5, 1, 8, 0)),
        ("garbage", None),
    ],
)
def test_taken_at_ignores_impossible_dates(tmp_path: Path, raw_date: str, expected) -> None:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = raw_date
    original = tmp_path / "dated.jpg"
    noisy_picture((40, 30)).save(original, "JPEG", exif=exif)

    assert inspect_image(original, max_pixels=MAX_PIXELS).taken_at == expected


def test_gps_version_alone_is_not_a_position(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSVersionID] = b"\x02\x02\x00\x00"
    original = tmp_path / "gps-version.jpg"
    noisy_picture((40, 30)).save(original, "JPEG", exif=exif)

    facts = inspect_image(original, max_pixels=MAX_PIXELS)

    assert (facts.gps_lat, facts.gps_lon, facts.has_personal_metadata) == (None, None, False)


def test_xmp_counts_as_personal_metadata(tmp_path: Path) -> None:
    original = tmp_path / "xmp.jpg"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jeanne</dc:creator></x:xmpmeta>'
    noisy_picture((40, 30)).save(original, "JPEG", xmp=xmp)

    facts = inspect_image(original, max_pixels=MAX_PIXELS)
    assert facts.has_personal_metadata is True
    derivatives = make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS)
    for derivative in derivatives:
        assert_bare_rgb_jpeg(derivative)


# --------------------------------------------------------------------------- photos: derivatives


def test_large_jpeg_derivatives_are_smaller_upright_and_bare(tmp_path: Path) -> None:
    original = tmp_path / "camera.jpg"
    picture = noisy_picture((2400, 1600))
    picture.paste(RED, (0, 0, 300, 300))  # stored top-left corner
    picture.save(original, "JPEG", quality=95, exif=camera_exif(orientation=6))
    out = tmp_path / "out"
    out.mkdir()

    roles = by_role(make_image_derivatives(original, out, max_pixels=MAX_PIXELS))
    display, thumbnail = roles["display"], roles["thumbnail"]

    assert (display.width, display.height) == (1067, 1600)  # upright: portrait
    assert (thumbnail.width, thumbnail.height) == (213, 320)
    for derivative in (display, thumbnail):
        assert derivative.path.parent == out
        assert derivative.path.stat().st_size < original.stat().st_size
        assert_bare_rgb_jpeg(derivative)
    assert thumbnail.path.stat().st_size < display.path.stat().st_size
    # Orientation 6 is a quarter turn clockwise: the stored top-left ends at the top-right.
    with Image.open(display.path) as shown:
        assert _near(shown.getpixel((display.width - 40, 40)), RED)
        assert not _near(shown.getpixel((40, 40)), RED)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_matches_exif_transpose(tmp_path: Path, orientation: int) -> None:
    original = tmp_path / f"o{orientation}.jpg"
    picture = noisy_picture((360, 240))
    picture.paste(RED, (0, 0, 60, 40))
    picture.save(original, "JPEG", quality=95, exif=camera_exif(orientation))

    display = by_role(make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS))["display"]

    with Image.open(original) as img, Image.open(display.path) as shown:
        expected = ImageOps.exif_transpose(img).convert("RGB")
        assert shown.size == expected.size
        assert _mean_difference(shown, expected) < 8


def test_small_photo_is_never_enlarged(tmp_path: Path) -> None:
    original = tmp_path / "small.webp"
    noisy_picture((200, 120)).save(original, "WEBP")

    roles = by_role(make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS))

    assert inspect_image(original, max_pixels=MAX_PIXELS).mime == "image/webp"
    assert (roles["display"].width, roles["display"].height) == (200, 120)
    assert (roles["thumbnail"].width, roles["thumbnail"].height) == (200, 120)


def test_png_transparency_is_flattened_on_white(tmp_path: Path) -> None:
    original = tmp_path / "logo.jpg"  # a PNG under a JPEG name
    picture = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    picture.paste((20, 40, 200, 255), (200, 0, 400, 200))
    picture.save(original, "PNG")

    assert detect_kind(original) == ("image", "image/png")
    display = by_role(make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS))["display"]

    assert_bare_rgb_jpeg(display)
    with Image.open(display.path) as shown:
        assert _near(shown.getpixel((50, 100)), (255, 255, 255))
        assert _near(shown.getpixel((350, 100)), (20, 40, 200))


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    original = tmp_path / "print.jpg"
    Image.new("CMYK", (300, 200), (255, 0, 0, 0)).save(original, "JPEG")  # pure cyan ink

    display = by_role(make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS))["display"]

    assert_bare_rgb_jpeg(display)
    with Image.open(display.path) as shown:
        red, green, blue = shown.getpixel((150, 100))
        assert red < 60 and green > 200 and blue > 200


def test_embedded_icc_profile_is_applied_and_not_copied(tmp_path: Path) -> None:
    original = tmp_path / "profiled.jpg"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    noisy_picture((300, 200)).save(original, "JPEG", icc_profile=srgb)

    for derivative in make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS):
        assert_bare_rgb_jpeg(derivative)


def test_broken_icc_profile_does_not_refuse_the_photo(tmp_path: Path) -> None:
    original = tmp_path / "badprofile.jpg"
    noisy_picture((300, 200)).save(original, "JPEG", icc_profile=b"not a profile at all" * 10)

    for derivative in make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS):
        assert_bare_rgb_jpeg(derivative)


def test_sixteen_bit_grey_keeps_its_tones(tmp_path: Path) -> None:
    original = tmp_path / "scan.png"
    Image.new("I;16", (120, 80), 32768).save(original, "PNG")

    display = by_role(make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS))["display"]

    with Image.open(display.path) as shown:
        assert shown.mode == "RGB"
        assert _near(shown.getpixel((60, 40)), (128, 128, 128))


def test_multipage_tiff_uses_the_first_page(tmp_path: Path) -> None:
    original = tmp_path / "archive.tif"
    first = Image.new("RGB", (300, 150), RED)
    second = Image.new("RGB", (50, 50), (0, 0, 255))
    first.save(original, "TIFF", save_all=True, append_images=[second])

    facts = inspect_image(original, max_pixels=MAX_PIXELS)
    display = by_role(make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS))["display"]

    assert (facts.mime, facts.width, facts.height) == ("image/tiff", 300, 150)
    with Image.open(display.path) as shown:
        assert shown.size == (300, 150)
        assert _near(shown.getpixel((150, 75)), RED)


def test_animated_gif_uses_the_first_frame(tmp_path: Path) -> None:
    original = tmp_path / "animation.gif"
    frames = [Image.new("P", (120, 90), colour) for colour in (2, 3)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 255, 255, 0, 160, 0, 0, 0, 255] + [0] * 756)
    frames[0].save(original, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    facts = inspect_image(original, max_pixels=MAX_PIXELS)
    display = by_role(make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS))["display"]

    assert (facts.mime, facts.width, facts.height) == ("image/gif", 120, 90)
    with Image.open(display.path) as shown:
        assert _near(shown.getpixel((60, 45)), (0, 160, 0))


def test_palette_with_transparency_is_flattened(tmp_path: Path) -> None:
    original = tmp_path / "icon.gif"
    picture = Image.new("P", (80, 80), 1)
    picture.putpalette([0, 0, 0, 0, 0, 255] + [0] * 762)
    picture.paste(0, (0, 0, 40, 80))
    picture.save(original, "GIF", transparency=0)

    display = by_role(make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS))["display"]

    with Image.open(display.path) as shown:
        assert _near(shown.getpixel((10, 40)), (255, 255, 255))
        assert _near(shown.getpixel((70, 40)), (0, 0, 255))


def test_heic_photo_is_taken_in(tmp_path: Path) -> None:
    original = tmp_path / "IMG_0001.jpg"  # phones rename HEIC on the way; the bytes decide
    noisy_picture((640, 480)).save(original, "HEIF", exif=camera_exif())

    assert detect_kind(original) == ("image", "image/heic")
    facts = inspect_image(original, max_pixels=MAX_PIXELS)
    assert (facts.width, facts.height) == (640, 480)
    assert facts.gps_lat == pytest.approx(50.455, abs=1e-6)
    for derivative in make_image_derivatives(original, tmp_path, max_pixels=MAX_PIXELS):
        assert_bare_rgb_jpeg(derivative)


def test_derivative_names_do_not_collide(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jpg", tmp_path / "b.jpg"
    noisy_picture((100, 80)).save(first, "JPEG")
    noisy_picture((100, 80)).save(second, "JPEG")

    made = make_image_derivatives(first, tmp_path, max_pixels=MAX_PIXELS)
    made += make_image_derivatives(second, tmp_path, max_pixels=MAX_PIXELS)

    assert len({d.path for d in made}) == 4


# --------------------------------------------------------------------------- photos: refused


# In production Pillow's bomb warning only prints; it must still refuse the photo.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_photo_over_the_pixel_limit_is_refused(tmp_path: Path) -> None:
    original = tmp_path / "big.png"
    Image.new("RGB", (1200, 1000)).save(original, "PNG")

    # Between the limit and twice it Pillow only warns: that must refuse too.
    for call in (inspect_image, _derivatives_in(tmp_path)):
        with pytest.raises(MediaError) as refused:
            call(original, max_pixels=1_000_000)
        assert refused.value.code == "image_too_large"
    assert list(tmp_path.glob("display-*")) == []


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(fake_png(60_000, 60_000))  # 3.6 gigapixels in 100 bytes

    for call in (inspect_image, _derivatives_in(tmp_path)):
        with pytest.raises(MediaError) as refused:
            call(bomb, max_pixels=MAX_PIXELS)
        assert refused.value.code == "image_too_large"


def test_pixel_limit_comes_from_the_argument(tmp_path: Path) -> None:
    original = tmp_path / "wide.png"
    Image.new("RGB", (1000, 1000)).save(original, "PNG")

    default = Image.MAX_IMAGE_PIXELS
    assert inspect_image(original, max_pixels=1_000_000).width == 1000
    with pytest.raises(MediaError):
        inspect_image(original, max_pixels=999_999)
    assert Image.MAX_IMAGE_PIXELS == default  # other code in the process keeps Pillow's limit


def test_pixel_limit_above_pillows_default_is_honoured(tmp_path: Path) -> None:
    header_only = tmp_path / "tall.png"
    pixels = Image.MAX_IMAGE_PIXELS * 3  # Pillow alone would call this a bomb
    header_only.write_bytes(fake_png(10_000, pixels // 10_000))

    # Allowed by the argument, so it goes on to decode and finds the data missing.
    with pytest.raises(MediaError) as refused:
        inspect_image(header_only, max_pixels=pixels + 1)
    assert refused.value.code == "corrupt_image"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "unsupported_type"),
        (
            b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
            "unsupported_type",
        ),
        (b"\xef\xbb\xbf  <html><script>alert(1)</script></html>", "unsupported_type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "unsupported_type"),
        (b"PK\x03\x04" + b"\x00" * 100, "unsupported_type"),
        (b"BM" + b"\x00" * 100, "unsupported_type"),  # BMP is not on the list
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "corrupt_image"),  # a JPEG that stops at once
    ],
    ids=["empty", "pdf", "html", "html-bom", "svg", "zip", "bmp", "jpeg-stub"],
)
def test_files_that_are_not_photos_are_refused(tmp_path: Path, content: bytes, code: str) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(content)

    for call in (inspect_image, _derivatives_in(tmp_path)):
        with pytest.raises(MediaError) as refused:
            call(fake, max_pixels=MAX_PIXELS)
        assert refused.value.code == code
        assert str(refused.value)  # a readable message, lazy or not


@pytest.mark.parametrize(
    "content", [b"", b"%PDF-1.7\n", b"<html></html>"], ids=["empty", "pdf", "html"]
)
def test_detect_kind_refuses_what_is_neither_photo_nor_recording(
    tmp_path: Path, content: bytes
) -> None:
    fake = tmp_path / "souvenir.mp3"
    fake.write_bytes(content)

    with pytest.raises(MediaError) as refused:
        detect_kind(fake)
    assert refused.value.code == ("empty_file" if not content else "unsupported_type")


def test_truncated_jpeg_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.jpg"
    noisy_picture((800, 600)).save(whole, "JPEG", quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])

    for call in (inspect_image, _derivatives_in(tmp_path)):
        with pytest.raises(MediaError) as refused:
            call(cut, max_pixels=MAX_PIXELS)
        assert refused.value.code == "corrupt_image"


def test_truncated_png_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.png"
    noisy_picture((400, 300)).save(whole, "PNG")
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    with pytest.raises(MediaError) as refused:
        inspect_image(cut, max_pixels=MAX_PIXELS)
    assert refused.value.code == "corrupt_image"


def test_a_recording_is_not_a_photo(tmp_path: Path) -> None:
    recording = sine_wav(tmp_path / "voice.jpg", 0.2)

    assert detect_kind(recording) == ("audio", "audio/wav")
    with pytest.raises(MediaError) as refused:
        inspect_image(recording, max_pixels=MAX_PIXELS)
    assert refused.value.code == "unsupported_type"


# --------------------------------------------------------------------------- recordings: facts


def test_wav_facts(tmp_path: Path) -> None:
    recording = sine_wav(tmp_path / "interview.bin", 4.0)

    facts = inspect_audio(recording)

    assert isinstance(facts, AudioFacts)
    assert (facts.mime, facts.codec, facts.sample_rate, facts.channels) == (
        "audio/wav",
        "pcm",
        16000,
        1,
    )
    assert facts.duration == pytest.approx(4.0, abs=0.01)
    assert facts.bitrate == 256_000
    assert facts.tags == {}
    assert facts.browser_playable is False


# (ffmpeg output options, MIME type, codec, playable in every browser)
ENCODINGS = {
    "mp3": (["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"], "audio/mpeg", "mp3", True),
    "mp3-256k": (["-c:a", "libmp3lame", "-b:a", "256k", "-f", "mp3"], "audio/mpeg", "mp3", False),
    "m4a": (["-c:a", "aac", "-b:a", "96k", "-f", "mp4"], "audio/mp4", "aac", True),
    "vorbis": (["-c:a", "libvorbis", "-f", "ogg"], "audio/ogg", "vorbis", False),
    "opus": (["-c:a", "libopus", "-f", "ogg"], "audio/ogg", "opus", False),
    "flac": (["-c:a", "flac", "-f", "flac"], "audio/flac", "flac", False),
    "aiff": (["-c:a", "pcm_s16be", "-f", "aiff"], "audio/aiff", "pcm", False),
}


@pytest.fixture(scope="module")
def tagged_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sine_wav(tmp_path_factory.mktemp("src") / "source.wav", 2.0, rate=44_100)


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_recording_facts_by_format(tmp_path: Path, tagged_source: Path, name: str) -> None:
    options, mime, codec, playable = ENCODINGS[name]
    recording = tmp_path / "upload.dat"
    ffmpeg(
        "-i", str(tagged_source),
        "-metadata", "title=La fosse Arenberg",
        "-metadata", "artist=Jeanne Dupont",
        *options, str(recording),
    )  # fmt: skip

    assert detect_kind(recording) == ("audio", mime)
    facts = inspect_audio(recording)

    assert (facts.mime, facts.codec, facts.browser_playable) == (mime, codec, playable)
    assert facts.duration == pytest.approx(2.0, abs=0.1)
    assert facts.channels == 1
    if name != "aiff":  # ffmpeg writes no ID3 chunk into AIFF
        assert facts.tags["title"] == "La fosse Arenberg"
        assert facts.tags["artist"] == "Jeanne Dupont"


def test_max_bitrate_decides_playability(tmp_path: Path, tagged_source: Path) -> None:
    recording = tmp_path / "voice.mp3"
    ffmpeg("-i", str(tagged_source), "-c:a", "libmp3lame", "-b:a", "128k", str(recording))

    assert inspect_audio(recording).browser_playable is True
    assert inspect_audio(recording, max_bitrate=96_000).browser_playable is False


def test_long_tags_are_cut_short(tmp_path: Path, tagged_source: Path) -> None:
    recording = tmp_path / "voice.mp3"
    ffmpeg("-i", str(tagged_source), "-metadata", "comment=" + "x" * 5000, str(recording))

    assert 0 < len(inspect_audio(recording).tags["comment"]) <= 300


# --------------------------------------------------------------------------- recordings: refused


def test_wav_without_frames_has_no_sound(tmp_path: Path) -> None:
    recording = sine_wav(tmp_path / "silent.wav", 0.0)

    with pytest.raises(MediaError) as refused:
        inspect_audio(recording)
    assert refused.value.code == "no_audio"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"%PDF-1.4\n%%EOF\n", "unsupported_type"),
        (b"<html><body>hello</body></html>", "unsupported_type"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x05hello" + b"\x00" * 200, "corrupt_audio"),
        (b"fLaC\x00\x00\x00\x22" + b"\x01" * 10, "corrupt_audio"),
        (b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1e\x01vorbis" + b"\x00" * 10, "corrupt_audio"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\xff" * 8, "corrupt_audio"),
    ],
    ids=["empty", "pdf", "html", "id3-only", "flac-stub", "ogg-stub", "wav-stub"],
)
def test_broken_recordings_are_refused(tmp_path: Path, content: bytes, code: str) -> None:
    fake = tmp_path / "interview.mp3"
    fake.write_bytes(content)

    with pytest.raises(MediaError) as refused:
        inspect_audio(fake)
    assert refused.value.code == code
    with pytest.raises(MediaError):
        make_stream(fake, tmp_path / "stream.m4a")
    with pytest.raises(MediaError):
        waveform_peaks(fake)
    assert not (tmp_path / "stream.m4a").exists()
    assert list(tmp_path.glob(".*.part")) == []


def test_a_photo_is_not_a_recording(tmp_path: Path) -> None:
    photo = tmp_path / "voice.mp3"
    noisy_picture((40, 30)).save(photo, "JPEG")

    with pytest.raises(MediaError) as refused:
        inspect_audio(photo)
    assert refused.value.code == "unsupported_type"


# --------------------------------------------------------------------------- recordings: stream


def test_stream_is_mono_aac_without_tags(tmp_path: Path, tagged_source: Path) -> None:
    recording = tmp_path / "voice.mp3"
    ffmpeg(
        "-i", str(tagged_source), "-ac", "2",
        "-metadata", "artist=Jeanne Dupont", "-c:a", "libmp3lame", "-b:a", "256k", str(recording),
    )  # fmt: skip
    out = tmp_path / "stream.m4a"

    made = make_stream(recording, out)

    assert made == DerivativeFile("stream", out, "audio/mp4")
    facts = inspect_audio(out)
    assert (facts.mime, facts.codec, facts.channels) == ("audio/mp4", "aac", 1)
    assert facts.browser_playable is True
    assert facts.bitrate is not None and facts.bitrate <= 80_000
    assert facts.duration == pytest.approx(2.0, abs=0.1)
    assert "artist" not in facts.tags
    assert b"Jeanne" not in out.read_bytes()
    assert out.stat().st_size < recording.stat().st_size


def test_redacted_range_is_silent_and_the_rest_is_not(tmp_path: Path) -> None:
    rate = 16_000
    recording = sine_wav(tmp_path / "interview.wav", 4.0, rate=rate, amplitude=0.5)
    out = tmp_path / "stream.m4a"

    make_stream(recording, out, redactions=[(1.0, 2.0), (3.2, 3.5)])

    samples = decode_pcm(out, rate)
    assert len(samples) == pytest.approx(4 * rate, abs=rate // 20)

    def window(start: float, end: float) -> array:
        return samples[int(start * rate) : int(end * rate)]

    # The codec's transform smears edges by a few milliseconds; judge away from them.
    assert peak(window(1.0, 2.0)) < 0.01
    assert peak(window(3.2, 3.5)) < 0.01
    for start, end in ((0.1, 0.95), (2.05, 3.15), (3.55, 3.9)):
        assert peak(window(start, end)) > 0.3


def test_redaction_must_be_a_real_range(tmp_path: Path) -> None:
    recording = sine_wav(tmp_path / "interview.wav", 1.0)

    for bad in [(2.0, 1.0), (-1.0, 0.5), (float("nan"), 1.0)]:
        with pytest.raises(MediaError) as refused:
            make_stream(recording, tmp_path / "stream.m4a", redactions=[bad])
        assert refused.value.code == "invalid_redaction"


# --------------------------------------------------------------------------- recordings: waveform


def test_waveform_follows_the_loud_part(tmp_path: Path) -> None:
    recording = sine_wav(tmp_path / "half.wav", 4.0, loud=(0.0, 2.0))

    peaks = waveform_peaks(recording)

    assert len(peaks) == 400
    assert all(0.0 <= p <= 1.0 for p in peaks)
    assert all(p == pytest.approx(0.5, abs=0.06) for p in peaks[:195])
    assert all(p < 0.01 for p in peaks[205:])


def test_waveform_places_a_short_sound_in_a_long_recording(tmp_path: Path) -> None:
    recording = sine_wav(tmp_path / "long.wav", 60.0, rate=8_000, loud=(30.0, 31.5))

    peaks = waveform_peaks(recording, points=120)

    assert len(peaks) == 120
    loud = [i for i, p in enumerate(peaks) if p > 0.2]
    assert loud and 59 <= loud[0] <= 60 and 62 <= loud[-1] <= 63


def test_waveform_of_a_very_short_recording(tmp_path: Path) -> None:
    recording = sine_wav(tmp_path / "blip.wav", 0.01)

    peaks = waveform_peaks(recording, points=400)

    assert 0 < len(peaks) <= 400


def test_waveform_file_is_json(tmp_path: Path) -> None:
    recording = sine_wav(tmp_path / "voice.wav", 1.0)

    made = make_waveform(recording, tmp_path / "waveform.json", points=50)

    assert (made.role, made.mime) == ("waveform", "application/json")
    assert made.path.read_text().startswith('{"peaks":[')


# --------------------------------------------------------------------------- small helpers


def _derivatives_in(out_dir: Path):
    def call(path: Path, *, max_pixels: int):
        return make_image_derivatives(path, out_dir, max_pixels=max_pixels)

    return call


def _near(pixel, expected, tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
    histogram = diff.histogram()
    return sum(value * count for value, count in enumerate(histogram)) / (a.width * a.height)
