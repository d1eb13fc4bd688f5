"""Machine transcription: real-time factor, peak memory and word error rate on this machine.

    python bench/asr.py [--minutes 10] [--model FOLDER]

Speaks a French text written for the project (about 300 words) with espeak-ng, then
1. word error rate of the draft against that text (synthetic speech is a pessimistic
   stand-in for a real voice: expect a real speaker to do better);
2. the real-time factor (CPU seconds per audio second, and wall seconds per audio second)
   and peak memory over --minutes of speech (the text spoken again and again), through the
   archive's own path: decoded in chunks, recognised, cleaned.
Needs the `asr` extra and espeak-ng. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TEXT = """
Je suis née en mille neuf cent quarante-huit, dans une maison de coron à Dutemple, tout près
de la fosse. Mon père était mineur de fond, comme son père avant lui. Le matin, on entendait
les sabots des hommes qui passaient dans la rue avant le jour. Ma mère faisait le café et
préparait le briquet, la tartine qu'il emportait dans sa boîte en fer. Quand la sirène
sonnait, tout le quartier savait l'heure sans regarder l'horloge.
Le dimanche, nous allions à la messe, puis au bal de la salle des fêtes. Les Polonais
avaient leur chorale et les Italiens jouaient aux boules derrière le café. On parlait
patois à la maison, et français à l'école. La maîtresse nous tapait sur les doigts quand
un mot de picard nous échappait.
En soixante-trois, il y a eu la grande grève. Pendant des semaines, les hommes sont restés
à la maison. Les commerçants faisaient crédit, et les femmes organisaient la soupe
populaire dans la cour de l'école. Je me souviens de l'odeur des poireaux et du pain qu'on
coupait en tranches épaisses pour les enfants.
Quand la fosse a fermé, mon père avait cinquante ans. Il a travaillé encore un peu à la
centrale, puis plus rien. Les jeunes sont partis vers Valenciennes ou vers la Belgique, à
Mons, pour trouver de l'embauche. Le terril est resté, et maintenant les enfants y
grimpent le mercredi avec le centre social.
Aujourd'hui, quand je passe devant le chevalement, je pense à tous ceux qui sont descendus
là. On dit que le quartier est triste, mais ce n'est pas vrai. Il y a la fête des voisins,
le jardin partagé, et les ateliers de la maison de quartier où l'on raconte nos souvenirs
pour que les petits sachent d'où ils viennent.
"""


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold().replace("'", " ").replace("’", " "))
    kept = "".join(c if c.isalnum() or c.isspace() else " " for c in folded if not unicodedata.combining(c))
    return kept.split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    from rapidfuzz.distance import Levenshtein

    ref, hyp = _words(reference), _words(hypothesis)
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def speak(path: Path) -> float:
    subprocess.run(["espeak-ng", "-v", "fr", "-s", "150", "-w", str(path), " ".join(TEXT.split())],
                   check=True)
    import wave

    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--model", help="a faster-whisper model folder (default: the bundled base)")
    args = parser.parse_args()

    import imageio_ffmpeg

    from memoire.asr import model as models
    from memoire.asr.engine import SAMPLE_RATE
    from memoire.asr.whisper import WhisperEngine
    from memoire.media import processing

    work = Path(tempfile.mkdtemp(prefix="bench-asr-"))
    folder = Path(args.model) if args.model else models.install_base_model(work / "models")
    speech = work / "speech.wav"
    seconds = speak(speech)
    started = time.perf_counter()
    engine = WhisperEngine(folder)
    load_s = time.perf_counter() - started
    import numpy

    def recognise(path: Path, total: float) -> tuple[str, float, float]:
        chunk, start, parts = 600.0, 0.0, []
        cpu0, wall0 = time.process_time(), time.perf_counter()
        while start < total:
            raw = processing.decode_pcm(path, rate=SAMPLE_RATE, start=start, duration=chunk)
            if not raw:
                break
            samples = numpy.frombuffer(raw, dtype=numpy.float32)
            parts += [s.text for s in engine.transcribe(samples, "fr", offset=start)]
            start += len(raw) / 4 / SAMPLE_RATE
        return " ".join(parts), time.process_time() - cpu0, time.perf_counter() - wall0

    text, cpu, wall = recognise(speech, seconds)
    wer = word_error_rate(TEXT, text)
    print(f"model: {folder.name}; load {load_s:.1f} s")
    print(f"espeak-ng French text: {len(_words(TEXT))} words, {seconds:.0f} s of speech")
    print(f"word error rate: {wer:.1%}")
    print(f"first words heard: {text[:200]!r}")

    # Long run: the speech again and again up to --minutes.
    repeats = max(1, round(args.minutes * 60 / seconds))
    listing = work / "list.txt"
    listing.write_text("".join(f"file '{speech}'\n" for _ in range(repeats)))
    long = work / "long.wav"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "concat", "-safe", "0",
                    "-i", str(listing), "-c", "copy", str(long)], check=True)
    total = repeats * seconds
    _, cpu, wall = recognise(long, total)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{total / 60:.1f} min of speech: wall {wall:.0f} s (RTF {wall / total:.3f}), "
          f"CPU {cpu:.0f} s (CPU RTF {cpu / total:.3f}), peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
