"""Intake benchmark: derivatives of a 24 MP photo, memory while ingesting a 600 MB WAV,
and `memoire import` throughput on 1,000 stories with a photo each.

    python bench/intake.py [--wav-mb 600] [--stories 1000]

Prints figures; asserts nothing (targets: < 0.25 s per 24 MP photo; < 64 MB RSS growth
for the 600 MB upload).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import struct
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_wav(path: Path, megabytes: int) -> None:
    rate, seconds_per_chunk = 44100, 10
    chunk = b"".join(
        struct.pack("<hh", int(8000 * math.sin(i / 20)), int(8000 * math.cos(i / 30)))
        for i in range(rate * seconds_per_chunk)
    )
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        written = 0
        while written < megabytes * 1024 * 1024:
            w.writeframes(chunk)
            written += len(chunk)


def make_photo(path: Path) -> None:
    import random

    from PIL import Image

    random.seed(7)
    image = Image.radial_gradient("L").resize((6000, 4000)).convert("RGB")
    noise = Image.effect_noise((6000, 4000), 40).convert("RGB")
    Image.blend(image, noise, 0.3).save(path, "JPEG", quality=88)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wav-mb", type=int, default=600)
    parser.add_argument("--stories", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-intake-"))

    from memoire import create_app
    from memoire.core.cli import init_archive
    from memoire.extensions import db
    from memoire.media import processing

    app = create_app({"HOME": str(work / "home"), "MEDIA_DIR": str(work / "media"),
                      "MAX_FILE_BYTES": 2 * 1024**3, "MAX_STORY_BYTES": 4 * 1024**3})
    with app.app_context():
        init_archive()

        from memoire.media.operations import add_media
        from memoire.stories import operations as story_ops

        wav = work / "interview.wav"
        make_wav(wav, args.wav_mb)
        story = story_ops.create_story(None, story_ops.StoryInput(title="Entretien d'une heure"))
        db.session.commit()
        before, peak_before = rss_mb(), peak_rss_mb()
        started = time.perf_counter()
        with open(wav, "rb") as fh:
            add_media(None, story, fh, caption="Entretien")
        db.session.commit()
        took = time.perf_counter() - started
        after, peak_after = rss_mb(), peak_rss_mb()
        print(f"ingest of a {wav.stat().st_size / 1e6:.0f} MB WAV: {took:.1f} s; RSS {before:.0f} -> "
              f"{after:.0f} MB, peak grew by {max(0.0, peak_after - peak_before):.0f} MB (target < 64 MB)")

        photo = work / "24mp.jpg"
        make_photo(photo)
        times = []
        for _ in range(7):
            out = Path(tempfile.mkdtemp(dir=work))
            started = time.perf_counter()
            processing.make_image_derivatives(photo, out, max_pixels=64_000_000)
            times.append(time.perf_counter() - started)
        print(f"derivatives of a 24 MP JPEG ({photo.stat().st_size / 1e6:.1f} MB): "
              f"median {statistics.median(times):.3f} s over {len(times)} runs (target < 0.25 s)")

        folder = work / "import"
        (folder / "photos").mkdir(parents=True)
        from PIL import Image

        lines = []
        for n in range(args.stories):
            path = folder / "photos" / f"p{n}.jpg"
            Image.new("RGB", (1200, 900), ((n * 7) % 256, (n * 13) % 256, (n * 29) % 256)).save(path, "JPEG")
            lines.append(json.dumps({"id": f"b{n}", "title": f"Souvenir {n}", "kind": "photo",
                                     "places": [{"name": "Dutemple", "type": "quartier", "lat": 50.35, "lon": 3.53}],
                                     "media": [{"path": f"photos/p{n}.jpg", "caption": f"Photo {n}"}],
                                     "visibility": "public", "status": "published"}))
        (folder / "stories.jsonl").write_text("\n".join(lines) + "\n")
        from memoire.imports.operations import import_path

        started = time.perf_counter()
        summary = import_path(None, folder / "stories.jsonl")
        took = time.perf_counter() - started
        print(f"memoire import of {args.stories} stories with a photo each: {took:.1f} s, "
              f"{args.stories / took:.1f} stories/s ({summary.created} created, {summary.failed} failed)")


if __name__ == "__main__":
    main()
