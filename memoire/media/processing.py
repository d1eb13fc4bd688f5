"""Facts and browser derivatives of uploaded photos and recordings, from files on disk.

Pure functions: no database, no request, no app context. The intake operation calls
them and stores what they return. Every problem a contributor's file can cause comes
back as a `MediaError` with a stable `code`; any other exception is a bug here.

Types are decided from the bytes, never from the file name: a sniffer recognises the
accepted containers, then Pillow (images) or mutagen (recordings) is asked to read
the file with *only* the matching plugin, and ffmpeg (from imageio-ffmpeg) is told
the demuxer to use, so a file cannot pass as one type and be parsed as another.
"""

from __future__ import annotations

import io
import json
import logging
import math
import os
import struct
import subprocess
import sys
import tempfile
import warnings
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import imageio_ffmpeg
import mutagen
import pillow_heif
from flask_babel import lazy_gettext as _l
from mutagen.aac import AAC
from mutagen.aiff import AIFF
from mutagen.flac import FLAC
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Tags
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE
from PIL import ExifTags, Image, ImageCms, ImageOps

from memoire.core.errors import MediaError

log = logging.getLogger(__name__)

pillow_heif.register_heif_opener()

__all__ = [
    "AudioFacts",
    "DerivativeFile",
    "ImageFacts",
    "detect_kind",
    "inspect_audio",
    "inspect_image",
    "make_image_derivatives",
    "make_stream",
    "make_waveform",
    "waveform_peaks",
]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ImageFacts:
    """What an original photo tells about itself; sizes are as the photo is seen (oriented)."""

    mime: str
    width: int
    height: int
    taken_at: datetime | None
    gps_lat: float | None
    gps_lon: float | None
    has_personal_metadata: bool


@dataclass(frozen=True)
class DerivativeFile:
    """A file written for browsers from an original, ready to be stored."""

    role: str
    path: Path
    mime: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class AudioFacts:
    """What an original recording tells about itself, read with mutagen."""

    mime: str
    codec: str
    duration: float
    bitrate: int | None
    sample_rate: int | None
    channels: int | None
    tags: dict[str, str] = field(default_factory=dict)
    browser_playable: bool = False


# --------------------------------------------------------------------------- errors


def _empty_file() -> MediaError:
    return MediaError(_l("The file is empty."), code="empty_file")


def _unsupported() -> MediaError:
    return MediaError(
        _l(
            "This type of file is not accepted. Send a photo (JPEG, PNG, WebP, GIF, TIFF, "
            "HEIC) or a recording (MP3, M4A, Ogg, Opus, WAV, FLAC, AIFF)."
        ),
        code="unsupported_type",
    )


def _too_large(pixels: int | None, limit: int) -> MediaError:
    if pixels is None:
        message = _l("This photo is too large: at most %(limit)s pixels.", limit=limit)
    else:
        message = _l(
            "This photo is too large: %(pixels)s pixels, at most %(limit)s.",
            pixels=pixels,
            limit=limit,
        )
    return MediaError(message, code="image_too_large")


def _corrupt_image() -> MediaError:
    return MediaError(
        _l("This photo is damaged or incomplete and cannot be read."), code="corrupt_image"
    )


def _corrupt_audio() -> MediaError:
    return MediaError(
        _l("This recording is damaged or incomplete and cannot be read."), code="corrupt_audio"
    )


def _no_audio() -> MediaError:
    return MediaError(_l("This file contains no sound to play."), code="no_audio")


# --------------------------------------------------------------------------- sniffing

_HEAD_SIZE = 512

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_AVIF_BRANDS = {b"avif", b"avis"}
_GENERIC_HEIF_BRANDS = {b"mif1", b"msf1", b"mif2"}


@dataclass(frozen=True)
class _Format:
    """An accepted container as recognised from its first bytes."""

    kind: str  # "image" | "audio"
    mime: str
    parser: str  # Pillow format name, or audio container name (mutagen class / ffmpeg demuxer)


_OGG_CODECS = {b"\x01vorbis": "vorbis", b"OpusHead": "opus", b"\x7fFLAC": "oggflac"}


def _sniff(path: Path) -> _Format:
    """Recognise an accepted photo or recording from its bytes; refuse anything else."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_SIZE)
        if not head:
            raise _empty_file()
        found = _sniff_image(head) or _sniff_audio(head)
        if found is None and head.startswith(b"ID3") and len(head) >= 10:
            found = _sniff_after_id3(fh, head)
    if found is None:
        raise _unsupported()
    return found


def _sniff_image(head: bytes) -> _Format | None:
    """The photo containers Pillow is allowed to open for us."""
    if head.startswith(b"\xff\xd8\xff"):
        return _Format("image", "image/jpeg", "JPEG")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _Format("image", "image/png", "PNG")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _Format("image", "image/gif", "GIF")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _Format("image", "image/webp", "WEBP")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _Format("image", "image/tiff", "TIFF")
    if head[4:8] == b"ftyp":
        return _sniff_heif(head)
    return None


def _sniff_heif(head: bytes) -> _Format | None:
    """HEIC/HEIF/AVIF by the brands of the ISO-BMFF `ftyp` box; other brands are not images."""
    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _AVIF_BRANDS or (major in _GENERIC_HEIF_BRANDS and brands & _AVIF_BRANDS):
        return _Format("image", "image/avif", "AVIF")
    if major in _HEIF_BRANDS or (major in _GENERIC_HEIF_BRANDS and brands & _HEIF_BRANDS):
        return _Format("image", "image/heic", "HEIF")
    if major in _GENERIC_HEIF_BRANDS:
        return _Format("image", "image/heif", "HEIF")
    return None


def _sniff_audio(head: bytes) -> _Format | None:
    """The recording containers we accept, by their magic numbers."""
    if head.startswith(b"fLaC"):
        return _Format("audio", "audio/flac", "flac")
    if head.startswith(b"OggS") and len(head) > 27:
        packet = head[27 + head[26] :]
        for magic, codec in _OGG_CODECS.items():
            if packet.startswith(magic):
                return _Format("audio", "audio/ogg", codec)
        return None
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _Format("audio", "audio/wav", "wav")
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return _Format("audio", "audio/aiff", "aiff")
    if head[4:8] == b"ftyp":
        return _Format("audio", "audio/mp4", "mp4")
    if head.startswith(b"ADIF"):
        return _Format("audio", "audio/aac", "aac")
    return _sniff_mpeg_frame(head)


def _sniff_mpeg_frame(head: bytes) -> _Format | None:
    """A raw MPEG audio or ADTS AAC stream starts with a frame sync word."""
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    if head[1] & 0xF6 == 0xF0:
        return _Format("audio", "audio/aac", "aac")
    if (head[1] >> 1) & 0x03:  # layer bits 00 are reserved in MPEG audio
        return _Format("audio", "audio/mpeg", "mp3")
    return None


def _sniff_after_id3(fh: io.BufferedReader, head: bytes) -> _Format:
    """An ID3v2 tag may lead an MP3, an ADTS AAC or a FLAC stream: look past it."""
    size = 10 + _syncsafe(head[6:10]) + (10 if head[5] & 0x10 else 0)
    fh.seek(size)
    after = fh.read(_HEAD_SIZE)
    if after.startswith(b"fLaC"):
        return _Format("audio", "audio/flac", "flac")
    framed = _sniff_mpeg_frame(after)
    # Junk between the tag and the first frame is common; mutagen searches for the sync.
    return framed or _Format("audio", "audio/mpeg", "mp3")


def _syncsafe(raw: bytes) -> int:
    return (raw[0] & 0x7F) << 21 | (raw[1] & 0x7F) << 14 | (raw[2] & 0x7F) << 7 | (raw[3] & 0x7F)


def detect_kind(path: Path) -> tuple[str, str]:
    """Say whether a file is an accepted photo or recording, and its MIME type, from content."""
    found = _sniff(Path(path))
    return found.kind, found.mime


# --------------------------------------------------------------------------- images

_JPEG_FORMATS = {"JPEG", "MPO"}
_ORIENTATION = 0x0112
#: EXIF orientations other than "upright" (ImageOps.exif_transpose knows how to turn each).
_TURNED = range(2, 9)
# Tags that name or identify a person or a device, wherever they sit.
_PERSONAL_IFD0_TAGS = {0x013B, 0x8298, 0x9C9D}  # Artist, Copyright, XPAuthor
_PERSONAL_EXIF_TAGS = {0x927C, 0xA430, 0xA431, 0xA435}  # MakerNote, owner, body/lens serial
_METADATA_BLOCK_TAGS = {700, 33723, 34377}  # XMP, IPTC, Photoshop resources (TIFF)
_IPTC_RESOURCE = 0x0404
_FIRST_PHOTO_YEAR = 1826
_JPEG_QUALITY = {"display": 84, "thumbnail": 80}


@contextmanager
def _open_image(path: Path, max_pixels: int) -> Iterator[tuple[Image.Image, _Format]]:
    """Open a photo with only the plugin its bytes call for; hostile files become MediaError.

    The caller's decoding runs inside, so its errors are converted too. (The warnings
    filter is process-wide on Python 3.11; the only filter added turns bomb warnings
    into errors, which is harmless should another thread see it.)
    """
    found = _sniff(path)
    if found.kind != "image":
        raise _unsupported()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        # Pillow warns about odd EXIF or MPO headers it then reads fine; decoding decides.
        warnings.simplefilter("ignore", UserWarning)
        try:
            with _pillow_pixel_limit(max_pixels):
                img = Image.open(path, formats=[found.parser])
            with img:
                _check_pixels(img, max_pixels)
                yield img, found
        except MediaError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_large(None, max_pixels) from exc
        except MemoryError as exc:
            raise _too_large(None, max_pixels) from exc
        except Exception as exc:
            log.info("refused photo %s: %r", path.name, exc)
            raise _corrupt_image() from exc


@contextmanager
def _pillow_pixel_limit(max_pixels: int) -> Iterator[None]:
    """Pillow's bomb check (run while it reads the header) with our limit, not its default."""
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _check_pixels(img: Image.Image, max_pixels: int) -> None:
    width, height = img.size
    if width <= 0 or height <= 0:
        raise _corrupt_image()
    if width * height > max_pixels:
        raise _too_large(width * height, max_pixels)


def _exif(img: Image.Image) -> Image.Exif:
    """The photo's EXIF, or an empty one when it is too broken to parse."""
    try:
        return img.getexif()
    except Exception:  # corrupt EXIF must not sink a photo whose pixels are fine
        return Image.Exif()


def _sub_ifd(exif: Image.Exif, tag: int) -> dict:
    try:
        return dict(exif.get_ifd(tag))
    except Exception:
        return {}


def _orientation(exif: Image.Exif) -> int:
    value = exif.get(_ORIENTATION)
    return value if isinstance(value, int) and value in _TURNED else 1


def _verify_pixels(img: Image.Image) -> None:
    """Decode every pixel once, cheaply, so truncated or broken data is found now."""
    if img.format in _JPEG_FORMATS:
        img.draft(None, (1, 1))  # 1/8 scale: libjpeg still reads every byte
    img.load()


def inspect_image(path: Path, *, max_pixels: int) -> ImageFacts:
    """Read a photo's facts (type, oriented size, date, GPS, personal data) and check it decodes."""
    path = Path(path)
    with _open_image(path, max_pixels) as (img, found):
        width, height = img.size
        _verify_pixels(img)
        exif = _exif(img)
        info = dict(img.info)  # PNG text chunks after the pixels are only known now
    if _orientation(exif) in (5, 6, 7, 8):
        width, height = height, width
    gps = _sub_ifd(exif, ExifTags.IFD.GPSInfo)
    lat, lon = _gps_position(gps)
    return ImageFacts(
        mime=found.mime,
        width=width,
        height=height,
        taken_at=_taken_at(exif),
        gps_lat=lat,
        gps_lon=lon,
        has_personal_metadata=_has_personal_metadata(exif, gps, info),
    )


def _taken_at(exif: Image.Exif) -> datetime | None:
    """EXIF DateTimeOriginal (or DateTimeDigitized), when it is a plausible date."""
    sub = _sub_ifd(exif, ExifTags.IFD.Exif)
    for raw in (sub.get(0x9003), sub.get(0x9004), exif.get(0x9003)):
        when = _parse_exif_datetime(raw)
        if when is not None:
            return when
    return None


def _parse_exif_datetime(raw: object) -> datetime | None:
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "replace")
    if not isinstance(raw, str):
        return None
    text = raw.replace("\x00", "").strip()[:19]
    for pattern in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d"):
        try:
            when = datetime.strptime(text, pattern)
        except ValueError:
            continue
        # Camera clocks left unset give 0000 or future dates; neither says when.
        if _FIRST_PHOTO_YEAR <= when.year and when <= datetime.now() + timedelta(days=1):
            return when
        return None
    return None


def _gps_position(gps: dict) -> tuple[float | None, float | None]:
    """Signed decimal degrees from the GPS IFD, or (None, None) when absent or absurd."""
    lat = _degrees(gps.get(2), gps.get(1), "S")
    lon = _degrees(gps.get(4), gps.get(3), "W")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None, None
    if lat == 0 and lon == 0:  # receivers without a fix write zeros
        return None, None
    return lat, lon


def _degrees(value: object, ref: object, negative_ref: str) -> float | None:
    try:
        parts = [float(v) for v in value] if isinstance(value, tuple | list) else [float(value)]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not parts or len(parts) > 3 or not all(math.isfinite(p) for p in parts):
        return None
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if isinstance(ref, str) and ref.strip("\x00 ").upper() == negative_ref:
        degrees = -degrees
    return round(degrees, 7)


def _has_personal_metadata(exif: Image.Exif, gps: dict, info: dict) -> bool:
    """Whether the original carries location, owner, serial, maker notes, XMP or IPTC."""
    if any(tag != 0 for tag in gps):  # GPSVersionID alone places nobody
        return True
    if _PERSONAL_IFD0_TAGS & exif.keys() or _METADATA_BLOCK_TAGS & exif.keys():
        return True
    if _PERSONAL_EXIF_TAGS & _sub_ifd(exif, ExifTags.IFD.Exif).keys():
        return True
    if info.get("xmp") or info.get("XML:com.adobe.xmp"):
        return True
    photoshop = info.get("photoshop")
    return isinstance(photoshop, dict) and _IPTC_RESOURCE in photoshop


def make_image_derivatives(
    path: Path,
    out_dir: Path,
    *,
    thumbnail_size: int = 320,
    display_size: int = 1600,
    max_pixels: int,
) -> list[DerivativeFile]:
    """Write an upright sRGB JPEG display copy and thumbnail, without any metadata.

    JPEGs are decoded at a reduced scale (draft) just large enough for the display size;
    the thumbnail is made from the display copy, never from the original again.
    """
    path, out_dir = Path(path), Path(out_dir)
    with _open_image(path, max_pixels) as (img, _found):
        orientation = _orientation(_exif(img))
        icc = img.info.get("icc_profile")
        if img.format in _JPEG_FORMATS:
            img.draft(None, _fit(img.size, display_size))
        img.load()
        display = _to_display_pixels(img, display_size, icc)
    if orientation != 1:
        # Turned after the downscale, not before: the original may be 64 megapixels.
        display.getexif()[_ORIENTATION] = orientation
        display = ImageOps.exif_transpose(display)
    thumbnail = _shrink(display, thumbnail_size)
    written: list[DerivativeFile] = []
    try:
        for role, picture in (("display", display), ("thumbnail", thumbnail)):
            written.append(_save_jpeg(picture, out_dir, role))
    except BaseException:
        for done in written:
            done.path.unlink(missing_ok=True)
        raise
    return written


def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    """The size that fits `box` on the long side, keeping proportions, never enlarging."""
    width, height = size
    scale = min(1.0, box / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _shrink(
    img: Image.Image, box: int, resample: Image.Resampling = Image.Resampling.LANCZOS
) -> Image.Image:
    """Fit within `box`; a large `reducing_gap` lets Pillow `reduce()` by whole factors first."""
    target = _fit(img.size, box)
    if target == img.size:
        return img
    return img.resize(target, resample, reducing_gap=3.0)


def _to_display_pixels(img: Image.Image, box: int, icc: bytes | None) -> Image.Image:
    """Shrink first (cheap), then bring any colour model to opaque sRGB RGB."""
    img = _resizable(img)
    # Bicubic (antialiased when shrinking) costs two thirds of Lanczos on megapixels.
    img = _shrink(img, box, Image.Resampling.BICUBIC)
    img = _to_srgb(img, icc)
    return _flatten(img)


def _resizable(img: Image.Image) -> Image.Image:
    """Modes Pillow cannot resample well (palette, bilevel, 16/32-bit) become 8-bit ones."""
    mode = img.mode
    if mode == "1":
        return img.convert("L")
    if mode in ("P", "PA"):
        return img.convert("RGBA" if mode == "PA" or "transparency" in img.info else "RGB")
    if mode.startswith("I;16"):
        return img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if mode in ("I", "F"):
        return _stretch_to_l(img)
    if mode in ("LA", "La"):
        return img.convert("RGBA")
    if mode == "RGBa":
        return img.convert("RGBA")
    if mode in ("L", "RGB", "RGBA", "CMYK", "LAB"):
        return img
    return img.convert("RGB")


def _stretch_to_l(img: Image.Image) -> Image.Image:
    """32-bit greys have no fixed white: map their actual range onto 0..255."""
    img = img.convert("F")
    low, high = img.getextrema()
    span = (high - low) or 1.0
    return img.point(lambda v: (v - low) * (255.0 / span)).convert("L")


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@cache
def _lab_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))


def _to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert through the embedded ICC profile when it works; otherwise Pillow's formulas."""
    alpha = img.getchannel("A") if img.mode == "RGBA" else None
    base = img.convert("RGB") if alpha is not None else img
    converted = _icc_convert(base, icc) if icc else None
    if converted is None and base.mode == "LAB":
        converted = _profile_convert(base, _lab_profile())
    if converted is None:
        converted = base if base.mode == "RGB" else base.convert("RGB")
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _icc_convert(img: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if img.mode == "RGB" and ImageCms.getProfileDescription(profile).startswith("sRGB"):
            return img
    except Exception:  # a broken profile is ignored rather than refusing the photo
        return None
    return _profile_convert(img, profile)


def _profile_convert(img: Image.Image, profile: ImageCms.ImageCmsProfile) -> Image.Image | None:
    try:
        return ImageCms.profileToProfile(
            img,
            profile,
            _srgb_profile(),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode="RGB",
        )
    except Exception:  # profile and pixels disagree (e.g. an RGB profile on CMYK)
        return None


def _flatten(img: Image.Image) -> Image.Image:
    """Transparency is laid on white: JPEG has none, and white is how a page shows it."""
    if img.mode != "RGBA":
        return img
    background = Image.new("RGB", img.size, (255, 255, 255))
    background.paste(img, mask=img.getchannel("A"))
    return background


def _save_jpeg(img: Image.Image, out_dir: Path, role: str) -> DerivativeFile:
    """Save a JPEG that carries pixels only: no EXIF, XMP, IPTC, ICC or comment."""
    img.info = {}  # some encoders fall back to the source's info (comments, profiles)
    fd, name = tempfile.mkstemp(prefix=f"{role}-", suffix=".jpg", dir=out_dir)
    target = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            img.save(fh, "JPEG", quality=_JPEG_QUALITY[role], progressive=True)
        _assert_bare_jpeg(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return DerivativeFile(role, target, "image/jpeg", img.width, img.height)


_METADATA_MARKERS = {0xE1, 0xE2, 0xED, 0xFE}  # APP1 EXIF/XMP, APP2 ICC, APP13 IPTC, COM


def _assert_bare_jpeg(path: Path) -> None:
    """Walk the JPEG segments up to the image data and fail on any metadata segment."""
    with open(path, "rb") as fh:
        if fh.read(2) != b"\xff\xd8":
            raise RuntimeError(f"{path} is not a JPEG")
        while True:
            marker = fh.read(2)
            if len(marker) < 2 or marker[0] != 0xFF or marker[1] == 0xDA:
                return
            (length,) = struct.unpack(">H", fh.read(2))
            if marker[1] in _METADATA_MARKERS:
                raise RuntimeError(f"derivative {path} carries metadata segment {marker.hex()}")
            fh.seek(length - 2, os.SEEK_CUR)


# --------------------------------------------------------------------------- audio

# mutagen reader and ffmpeg demuxer for each accepted container.
_AUDIO_READERS: dict[str, type[mutagen.FileType]] = {
    "mp3": MP3,
    "aac": AAC,
    "mp4": MP4,
    "vorbis": OggVorbis,
    "opus": OggOpus,
    "oggflac": OggFLAC,
    "flac": FLAC,
    "wav": WAVE,
    "aiff": AIFF,
}
_DEMUXERS = {
    "mp3": "mp3",
    "aac": "aac",
    "mp4": "mov",
    "vorbis": "ogg",
    "opus": "ogg",
    "oggflac": "ogg",
    "flac": "flac",
    "wav": "wav",
    "aiff": "aiff",
}
_CONTAINER_CODECS = {
    "aac": "aac",
    "vorbis": "vorbis",
    "opus": "opus",
    "oggflac": "flac",
    "flac": "flac",
    "wav": "pcm",
    "aiff": "pcm",
}
# Codecs every current browser, Safari on old iPhones included, plays without help.
_PLAYABLE_CODECS = {"mp3", "aac"}
_TAG_LENGTH = 300

_ID3_TAGS = {
    "TIT2": "title",
    "TPE1": "artist",
    "TALB": "album",
    "TDRC": "date",
    "TYER": "date",
    "TCON": "genre",
    "TCOM": "composer",
    "TLAN": "language",
    "TIT3": "description",
}
_MP4_TAGS = {
    "©nam": "title",
    "©ART": "artist",
    "©alb": "album",
    "©day": "date",
    "©gen": "genre",
    "©wrt": "composer",
    "©cmt": "comment",
    "desc": "description",
}
_VORBIS_TAGS = {
    "title",
    "artist",
    "album",
    "date",
    "genre",
    "composer",
    "language",
    "comment",
    "description",
}


def _audio_format(path: Path) -> _Format:
    found = _sniff(path)
    if found.kind != "audio":
        raise _unsupported()
    return found


def inspect_audio(path: Path, *, max_bitrate: int = 192_000) -> AudioFacts:
    """Read a recording's facts and tags with mutagen; refuse what it cannot read or is silent."""
    path = Path(path)
    found = _audio_format(path)
    try:
        audio = _AUDIO_READERS[found.parser](path)
        info = audio.info
        duration = float(info.length or 0)
        channels = _positive(getattr(info, "channels", None))
        codec = _codec(found, info)
        tags = _plain_tags(audio.tags)
    except Exception as exc:  # mutagen raises its own errors and plain ones on broken files
        log.info("refused recording %s: %r", path.name, exc)
        raise _corrupt_audio() from exc
    if not math.isfinite(duration) or duration <= 0 or channels is None or not codec:
        raise _no_audio()
    bitrate = _positive(getattr(info, "bitrate", None))
    return AudioFacts(
        mime=found.mime,
        codec=codec,
        duration=round(duration, 3),
        bitrate=bitrate,
        sample_rate=_positive(getattr(info, "sample_rate", None)),
        channels=channels,
        tags=tags,
        browser_playable=codec in _PLAYABLE_CODECS and (bitrate or 0) <= max_bitrate,
    )


def _positive(value: object) -> int | None:
    """mutagen's counts, or None when unknown (0, missing, NaN or infinite)."""
    if isinstance(value, int | float) and math.isfinite(value) and value > 0:
        return int(value)
    return None


def _codec(found: _Format, info: object) -> str:
    if found.parser == "mp3":
        return {1: "mp1", 2: "mp2", 3: "mp3"}.get(getattr(info, "layer", 3), "mp3")
    if found.parser == "mp4":
        return _mp4_codec(str(getattr(info, "codec", "") or ""))
    return _CONTAINER_CODECS[found.parser]


def _mp4_codec(codec: str) -> str:
    """mutagen's MP4 codec ids ("mp4a.40.2", "alac", "ac-3") as plain names."""
    codec = codec.lower()
    if codec.startswith("mp4a.40") or codec == "mp4a":
        return "aac"
    if codec in ("mp4a.69", "mp4a.6b"):
        return "mp3"
    return codec


def _plain_tags(tags: object) -> dict[str, str]:
    """Title, artist, date, comment… as short plain strings, whatever the tag format."""
    try:
        pairs = _tag_pairs(tags)
    except Exception:  # odd tags must not refuse a recording whose sound is readable
        log.info("unreadable tags ignored", exc_info=True)
        return {}
    plain: dict[str, str] = {}
    for key, value in pairs:
        text = _tag_text(value)
        if text and key not in plain:
            plain[key] = text
    return plain


def _tag_pairs(tags: object) -> list[tuple[str, object]]:
    if tags is None:
        return []
    if isinstance(tags, ID3):
        return _id3_pairs(tags)
    if isinstance(tags, MP4Tags):
        return [(_MP4_TAGS[k], v) for k, v in tags.items() if k in _MP4_TAGS]
    # Vorbis comments (Ogg, FLAC)
    return [(k.lower(), v) for k, v in tags.items() if k.lower() in _VORBIS_TAGS]


def _id3_pairs(tags: ID3) -> list[tuple[str, object]]:
    pairs = [(name, tags[frame].text) for frame, name in _ID3_TAGS.items() if frame in tags]
    comments = sorted(tags.getall("COMM"), key=lambda c: c.desc != "")  # plain comment first
    pairs += [("comment", c.text) for c in comments if not c.desc.startswith("iTun")]
    # Some taggers (ffmpeg among them) write a user text frame named like a Vorbis field.
    pairs += [
        (t.desc.lower(), t.text) for t in tags.getall("TXXX") if t.desc.lower() in _VORBIS_TAGS
    ]
    return pairs


def _tag_text(value: object) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        return ""  # pictures and binary blobs are not tags people read
    text = "".join(ch for ch in str(value) if ch.isprintable() or ch in "\n\t").strip()
    return text[:_TAG_LENGTH]


def _ffmpeg() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def _ffmpeg_input(path: Path, found: _Format) -> list[str]:
    """Read only local files, with the demuxer the sniffer chose (no probing into others)."""
    return [
        "-protocol_whitelist",
        "file",
        "-f",
        _DEMUXERS[found.parser],
        "-i",
        f"file:{path.resolve()}",
    ]


def make_stream(
    path: Path, out_path: Path, *, redactions: Sequence[tuple[float, float]] = ()
) -> DerivativeFile:
    """Transcode a recording to mono AAC (~64 kbit/s, .m4a) for browsers, silencing redactions.

    No tags or cover art are copied. Slow for long recordings: run it in a background job.
    """
    path, out_path = Path(path), Path(out_path)
    found = _audio_format(path)
    partial = out_path.with_name(f".{out_path.name}.part")
    command = [
        _ffmpeg(), *"-nostdin -hide_banner -v error -y".split(),
        *_ffmpeg_input(path, found),
        # First audio stream only (no cover art), and no tags or chapters: they may name people.
        *"-map 0:a:0 -map_metadata -1 -map_chapters -1".split(),
        "-af", _stream_filters(redactions),
        *"-c:a aac -b:a 64k -movflags +faststart -f mp4".split(),
        f"file:{partial.resolve()}",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, check=False)
        if result.returncode != 0 or not _has_sound(partial):
            log.info(
                "ffmpeg refused %s: %s", path.name, result.stderr[-2000:].decode(errors="replace")
            )
            raise _corrupt_audio()
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    return DerivativeFile("stream", out_path, "audio/mp4")


def decode_pcm(
    path: Path,
    *,
    rate: int = 16_000,
    start: float = 0.0,
    duration: float | None = None,
    redactions: Sequence[tuple[float, float]] = (),
) -> bytes:
    """Mono 32-bit float samples of a stretch of a recording, redactions silenced.

    Speech recognition reads recordings through this, in stretches, so an hours-long
    interview never sits whole in memory and a withheld passage is never heard.
    """
    path = Path(path)
    found = _audio_format(path)
    shifted = [(s - start, e - start) for s, e in redactions if e > start]
    filters = _stream_filters([(max(0.0, s), e) for s, e in shifted if e > 0])
    command = [
        _ffmpeg(), *"-nostdin -hide_banner -v error".split(),
        "-ss", f"{max(0.0, start):.3f}",
        *(["-t", f"{duration:.3f}"] if duration is not None else []),
        *_ffmpeg_input(path, found),
        *"-map 0:a:0 -map_metadata -1".split(),
        "-af", f"{filters},aresample={rate}",
        "-ar", str(rate), *"-ac 1 -f f32le -c:a pcm_f32le pipe:1".split(),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        log.info("ffmpeg could not decode %s: %s", path.name, result.stderr[-2000:].decode(errors="replace"))
        raise _corrupt_audio()
    return result.stdout


def _has_sound(stream: Path) -> bool:
    """Whether ffmpeg wrote a playable stream: header-only originals decode to nothing."""
    try:
        return MP4(stream).info.length > 0
    except Exception:
        return False


_STREAM_RATE = 44_100
_FILTER_FRAME = 441  # 10 ms frames, so a redaction starts within 10 ms of where it is asked


def _stream_filters(redactions: Sequence[tuple[float, float]]) -> str:
    """Mono, timestamps from zero, and volume 0 over each redaction (widened by one frame)."""
    filters = [
        "aformat=channel_layouts=mono",
        f"aresample={_STREAM_RATE}",
        "asetpts=PTS-STARTPTS",
    ]
    ranges = [_checked_range(start, end) for start, end in redactions]
    if ranges:
        frame = _FILTER_FRAME / _STREAM_RATE
        # A frame is silenced when it starts inside the range, so start one frame early.
        enable = "+".join(f"between(t,{max(0.0, s - frame):.6f},{e:.6f})" for s, e in ranges)
        filters += [f"asetnsamples=n={_FILTER_FRAME}:p=0", f"volume=volume=0:enable='{enable}'"]
    return ",".join(filters)


def _checked_range(start: float, end: float) -> tuple[float, float]:
    start, end = float(start), float(end)
    if not (math.isfinite(start) and math.isfinite(end) and 0 <= start < end):
        raise MediaError(
            _l("A withheld passage must start before it ends."), code="invalid_redaction"
        )
    return start, end


_PEAK_RATE = 8_000
_READ_BYTES = 1 << 16


def waveform_peaks(path: Path, points: int = 400) -> list[float]:
    """Peak levels (0..1 of full scale) of `points` equal slices of a recording, for the player.

    Decoded by ffmpeg to 8 kHz mono and read as a stream, so memory stays flat whatever the
    length; fewer values come back only for recordings shorter than `points` samples.
    """
    path = Path(path)
    if points < 1:
        raise ValueError("points must be positive")
    found = _audio_format(path)
    command = [
        _ffmpeg(), *"-nostdin -v error".split(),
        *_ffmpeg_input(path, found),
        *f"-map 0:a:0 -ac 1 -ar {_PEAK_RATE} -f s16le -c:a pcm_s16le pipe:1".split(),
    ]  # fmt: skip
    peaks = _PeakCollector(points)
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors) as proc:
            assert proc.stdout is not None
            for chunk in iter(lambda: proc.stdout.read(_READ_BYTES), b""):
                peaks.feed(chunk)
        if proc.returncode != 0 or peaks.count == 0:
            errors.seek(0)
            log.info("ffmpeg could not decode %s: %s", path.name, errors.read(2000))
            raise _corrupt_audio()
    return peaks.result()


class _PeakCollector:
    """Keeps between `points` and 2×`points` bucket peaks, doubling bucket width as audio flows."""

    def __init__(self, points: int) -> None:
        self.points = points
        self.bucket = 1
        self.peaks = array("i")
        self.pending = array("h")
        self.odd_byte = b""
        self.count = 0

    def feed(self, chunk: bytes) -> None:
        chunk = self.odd_byte + chunk
        cut = len(chunk) - len(chunk) % 2
        self.odd_byte = chunk[cut:]
        samples = array("h", chunk[:cut])
        if sys.byteorder == "big":
            samples.byteswap()
        self.count += len(samples)
        self.pending.extend(samples)
        start = 0
        while len(self.pending) - start >= self.bucket:
            self._add(self.pending[start : start + self.bucket])
            start += self.bucket
        del self.pending[:start]

    def _add(self, samples: array) -> None:
        self.peaks.append(max(max(samples), -min(samples)))
        if len(self.peaks) == 2 * self.points:
            pairs = zip(self.peaks[0::2], self.peaks[1::2], strict=True)
            self.peaks = array("i", (max(a, b) for a, b in pairs))
            self.bucket *= 2

    def result(self) -> list[float]:
        if self.pending:
            self._add(self.pending)
            self.pending = array("h")
        peaks, n = self.peaks, len(self.peaks)
        if n <= self.points:
            return [round(min(p / 32768, 1.0), 4) for p in peaks]
        edges = [i * n // self.points for i in range(self.points + 1)]
        return [
            round(min(max(peaks[edges[i] : edges[i + 1]]) / 32768, 1.0), 4)
            for i in range(self.points)
        ]


def make_waveform(path: Path, out_path: Path, *, points: int = 400) -> DerivativeFile:
    """Write the player's waveform as JSON (`{"peaks": [...]}`) next to the stream."""
    out_path = Path(out_path)
    data = json.dumps({"peaks": waveform_peaks(path, points)}, separators=(",", ":"))
    partial = out_path.with_name(f".{out_path.name}.part")
    partial.write_text(data, encoding="utf-8")
    os.replace(partial, out_path)
    return DerivativeFile("waveform", out_path, "application/json")
