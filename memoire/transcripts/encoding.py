"""Bytes to text for files made on any French or Belgian computer."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# What French, Dutch or Walloon text read as CP1252 never holds: C0/C1 controls, and the
# CP1252 signs that DOS (CP850) or Mac Roman accents turn into ("é" is 0x82 in CP850, 0x8E in
# Mac Roman). Finding one means CP1252 is the wrong guess.
_NOT_WESTERN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u0192\u2020\u2021\u02c6\u2030\u0160\u2039\u017d\u02dc\u0161\u203a\u017e\u201a\u201e]"
)
_LINE_ENDS = re.compile(r"\r\n?")
# Share of NUL bytes at odd (or even) places that marks UTF-16 written without a BOM: Latin
# letters all have a NUL high byte, so real files are near 1.
_UTF16_NUL_SHARE = 0.6


def decode_text(data: bytes) -> str:
    """Text of a file whatever its encoding: UTF-8/16 with or without BOM, CP1252, Latin-1."""
    return _normalise(_decode(bytes(data)))


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if utf16 := _utf16_without_bom(data):
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # French Windows writes CP1252; prefer it to the exotic guesses a detector makes on a
    # short text, unless it yields characters no one types.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _NOT_WESTERN.search(text):
        return text
    try:
        best = charset_normalizer.from_bytes(data).best()
        guessed = str(best) if best is not None else None
    except Exception:  # a detector's failure must not stop the CP1252/Latin-1 fallback
        guessed = None
    if guessed is not None:
        return guessed
    return text if text is not None else data.decode("latin-1")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 written without a BOM has a NUL in every other byte of Latin text."""
    sample = data[:4096]
    if sample.count(0) < 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= _UTF16_NUL_SHARE * len(odd) and even.count(0) <= odd.count(0) / 8:
        encoding = "utf-16-le"
    elif even.count(0) >= _UTF16_NUL_SHARE * len(even) and odd.count(0) <= even.count(0) / 8:
        encoding = "utf-16-be"
    else:
        return None
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


def _normalise(text: str) -> str:
    """One line end (LF), and no byte-order marks left inside the text."""
    return _LINE_ENDS.sub("\n", text).replace("\ufeff", "")
