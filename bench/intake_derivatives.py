"""Time and memory of turning a 24-megapixel camera JPEG into its display copy and thumbnail.

Usage: python bench/intake_derivatives.py [--runs 7]

Generates a 6000x4000 JPEG with gradients and grain (so it weighs what a camera photo
weighs), then, each in a fresh process so peak memory is its own, measures:
  - make_image_derivatives (draft decoding, display first, thumbnail from the display);
  - inspect_image (facts plus a 1/8-scale decode that finds truncated files);
  - a naive full decode (Image.open + load), the floor of any pipeline that skips draft;
  - a naive pipeline (full decode, exif_transpose, resize, save, thumbnail, save).
Prints the median wall time over the runs and the child's peak RSS. Target: under 0.25 s
per 24 MP photo for make_image_derivatives.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import ExifTags, Image, ImageOps

# Run from a checkout without installing: the package sits one level up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZE = (6000, 4000)
MAX_PIXELS = 64_000_000


def make_camera_jpeg(path: Path) -> None:
    """A 24 MP JPEG with smooth areas, edges and sensor-like grain, plus camera EXIF."""
    gradient = Image.linear_gradient("L").resize(SIZE)
    radial = Image.radial_gradient("L").resize(SIZE)
    grain = Image.effect_noise(SIZE, 24)
    detail = Image.effect_mandelbrot(SIZE, (-2.0, -1.2, 1.0, 1.2), 60)
    picture = Image.merge(
        "RGB",
        (
            Image.blend(gradient, detail, 0.5),
            Image.blend(radial, grain, 0.5),
            Image.blend(detail, grain, 0.4),
        ),
    )
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Bench"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (50.0, 27.0, 18.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (3.0, 57.0, 0.0)
    picture.save(path, "JPEG", quality=92, exif=exif)


def _derivatives(photo: Path, out: Path) -> None:
    from memoire.media.processing import make_image_derivatives

    for made in make_image_derivatives(photo, out, max_pixels=MAX_PIXELS):
        made.path.unlink()


def _inspect(photo: Path, out: Path) -> None:
    from memoire.media.processing import inspect_image

    inspect_image(photo, max_pixels=MAX_PIXELS)


def _full_decode(photo: Path, out: Path) -> None:
    with Image.open(photo) as img:
        img.load()


def _naive_pipeline(photo: Path, out: Path) -> None:
    with Image.open(photo) as img:
        upright = ImageOps.exif_transpose(img).convert("RGB")
    display = upright.resize(_fit(upright.size, 1600), Image.Resampling.LANCZOS)
    display.save(out / "naive-display.jpg", "JPEG", quality=84)
    display.resize(_fit(display.size, 320), Image.Resampling.LANCZOS).save(
        out / "naive-thumbnail.jpg", "JPEG", quality=80
    )


def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    scale = min(1.0, box / max(size))
    return round(size[0] * scale), round(size[1] * scale)


CASES = {
    "make_image_derivatives": _derivatives,
    "inspect_image": _inspect,
    "naive full decode": _full_decode,
    "naive pipeline": _naive_pipeline,
}


def _peak_rss_kib() -> int:
    """This process's own peak RSS (VmHWM; ru_maxrss would carry the parent's over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(case: str, photo: Path, runs: int) -> None:
    """Run one case `runs` times in this process and print JSON figures."""
    import memoire.media.processing  # noqa: F401  (same imports in every case's baseline)

    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    baseline_kib = _peak_rss_kib()
    CASES[case](photo, out)  # warm-up: imports, codec tables, page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        CASES[case](photo, out)
        times.append(time.perf_counter() - start)
    peak_kib = _peak_rss_kib()
    print(
        json.dumps(
            {
                "median": statistics.median(times),
                "min": min(times),
                "peak_kib": peak_kib,
                "baseline_kib": baseline_kib,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=sorted(CASES))
    parser.add_argument("--photo", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.photo, args.runs)
        return

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        photo = Path(tmp) / "camera-24mp.jpg"
        make_camera_jpeg(photo)
        print(
            f"photo: {SIZE[0]}x{SIZE[1]} JPEG, {photo.stat().st_size / 1e6:.1f} MB, {args.runs} runs per case"
        )
        print(
            f"{'case':<24} {'median s':>9} {'min s':>7} {'peak RSS MiB':>13} {'(after imports)':>16}"
        )
        for case in CASES:
            figures = json.loads(
                subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        case,
                        "--photo",
                        str(photo),
                        "--runs",
                        str(args.runs),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            print(
                f"{case:<24} {figures['median']:>9.3f} {figures['min']:>7.3f}"
                f" {figures['peak_kib'] / 1024:>13.0f} {figures['baseline_kib'] / 1024:>16.0f}"
            )


if __name__ == "__main__":
    main()
