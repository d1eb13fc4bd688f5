"""The faster-whisper engine (CTranslate2, int8 on the CPU), an optional extra: `.[asr]`."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from memoire.asr import model as models
from memoire.asr.engine import RecognisedSegment, Word, unavailable

log = logging.getLogger(__name__)


class WhisperEngine:
    def __init__(self, folder, *, threads: int = 0, beam_size: int = 5):
        from faster_whisper import WhisperModel

        self.name = f"faster-whisper/{folder.name}"
        self.beam_size = beam_size
        self._model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)

    def transcribe(self, samples, language: str, offset: float = 0.0) -> Iterator[RecognisedSegment]:
        segments, _info = self._model.transcribe(
            samples,
            language=language,  # forced: detection is unreliable on short or old recordings
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=True,  # the bundled Silero model skips silences and most music
            # Not feeding the previous text back is the documented cure for repetition loops.
            condition_on_previous_text=False,
        )
        for raw in segments:
            words = [
                Word(w.word.strip(), round(offset + float(w.start), 3), round(offset + float(w.end), 3),
                     float(w.probability))
                for w in (raw.words or [])
                if w.word.strip()
            ]
            yield RecognisedSegment(
                start=round(offset + float(raw.start), 3),
                end=round(offset + float(raw.end), 3),
                text=raw.text.strip(),
                words=words,
                no_speech_probability=float(raw.no_speech_prob),
            )


def load(config) -> WhisperEngine:
    try:
        import faster_whisper  # noqa: F401
    except ImportError:
        raise unavailable("pip install -e '.[asr]'") from None
    try:
        folder = models.resolve(config)
    except models.ModelMissing as exc:
        log.warning("speech model unavailable: %s", exc)
        raise unavailable(str(exc)) from None
    return WhisperEngine(folder, threads=int(config.get("MEMOIRE_ASR_THREADS") or 0))
