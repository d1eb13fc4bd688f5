"""Known failure modes of Whisper-like engines, cut from a draft before anyone reads it."""

from __future__ import annotations

import re
import unicodedata

from memoire.asr.engine import RecognisedSegment

#: A phrase repeated this many times in a row is a loop, not speech.
LOOP_REPEATS = 3
#: Longest phrase (in words) looked for when cutting loops.
LOOP_LONGEST = 8
_NOISE_ONLY = re.compile(r"^[\W_]*(?:\[[^\]]*\]|\([^)]*\)|[♪♫🎵]+)?[\W_]*$")


def _key(word: str) -> str:
    folded = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in folded if c.isalnum())


def is_noise(segment: RecognisedSegment) -> bool:
    """Music notes, "[Musique]" and empty text: what an engine writes over non-speech."""
    return not segment.text.strip() or bool(_NOISE_ONLY.match(segment.text.strip()))


def cut_repetitions(segment: RecognisedSegment) -> RecognisedSegment:
    """Collapse a phrase repeated LOOP_REPEATS times or more to one occurrence, and flag it."""
    tokens = segment.text.split()
    keys = [_key(t) for t in tokens]
    kept: list[int] = []  # indexes of tokens kept
    flagged = False
    i = 0
    while i < len(tokens):
        cut = 0
        for size in range(1, LOOP_LONGEST + 1):
            phrase = keys[i:i + size]
            if len(phrase) < size or not any(phrase):
                break
            repeats = 1
            while keys[i + repeats * size:i + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats >= LOOP_REPEATS:
                cut = size * (repeats - 1)
                kept.extend(range(i, i + size))
                i += size * repeats
                flagged = True
                break
        if not cut:
            kept.append(i)
            i += 1
    if not flagged:
        return segment
    text = " ".join(tokens[k] for k in kept)
    words = segment.words
    if len(words) == len(tokens):  # engines give one word per token: keep the same ones
        words = [words[k] for k in kept]
    return RecognisedSegment(
        segment.start, segment.end, text, words, flagged=True,
        no_speech_probability=segment.no_speech_probability,
    )


def drop_repeated_segments(segments: list[RecognisedSegment]) -> list[RecognisedSegment]:
    """A loop across segments: the same text in LOOP_REPEATS segments in a row keeps the first,
    flagged, stretched over the others' time."""
    out: list[RecognisedSegment] = []
    i = 0
    while i < len(segments):
        key = _key(segments[i].text)
        j = i + 1
        while j < len(segments) and key and _key(segments[j].text) == key:
            j += 1
        if j - i >= LOOP_REPEATS:
            first = segments[i]
            first.flagged = True
            first.end = max(s.end for s in segments[i:j])
            out.append(first)
        else:
            out.extend(segments[i:j])
        i = j
    return out
