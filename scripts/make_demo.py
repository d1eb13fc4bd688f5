"""Regenerate the demo archive that `memoire demo` loads: photos, recordings, transcripts.

The media of `memoire/demo/data/` are written by this script and committed; the loader only
reads the committed files, so neither CI nor a visitor's machine needs the tools below. The
script is a tool of the project, not part of the installed package, and holds code only: the
stories are written in `data/stories.jsonl` (edited by hand, read here), the spoken lines in
the committed WebVTT transcripts, and the rest of the generator's input in `demo_source/`.

    python scripts/make_demo.py           # rebuild all of data/ (needs espeak-ng on PATH)
    python scripts/make_demo.py --photos  # only the photos and exhibition.json
    python scripts/make_demo.py --check   # validate data/ as committed (Pillow and mutagen only)

Rebuilding needs espeak-ng (`apt-get install espeak-ng`, voices `fr`, `fr-be`, `nl`) and the
ffmpeg binary that the `imageio-ffmpeg` dependency ships. Output is deterministic: seeded
drawings, bit-exact encoders, cue times measured from the synthesised speech itself.

The stories are invented for the project but historically grounded (the Dutemple headframe,
the Renard spoil heap, Usinor Denain, the 1963 strike, Italian, Polish, Moroccan and Flemish
migration). Narrators are invented first names or pseudonyms; voices are synthetic.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

DATA_DIR = Path(__file__).resolve().parent.parent / "memoire" / "demo" / "data"
STORIES_FILE = "stories.jsonl"
EXHIBITION_FILE = "exhibition.json"
THEN_NOW_FILE = "then_now.json"
LICENCE = "CC-BY-NC-4.0"

# The import format: any other key is an error for the importer, so the check enforces it too.
STORY_KEYS = {
    "id",
    "title",
    "summary",
    "body",
    "kind",
    "narrators",
    "period",
    "recorded_on",
    "language",
    "themes",
    "places",
    "media",
    "transcript",
    "visibility",
    "status",
    "consent",
    "licence",
    "answers",
    "answers_at",
}
NARRATOR_KEYS = {"name", "birth_decade", "pseudonym"}
PERIOD_KEYS = ({"start", "end"}, {"text"})
PLACE_KEYS = {"name", "type", "parent", "lat", "lon", "role"}
MEDIA_KEYS = {"path", "caption", "alt"}
CONSENT_KEYS = {
    "given_by",
    "method",
    "online_publication",
    "research_use",
    "exhibition_use",
    "licence",
    "precision",
}
# The exhibition format of docs/exhibition-format.md.
EXHIBITION_KEYS = {"slug", "title", "introduction", "languages", "status", "cover", "items"}
EXHIBITION_ITEM_KEYS = {"story", "caption", "excerpt"}
THEMES = {
    "mine",
    "usine",
    "école",
    "fête",
    "migration",
    "commerce",
    "logement",
    "chemin de fer",
    "verrerie",
    "sport",
    "religion",
    "famille",
}
KINDS = {"oral_history", "photo", "anecdote", "heritage"}
PLACE_TYPES = {"commune", "quartier", "street", "building", "landmark"}
# Hainaut and the Valenciennois: every point of the demo must fall inside this box.
REGION = (50.25, 50.55, 3.3, 4.05)
# "Under 4.5 MB", read strictly. It was 4 MB until the two "today" photos of the then-and-now
# pairs (issue 18): the archive stood at 3.97 MB, and no 1600 px drawing fits in what was left.
MAX_TOTAL_BYTES = 4_500_000


# --- Sources ------------------------------------------------------------------------------------
# The story text is written once, in data/stories.jsonl, which the loader imports as it stands:
# the generator reads it and never rewrites it (lines added by hand, such as a recording that
# waits for its transcript, stay as they are). What only the generator needs sits beside this
# script in demo_source/: the voices of each recording, the photos' scenes and EXIF, and the
# exhibition with its excerpts as cue numbers. The spoken lines of a recording are the cues of
# its committed WebVTT transcript, so they too are written once.

SOURCE_DIR = Path(__file__).resolve().parent / "demo_source"


def _source(name: str) -> object:
    return json.loads((SOURCE_DIR / name).read_text("utf-8"))


def read_stories(data_dir: Path) -> list[dict]:
    lines = (data_dir / STORIES_FILE).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice: the voice name with its variant, words per minute, pitch 0-99."""

    espeak: str
    speed: int = 150
    pitch: int = 50


@dataclass(frozen=True)
class Recording:
    """An oral history clip: the voice of each speaker and the container it is delivered in."""

    story: str
    fmt: str  # "ogg" (Vorbis), "opus" (Opus in Ogg), "mp3", "wav" (8 kHz PCM)
    title: str
    voices: dict[str, Voice] = field(hash=False)

    @property
    def audio_path(self) -> str:
        return f"media/{self.story}.{self.fmt}"

    @property
    def transcript_path(self) -> str:
        return f"transcripts/{self.story}.vtt"

    def cues(self, data_dir: Path) -> list[tuple[str, str]]:
        """(speaker, line) of each cue, as the committed transcript writes them."""
        lines = []
        for _start, _end, text in read_cues(data_dir / self.transcript_path):
            speaker, line = VOICE_TAG.match(text).groups()
            lines.append((speaker, line.replace("&lt;", "<").replace("&amp;", "&")))
        return lines


RECORDINGS: dict[str, Recording] = {
    r["story"]: Recording(
        r["story"],
        r["format"],
        r["title"],
        {speaker: Voice(**voice) for speaker, voice in r["voices"].items()},
    )
    for r in _source("recordings.json")
}


@dataclass(frozen=True)
class PhotoDef:
    """A drawn photo and the EXIF a phone or scanner would have left in it."""

    path: str
    scene: str
    camera: tuple[str, str] | None = None
    taken_at: str | None = None
    owner: str | None = None
    gps: tuple[float, float, float] | None = None  # lat, lon, altitude in metres
    orientation: int = 1
    quality: int = 70  # JPEG quality; the "today" photos go lower to fit the size budget


PHOTOS: list[PhotoDef] = [
    PhotoDef(
        **{key: tuple(value) if isinstance(value, list) else value for key, value in p.items()}
    )
    for p in _source("photos.json")
]

# Excerpts point at cues (first, last, 1-based) so they follow the measured timings.
EXHIBITION: dict = _source("exhibition.json")


# --- Drawings -----------------------------------------------------------------------------------
# Procedural "photos": drawn at twice the size with simple shapes and a pinhole camera, then
# reduced and given the look of a phone photo, a faded colour print or a scanned sepia print.

Color = tuple[int, int, int]
W, H = 1600, 1067
SS = 2  # drawn at twice the size, then reduced: cheap anti-aliasing


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _mix(c0: Color, c1: Color, t: float) -> Color:
    return tuple(round(_lerp(a, b, t)) for a, b in zip(c0, c1, strict=True))


def _gradient(size: tuple[int, int], stops: list[tuple[float, Color]]) -> Image.Image:
    """A vertical gradient through colour stops given as (position 0..1, colour)."""
    w, h = size
    column = []
    for y in range(h):
        t = y / max(1, h - 1)
        colour = stops[-1][1]
        for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
            if p0 <= t <= p1:
                colour = _mix(c0, c1, (t - p0) / (p1 - p0) if p1 > p0 else 0.0)
                break
        else:
            if t < stops[0][0]:
                colour = stops[0][1]
        column.append(colour)
    strip = Image.new("RGB", (1, h))
    strip.putdata(column)
    return strip.resize((w, h), Image.Resampling.NEAREST)


def _soft_disc(radius: int, power: float = 2.0) -> Image.Image:
    """An L mask, 255 in the middle fading to 0 at `radius`."""
    ramp = Image.radial_gradient("L").resize((2 * radius, 2 * radius), Image.Resampling.BILINEAR)
    return ramp.point([round(255 * max(0.0, 1 - v / 255) ** power) for v in range(256)])


def _glow(
    img: Image.Image,
    xy: tuple[int, int],
    radius: int,
    colour: Color,
    alpha: float,
    power: float = 2.0,
) -> None:
    mask = _soft_disc(radius, power).point(lambda v: round(v * alpha))
    img.paste(Image.new("RGB", mask.size, colour), (xy[0] - radius, xy[1] - radius), mask)


def _layer(img: Image.Image) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    return layer, ImageDraw.Draw(layer)


def _merge(img: Image.Image, layer: Image.Image, blur: float = 0.0) -> None:
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    img.paste(layer, (0, 0), layer)


def _clouds(
    img: Image.Image,
    rng: random.Random,
    n: int,
    band: tuple[float, float],
    colour: Color,
    alpha: int,
) -> None:
    w, h = img.size
    layer, draw = _layer(img)
    for _ in range(n):
        cx, cy = rng.uniform(-0.1, 1.1) * w, rng.uniform(*band) * h
        for _ in range(rng.randint(4, 8)):
            rx, ry = rng.uniform(0.04, 0.12) * w, rng.uniform(0.015, 0.04) * h
            ox, oy = rng.uniform(-0.08, 0.08) * w, rng.uniform(-0.02, 0.01) * h
            draw.ellipse(
                (cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry), fill=(*colour, alpha)
            )
    _merge(img, layer, blur=w / 120)


def _tree(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    x: float,
    y: float,
    r: float,
    dark: Color,
    light: Color,
) -> None:
    """A leafy tree: trunk and a cluster of blobs, lit from the upper left."""
    draw.rectangle(
        (x - r * 0.08, y - r * 0.6, x + r * 0.08, y + r * 0.9), fill=_mix(dark, (40, 30, 20), 0.5)
    )
    for i in range(14):
        t = i / 13
        bx, by = x + rng.uniform(-0.7, 0.7) * r, y - r * 0.9 + rng.uniform(-0.6, 0.5) * r
        br = r * rng.uniform(0.35, 0.55)
        draw.ellipse(
            (bx - br, by - br, bx + br, by + br),
            fill=_mix(dark, light, t * 0.6 + rng.uniform(0, 0.25)),
        )


def _poplar(draw: ImageDraw.ImageDraw, x: float, ground: float, h: float, colour: Color) -> None:
    draw.ellipse((x - h * 0.09, ground - h, x + h * 0.09, ground - h * 0.08), fill=colour)
    draw.line(
        (x, ground - h * 0.1, x, ground),
        fill=_mix(colour, (30, 25, 20), 0.5),
        width=max(2, round(h * 0.015)),
    )


def _person(
    draw: ImageDraw.ImageDraw,
    x: float,
    ground: float,
    h: float,
    colour: Color,
    rng: random.Random,
    coat: Color | None = None,
) -> None:
    """A standing figure, seen from afar."""
    coat = coat or colour
    head = h * 0.13
    draw.ellipse((x - head * 0.5, ground - h, x + head * 0.5, ground - h + head), fill=colour)
    sway = rng.uniform(-0.06, 0.06) * h
    draw.polygon(
        [
            (x - h * 0.12, ground - h * 0.82),
            (x + h * 0.12, ground - h * 0.82),
            (x + h * 0.16 + sway, ground - h * 0.38),
            (x - h * 0.16 + sway, ground - h * 0.38),
        ],
        fill=coat,
    )
    step = rng.uniform(0.02, 0.08) * h
    lw = max(2, round(h * 0.07))
    draw.line((x - h * 0.05, ground - h * 0.4, x - h * 0.05 - step, ground), fill=colour, width=lw)
    draw.line((x + h * 0.05, ground - h * 0.4, x + h * 0.05 + step, ground), fill=colour, width=lw)


def _windows(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    cols: int,
    rows: int,
    fill: Color,
    frame: Color,
    lit: list[bool] | None = None,
    lit_colour: Color = (250, 210, 120),
    margin: float = 0.25,
) -> None:
    x0, y0, x1, y1 = box
    cw, rh = (x1 - x0) / cols, (y1 - y0) / rows
    for r in range(rows):
        for c in range(cols):
            wx0, wy0 = x0 + c * cw + cw * margin, y0 + r * rh + rh * margin * 0.8
            wx1, wy1 = x0 + (c + 1) * cw - cw * margin, y0 + (r + 1) * rh - rh * margin * 0.8
            on = lit[(r * cols + c) % len(lit)] if lit else False
            draw.rectangle(
                (wx0, wy0, wx1, wy1),
                fill=lit_colour if on else fill,
                outline=frame,
                width=max(2, round(cw * 0.04)),
            )
            draw.line(
                ((wx0 + wx1) / 2, wy0, (wx0 + wx1) / 2, wy1),
                fill=frame,
                width=max(1, round(cw * 0.025)),
            )


def _bricks(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    base: Color,
    mortar: Color,
    course: float,
    rng: random.Random,
) -> None:
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=base)
    y, row = y0, 0
    while y < y1:
        draw.line((x0, y, x1, y), fill=mortar, width=max(1, round(course * 0.12)))
        x = x0 + (course * 1.1 if row % 2 else 0)
        while x < x1:
            draw.line(
                (x, y, x, min(y1, y + course)), fill=mortar, width=max(1, round(course * 0.1))
            )
            x += course * 2.2
        y += course
        row += 1


def _noise(
    size: tuple[int, int], rng: random.Random, strength: float, grain: int = 2
) -> Image.Image:
    """Film grain as an L image centred on 128, from a seeded generator (Pillow's own noise is not seeded)."""
    w, h = size
    gw, gh = max(1, w // grain), max(1, h // grain)
    small = Image.frombytes("L", (gw, gh), rng.randbytes(gw * gh))
    lut = [max(0, min(255, round(128 + (v - 128) * strength))) for v in range(256)]
    return small.resize((w, h), Image.Resampling.BILINEAR).point(lut)


def _vignette(img: Image.Image, amount: float) -> Image.Image:
    ramp = Image.radial_gradient("L").resize(img.size, Image.Resampling.BILINEAR)
    mask = ramp.point([round(255 * (1 - amount * min(1.0, v / 255) ** 2)) for v in range(256)])
    return ImageChops.multiply(img, Image.merge("RGB", (mask, mask, mask)))


def _finish(
    img: Image.Image, rng: random.Random, *, style: str, grain: float = 0.08, vignette: float = 0.25
) -> Image.Image:
    """Reduce to final size and give the look of a modern phone photo, a faded print or an old sepia print."""
    img = img.resize((W, H), Image.Resampling.LANCZOS)
    grain_block = 2
    if style == "sepia":
        grey = ImageOps.grayscale(img.filter(ImageFilter.GaussianBlur(0.9)))
        grey = ImageOps.autocontrast(grey, cutoff=1)
        img = ImageOps.colorize(grey, black=(34, 24, 16), mid=(140, 112, 80), white=(240, 226, 196))
        grain_block = 3
    elif style == "faded":
        img = ImageEnhance.Color(img).enhance(0.72)
        img = img.point(lambda v: round(18 + v * 0.86))
        img = Image.blend(img, Image.new("RGB", img.size, (235, 180, 110)), 0.08)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
    grain_img = _noise(img.size, rng, grain * 2.2, grain=grain_block).convert("RGB")
    img = ImageChops.add(img, grain_img, scale=1.0, offset=-128)
    img = _vignette(img, vignette)
    if style == "sepia":
        img = _scan_border(img, rng)
    return img


def _scan_border(img: Image.Image, rng: random.Random) -> Image.Image:
    """A scanned print: off-white border, a few specks of dust."""
    w, h = img.size
    border = round(w * 0.025)
    out = Image.new("RGB", (w, h), (236, 230, 214))
    out.paste(
        img.resize((w - 2 * border, h - 2 * border), Image.Resampling.LANCZOS), (border, border)
    )
    draw = ImageDraw.Draw(out)
    for _ in range(40):
        x, y, r = (
            rng.uniform(border, w - border),
            rng.uniform(border, h - border),
            rng.uniform(0.6, 2.2),
        )
        shade = rng.choice([(250, 244, 230), (40, 30, 22)])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    for _ in range(2):
        x, y = rng.uniform(border, w - border), rng.uniform(border, h * 0.6)
        draw.line(
            (x, y, x + rng.uniform(-20, 20), y + rng.uniform(60, 200)),
            fill=(214, 200, 176),
            width=1,
        )
    return out


class Camera:
    """A pinhole camera: world metres (x right, y up, z away) to canvas pixels."""

    def __init__(
        self, width: int, height: int, *, eye: float, horizon: float, focal: float, x: float = 0.0
    ) -> None:
        self.cx, self.horizon, self.focal = width / 2, height * horizon, width * focal
        self.eye, self.x = eye, x

    def __call__(self, x: float, y: float, z: float) -> tuple[float, float]:
        return self.cx + self.focal * (x - self.x) / z, self.horizon - self.focal * (
            y - self.eye
        ) / z

    def size(self, metres: float, z: float) -> float:
        return self.focal * metres / z


CW, CH = W * SS, H * SS


def _font(px: float) -> ImageFont.FreeTypeFont:
    """Pillow's bundled font, the same on every machine (it has no accented capitals)."""
    return ImageFont.load_default(size=max(8, round(px)))


def _fade(colour: Color, sky: Color, z: float, depth: float) -> Color:
    """Aerial perspective: a colour `z` metres away drifts towards the sky's."""
    return _mix(colour, sky, 1 - math.exp(-z / depth))


def _quad(
    draw: ImageDraw.ImageDraw, cam: Camera, pts: list[tuple[float, float, float]], fill: Color
) -> None:
    draw.polygon([cam(*p) for p in pts], fill=fill)


def _figure_at(
    draw: ImageDraw.ImageDraw,
    cam: Camera,
    rng: random.Random,
    x: float,
    z: float,
    height: float = 1.7,
    colour: Color = (40, 36, 34),
    coat: Color | None = None,
) -> None:
    """A person standing on the ground at (x, z) metres, at the right size for the distance."""
    bx, by = cam(x, 0, z)
    _person(draw, bx, by, cam.size(height, z), colour, rng, coat=coat)


def chevalement(rng: random.Random) -> Image.Image:
    """The concrete headframe of the former Dutemple pit, in its public garden, late afternoon."""
    img = _gradient(
        (CW, CH),
        [
            (0, (74, 112, 168)),
            (0.45, (160, 170, 190)),
            (0.68, (246, 200, 150)),
            (0.74, (252, 222, 170)),
            (1, (252, 222, 170)),
        ],
    )
    _glow(img, (int(CW * 0.18), int(CH * 0.66)), int(CW * 0.28), (255, 236, 190), 0.8)
    _clouds(img, rng, 7, (0.08, 0.4), (255, 244, 235), 120)
    horizon = CH * 0.74
    draw = ImageDraw.Draw(img)
    # distant town
    x = 0.0
    while x < CW:
        bw, bh = rng.uniform(0.03, 0.08) * CW, rng.uniform(0.02, 0.07) * CH
        draw.rectangle((x, horizon - bh, x + bw, horizon), fill=(120, 112, 128))
        if rng.random() < 0.5:
            draw.polygon(
                [(x, horizon - bh), (x + bw / 2, horizon - bh - bw * 0.35), (x + bw, horizon - bh)],
                fill=(112, 104, 120),
            )
        x += bw + rng.uniform(0, 0.01) * CW
    for _ in range(22):
        _tree(
            draw,
            rng,
            rng.uniform(0, 1) * CW,
            horizon + rng.uniform(-0.01, 0.02) * CH,
            rng.uniform(0.03, 0.06) * CW,
            (48, 70, 40),
            (120, 140, 70),
        )
    draw.rectangle((0, horizon, CW, CH), fill=(84, 120, 56))
    lawn = _gradient((CW, int(CH - horizon)), [(0, (120, 150, 70)), (1, (58, 96, 44))])
    img.paste(lawn, (0, int(horizon)))
    draw = ImageDraw.Draw(img)
    # path curving to the foot of the headframe
    draw.polygon(
        [(CW * 0.52, horizon + 8), (CW * 0.6, horizon + 8), (CW * 0.95, CH), (CW * 0.55, CH)],
        fill=(196, 180, 150),
    )
    # the headframe: four reinforced-concrete legs, beams, the sheave platform and wheels, the inclined strut
    conc_dark, conc_lit = (92, 86, 92), (214, 184, 150)
    ground = horizon + CH * 0.02
    lx0, lx1, top = CW * 0.44, CW * 0.6, CH * 0.16
    taper = CW * 0.025
    leg = CW * 0.016
    for xb, xt in ((lx0, lx0 + taper), (lx1, lx1 - taper)):
        draw.polygon(
            [(xb - leg, ground), (xb + leg, ground), (xt + leg * 0.8, top), (xt - leg * 0.8, top)],
            fill=conc_dark,
        )
        draw.polygon(
            [
                (xb - leg, ground),
                (xb - leg * 0.4, ground),
                (xt - leg * 0.3, top),
                (xt - leg * 0.8, top),
            ],
            fill=conc_lit,
        )
    for i in range(6):
        t = i / 5
        y = _lerp(ground - CH * 0.07, top + CH * 0.02, t)
        xa, xb = (
            _lerp(lx0, lx0 + taper, 1 - (y - top) / (ground - top)),
            _lerp(lx1, lx1 - taper, 1 - (y - top) / (ground - top)),
        )
        draw.rectangle((xa, y - CH * 0.011, xb, y + CH * 0.011), fill=conc_dark)
        draw.line((xa, y - CH * 0.011, xb, y - CH * 0.011), fill=conc_lit, width=4)
    # strut down to the right (the winding house stood there)
    sx_top, sy_top = lx1 - taper, top + CH * 0.06
    for off in (0, CW * 0.05):
        draw.polygon(
            [
                (sx_top + off * 0.2, sy_top),
                (sx_top + off * 0.2 + leg * 1.5, sy_top),
                (CW * 0.83 + off, ground),
                (CW * 0.83 + off - leg * 1.8, ground),
            ],
            fill=_mix(conc_dark, (0, 0, 0), 0.1),
        )
    for i in range(1, 4):
        t = i / 4
        ya = _lerp(sy_top, ground, t)
        xa = _lerp(sx_top, CW * 0.83, t)
        draw.rectangle((xa, ya - CH * 0.008, xa + CW * 0.05, ya + CH * 0.008), fill=conc_dark)
    # platform and sheaves
    draw.rectangle(
        (lx0 - CW * 0.01, top - CH * 0.03, lx1 + CW * 0.01, top + CH * 0.01), fill=conc_dark
    )
    draw.line(
        (lx0 - CW * 0.01, top - CH * 0.03, lx1 + CW * 0.01, top - CH * 0.03), fill=conc_lit, width=5
    )
    for cx in (CW * 0.485, CW * 0.555):
        r = CW * 0.032
        cy = top - CH * 0.05
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(60, 56, 62), width=10)
        for k in range(6):
            a = k * math.pi / 3 + 0.3
            draw.line(
                (cx, cy, cx + r * math.cos(a), cy + r * math.sin(a)), fill=(60, 56, 62), width=5
            )
    # garden: benches, shrubs, walkers
    for x in (0.08, 0.2, 0.3, 0.88, 0.95):
        _tree(
            draw,
            rng,
            CW * x,
            horizon + CH * 0.08,
            CW * rng.uniform(0.05, 0.08),
            (40, 66, 36),
            (110, 140, 60),
        )
    draw.rectangle((CW * 0.36, CH * 0.86, CW * 0.43, CH * 0.875), fill=(70, 50, 36))
    draw.rectangle((CW * 0.365, CH * 0.875, CW * 0.37, CH * 0.9), fill=(50, 40, 30))
    draw.rectangle((CW * 0.42, CH * 0.875, CW * 0.425, CH * 0.9), fill=(50, 40, 30))
    _person(draw, CW * 0.68, CH * 0.93, CH * 0.16, (40, 36, 40), rng, coat=(120, 40, 40))
    _person(draw, CW * 0.72, CH * 0.95, CH * 0.1, (40, 36, 40), rng, coat=(40, 70, 130))
    return _finish(img, rng, style="modern", grain=0.03, vignette=0.22)


def corons(rng: random.Random, *, today: bool = False) -> Image.Image:
    """A street of miners' terraced houses receding to the horizon, around 1955.

    `today`: the same street from the same spot in 2025, for a then-and-now pair. The
    houses were renovated with their façades kept: cleaned brick, new tiles, painted
    doors and white window frames; asphalt over the cobbles, cars along the kerb.
    """
    sky = (200, 218, 236) if today else (226, 226, 222)
    top = (104, 150, 206) if today else (190, 192, 194)
    img = _gradient((CW, CH), [(0, top), (0.5, sky), (1, sky)])
    _clouds(img, rng, 8, (0.05, 0.3), (250, 250, 250) if today else (246, 246, 244), 140)
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=1.6, horizon=0.56, focal=0.5, x=-0.6)
    draw.polygon(
        [cam(-60, 0, 2.0), cam(60, 0, 2.0), cam(60, 0, 400), cam(-60, 0, 400)],
        fill=(88, 90, 94) if today else (150, 146, 140),
    )
    doors = [(236, 236, 232), (44, 76, 120), (46, 96, 72), (150, 40, 38), (60, 60, 64)]
    for side in (-1, 1):
        xf, xr = 5.2 * side, 8.0 * side
        bricks = [(146, 76, 56), (132, 68, 52), (156, 84, 60), (124, 66, 50)]
        if today:
            bricks = [_mix(b, (214, 120, 84), 0.22) for b in bricks]
        houses = [(3.0 + i * 5.2, 3.0 + (i + 1) * 5.2) for i in range(46)]
        for i, (z0, z1) in reversed(list(enumerate(houses))):
            base = _fade(bricks[(i + (side > 0)) % 4], sky, z0, 90)
            roof = _fade((92, 66, 60) if today else (64, 58, 60), sky, z0, 90)
            dark = _fade(doors[(i * 3 + (side > 0)) % 5] if today else (42, 38, 40), sky, z0, 90)
            glass = (62, 82, 104) if today else (58, 62, 70)
            sill = (244, 244, 240) if today else (214, 204, 186)
            _quad(draw, cam, [(xf, 0, z0), (xf, 0, z1), (xf, 4.4, z1), (xf, 4.4, z0)], base)
            _quad(draw, cam, [(xf, 4.4, z0), (xf, 4.4, z1), (xr, 7.0, z1), (xr, 7.0, z0)], roof)
            if z0 < 60:
                for k in range(1, 14):
                    y = k * 0.32
                    a, b = cam(xf, y, z0), cam(xf, y, z1)
                    draw.line(
                        (a, b),
                        fill=_mix(base, (196, 178, 160), 0.3),
                        width=max(1, round(cam.size(0.03, z0))),
                    )
            door = (z0 + 0.6, z0 + 1.6) if i % 2 == 0 else (z1 - 1.6, z1 - 0.6)
            win = (z0 + 2.4, z0 + 3.8) if i % 2 == 0 else (z0 + 1.0, z0 + 2.4)
            _quad(
                draw,
                cam,
                [(xf, 0, door[0]), (xf, 0, door[1]), (xf, 2.1, door[1]), (xf, 2.1, door[0])],
                dark,
            )
            _quad(
                draw,
                cam,
                [(xf, 1.0, win[0]), (xf, 1.0, win[1]), (xf, 2.4, win[1]), (xf, 2.4, win[0])],
                _fade(glass, sky, z0, 90),
            )
            _quad(
                draw,
                cam,
                [
                    (xf, 2.4, win[0] - 0.1),
                    (xf, 2.4, win[1] + 0.1),
                    (xf, 2.6, win[1] + 0.1),
                    (xf, 2.6, win[0] - 0.1),
                ],
                _fade(sill, sky, z0, 90),
            )
            _quad(
                draw,
                cam,
                [
                    (xf, 0.9, win[0] - 0.1),
                    (xf, 0.9, win[1] + 0.1),
                    (xf, 1.0, win[1] + 0.1),
                    (xf, 1.0, win[0] - 0.1),
                ],
                _fade(sill, sky, z0, 90),
            )
            # dormer-less roofs, a chimney on every party wall
            cxw = xf + (xr - xf) * 0.55
            cy = 4.4 + (7.0 - 4.4) * 0.55
            _quad(
                draw,
                cam,
                [
                    (cxw, cy, z0 - 0.35),
                    (cxw, cy, z0 + 0.35),
                    (cxw, cy + 1.3, z0 + 0.35),
                    (cxw, cy + 1.3, z0 - 0.35),
                ],
                _fade((112, 60, 46), sky, z0, 90),
            )
        # pavement and kerb
        _quad(
            draw,
            cam,
            [
                (3.4 * side, 0.001, 2.0),
                (5.2 * side, 0.001, 2.0),
                (5.2 * side, 0.001, 300),
                (3.4 * side, 0.001, 300),
            ],
            (188, 184, 178) if today else (176, 170, 160),
        )
        a, b = cam(3.4 * side, 0, 2.0), cam(3.4 * side, 0, 300)
        draw.line((a, b), fill=(150, 148, 144) if today else (110, 104, 98), width=6)
    if today:
        _corons_today(draw, cam, rng)
        return _finish(img, rng, style="phone", grain=0.012, vignette=0.12)
    # cobbles: rows that get closer with distance
    z = 2.2
    while z < 250:
        a, b = cam(-3.4, 0, z), cam(3.4, 0, z)
        draw.line((a, b), fill=(118, 114, 108), width=max(1, round(cam.size(0.05, z))))
        z *= 1.06
    # a lamp post, a bicycle, people of the street
    lx, lz = 3.7, 11.0
    draw.line(
        (cam(lx, 0, lz), cam(lx, 4.2, lz)), fill=(40, 38, 36), width=round(cam.size(0.12, lz))
    )
    p = cam(lx, 4.2, lz)
    draw.ellipse((p[0] - 14, p[1] - 22, p[0] + 14, p[1] + 8), fill=(60, 58, 54))
    bx, by = cam(-5.0, 0.35, 6.5)
    r = cam.size(0.35, 6.5)
    for dx in (0, r * 0.5):
        draw.ellipse(
            (bx + dx - r * 0.35, by - r, bx + dx + r * 0.35, by + r), outline=(34, 30, 28), width=5
        )
    _figure_at(draw, cam, rng, -1.0, 9.0, coat=(74, 70, 72))
    _figure_at(draw, cam, rng, 0.3, 7.0, height=1.15, coat=(120, 110, 100))
    _figure_at(draw, cam, rng, 0.9, 7.2, height=1.05, coat=(96, 88, 84))
    _figure_at(draw, cam, rng, 4.2, 22.0, coat=(60, 58, 60))
    _figure_at(draw, cam, rng, -4.4, 30.0, coat=(80, 76, 74))
    _figure_at(draw, cam, rng, 1.5, 48.0)
    return _finish(img, rng, style="sepia", grain=0.05)


def _car_from_behind(
    draw: ImageDraw.ImageDraw, cam: Camera, x: float, z: float, body: Color, sky: Color
) -> None:
    """A parked hatchback seen from behind: its side, its tailgate, the rear window."""
    body = _fade(body, sky, z, 90)
    shade = _mix(body, (20, 20, 24), 0.35)
    near = -1 if x > 0 else 1  # the side turned towards the middle of the street
    side_x = x + 0.85 * near
    _quad(
        draw,
        cam,
        [(side_x, 0.25, z), (side_x, 0.25, z + 4.0), (side_x, 1.0, z + 4.0), (side_x, 1.0, z)],
        shade,
    )
    _quad(
        draw,
        cam,
        [
            (side_x, 1.0, z + 0.4),
            (side_x, 1.0, z + 3.2),
            (side_x, 1.45, z + 2.9),
            (side_x, 1.45, z + 0.7),
        ],
        _mix(shade, (70, 90, 110), 0.5),
    )
    (x0, y0), (x1, y1) = cam(x - 0.85, 1.45, z), cam(x + 0.85, 0.25, z)
    draw.rounded_rectangle((x0, y0, x1, y1), radius=(x1 - x0) * 0.08, fill=body)
    (wx0, wy0), (wx1, wy1) = cam(x - 0.7, 1.38, z), cam(x + 0.7, 1.0, z)
    draw.rectangle((wx0, wy0, wx1, wy1), fill=(52, 62, 74))
    for lx in (x - 0.72, x + 0.55):
        (a0, b0), (a1, b1) = cam(lx, 0.95, z), cam(lx + 0.17, 0.8, z)
        draw.rectangle((a0, b0, a1, b1), fill=(196, 40, 36))
    for wx in (x - 0.65, x + 0.65):
        (a0, b0), (a1, b1) = cam(wx - 0.16, 0.3, z), cam(wx + 0.16, 0.0, z)
        draw.rectangle((a0, b0, a1, b1), fill=(24, 24, 26))


def _corons_today(draw: ImageDraw.ImageDraw, cam: Camera, rng: random.Random) -> None:
    """What 2025 added to the street of `corons`: road markings, cars, a LED lamp, bins, a dog walker."""
    sky = (200, 218, 236)
    z = 4.0
    while z < 200:  # the dashed centre line of the asphalt
        _quad(
            draw,
            cam,
            [(-0.06, 0.002, z), (0.06, 0.002, z), (0.06, 0.002, z + 3), (-0.06, 0.002, z + 3)],
            (226, 226, 220),
        )
        z += 6.0 + z * 0.05
    # the wheelie bins of collection day, on the pavement behind the nearest car
    for k, colour in enumerate([(40, 90, 50), (220, 180, 40), (40, 90, 50)]):
        bz = 8.5 + k * 5.2
        (a0, b0), (a1, b1) = cam(-4.9, 1.05, bz), cam(-4.3, 0.0, bz)
        draw.rectangle((a0, b0, a1, b1), fill=colour)
    for x, z, colour in reversed(
        [
            (-2.6, 7.5, (160, 164, 170)),
            (-2.6, 16.0, (40, 60, 110)),
            (2.6, 12.0, (236, 236, 236)),
            (-2.6, 27.0, (150, 30, 30)),
            (2.6, 34.0, (30, 30, 34)),
            (2.6, 50.0, (120, 124, 130)),
        ]
    ):
        _car_from_behind(draw, cam, x, z, colour, sky)
    # a slim LED lamp where the old one stood
    lx, lz = 3.7, 11.0
    draw.line((cam(lx, 0, lz), cam(lx, 5.0, lz)), fill=(70, 74, 78), width=round(cam.size(0.1, lz)))
    draw.line(
        (cam(lx, 5.0, lz), cam(lx - 0.9, 5.1, lz)),
        fill=(70, 74, 78),
        width=round(cam.size(0.08, lz)),
    )
    _figure_at(draw, cam, rng, -0.6, 14.0, coat=(60, 110, 170))
    dx, dy = cam(-0.1, 0.0, 14.0)
    s = cam.size(0.5, 14.0)
    draw.ellipse((dx, dy - s * 0.7, dx + s * 1.2, dy - s * 0.2), fill=(120, 80, 40))
    _figure_at(draw, cam, rng, 4.3, 30.0, coat=(200, 90, 60))


def terril(rng: random.Random) -> Image.Image:
    """The conical spoil heap of the Renard pit seen across the rooftops, green on its lower slopes."""
    img = _gradient((CW, CH), [(0, (82, 134, 202)), (0.62, (176, 204, 230)), (1, (200, 220, 234))])
    _clouds(img, rng, 9, (0.04, 0.32), (255, 255, 255), 190)
    base_y, peak_x, peak_y, half = CH * 0.74, CW * 0.44, CH * 0.2, CW * 0.38

    def top_at(u: float) -> float:
        return base_y - (base_y - peak_y) * min(1.0, (1 - abs(u) ** 1.25) * 1.06)

    outline = [(peak_x + (k / 200 * 2 - 1) * half, top_at(k / 200 * 2 - 1)) for k in range(201)]
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).polygon(
        outline + [(peak_x + half, base_y), (peak_x - half, base_y)], fill=255
    )
    heap = _gradient(img.size, [(0, (96, 84, 82)), (0.7, (84, 76, 74)), (1, (70, 66, 62))])
    hd = ImageDraw.Draw(heap)
    hd.polygon(
        [
            (peak_x + CW * 0.01, peak_y),
            (peak_x + half, base_y),
            (peak_x + half, CH),
            (peak_x + CW * 0.01, CH),
        ],
        fill=(66, 60, 62),
    )
    for _ in range(22):
        u = rng.uniform(-0.8, 0.8)
        x0 = peak_x + u * half * 0.25
        hd.line(
            (x0, top_at(u * 0.25), peak_x + u * half * 1.05, base_y),
            fill=(58, 52, 54) if u > 0 else (82, 72, 70),
            width=4,
        )
    greens = [(52, 80, 42), (62, 92, 46), (74, 104, 52), (88, 114, 58), (58, 86, 46)]
    for _ in range(9000):
        u = rng.uniform(-1, 1)
        depth = rng.random() ** 0.6
        y = _lerp(top_at(u), base_y + CH * 0.02, 0.25 + 0.75 * depth)
        x = peak_x + u * half
        r = CW * rng.uniform(0.002, 0.005) * (0.5 + depth)
        hd.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=rng.choice(greens))
    heap = heap.filter(ImageFilter.GaussianBlur(2.0))
    img.paste(
        _gradient((CW, CH - int(base_y) + 40), [(0, (110, 140, 70)), (1, (84, 118, 58))]),
        (0, int(base_y) - 40),
    )
    img.paste(heap, (0, 0), mask)
    draw = ImageDraw.Draw(img)
    for x in (0.02, 0.12, 0.7, 0.82, 0.95):
        _tree(
            draw, rng, CW * x, CH * 0.76, CW * rng.uniform(0.05, 0.07), (40, 74, 38), (120, 152, 64)
        )
    # rooftops of the faubourg in front
    y0 = CH * 0.9
    x = -CW * 0.02
    while x < CW:
        bw = rng.uniform(0.07, 0.12) * CW
        bh = rng.uniform(0.05, 0.1) * CH
        wall = _mix((168, 88, 66), (222, 204, 186), rng.random() * 0.6)
        draw.rectangle((x, y0 - bh, x + bw, CH), fill=wall)
        draw.polygon(
            [
                (x - CW * 0.006, y0 - bh),
                (x + bw / 2, y0 - bh - bw * 0.28),
                (x + bw + CW * 0.006, y0 - bh),
            ],
            fill=_mix((96, 62, 56), (64, 64, 74), rng.random()),
        )
        _windows(
            draw,
            (x + bw * 0.1, y0 - bh * 0.85, x + bw * 0.9, CH + CH * 0.12),
            2,
            2,
            (64, 74, 84),
            (232, 232, 226),
        )
        x += bw
    return _finish(img, rng, style="modern", grain=0.035, vignette=0.16)


def ecole(rng: random.Random) -> Image.Image:
    """A 1930s brick school façade, boys leaving through the gate, 1962."""
    img = _gradient((CW, CH), [(0, (200, 204, 206)), (1, (232, 232, 228))])
    draw = ImageDraw.Draw(img)
    ground = CH * 0.8
    x0, x1 = CW * 0.08, CW * 0.92
    _bricks(draw, (x0, CH * 0.3, x1, ground), (150, 80, 60), (196, 170, 150), CH * 0.016, rng)
    cx0, cx1 = CW * 0.4, CW * 0.6
    _bricks(draw, (cx0, CH * 0.2, cx1, ground), (140, 74, 56), (196, 170, 150), CH * 0.016, rng)
    draw.polygon(
        [(cx0 - CW * 0.01, CH * 0.2), (CW * 0.5, CH * 0.1), (cx1 + CW * 0.01, CH * 0.2)],
        fill=(92, 86, 88),
    )
    draw.polygon(
        [
            (x0 - CW * 0.01, CH * 0.3),
            (x0 + CW * 0.03, CH * 0.22),
            (cx0, CH * 0.22),
            (cx0, CH * 0.3),
        ],
        fill=(90, 84, 86),
    )
    draw.polygon(
        [
            (cx1, CH * 0.3),
            (cx1, CH * 0.22),
            (x1 - CW * 0.03, CH * 0.22),
            (x1 + CW * 0.01, CH * 0.3),
        ],
        fill=(90, 84, 86),
    )
    stone = (226, 218, 200)
    for y in (CH * 0.5, CH * 0.31):
        draw.rectangle((x0, y, x1, y + CH * 0.012), fill=stone)
    draw.rectangle((cx0 + CW * 0.01, CH * 0.235, cx1 - CW * 0.01, CH * 0.285), fill=stone)
    text = "ECOLE DE GARCONS"
    font = _font(CH * 0.024)
    tw = draw.textlength(text, font=font)
    draw.text((CW * 0.5 - tw / 2, CH * 0.242), text, font=font, fill=(70, 60, 54))
    for wx0, wx1, n in ((x0 + CW * 0.02, cx0 - CW * 0.01, 4), (cx1 + CW * 0.01, x1 - CW * 0.02, 4)):
        _windows(draw, (wx0, CH * 0.33, wx1, CH * 0.49), n, 1, (74, 80, 88), stone, margin=0.18)
        _windows(draw, (wx0, CH * 0.53, wx1, CH * 0.74), n, 1, (74, 80, 88), stone, margin=0.18)
    draw.rectangle((CW * 0.46, CH * 0.56, CW * 0.54, ground), fill=(60, 46, 38))
    draw.pieslice((CW * 0.46, CH * 0.52, CW * 0.54, CH * 0.6), 180, 360, fill=(60, 46, 38))
    draw.rectangle((0, ground, CW, CH), fill=(170, 164, 156))
    # the yard wall, its gate open, a plane tree, a clock
    draw.rectangle((0, CH * 0.72, CW * 0.4, CH * 0.82), fill=(160, 92, 70))
    draw.rectangle((CW * 0.6, CH * 0.72, CW, CH * 0.82), fill=(160, 92, 70))
    draw.rectangle((0, CH * 0.715, CW * 0.4, CH * 0.73), fill=stone)
    draw.rectangle((CW * 0.6, CH * 0.715, CW, CH * 0.73), fill=stone)
    draw.ellipse(
        (CW * 0.475, CH * 0.125, CW * 0.525, CH * 0.195), fill=stone, outline=(60, 50, 44), width=4
    )
    draw.line((CW * 0.5, CH * 0.16, CW * 0.5, CH * 0.135), fill=(40, 34, 30), width=4)
    draw.line((CW * 0.5, CH * 0.16, CW * 0.515, CH * 0.165), fill=(40, 34, 30), width=4)
    _tree(draw, rng, CW * 0.9, CH * 0.6, CW * 0.1, (70, 84, 60), (150, 160, 120))
    for i in range(11):
        x = CW * (0.44 + i * 0.018 + rng.uniform(-0.01, 0.01))
        _person(
            draw,
            x,
            CH * (0.88 + rng.uniform(0, 0.06)),
            CH * rng.uniform(0.12, 0.15),
            (44, 40, 38),
            rng,
            coat=_mix((60, 60, 66), (150, 140, 130), rng.random()),
        )
    _person(draw, CW * 0.36, CH * 0.95, CH * 0.24, (36, 32, 30), rng, coat=(50, 48, 52))
    return _finish(img, rng, style="sepia", grain=0.05)


def ducasse(rng: random.Random) -> Image.Image:
    """The merry-go-round of the neighbourhood fair at night, 1970s colours."""
    img = _gradient((CW, CH), [(0, (8, 10, 30)), (0.6, (30, 24, 56)), (1, (20, 16, 30))])
    draw = ImageDraw.Draw(img)
    lights = Image.new("RGB", img.size, (0, 0, 0))
    ld = ImageDraw.Draw(lights)
    bulbs = [(255, 230, 150), (255, 120, 90), (140, 220, 255), (255, 250, 220), (170, 255, 150)]
    # strings of bulbs across the square
    for (ax, ay), (bx, by) in (
        ((0, 0.12), (0.5, 0.16)),
        ((0.5, 0.16), (1, 0.1)),
        ((0, 0.3), (0.3, 0.22)),
    ):
        for k in range(40):
            t = k / 39
            x = _lerp(ax, bx, t) * CW
            y = (_lerp(ay, by, t) + 0.08 * math.sin(math.pi * t)) * CH
            c = bulbs[k % len(bulbs)]
            draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=c)
            ld.ellipse((x - 22, y - 22, x + 22, y + 22), fill=c)
    # stalls left and right
    for sx, colour in ((0.02, (180, 40, 40)), (0.78, (40, 90, 170))):
        x0, x1 = CW * sx, CW * (sx + 0.2)
        draw.rectangle((x0, CH * 0.5, x1, CH * 0.8), fill=(60, 40, 30))
        draw.rectangle((x0 + 20, CH * 0.55, x1 - 20, CH * 0.72), fill=(250, 200, 120))
        ld.rectangle((x0 + 20, CH * 0.55, x1 - 20, CH * 0.72), fill=(200, 140, 60))
        for k in range(8):
            c = colour if k % 2 == 0 else (240, 230, 210)
            draw.polygon(
                [
                    (x0 + k * (x1 - x0) / 8, CH * 0.46),
                    (x0 + (k + 1) * (x1 - x0) / 8, CH * 0.46),
                    (x0 + (k + 1) * (x1 - x0) / 8, CH * 0.52),
                    (x0 + k * (x1 - x0) / 8, CH * 0.52),
                ],
                fill=c,
            )
        for k in range(12):
            x = _lerp(x0, x1, k / 11)
            ld.ellipse((x - 16, CH * 0.455 - 16, x + 16, CH * 0.455 + 16), fill=(255, 220, 140))
            draw.ellipse((x - 6, CH * 0.455 - 6, x + 6, CH * 0.455 + 6), fill=(255, 240, 200))
    # the merry-go-round
    cx, apex, rim, half = CW * 0.5, CH * 0.18, CH * 0.42, CW * 0.27
    n = 16
    for k in range(n):
        xa, xb = cx - half + 2 * half * k / n, cx - half + 2 * half * (k + 1) / n
        c = (200, 40, 50) if k % 2 == 0 else (245, 225, 190)
        draw.polygon([(cx, apex), (xa, rim), (xb, rim)], fill=c)
    draw.rectangle((cx - half, rim, cx + half, rim + CH * 0.05), fill=(120, 30, 40))
    for k in range(n):
        xa = cx - half + 2 * half * (k + 0.5) / n
        draw.pieslice(
            (xa - half / n, rim + CH * 0.03, xa + half / n, rim + CH * 0.08),
            0,
            180,
            fill=(245, 210, 90),
        )
    platform = CH * 0.78
    draw.rectangle(
        (cx - half * 0.96, rim + CH * 0.05, cx + half * 0.96, platform), fill=(70, 40, 60)
    )
    draw.rectangle(
        (cx - half * 0.6, rim + CH * 0.05, cx + half * 0.6, platform), fill=(110, 60, 70)
    )
    draw.ellipse(
        (cx - half, platform - CH * 0.03, cx + half, platform + CH * 0.04), fill=(140, 100, 60)
    )
    for k in range(9):
        x = cx - half * 0.85 + k * half * 1.7 / 8
        draw.line((x, rim + CH * 0.05, x, platform), fill=(230, 200, 110), width=8)
        hy = _lerp(rim + CH * 0.18, rim + CH * 0.26, (math.sin(k * 1.7) + 1) / 2)
        body = (245, 240, 230) if k % 3 else (60, 40, 30)
        draw.ellipse((x - CW * 0.035, hy, x + CW * 0.035, hy + CH * 0.06), fill=body)
        draw.polygon(
            [
                (x + CW * 0.025, hy + CH * 0.01),
                (x + CW * 0.05, hy - CH * 0.04),
                (x + CW * 0.06, hy - CH * 0.02),
                (x + CW * 0.04, hy + CH * 0.03),
            ],
            fill=body,
        )
        for lx in (-0.025, -0.01, 0.015, 0.028):
            draw.line(
                (x + CW * lx, hy + CH * 0.05, x + CW * lx * 1.2, hy + CH * 0.1), fill=body, width=7
            )
        draw.rectangle(
            (x - CW * 0.02, hy + CH * 0.005, x + CW * 0.02, hy + CH * 0.02), fill=(200, 40, 50)
        )
    for k in range(n + 1):
        x = cx - half + 2 * half * k / n
        for y in (rim, rim + CH * 0.05):
            draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=(255, 245, 200))
            ld.ellipse((x - 26, y - 26, x + 26, y + 26), fill=(255, 200, 110))
        t = k / n
        for s in range(1, 6):
            px, py = _lerp(cx, x, s / 6), _lerp(apex, rim, s / 6)
            draw.ellipse((px - 4, py - 4, px + 4, py + 4), fill=(255, 240, 200))
            ld.ellipse((px - 14, py - 14, px + 14, py + 14), fill=(200, 150, 90))
    draw.ellipse((cx - 20, apex - 50, cx + 20, apex - 10), fill=(245, 210, 90))
    ld.ellipse((cx - 60, apex - 80, cx + 60, apex + 20), fill=(255, 210, 120))
    lights = lights.filter(ImageFilter.GaussianBlur(CW / 90))
    img = ImageChops.screen(img, lights)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, CH * 0.8, CW, CH), fill=(34, 26, 30))
    for _i in range(26):
        x = rng.uniform(-0.02, 1.02) * CW
        _person(
            draw, x, CH * rng.uniform(0.98, 1.08), CH * rng.uniform(0.25, 0.4), (14, 10, 16), rng
        )
    return _finish(img, rng, style="faded", grain=0.05, vignette=0.3)


def gare(rng: random.Random) -> Image.Image:
    """The station square in the 1950s: the station hall with its clock, a bus, travellers with cases."""
    sky = (222, 222, 218)
    img = _gradient((CW, CH), [(0, (186, 188, 190)), (0.6, sky), (1, sky)])
    _clouds(img, rng, 6, (0.05, 0.25), (242, 242, 240), 120)
    draw = ImageDraw.Draw(img)
    ground = CH * 0.66
    stone, dark = (196, 186, 168), (80, 76, 74)
    draw.rectangle((CW * 0.04, CH * 0.36, CW * 0.96, ground), fill=stone)
    draw.rectangle(
        (CW * 0.34, CH * 0.2, CW * 0.66, ground), fill=_mix(stone, (255, 255, 255), 0.15)
    )
    draw.rectangle((CW * 0.32, CH * 0.18, CW * 0.68, CH * 0.22), fill=(170, 160, 146))
    draw.rectangle((CW * 0.02, CH * 0.34, CW * 0.98, CH * 0.37), fill=(170, 160, 146))
    for k in range(3):
        x0 = CW * (0.37 + k * 0.1)
        draw.rectangle((x0, CH * 0.36, x0 + CW * 0.06, ground - CH * 0.01), fill=dark)
        for m in range(1, 6):
            y = _lerp(CH * 0.36, ground, m / 6)
            draw.line((x0, y, x0 + CW * 0.06, y), fill=stone, width=4)
        draw.line((x0 + CW * 0.03, CH * 0.36, x0 + CW * 0.03, ground), fill=stone, width=4)
    _windows(
        draw, (CW * 0.05, CH * 0.39, CW * 0.33, CH * 0.62), 5, 2, (90, 90, 94), stone, margin=0.2
    )
    _windows(
        draw, (CW * 0.67, CH * 0.39, CW * 0.95, CH * 0.62), 5, 2, (90, 90, 94), stone, margin=0.2
    )
    draw.ellipse(
        (CW * 0.47, CH * 0.235, CW * 0.53, CH * 0.325),
        fill=(236, 232, 220),
        outline=(40, 36, 34),
        width=6,
    )
    draw.line((CW * 0.5, CH * 0.28, CW * 0.5, CH * 0.245), fill=(30, 28, 26), width=5)
    draw.line((CW * 0.5, CH * 0.28, CW * 0.522, CH * 0.29), fill=(30, 28, 26), width=5)
    font = _font(CH * 0.04)
    tw = draw.textlength("MONS", font=font)
    draw.text((CW * 0.5 - tw / 2, CH * 0.12), "MONS", font=font, fill=(50, 44, 40))
    draw.rectangle((CW * 0.45, CH * 0.115, CW * 0.55, CH * 0.17), outline=(50, 44, 40), width=3)
    draw.rectangle((0, ground, CW, CH), fill=(150, 146, 140))
    cam = Camera(CW, CH, eye=1.6, horizon=0.6, focal=0.55)
    z = 3.0
    while z < 40:
        draw.line(
            (cam(-40, 0, z), cam(40, 0, z)),
            fill=(134, 130, 124),
            width=max(1, round(cam.size(0.04, z))),
        )
        z *= 1.12
    # a 1950s bus, rounded
    bx0, bx1, by0, by1 = CW * 0.62, CW * 0.9, CH * 0.52, CH * 0.7
    draw.rounded_rectangle((bx0, by0, bx1, by1), radius=CH * 0.05, fill=(110, 104, 100))
    draw.rectangle((bx0, by0 + CH * 0.09, bx1, by0 + CH * 0.1), fill=(210, 204, 190))
    _windows(
        draw,
        (bx0 + CW * 0.02, by0 + CH * 0.015, bx1 - CW * 0.02, by0 + CH * 0.08),
        6,
        1,
        (70, 72, 76),
        (110, 104, 100),
        margin=0.08,
    )
    for wx in (bx0 + CW * 0.05, bx1 - CW * 0.05):
        draw.ellipse(
            (wx - CH * 0.035, by1 - CH * 0.035, wx + CH * 0.035, by1 + CH * 0.035),
            fill=(30, 28, 28),
        )
    for x, z, h, coat in (
        (-3.0, 6.5, 1.72, (70, 66, 64)),
        (-2.2, 7.0, 1.6, (110, 100, 96)),
        (1.2, 9.0, 1.75, (60, 58, 60)),
        (-6.0, 14.0, 1.7, (90, 86, 84)),
        (0.2, 18.0, 1.7, (80, 76, 74)),
        (-1.0, 5.0, 1.2, (120, 110, 104)),
    ):
        _figure_at(draw, cam, rng, x, z, h, coat=coat)
        sx, sy = cam(x + 0.3, 0.45, z)
        s = cam.size(0.4, z)
        draw.rectangle((sx, sy, sx + s, sy + s * 0.7), fill=(60, 48, 40))
    draw.line(
        (cam(4.0, 0, 5.0), cam(4.0, 4.5, 5.0)), fill=(40, 38, 36), width=round(cam.size(0.1, 5.0))
    )
    p = cam(4.0, 4.5, 5.0)
    draw.ellipse((p[0] - 26, p[1] - 40, p[0] + 26, p[1] + 10), fill=(60, 58, 54))
    return _finish(img, rng, style="sepia", grain=0.05)


def bouteille(rng: random.Random) -> Image.Image:
    """Still life: a green bottle and a tumbler blown at the glassworks, on a kitchen table."""
    img = _gradient(
        (CW, CH),
        [(0, (40, 30, 24)), (0.65, (90, 66, 44)), (0.66, (120, 82, 52)), (1, (84, 56, 36))],
    )
    _glow(img, (int(CW * 0.3), int(CH * 0.3)), int(CW * 0.4), (180, 140, 90), 0.45)
    draw = ImageDraw.Draw(img)
    for k in range(60):
        y = CH * (0.67 + k * 0.0055)
        draw.line(
            (0, y, CW, y + rng.uniform(-8, 8)),
            fill=_mix((120, 82, 52), (70, 46, 30), rng.random()),
            width=2,
        )
    layer, ldr = _layer(img)
    ldr.ellipse((CW * 0.36, CH * 0.78, CW * 0.64, CH * 0.86), fill=(20, 12, 8, 150))
    ldr.ellipse((CW * 0.62, CH * 0.8, CW * 0.8, CH * 0.86), fill=(20, 12, 8, 110))
    _merge(img, layer, blur=20)
    draw = ImageDraw.Draw(img)
    cx, base, top = CW * 0.47, CH * 0.82, CH * 0.1

    def radius(y: float) -> float:
        t = (base - y) / (base - top)
        if t < 0.58:
            return CW * 0.085
        if t < 0.78:
            s = (t - 0.58) / 0.2
            return CW * (0.085 - 0.06 * (1 - math.cos(s * math.pi)) / 2)
        return CW * 0.024 if t < 0.95 else CW * 0.029

    for y in range(int(top), int(base)):
        r = radius(y)
        for k in range(24):
            u0, u1 = -1 + 2 * k / 24, -1 + 2 * (k + 1) / 24
            shade = 0.35 + 0.65 * max(0.0, 1 - abs((u0 + u1) / 2 + 0.25)) ** 1.5
            col = _mix((10, 40, 22), (60, 150, 80), shade)
            draw.line((cx + u0 * r, y, cx + u1 * r, y), fill=col)
    layer, ldr = _layer(img)
    ldr.rectangle((cx - CW * 0.05, CH * 0.4, cx - CW * 0.035, CH * 0.78), fill=(230, 255, 230, 170))
    ldr.rectangle(
        (cx - CW * 0.014, CH * 0.14, cx - CW * 0.008, CH * 0.3), fill=(230, 255, 230, 150)
    )
    ldr.rectangle((cx + CW * 0.05, CH * 0.42, cx + CW * 0.056, CH * 0.76), fill=(200, 255, 210, 80))
    _merge(img, layer, blur=6)
    draw = ImageDraw.Draw(img)
    draw.ellipse(
        (cx - CW * 0.085, base - CH * 0.025, cx + CW * 0.085, base + CH * 0.015), fill=(20, 60, 34)
    )
    # the tumbler: clear glass shows the table through it
    tx0, tx1, ty0, ty1 = CW * 0.64, CW * 0.78, CH * 0.6, CH * 0.84
    layer, ldr = _layer(img)
    ldr.polygon(
        [(tx0, ty0), (tx1, ty0), (tx1 - CW * 0.012, ty1), (tx0 + CW * 0.012, ty1)],
        fill=(220, 230, 225, 50),
    )
    ldr.ellipse((tx0, ty0 - CH * 0.02, tx1, ty0 + CH * 0.02), outline=(240, 245, 240, 170), width=5)
    ldr.line(
        (tx0 + CW * 0.02, ty0 + CH * 0.03, tx0 + CW * 0.028, ty1 - CH * 0.03),
        fill=(255, 255, 255, 140),
        width=10,
    )
    ldr.ellipse(
        (tx0 + CW * 0.012, ty1 - CH * 0.02, tx1 - CW * 0.012, ty1 + CH * 0.01),
        outline=(240, 245, 240, 120),
        width=4,
    )
    _merge(img, layer, blur=2)
    return _finish(img, rng, style="modern", grain=0.03, vignette=0.35)


def stade(rng: random.Random) -> Image.Image:
    """A municipal football ground on a Sunday in 1978: the small covered stand across the pitch."""
    sky = (190, 205, 215)
    img = _gradient((CW, CH), [(0, (110, 150, 190)), (0.45, sky), (1, sky)])
    _clouds(img, rng, 8, (0.05, 0.3), (250, 250, 250), 180)
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=5.0, horizon=0.42, focal=0.62, x=-4.0)
    for x in range(-10, 12):
        _poplar(
            draw,
            cam(x * 9.0, 0, 95)[0],
            cam(0, 0, 95)[1],
            cam.size(rng.uniform(16, 22), 95),
            (60, 90, 60),
        )
    # stand on the far side
    s0, s1 = cam(-25, 0, 82), cam(15, 0, 82)
    top = cam(0, 7, 82)[1]
    draw.rectangle((s0[0], top, s1[0], s0[1]), fill=(120, 110, 100))
    draw.polygon(
        [
            (s0[0] - 20, top),
            (s1[0] + 20, top),
            (s1[0] + 10, top - cam.size(1.5, 82)),
            (s0[0] - 10, top - cam.size(1.5, 82)),
        ],
        fill=(70, 70, 76),
    )
    for _ in range(400):
        x = rng.uniform(s0[0] + 10, s1[0] - 10)
        y = rng.uniform(top + 14, s0[1] - 8)
        c = rng.choice([(40, 40, 44), (150, 40, 40), (200, 190, 170), (60, 70, 110), (90, 80, 60)])
        draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=c)
    # the pitch with mowing stripes, lines, a goal
    for k in range(-60, 60, 6):
        c = (70, 128, 58) if (k // 6) % 2 else (84, 142, 66)
        _quad(draw, cam, [(k, 0, 12), (k + 6, 0, 12), (k + 6, 0, 78), (k, 0, 78)], c)
    _quad(draw, cam, [(-200, 0, 4), (200, 0, 4), (200, 0, 12), (-200, 0, 12)], (96, 132, 70))
    _quad(draw, cam, [(-200, 0, 78), (200, 0, 78), (200, 0, 82), (-200, 0, 82)], (96, 132, 70))
    white = (236, 236, 230)
    for a, b in (
        ((-52, 14), (52, 14)),
        ((-52, 76), (52, 76)),
        ((0, 14), (0, 76)),
        ((-52, 14), (-52, 76)),
        ((-36, 30), (-36, 60)),
        ((-52, 30), (-36, 30)),
        ((-52, 60), (-36, 60)),
    ):
        draw.line((cam(a[0], 0, a[1]), cam(b[0], 0, b[1])), fill=white, width=5)
    circle = [
        cam(9.15 * math.cos(t / 40 * 2 * math.pi), 0, 45 + 9.15 * math.sin(t / 40 * 2 * math.pi))
        for t in range(41)
    ]
    draw.line(circle, fill=white, width=5)
    g0, g1 = cam(-52, 0, 41), cam(-52, 0, 49)
    gt = cam(-52, 2.44, 41)[1]
    draw.line((g0, (g0[0], gt), (g1[0], cam(-52, 2.44, 49)[1]), g1), fill=white, width=7)
    shirts = [(190, 30, 40)] * 5 + [(240, 240, 240)] * 5 + [(30, 30, 30)]
    for c in shirts:
        x, z = rng.uniform(-45, 30), rng.uniform(18, 70)
        _figure_at(draw, cam, rng, x, z, 1.8, colour=(40, 30, 28), coat=c)
    rail_y = cam(0, 1.1, 9)[1]
    draw.rectangle((0, cam(0, 0, 9)[1], CW, CH), fill=(96, 92, 86))
    for k in range(7):
        x = CW * (0.04 + k * 0.16)
        _figure_at(
            draw,
            cam,
            rng,
            cam.x + (x - cam.cx) * 8.5 / cam.focal,
            8.5,
            1.75,
            colour=(30, 28, 30),
            coat=rng.choice([(60, 50, 44), (40, 50, 80), (110, 90, 60), (150, 40, 40)]),
        )
    draw.rectangle((0, rail_y, CW, rail_y + 14), fill=(200, 200, 196))
    for k in range(12):
        x = CW * k / 11
        draw.line((x, rail_y, x, cam(0, 0, 9)[1]), fill=(200, 200, 196), width=10)
    return _finish(img, rng, style="faded", grain=0.045, vignette=0.2)


def marche(rng: random.Random) -> Image.Image:
    """Saturday market: striped awnings, crates of vegetables, shoppers, town houses behind."""
    sky = (200, 214, 228)
    img = _gradient((CW, CH), [(0, (120, 160, 205)), (0.5, sky), (1, sky)])
    _clouds(img, rng, 6, (0.03, 0.2), (255, 255, 255), 170)
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=1.6, horizon=0.5, focal=0.5, x=0.4)
    _quad(draw, cam, [(-80, 0, 1.5), (80, 0, 1.5), (80, 0, 300), (-80, 0, 300)], (150, 148, 146))
    facades = [(214, 196, 170), (190, 110, 80), (230, 222, 204), (170, 150, 130), (200, 90, 70)]
    for side in (-1, 1):
        for i in reversed(range(26)):
            z0, z1 = 4 + i * 7.0, 4 + (i + 1) * 7.0
            xf = 11 * side
            c = _fade(facades[(i * 3 + (side > 0)) % 5], sky, z0, 120)
            hgt = 9 + (i * 7 % 4)
            _quad(draw, cam, [(xf, 0, z0), (xf, 0, z1), (xf, hgt, z1), (xf, hgt, z0)], c)
            for fl in range(3):
                y0 = 3.2 + fl * 2.8
                for wz in (z0 + 1.3, z0 + 4.2):
                    _quad(
                        draw,
                        cam,
                        [
                            (xf, y0, wz),
                            (xf, y0, wz + 1.4),
                            (xf, y0 + 1.7, wz + 1.4),
                            (xf, y0 + 1.7, wz),
                        ],
                        _fade((70, 80, 96), sky, z0, 120),
                    )
            _quad(
                draw,
                cam,
                [(xf, 0, z0 + 0.6), (xf, 0, z1 - 0.6), (xf, 2.6, z1 - 0.6), (xf, 2.6, z0 + 0.6)],
                _fade((60, 60, 66), sky, z0, 120),
            )
    stripes = [
        ((200, 40, 40), (245, 240, 230)),
        ((40, 120, 70), (240, 240, 230)),
        ((40, 80, 160), (245, 240, 230)),
        ((230, 160, 30), (250, 245, 235)),
    ]
    produce = [
        (220, 60, 40),
        (240, 160, 30),
        (90, 150, 50),
        (150, 60, 120),
        (230, 210, 90),
        (120, 80, 50),
    ]
    for side in (-1, 1):
        for i in reversed(range(10)):
            z0, z1 = 3.2 + i * 6.5, 3.2 + i * 6.5 + 5.0
            x_in, x_out = 3.0 * side, 6.5 * side
            a, b = stripes[(i + (side > 0)) % 4]
            _quad(
                draw,
                cam,
                [(x_in, 0.9, z0), (x_in, 0.9, z1), (x_out, 0.9, z1), (x_out, 0.9, z0)],
                (130, 100, 70),
            )
            p0, p1 = cam(x_in, 0.9, z0), cam(x_in, 0.9, z1)
            step = max(4, int(cam.size(0.25, z0)))
            for _ in range(60):
                t = rng.random()
                x, y = _lerp(p0[0], p1[0], t), _lerp(p0[1], p1[1], t) - rng.uniform(0, step)
                r = max(2, cam.size(0.09, _lerp(z0, z1, t)))
                draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(produce))
            _quad(
                draw,
                cam,
                [(x_in, 0, z0), (x_in, 0, z1), (x_in, 0.88, z1), (x_in, 0.88, z0)],
                (110, 84, 60),
            )
            n = 10
            for k in range(n):
                za, zb = _lerp(z0, z1, k / n), _lerp(z0, z1, (k + 1) / n)
                under_a, under_b = _mix(a, (40, 30, 30), 0.35), _mix(b, (40, 30, 30), 0.35)
                _quad(
                    draw,
                    cam,
                    [
                        (x_in - 0.7 * side, 2.25, za),
                        (x_in - 0.7 * side, 2.25, zb),
                        (x_out, 3.1, zb),
                        (x_out, 3.1, za),
                    ],
                    under_a if k % 2 == 0 else under_b,
                )
                _quad(
                    draw,
                    cam,
                    [
                        (x_in - 0.7 * side, 2.25, za),
                        (x_in - 0.7 * side, 2.25, zb),
                        (x_in - 0.7 * side, 1.9, zb),
                        (x_in - 0.7 * side, 1.9, za),
                    ],
                    a if k % 2 == 0 else b,
                )
    coats = [
        (60, 60, 70),
        (160, 50, 50),
        (50, 90, 140),
        (200, 180, 150),
        (90, 110, 60),
        (120, 70, 110),
    ]
    spots = sorted(
        ((rng.uniform(-2.4, 2.4), rng.uniform(2.6, 50) ** 1.0) for _ in range(34)),
        key=lambda p: -p[1],
    )
    for x, z in spots:
        _figure_at(
            draw,
            cam,
            rng,
            x,
            z,
            rng.uniform(1.55, 1.85),
            colour=(50, 40, 36),
            coat=rng.choice(coats),
        )
    return _finish(img, rng, style="modern", grain=0.035, vignette=0.15)


def eglise(rng: random.Random) -> Image.Image:
    """A brick parish church with its spire, on a bright Sunday morning."""
    img = _gradient((CW, CH), [(0, (70, 120, 190)), (0.7, (170, 200, 228)), (1, (190, 212, 232))])
    _clouds(img, rng, 5, (0.05, 0.3), (255, 255, 255), 170)
    draw = ImageDraw.Draw(img)
    ground = CH * 0.83
    brick, mortar, stone = (160, 82, 60), (190, 150, 130), (214, 206, 190)
    _bricks(draw, (CW * 0.2, CH * 0.5, CW * 0.8, ground), brick, mortar, CH * 0.012, rng)
    draw.polygon(
        [(CW * 0.18, CH * 0.5), (CW * 0.5, CH * 0.36), (CW * 0.82, CH * 0.5)], fill=(70, 76, 86)
    )
    _bricks(
        draw,
        (CW * 0.42, CH * 0.3, CW * 0.58, ground),
        _mix(brick, (0, 0, 0), 0.06),
        mortar,
        CH * 0.012,
        rng,
    )
    draw.polygon(
        [(CW * 0.42, CH * 0.3), (CW * 0.5, CH * 0.02), (CW * 0.58, CH * 0.3)], fill=(64, 70, 80)
    )
    draw.polygon(
        [(CW * 0.5, CH * 0.02), (CW * 0.58, CH * 0.3), (CW * 0.52, CH * 0.3)], fill=(48, 52, 60)
    )
    draw.line((CW * 0.5, CH * 0.02, CW * 0.5, -CH * 0.03), fill=(50, 50, 50), width=6)
    draw.line((CW * 0.49, -CH * 0.01, CW * 0.51, -CH * 0.01), fill=(50, 50, 50), width=6)
    draw.ellipse((CW * 0.465, CH * 0.33, CW * 0.535, CH * 0.43), fill=stone)
    draw.ellipse((CW * 0.475, CH * 0.345, CW * 0.525, CH * 0.415), fill=(70, 60, 90))
    for k in range(8):
        a = k * math.pi / 4
        draw.line(
            (
                CW * 0.5,
                CH * 0.38,
                CW * 0.5 + CW * 0.025 * math.cos(a),
                CH * 0.38 + CH * 0.035 * math.sin(a),
            ),
            fill=stone,
            width=4,
        )
    draw.rectangle((CW * 0.46, CH * 0.6, CW * 0.54, ground), fill=(70, 44, 32))
    draw.pieslice((CW * 0.46, CH * 0.55, CW * 0.54, CH * 0.65), 180, 360, fill=(70, 44, 32))
    draw.arc((CW * 0.455, CH * 0.545, CW * 0.545, CH * 0.655), 180, 360, fill=stone, width=8)
    for x in (0.25, 0.32, 0.64, 0.71):
        draw.rectangle((CW * x, CH * 0.58, CW * (x + 0.035), CH * 0.75), fill=(60, 70, 96))
        draw.pieslice((CW * x, CH * 0.56, CW * (x + 0.035), CH * 0.6), 180, 360, fill=(60, 70, 96))
    draw.rectangle((0, ground, CW, CH), fill=(130, 128, 124))
    draw.polygon(
        [(CW * 0.44, ground), (CW * 0.56, ground), (CW * 0.7, CH), (CW * 0.3, CH)],
        fill=(176, 170, 160),
    )
    for x in (0.06, 0.14, 0.88, 0.96):
        _tree(draw, rng, CW * x, CH * 0.7, CW * 0.08, (40, 80, 40), (120, 160, 70))
    for _i in range(7):
        _person(
            draw,
            CW * rng.uniform(0.38, 0.62),
            CH * rng.uniform(0.86, 0.96),
            CH * rng.uniform(0.16, 0.2),
            (40, 36, 34),
            rng,
            coat=rng.choice([(40, 40, 60), (140, 40, 50), (200, 190, 170), (60, 90, 60)]),
        )
    return _finish(img, rng, style="modern", grain=0.03, vignette=0.15)


def canal(rng: random.Random) -> Image.Image:
    """The canal on a misty morning: towpath, poplars, a barge moored, reflections."""
    sky = (214, 216, 214)
    img = _gradient((CW, CH), [(0, (168, 184, 198)), (0.5, sky), (1, sky)])
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=2.0, horizon=0.5, focal=0.55, x=-3.0)
    _quad(
        draw,
        cam,
        [(-200, 0.5, 1.0), (-9, 0.5, 1.0), (-9, 0.5, 600), (-200, 0.5, 600)],
        (120, 134, 104),
    )
    _quad(
        draw, cam, [(9, 0.5, 1.0), (200, 0.5, 1.0), (200, 0.5, 600), (9, 0.5, 600)], (126, 140, 108)
    )
    for side in (-1, 1):
        for k in reversed(range(30)):
            z = 8 + k * 9
            x = (14 + rng.uniform(-1, 1)) * side
            b = cam(x, 0.5, z)
            c = _fade((54, 74, 50), sky, z, 70)
            _poplar(draw, b[0], b[1], cam.size(rng.uniform(16, 22), z), c)
    # the barge along the right bank
    z0, z1, x0, _x1 = 14.0, 52.0, 4.5, 8.8
    hull = (40, 40, 46)
    _quad(draw, cam, [(x0, -0.3, z0), (x0, -0.3, z1), (x0, 1.6, z1), (x0, 1.6, z0)], hull)
    _quad(draw, cam, [(x0, 1.2, z0), (x0, 1.2, z1), (x0, 1.5, z1), (x0, 1.5, z0)], (150, 40, 40))
    _quad(
        draw,
        cam,
        [
            (x0 + 0.5, 1.6, z0 + 1.0),
            (x0 + 0.5, 1.6, z0 + 7.0),
            (x0 + 0.5, 3.4, z0 + 7.0),
            (x0 + 0.5, 3.4, z0 + 1.0),
        ],
        (236, 232, 220),
    )
    for wz in (z0 + 2.0, z0 + 4.2):
        _quad(
            draw,
            cam,
            [
                (x0 + 0.5, 2.2, wz),
                (x0 + 0.5, 2.2, wz + 1.4),
                (x0 + 0.5, 3.0, wz + 1.4),
                (x0 + 0.5, 3.0, wz),
            ],
            (70, 90, 110),
        )
    _quad(
        draw,
        cam,
        [(x0, 1.6, z0 + 8), (x0, 1.6, z1 - 1), (x0 + 0.1, 2.3, z1 - 1), (x0 + 0.1, 2.3, z0 + 8)],
        (60, 70, 60),
    )
    for k in range(12):
        fz = z0 + 1.2 + k * 0.5
        p = cam(x0 + 0.4, 3.5, fz)
        r = cam.size(0.2, fz)
        draw.ellipse(
            (p[0] - r, p[1] - r, p[0] + r, p[1] + r),
            fill=rng.choice([(210, 50, 60), (240, 200, 60), (230, 120, 150)]),
        )
    # the far bridge
    bz = 160
    a, b = cam(-12, 4.5, bz), cam(12, 4.5, bz)
    draw.rectangle((a[0], a[1], b[0], cam(0, 3.5, bz)[1]), fill=_fade((60, 60, 64), sky, bz, 90))
    for x in (-12, 12):
        p, q = cam(x, 0.5, bz), cam(x, 9, bz)
        draw.rectangle((p[0] - 10, q[1], p[0] + 10, p[1]), fill=_fade((60, 60, 64), sky, bz, 90))
    water_top = int(cam(0, 0, 600)[1])
    upper = img.crop((0, 0, CW, water_top))
    refl = upper.transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(ImageFilter.GaussianBlur(6))
    refl = Image.blend(refl, Image.new("RGB", refl.size, (90, 104, 110)), 0.35)
    water = Image.new("RGB", (CW, CH - water_top), (90, 104, 110))
    water.paste(refl.crop((0, 0, CW, min(refl.height, CH - water_top))), (0, 0))
    wd = ImageDraw.Draw(water)
    for _ in range(220):
        y = rng.uniform(0, water.height) ** 1.0
        x = rng.uniform(0, CW)
        ln = rng.uniform(30, 160) * (0.3 + y / water.height)
        wd.line((x, y, x + ln, y), fill=rng.choice([(200, 206, 206), (60, 70, 76)]), width=2)
    mask = Image.new("L", img.size, 0)
    md = ImageDraw.Draw(mask)
    md.polygon([cam(-9, 0.5, 1.0), cam(9, 0.5, 1.0), cam(9, 0.5, 600), cam(-9, 0.5, 600)], fill=255)
    md.polygon([cam(x0, -0.3, z0), cam(x0, -0.3, z1), cam(x0, 1.6, z1), cam(x0, 1.6, z0)], fill=0)
    full = Image.new("RGB", img.size)
    full.paste(water, (0, water_top))
    img.paste(full, (0, 0), mask)
    draw = ImageDraw.Draw(img)
    # towpath and bollards on the near-left bank
    _quad(
        draw,
        cam,
        [(-9, 0.5, 1.0), (-6.5, 0.5, 1.0), (-6.5, 0.5, 600), (-9, 0.5, 600)],
        (176, 170, 156),
    )
    _figure_at(draw, cam, rng, -12.0, 40, 1.75, coat=(60, 70, 90))
    layer, ldr = _layer(img)
    for _ in range(12):
        y = CH * rng.uniform(0.35, 0.6)
        xa = rng.uniform(-0.2, 0.8) * CW
        ldr.ellipse(
            (xa, y - CH * 0.05, xa + rng.uniform(0.3, 0.7) * CW, y + CH * 0.05),
            fill=(236, 236, 232, 70),
        )
    _merge(img, layer, blur=CW / 40)
    return _finish(img, rng, style="modern", grain=0.03, vignette=0.15)


def hauts_fourneaux(rng: random.Random) -> Image.Image:
    """The blast furnaces of the Denain steelworks at dusk, 1976."""
    img = _gradient(
        (CW, CH),
        [(0, (50, 44, 70)), (0.45, (200, 100, 70)), (0.7, (250, 170, 90)), (1, (250, 170, 90))],
    )
    _glow(img, (int(CW * 0.7), int(CH * 0.7)), int(CW * 0.3), (255, 220, 150), 0.7)
    layer, ldr = _layer(img)
    for k in range(40):
        x, y = (
            CW * (0.2 + k * 0.012) + rng.uniform(-40, 40),
            CH * (0.25 - k * 0.004) + rng.uniform(-30, 30),
        )
        r = CW * (0.02 + k * 0.0015)
        ldr.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=(90, 80, 90, 120))
    for k in range(30):
        x, y = (
            CW * (0.72 + k * 0.01) + rng.uniform(-30, 30),
            CH * (0.14 - k * 0.003) + rng.uniform(-20, 20),
        )
        r = CW * (0.015 + k * 0.0015)
        ldr.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=(200, 190, 190, 110))
    _merge(img, layer, blur=18)
    draw = ImageDraw.Draw(img)
    dark = (30, 24, 30)
    ground = CH * 0.78
    for x in (0.2, 0.72):
        draw.rectangle((CW * x - 14, CH * 0.08, CW * x + 14, ground), fill=dark)
    for fx in (0.38, 0.58):
        x = CW * fx
        draw.polygon(
            [
                (x - CW * 0.05, ground),
                (x + CW * 0.05, ground),
                (x + CW * 0.04, CH * 0.4),
                (x + CW * 0.025, CH * 0.3),
                (x - CW * 0.025, CH * 0.3),
                (x - CW * 0.04, CH * 0.4),
            ],
            fill=dark,
        )
        draw.rectangle((x - CW * 0.03, CH * 0.22, x + CW * 0.03, CH * 0.3), fill=dark)
        draw.line(
            (x, CH * 0.22, x - CW * 0.06, CH * 0.12, x - CW * 0.1, CH * 0.4), fill=dark, width=22
        )
        for s in range(3):
            sx = x + CW * (0.07 + s * 0.035)
            draw.rectangle((sx - CW * 0.014, CH * 0.36, sx + CW * 0.014, ground), fill=dark)
            draw.pieslice(
                (sx - CW * 0.014, CH * 0.34, sx + CW * 0.014, CH * 0.38), 180, 360, fill=dark
            )
    draw.line((CW * 0.0, CH * 0.66, CW * 0.34, CH * 0.36), fill=dark, width=30)
    draw.line((CW * 0.0, CH * 0.7, CW * 0.34, CH * 0.4), fill=dark, width=8)
    draw.rectangle((0, ground, CW, CH), fill=(24, 18, 22))
    lights = Image.new("RGB", img.size, (0, 0, 0))
    lg = ImageDraw.Draw(lights)
    for _ in range(22):
        x, y = (
            rng.choice([0.2, 0.38, 0.45, 0.52, 0.58, 0.65, 0.72]) * CW + rng.uniform(-30, 30),
            rng.uniform(0.3, 0.76) * CH,
        )
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(255, 220, 150))
        lg.ellipse((x - 18, y - 18, x + 18, y + 18), fill=(255, 160, 60))
    for fx in (0.38, 0.58):
        lg.ellipse((CW * fx - 80, ground - 80, CW * fx + 80, ground + 40), fill=(255, 140, 40))
    img = ImageChops.screen(img, lights.filter(ImageFilter.GaussianBlur(14)))
    draw = ImageDraw.Draw(img)
    for k in range(6):
        x = CW * (0.05 + k * 0.16)
        draw.rectangle((x, CH * 0.82, x + CW * 0.13, CH * 0.88), fill=(40, 30, 30))
        for wx in (x + CW * 0.02, x + CW * 0.11):
            draw.ellipse((wx - 12, CH * 0.87, wx + 12, CH * 0.89), fill=(10, 8, 10))
    draw.line((0, CH * 0.9, CW, CH * 0.9), fill=(80, 60, 50), width=4)
    return _finish(img, rng, style="faded", grain=0.04, vignette=0.28)


def hauts_fourneaux_today(rng: random.Random) -> Image.Image:
    """The view of `hauts_fourneaux` from the same roadside in 2025, at the same hour.

    The furnaces, cowpers and chimneys were pulled down in the 1980s: where they stood,
    a park of grass, young birches and a footpath, the houses of the town on the
    horizon; the railway in the foreground is now a cycle path.
    """
    img = _gradient(
        (CW, CH),
        [
            (0, (86, 128, 190)),
            (0.45, (168, 186, 212)),
            (0.7, (246, 206, 150)),
            (1, (246, 206, 150)),
        ],
    )
    _glow(img, (int(CW * 0.7), int(CH * 0.7)), int(CW * 0.3), (255, 232, 180), 0.6)
    _clouds(img, rng, 5, (0.08, 0.3), (250, 236, 226), 110)
    draw = ImageDraw.Draw(img)
    ground = CH * 0.78
    haze = (170, 160, 170)
    # the town, seen now that nothing stands in front of it: roofs, a church tower, a water tower
    x = 0.0
    while x < CW:
        w, h = rng.uniform(0.03, 0.07) * CW, rng.uniform(0.025, 0.05) * CH
        draw.rectangle(
            (x, ground - h, x + w, ground), fill=_mix(haze, (120, 100, 110), rng.uniform(0, 0.4))
        )
        draw.polygon(
            [(x, ground - h), (x + w / 2, ground - h - CH * 0.015), (x + w, ground - h)],
            fill=(130, 110, 120),
        )
        x += w
    draw.rectangle((CW * 0.16, ground - CH * 0.14, CW * 0.175, ground), fill=(128, 112, 122))
    draw.polygon(
        [
            (CW * 0.155, ground - CH * 0.14),
            (CW * 0.1675, ground - CH * 0.19),
            (CW * 0.18, ground - CH * 0.14),
        ],
        fill=(120, 104, 116),
    )
    draw.rectangle((CW * 0.84, ground - CH * 0.1, CW * 0.85, ground), fill=(140, 126, 134))
    draw.ellipse(
        (CW * 0.82, ground - CH * 0.14, CW * 0.87, ground - CH * 0.095), fill=(150, 136, 144)
    )
    # the park where the furnaces stood: grass, a line of young birches, one larger tree
    draw.rectangle((0, ground, CW, CH), fill=(104, 136, 72))
    draw.rectangle((0, ground, CW, ground + CH * 0.02), fill=(124, 146, 92))
    for k in range(16):
        tx = CW * (0.3 + k * 0.026) + rng.uniform(-10, 10)
        _tree(
            draw,
            rng,
            tx,
            ground - CH * 0.02,
            CW * rng.uniform(0.012, 0.018),
            (58, 92, 52),
            (150, 180, 90),
        )
    _tree(draw, rng, CW * 0.08, ground - CH * 0.06, CW * 0.05, (46, 80, 44), (130, 168, 80))
    draw.polygon(
        [(CW * 0.5, ground), (CW * 0.53, ground), (CW * 0.75, CH * 0.88), (CW * 0.62, CH * 0.88)],
        fill=(214, 196, 160),
    )
    # the old railway in the foreground, a cycle path now, with a cyclist and a bench
    draw.rectangle((0, CH * 0.87, CW, CH * 0.93), fill=(120, 120, 124))
    draw.line((0, CH * 0.9, CW, CH * 0.9), fill=(236, 236, 228), width=4)
    draw.rectangle((0, CH * 0.93, CW, CH), fill=(92, 124, 64))
    cx, cy = CW * 0.3, CH * 0.895
    for wx in (cx - CW * 0.02, cx + CW * 0.02):
        draw.ellipse(
            (wx - CW * 0.012, cy - CW * 0.012, wx + CW * 0.012, cy + CW * 0.012),
            outline=(30, 30, 34),
            width=5,
        )
    _person(draw, cx, cy - CW * 0.006, CH * 0.09, (40, 36, 34), rng, coat=(220, 70, 50))
    draw.rectangle((CW * 0.8, CH * 0.84, CW * 0.88, CH * 0.855), fill=(110, 80, 54))
    for bx in (CW * 0.805, CW * 0.875):
        draw.rectangle((bx - 4, CH * 0.855, bx + 4, CH * 0.87), fill=(50, 50, 54))
    draw.line((CW * 0.93, CH * 0.6, CW * 0.93, CH * 0.87), fill=(60, 64, 68), width=10)
    return _finish(img, rng, style="phone", grain=0.012, vignette=0.12)


def immeubles(rng: random.Random) -> Image.Image:
    """Social-housing blocks on an overcast day, one half demolished behind the site fence."""
    sky = (196, 204, 214)
    img = _gradient((CW, CH), [(0, (150, 164, 182)), (0.6, sky), (1, sky)])
    _clouds(img, rng, 10, (0.02, 0.4), (226, 230, 236), 160)
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=1.6, horizon=0.66, focal=0.8, x=0)
    _quad(draw, cam, [(-300, 0, 3), (300, 0, 3), (300, 0, 600), (-300, 0, 600)], (120, 130, 100))
    blocks = [(-80, -24, 90, 13), (-30, 4, 62, 11), (34, 70, 70, 8)]
    for bx0, bx1, z, h in blocks:
        face = _fade((206, 196, 176), sky, z, 260)
        _quad(draw, cam, [(bx0, 0, z), (bx1, 0, z), (bx1, h, z), (bx0, h, z)], face)
        _quad(
            draw,
            cam,
            [(bx1, 0, z), (bx1, 0, z + 12), (bx1, h, z + 12), (bx1, h, z)],
            _mix(face, (0, 0, 0), 0.18),
        )
        p0, p1 = cam(bx0, h, z), cam(bx1, 0, z)
        cols = int((bx1 - bx0) / 3.2)
        _windows(
            draw,
            (p0[0], p0[1], p1[0], p1[1]),
            cols,
            int(h / 2.7),
            _fade((70, 80, 96), sky, z, 260),
            face,
            margin=0.2,
        )
        for k in range(cols // 4):
            x = bx0 + (k + 0.5) * (bx1 - bx0) / (cols // 4)
            q0, q1 = cam(x - 1.0, h, z - 0.01), cam(x + 1.0, 0, z - 0.01)
            draw.rectangle((q0[0], q0[1], q1[0], q1[1]), fill=_mix(face, (90, 80, 70), 0.25))
    # the block being demolished: broken profile, floors showing, rubble
    z = 40.0
    dx0, dx1, h = 2.0, 30.0, 12
    face = (214, 202, 182)
    prof = [(dx0, 0)]
    for k in range(13):
        x = _lerp(dx0, dx1, k / 12)
        prof.append((x, h if k < 4 else max(2.0, h - (k - 3) * 1.3 + rng.uniform(-1.5, 1.5))))
    prof.append((dx1, 0))
    draw.polygon([cam(x, y, z) for x, y in prof], fill=face)
    p0, p1 = cam(dx0, h, z), cam(dx0 + 9, 0, z)
    _windows(draw, (p0[0], p0[1], p1[0], p1[1]), 3, 4, (70, 80, 96), face, margin=0.2)
    for k in range(4, 12):
        x = _lerp(dx0, dx1, k / 12)
        top = prof[k + 1][1]
        for fl in range(int(top / 3)):
            a, b = cam(x, fl * 3.0, z), cam(x + 2.4, fl * 3.0 + 2.6, z)
            draw.rectangle(
                (a[0], b[1], b[0], a[1]),
                fill=rng.choice([(120, 150, 170), (210, 170, 150), (170, 180, 140), (90, 90, 96)]),
            )
    rubble = []
    for k in range(30):
        x = _lerp(dx0 + 6, dx1 + 6, k / 29)
        rubble.append(cam(x, rng.uniform(1.0, 3.5), z - 4))
    draw.polygon([cam(dx0 + 4, 0, z - 6)] + rubble + [cam(dx1 + 8, 0, z - 6)], fill=(150, 140, 128))
    # excavator with its long arm
    ex, ez = 20.0, 32.0
    body0, body1 = cam(ex, 0.4, ez), cam(ex + 4.5, 3.2, ez)
    draw.rectangle((body0[0], body1[1], body1[0], body0[1]), fill=(236, 180, 30))
    draw.rectangle((body0[0] - 10, body0[1], body1[0] + 10, cam(ex, 0, ez)[1]), fill=(40, 40, 40))
    arm = [cam(ex + 1.0, 3.0, ez), cam(ex - 3.0, 13.0, ez), cam(ex - 6.0, 9.0, ez)]
    draw.line(arm, fill=(236, 180, 30), width=round(cam.size(0.5, ez)))
    # site fence in front
    _quad(
        draw, cam, [(-40, 0.01, 3), (40, 0.01, 3), (40, 0.01, 13), (-40, 0.01, 13)], (150, 146, 136)
    )
    for k in range(36):
        x = -36 + k * 2.2
        a, b = cam(x, 0, 13), cam(x + 2.1, 2.0, 13)
        draw.rectangle((a[0], b[1], b[0], a[1]), outline=(150, 150, 150), width=3)
        for m in range(1, 6):
            xx = _lerp(a[0], b[0], m / 6)
            draw.line((xx, b[1], xx, a[1]), fill=(170, 170, 170), width=1)
    for x in (-0.1, 0.95):
        _tree(draw, rng, CW * (x + 0.05), CH * 0.66, CW * 0.07, (50, 80, 44), (120, 150, 70))
    return _finish(img, rng, style="modern", grain=0.035, vignette=0.15)


def epicerie(rng: random.Random) -> Image.Image:
    """A corner grocery in the 1960s: shop window, striped blind, the shopkeeper at the door."""
    img = _gradient((CW, CH), [(0, (196, 198, 196)), (1, (220, 220, 216))])
    draw = ImageDraw.Draw(img)
    ground = CH * 0.86
    _bricks(draw, (0, 0, CW, ground), (150, 88, 66), (200, 176, 156), CH * 0.014, rng)
    stone = (224, 216, 198)
    draw.rectangle((CW * 0.06, CH * 0.3, CW * 0.94, ground), fill=(76, 66, 60))
    draw.rectangle((CW * 0.06, CH * 0.3, CW * 0.94, CH * 0.4), fill=(40, 50, 60))
    font = _font(CH * 0.06)
    text = "ALIMENTATION GENERALE"
    tw = draw.textlength(text, font=font)
    draw.text((CW * 0.5 - tw / 2, CH * 0.315), text, font=font, fill=(236, 228, 206))
    for k in range(14):
        x0 = CW * (0.06 + k * 0.88 / 14)
        x1 = x0 + CW * 0.88 / 14
        draw.polygon(
            [
                (x0, CH * 0.4),
                (x1, CH * 0.4),
                (x1 + CW * 0.004, CH * 0.47),
                (x0 + CW * 0.004, CH * 0.47),
            ],
            fill=(200, 60, 50) if k % 2 == 0 else (240, 232, 214),
        )
        draw.pieslice(
            (x0, CH * 0.45, x1, CH * 0.49),
            0,
            180,
            fill=(200, 60, 50) if k % 2 == 0 else (240, 232, 214),
        )
    draw.rectangle((CW * 0.09, CH * 0.5, CW * 0.62, CH * 0.8), fill=(60, 64, 66))
    for shelf in range(4):
        y = CH * (0.56 + shelf * 0.065)
        draw.line((CW * 0.1, y, CW * 0.61, y), fill=(140, 110, 80), width=6)
        x = CW * 0.11
        while x < CW * 0.6:
            w = CW * rng.uniform(0.012, 0.025)
            h = CH * rng.uniform(0.025, 0.045)
            draw.rectangle(
                (x, y - h, x + w, y),
                fill=rng.choice(
                    [
                        (220, 200, 150),
                        (180, 60, 50),
                        (230, 230, 220),
                        (90, 120, 70),
                        (200, 150, 60),
                        (60, 80, 140),
                    ]
                ),
            )
            x += w + CW * 0.004
    layer, ldr = _layer(img)
    ldr.polygon(
        [(CW * 0.12, CH * 0.5), (CW * 0.2, CH * 0.5), (CW * 0.12, CH * 0.8)],
        fill=(255, 255, 255, 50),
    )
    _merge(img, layer, blur=8)
    draw = ImageDraw.Draw(img)
    draw.rectangle((CW * 0.68, CH * 0.5, CW * 0.86, ground), fill=(40, 34, 30))
    draw.rectangle((CW * 0.7, CH * 0.52, CW * 0.84, CH * 0.68), fill=(70, 76, 80))
    _person(draw, CW * 0.77, ground, CH * 0.36, (40, 34, 30), rng, coat=(230, 226, 214))
    draw.rectangle((0, ground, CW, CH), fill=(150, 146, 140))
    _windows(
        draw, (CW * 0.1, CH * 0.04, CW * 0.9, CH * 0.26), 3, 1, (70, 74, 80), stone, margin=0.2
    )
    for k in range(3):
        x0 = CW * (0.1 + k * 0.8 / 3) + CW * 0.8 / 3 * 0.2
        draw.rectangle((x0, CH * 0.06, x0 + CW * 0.06, CH * 0.24), fill=(236, 232, 222))
    # bicycle with a basket at the kerb
    bx, by = CW * 0.2, CH * 0.92
    r = CH * 0.06
    for dx in (0, CW * 0.12):
        draw.ellipse((bx + dx - r, by - r, bx + dx + r, by + r), outline=(30, 28, 26), width=7)
    draw.line(
        (bx, by, bx + CW * 0.05, by - CH * 0.09, bx + CW * 0.12, by), fill=(30, 28, 26), width=8
    )
    draw.rectangle(
        (bx + CW * 0.1, by - CH * 0.15, bx + CW * 0.15, by - CH * 0.1), fill=(150, 120, 80)
    )
    return _finish(img, rng, style="sepia", grain=0.05)


SCENES = {
    "chevalement": chevalement,
    "corons": corons,
    "terril": terril,
    "ecole": ecole,
    "ducasse": ducasse,
    "gare": gare,
    "bouteille": bouteille,
    "stade": stade,
    "marche": marche,
    "eglise": eglise,
    "canal": canal,
    "hauts_fourneaux": hauts_fourneaux,
    "hauts_fourneaux_today": hauts_fourneaux_today,
    "corons_today": lambda rng: corons(rng, today=True),
    "immeubles": immeubles,
    "epicerie": epicerie,
}


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 2)


def _exif(photo: PhotoDef) -> bytes:
    """EXIF as a phone or a scanner writes it: camera, date, owner, GPS, orientation."""
    exif = Image.Exif()
    if photo.camera:
        exif[0x010F], exif[0x0110] = photo.camera  # Make, Model
    if photo.taken_at:
        exif[0x0132] = photo.taken_at  # DateTime
    if photo.owner:
        exif[0x013B] = photo.owner  # Artist
    if photo.orientation != 1:
        exif[0x0112] = photo.orientation
    sub = {}
    if photo.taken_at:
        sub[0x9003] = photo.taken_at  # DateTimeOriginal
    if photo.owner:
        sub[0xA430] = photo.owner  # CameraOwnerName: personal, must not survive derivatives
    if sub:
        exif[0x8769] = sub
    if photo.gps:
        lat, lon, alt = photo.gps
        exif[0x8825] = {
            0: b"\x02\x03\x00\x00",
            1: "N" if lat >= 0 else "S",
            2: _dms(lat),
            3: "E" if lon >= 0 else "W",
            4: _dms(lon),
            5: b"\x00",
            6: alt,
            29: (photo.taken_at or "")[:10],
        }
    return exif.tobytes()


def make_photo(photo: PhotoDef) -> bytes:
    """Draw one photo and encode it as a JPEG, stored rotated when its EXIF says so."""
    image = SCENES[photo.scene](random.Random(f"memoire-demo:{photo.path}"))
    if photo.orientation == 6:
        # Orientation 6 means "rotate 90° clockwise to display": store it turned the other way.
        image = image.transpose(Image.Transpose.ROTATE_90)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=photo.quality, optimize=True, exif=_exif(photo))
    return buffer.getvalue()


# --- Audio --------------------------------------------------------------------------------------

SAMPLE_RATE = 22050  # what espeak-ng produces
LEAD_IN, SAME_SPEAKER_GAP, TURN_GAP, TAIL = 0.3, 0.35, 0.6, 0.5
ENCODER_ARGS = {
    "ogg": ["-c:a", "libvorbis", "-b:a", "32k"],
    "opus": ["-c:a", "libopus", "-b:a", "32k", "-application", "voip"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "32k"],
    "wav": ["-c:a", "pcm_s16le", "-ar", "8000"],
}


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    speaker: str
    text: str


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _speak(text: str, voice: Voice, workdir: Path) -> bytes:
    """16-bit mono PCM frames of one line, as espeak-ng says it."""
    out = workdir / "line.wav"
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            voice.espeak,
            "-s",
            str(voice.speed),
            "-p",
            str(voice.pitch),
            "-w",
            str(out),
            text,
        ],
        check=True,
        capture_output=True,
    )
    with wave.open(str(out), "rb") as clip:
        if (clip.getframerate(), clip.getnchannels(), clip.getsampwidth()) != (SAMPLE_RATE, 1, 2):
            raise RuntimeError(f"unexpected espeak-ng output format for {voice.espeak}")
        return clip.readframes(clip.getnframes())


def _silence(seconds: float) -> bytes:
    return b"\x00\x00" * round(seconds * SAMPLE_RATE)


def synthesise(
    recording: Recording, lines: list[tuple[str, str]], workdir: Path
) -> tuple[Path, list[Cue]]:
    """Speak the lines one by one; each cue's times are where its speech really sits in the clip."""
    pcm = bytearray(_silence(LEAD_IN))
    cues: list[Cue] = []
    previous = None
    for speaker, text in lines:
        if previous is not None:
            pcm += _silence(SAME_SPEAKER_GAP if speaker == previous else TURN_GAP)
        start = len(pcm) / 2 / SAMPLE_RATE
        pcm += _speak(text, recording.voices[speaker], workdir)
        cues.append(Cue(round(start, 3), round(len(pcm) / 2 / SAMPLE_RATE, 3), speaker, text))
        previous = speaker
    pcm += _silence(TAIL)
    master = workdir / f"{recording.story}.wav"
    with wave.open(str(master), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(pcm))
    return master, cues


def encode(master: Path, dest: Path, recording: Recording, story: dict) -> None:
    """Encode small and bit-exact, with the tags a recorder or an editor would have written."""
    tags = {
        "title": recording.title,
        "artist": story["narrators"][0]["name"],
        "album": "Réseau Hainaut Solidaire — archive de démonstration",
        "date": story["recorded_on"][:4],
        "comment": "Voix de synthèse (espeak-ng), enregistrement de démonstration de memoire.",
    }
    metadata = [arg for key, value in tags.items() for arg in ("-metadata", f"{key}={value}")]
    subprocess.run(
        [
            _ffmpeg(),
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(master),
            "-ac",
            "1",
            *ENCODER_ARGS[recording.fmt],
            "-map_metadata",
            "-1",
            *metadata,
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            str(dest),
        ],
        check=True,
    )


def _timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def webvtt(cues: list[Cue], language: str) -> str:
    note = {
        "fr": "NOTE Voix de synthèse (espeak-ng) : enregistrement de démonstration.",
        "nl": "NOTE Synthetische stem (espeak-ng): demo-opname.",
    }[language]
    blocks = ["WEBVTT", note]
    for number, cue in enumerate(cues, 1):
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;")
        blocks.append(
            f"{number}\n{_timestamp(cue.start)} --> {_timestamp(cue.end)}\n<v {cue.speaker}>{text}"
        )
    return "\n\n".join(blocks) + "\n"


CUE_TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")
VOICE_TAG = re.compile(r"^<v ([^>]+)>(.*)$")


def read_cues(path: Path) -> list[tuple[float, float, str]]:
    """Cues of one of our WebVTT files: (start, end, text with its voice tag)."""
    lines = path.read_text("utf-8").splitlines()
    cues = []
    for index, line in enumerate(lines):
        match = CUE_TIMING.match(line)
        if match:
            n = [int(g) for g in match.groups()]
            start = n[0] * 3600 + n[1] * 60 + n[2] + n[3] / 1000
            end = n[4] * 3600 + n[5] * 60 + n[6] + n[7] / 1000
            cues.append((start, end, lines[index + 1] if index + 1 < len(lines) else ""))
    return cues


# --- Build --------------------------------------------------------------------------------------


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)


def build_recordings(data_dir: Path) -> None:
    if not shutil.which("espeak-ng"):
        raise SystemExit(
            "espeak-ng is needed to rebuild the recordings (apt-get install espeak-ng)"
        )
    stories = {s["id"]: s for s in read_stories(data_dir)}
    with tempfile.TemporaryDirectory() as tmp:
        for recording in RECORDINGS.values():
            story = stories[recording.story]
            master, cues = synthesise(recording, recording.cues(data_dir), Path(tmp))
            dest = data_dir / recording.audio_path
            dest.parent.mkdir(parents=True, exist_ok=True)
            encode(master, dest, recording, story)
            _write(data_dir / recording.transcript_path, webvtt(cues, story["language"]))
            print(
                f"  {recording.audio_path}: {cues[-1].end + TAIL:.1f} s, {dest.stat().st_size // 1024} KB"
            )


def build_photos(data_dir: Path) -> None:
    for photo in PHOTOS:
        data = make_photo(photo)
        _write(data_dir / photo.path, data)
        print(f"  {photo.path}: {len(data) // 1024} KB")


def exhibition_json(data_dir: Path) -> dict:
    """The exhibition with excerpt cue ranges turned into seconds from the written transcripts."""
    out = {key: value for key, value in EXHIBITION.items() if key != "items"}
    out["items"] = []
    for item in EXHIBITION["items"]:
        entry = {"story": item["story"], "caption": item["caption"]}
        if "excerpt" in item:
            first, last = item["excerpt"]
            cues = read_cues(data_dir / RECORDINGS[item["story"]].transcript_path)
            entry["excerpt"] = {
                "start": math.floor(cues[first - 1][0] * 10) / 10,
                "end": math.ceil(cues[last - 1][1] * 10) / 10,
            }
        else:
            entry["excerpt"] = {"photo": item["photo"]}
        out["items"].append(entry)
    return out


def build_json(data_dir: Path) -> None:
    """The exhibition; stories.jsonl is a source, read and never rewritten."""
    _write(
        data_dir / EXHIBITION_FILE,
        json.dumps(exhibition_json(data_dir), ensure_ascii=False, indent=2) + "\n",
    )


def remove_strays(data_dir: Path) -> None:
    """Drop media and transcripts that neither the generator nor any data file names any more."""
    wanted = {p.path for p in PHOTOS} | {r.audio_path for r in RECORDINGS.values()}
    wanted |= {r.transcript_path for r in RECORDINGS.values()}
    for source in [*data_dir.glob("*.json"), data_dir / STORIES_FILE]:
        wanted |= set(re.findall(r'"((?:media|transcripts)/[^"]+)"', source.read_text("utf-8")))
    for folder in ("media", "transcripts"):
        for path in (data_dir / folder).glob("*"):
            if path.relative_to(data_dir).as_posix() not in wanted:
                path.unlink()


def build(data_dir: Path, *, recordings: bool = True) -> None:
    if recordings:
        print("recordings:")
        build_recordings(data_dir)
    print("photos:")
    build_photos(data_dir)
    build_json(data_dir)
    if recordings:
        remove_strays(data_dir)


# --- Check --------------------------------------------------------------------------------------


def _audio_info(path: Path) -> object:
    """Stream facts (length, sample rate, channels) as mutagen reads them."""
    import mutagen

    audio = mutagen.File(path)
    if audio is None:
        raise ValueError("not an audio file mutagen can read")
    return audio.info


def _check_place(place: dict, named: set[str], where: str, problems: list[str]) -> None:
    if not set(place) <= PLACE_KEYS or not {"name", "type", "lat", "lon", "role"} <= set(place):
        problems.append(f"{where}: place keys {sorted(place)}")
        return
    if place["type"] not in PLACE_TYPES or place["role"] not in {"happened", "told"}:
        problems.append(f"{where}: place {place['name']}: bad type or role")
    lat, lon = place["lat"], place["lon"]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(f"{where}: place {place['name']}: coordinates out of range")
    elif not (REGION[0] <= lat <= REGION[1] and REGION[2] <= lon <= REGION[3]):
        problems.append(f"{where}: place {place['name']}: outside Hainaut and the Valenciennois")
    if place["type"] == "commune" and place.get("parent"):
        problems.append(f"{where}: commune {place['name']} has a parent")
    if place["type"] != "commune" and place.get("parent") not in named:
        problems.append(
            f"{where}: place {place['name']}: parent {place.get('parent')!r} not named before"
        )
    named.add(place["name"])


def _check_transcript(data_dir: Path, story: dict, where: str, problems: list[str]) -> float | None:
    """Check the clip and its WebVTT; returns the clip's length in seconds."""
    audio = [m for m in story.get("media", []) if not m["path"].endswith(".jpg")]
    if story["kind"] != "oral_history":
        return None
    # One workshop recording waits for its transcript (submitted, for the machine draft).
    untranscribed = story["status"] == "submitted" and "transcript" not in story
    if len(audio) != 1 or ("transcript" not in story and not untranscribed):
        problems.append(f"{where}: an oral history needs one recording and a transcript")
        return None
    if untranscribed:
        return _audio_info(data_dir / audio[0]["path"]).length
    audio_path, vtt_path = data_dir / audio[0]["path"], data_dir / story["transcript"]
    if not audio_path.is_file() or not vtt_path.is_file():
        return None  # reported by the path check
    info = _audio_info(audio_path)
    size = audio_path.stat().st_size
    limit = 400_000 if audio_path.suffix == ".wav" else 150_000
    if size > limit:
        problems.append(f"{where}: {audio_path.name} is {size} bytes (limit {limit})")
    if audio_path.suffix == ".wav" and (info.sample_rate != 8000 or info.channels != 1):
        problems.append(f"{where}: the WAV should be 8 kHz mono")
    if not 15 <= info.length <= 40:
        problems.append(f"{where}: {audio_path.name} lasts {info.length:.1f} s (want 15-40 s)")
    if not vtt_path.read_text("utf-8").startswith("WEBVTT"):
        problems.append(f"{where}: {vtt_path.name} does not start with WEBVTT")
    cues = read_cues(vtt_path)
    if not 4 <= len(cues) <= 10:
        problems.append(f"{where}: {len(cues)} cues (want 4-10)")
    previous_end = 0.0
    for start, end, text in cues:
        if not (previous_end <= start < end):
            problems.append(f"{where}: cue at {start} s does not follow the previous one")
        if not text.startswith("<v "):
            problems.append(f"{where}: cue at {start} s has no <v speaker> tag")
        previous_end = end
    if cues and cues[-1][1] > info.length:
        problems.append(
            f"{where}: last cue ends at {cues[-1][1]} s, after the audio ({info.length:.2f} s)"
        )
    return info.length


def _check_story(
    data_dir: Path, story: dict, where: str, named: set[str], problems: list[str]
) -> float | None:
    unknown = set(story) - STORY_KEYS
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    missing = {
        "id",
        "title",
        "summary",
        "body",
        "kind",
        "language",
        "visibility",
        "status",
        "consent",
    } - set(story)
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
        return None
    if story["kind"] not in KINDS or story["language"] not in {"fr", "nl"}:
        problems.append(f"{where}: bad kind or language")
    if story["visibility"] not in {"public", "researchers", "private"}:
        problems.append(f"{where}: bad visibility")
    if story["status"] not in {"published", "submitted", "draft"}:
        problems.append(f"{where}: bad status")
    words = len(story["body"].split())
    if not 80 <= words <= 300:
        problems.append(f"{where}: body has {words} words (want 80-300)")
    for person in story.get("narrators", []):
        if not set(person) <= NARRATOR_KEYS or "name" not in person:
            problems.append(f"{where}: narrator keys {sorted(person)}")
    if story.get("period") and set(story["period"]) not in PERIOD_KEYS:
        problems.append(f"{where}: period keys {sorted(story['period'])}")
    if not set(story.get("themes", [])) <= THEMES:
        problems.append(f"{where}: unknown themes {sorted(set(story['themes']) - THEMES)}")
    if not story.get("places"):
        problems.append(f"{where}: no place")
    for place in story.get("places", []):
        _check_place(place, named, where, problems)
    for media in story.get("media", []):
        if not set(media) <= MEDIA_KEYS or "path" not in media:
            problems.append(f"{where}: media keys {sorted(media)}")
        elif not (data_dir / media["path"]).is_file():
            problems.append(f"{where}: missing file {media['path']}")
        elif media["path"].endswith(".jpg") and not media.get("alt"):
            problems.append(f"{where}: {media['path']} has no alt text")
    if "transcript" in story and not (data_dir / story["transcript"]).is_file():
        problems.append(f"{where}: missing file {story['transcript']}")
    if set(story["consent"]) != CONSENT_KEYS:
        problems.append(f"{where}: consent keys {sorted(story['consent'])}")
    if story.get("licence") != LICENCE or story["consent"].get("licence") != LICENCE:
        problems.append(f"{where}: licence should be {LICENCE}")
    if (
        story["visibility"] == "public"
        and story["status"] == "published"
        and not story["consent"]["online_publication"]
    ):
        problems.append(f"{where}: public without consent to online publication")
    return _check_transcript(data_dir, story, where, problems)


def _check_photos(data_dir: Path, problems: list[str]) -> dict[str, int]:
    counts = {"photos": 0, "gps": 0, "orientation_6": 0}
    for path in sorted((data_dir / "media").glob("*.jpg")):
        counts["photos"] += 1
        size = path.stat().st_size
        if size > 250_000:
            problems.append(f"{path.name}: {size} bytes (limit 250000)")
        with Image.open(path) as image:
            exif = image.getexif()
            width, height = ImageOps.exif_transpose(image).size
        if not 1600 <= width <= 2400:
            problems.append(f"{path.name}: displayed {width} px wide (want 1600-2400)")
        counts["gps"] += bool(exif.get_ifd(0x8825))
        counts["orientation_6"] += exif.get(0x0112) == 6
    return counts


def _check_exhibition(
    data_dir: Path, stories: dict[str, dict], durations: dict[str, float], problems: list[str]
) -> None:
    exhibition = json.loads((data_dir / EXHIBITION_FILE).read_text("utf-8"))
    if not set(exhibition) <= EXHIBITION_KEYS or not 5 <= len(exhibition.get("items", [])) <= 6:
        problems.append("exhibition: unknown keys or not 5-6 items")
        return
    for item in exhibition["items"]:
        story = stories.get(item.get("story"))
        where = f"exhibition item {item.get('story')}"
        if not set(item) <= EXHIBITION_ITEM_KEYS or story is None:
            problems.append(f"{where}: unknown keys or unknown story")
            continue
        shown = (story["visibility"], story["status"]) == ("public", "published")
        if not shown or not story["consent"]["exhibition_use"]:
            problems.append(f"{where}: not public, not published or no consent to exhibitions")
        excerpt = item.get("excerpt", {})
        if not excerpt or not set(excerpt) <= {"start", "end", "photo"}:
            problems.append(f"{where}: the excerpt needs a time range or a photo")
        if "start" in excerpt:
            if not 0 <= excerpt["start"] < excerpt["end"] <= durations.get(item["story"], 0):
                problems.append(f"{where}: excerpt {excerpt} outside the recording")
        if "photo" in excerpt:
            photos = [m for m in story.get("media", []) if m["path"].endswith(".jpg")]
            if not 0 <= excerpt["photo"] < len(photos):
                problems.append(f"{where}: the story has no photo {excerpt['photo']}")
    cover = exhibition.get("cover")
    if cover is not None and not 0 <= cover.get("item", -1) < len(exhibition["items"]):
        problems.append("exhibition: the cover names no item")


def _check_hidden_titles(data_dir: Path, stories: list[dict], problems: list[str]) -> None:
    """Titles of stories an anonymous visitor may not see must not appear in anything public."""
    hidden = [
        s["title"] for s in stories if (s["visibility"], s["status"]) != ("public", "published")
    ]
    public = [
        json.dumps(s, ensure_ascii=False)
        for s in stories
        if (s["visibility"], s["status"]) == ("public", "published")
    ]
    public.append((data_dir / EXHIBITION_FILE).read_text("utf-8"))
    for title in hidden:
        if any(title.casefold() in text.casefold() for text in public):
            problems.append(f"non-public title {title!r} appears in public content")


def _moment(text: str) -> float:
    minutes, _, seconds = text.rpartition(":")
    return int(minutes or 0) * 60 + float(seconds)


def _check_answers(stories: list[dict], durations: dict[str, float], problems: list[str]) -> None:
    """A response ("Je me souviens aussi") answers an EARLIER line (the importer reads in
    order) of a public, published story, at a moment inside its recording."""
    seen: dict[str, dict] = {}
    threads = 0
    for story in stories:
        ref = story.get("answers")
        if ref is not None:
            answered = seen.get(ref)
            if answered is None:
                problems.append(f"{story.get('id')}: answers {ref}, not an earlier line")
            elif (answered["status"], answered["visibility"]) != ("published", "public"):
                problems.append(f"{story.get('id')}: answers {ref}, which is not public")
            else:
                threads += 1
            at = story.get("answers_at")
            if at is not None and not 0 <= _moment(at) <= durations.get(ref, 0):
                problems.append(f"{story.get('id')}: answers_at {at} is not in {ref}'s recording")
        elif "answers_at" in story:
            problems.append(f"{story.get('id')}: answers_at without answers")
        seen[story.get("id")] = story
    if threads < 2:
        problems.append("expected at least 2 responses (threads of memories)")


def _check_then_now(data_dir: Path, stories: dict[str, dict], problems: list[str]) -> int:
    """The then-and-now pairs the loader makes: an archive photo and a resident's photo
    of the same view today, both of public, published stories that share a place (the
    pairing operation refuses any other place). Returns how many pairs are well formed."""
    path = data_dir / THEN_NOW_FILE
    if not path.is_file():
        return 0
    good, seen = 0, set()
    for number, entry in enumerate(json.loads(path.read_text("utf-8")), 1):
        where = f"{THEN_NOW_FILE} entry {number}"
        if set(entry) - {"then", "now", "caption"} or not {"then", "now"} <= set(entry):
            problems.append(f"{where}: keys {sorted(entry)} (want then, now, caption)")
            continue
        sides = [stories.get(entry["then"]), stories.get(entry["now"])]
        if None in sides or entry["then"] == entry["now"]:
            problems.append(f"{where}: then and now must be two different demo stories")
            continue
        if (entry["then"], entry["now"]) in seen:
            problems.append(f"{where}: the same pair twice")
        seen.add((entry["then"], entry["now"]))
        ok = True
        for story in sides:
            if (story["visibility"], story["status"]) != ("public", "published"):
                problems.append(f"{where}: {story['id']} is not public and published")
                ok = False
            if not any(m["path"].endswith(".jpg") for m in story.get("media", [])):
                problems.append(f"{where}: {story['id']} has no photo")
                ok = False
        then, now = sides
        if not {p["name"] for p in then["places"]} & {p["name"] for p in now["places"]}:
            problems.append(f"{where}: {then['id']} and {now['id']} share no place")
            ok = False
        if len(entry.get("caption", "")) > 500:
            problems.append(f"{where}: caption over 500 characters")
            ok = False
        good += ok
    return good


def check(data_dir: Path) -> int:
    """Validate the committed demo archive; print a summary and every problem found."""
    problems: list[str] = []
    stories: list[dict] = []
    durations: dict[str, float] = {}
    named: set[str] = set()
    for number, line in enumerate((data_dir / STORIES_FILE).read_text("utf-8").splitlines(), 1):
        try:
            story = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: {error}")
            continue
        length = _check_story(
            data_dir, story, f"line {number} ({story.get('id')})", named, problems
        )
        if length:
            durations[story["id"]] = length
        stories.append(story)
    ids = [s.get("id") for s in stories]
    if len(set(ids)) != len(ids):
        problems.append("duplicate story ids")
    photo_counts = _check_photos(data_dir, problems)
    by_id = {s["id"]: s for s in stories}
    _check_exhibition(data_dir, by_id, durations, problems)
    _check_hidden_titles(data_dir, stories, problems)
    _check_answers(stories, durations, problems)
    pairs = _check_then_now(data_dir, by_id, problems)
    total = sum(p.stat().st_size for p in data_dir.rglob("*") if p.is_file())
    expectations = [
        (len(stories) >= 34, "at least 34 stories"),
        (len(durations) >= 9, "at least 9 oral histories with a recording"),
        (photo_counts["photos"] >= 12, "at least 12 photos"),
        (photo_counts["gps"] == 3, "3 photos with GPS EXIF"),
        (photo_counts["orientation_6"] == 1, "1 photo with EXIF orientation 6"),
        (3 <= sum(s["language"] == "nl" for s in stories) <= 4, "3 or 4 stories in Dutch"),
        (pairs >= 2, "at least 2 then-and-now pairs"),
        (total < MAX_TOTAL_BYTES, f"data/ under {MAX_TOTAL_BYTES / 1e6:g} MB"),
    ]
    problems += [f"expected {label}" for ok, label in expectations if not ok]
    _print_summary(data_dir, stories, durations, photo_counts, total)
    print(f"then-and-now pairs: {pairs}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _count(stories: list[dict], key: str) -> str:
    values: dict[str, int] = {}
    for story in stories:
        values[story[key]] = values.get(story[key], 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(values.items()))


def _print_summary(
    data_dir: Path,
    stories: list[dict],
    durations: dict[str, float],
    photos: dict[str, int],
    total: int,
) -> None:
    print(f"stories: {len(stories)} | kind: {_count(stories, 'kind')}")
    print(
        f"  language: {_count(stories, 'language')} | status: {_count(stories, 'status')} | visibility: {_count(stories, 'visibility')}"
    )
    formats = sorted(
        Path(m["path"]).suffix
        for s in stories
        for m in s.get("media", [])
        if not m["path"].endswith(".jpg")
    )
    print(
        f"recordings: {len(durations)} ({', '.join(formats)}), {min(durations.values(), default=0):.1f}-{max(durations.values(), default=0):.1f} s"
    )
    print(
        f"photos: {photos['photos']} (GPS {photos['gps']}, orientation 6: {photos['orientation_6']})"
    )
    for folder in ("media", "transcripts"):
        size = sum(p.stat().st_size for p in (data_dir / folder).glob("*"))
        print(f"  {folder}/: {size / 1024:.0f} KB")
    print(f"total data/: {total} bytes ({total / 1e6:.2f} MB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate or check memoire's demo archive.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only validate the committed files")
    mode.add_argument(
        "--photos", action="store_true", help="rebuild photos and JSON, keep recordings"
    )
    args = parser.parse_args(argv)
    if not args.check:
        build(DATA_DIR, recordings=not args.photos)
    return check(DATA_DIR)


if __name__ == "__main__":
    sys.exit(main())
