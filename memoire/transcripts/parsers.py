"""Transcripts from files people bring: WebVTT, SRT, SBV, OHMS XML, Word (DOCX), plain text.

Pure functions, no database: `parse_transcript` turns bytes into segments or raises
`TranscriptError` (with the line when known) for anything it cannot take in whole, whatever
the bytes; `to_webvtt` and `to_text` write segments back out.
"""

from __future__ import annotations

import io
import math
import re
import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from flask_babel import lazy_gettext as _l

from memoire.core.errors import TranscriptError
from memoire.transcripts.captions import parse_sbv, parse_srt, parse_webvtt
from memoire.transcripts.encoding import decode_text
from memoire.transcripts.ohms import looks_like_ohms, parse_ohms
from memoire.transcripts.parsed import Cue, ParsedSegment, ParsedTranscript, refuse
from memoire.transcripts.plaintext import leading_timestamp, parse_lines, speaker_label, text_lines
from memoire.transcripts.writers import to_text, to_webvtt

__all__ = [
    "FORMATS",
    "ParsedSegment",
    "ParsedTranscript",
    "decode_text",
    "detect_format",
    "parse_transcript",
    "to_text",
    "to_webvtt",
]

FORMATS = ("webvtt", "srt", "sbv", "ohms", "docx", "text")
#: Four hours of talk is about 300 kB of text; far more is not a transcript.
MAX_TEXT_BYTES = 20 * 1024 * 1024
#: A Word file may carry photos; what it unpacks to is bounded so a zip bomb is refused.
MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
#: Seconds a time may pass the recording's length (rounding of players and editors).
DURATION_TOLERANCE = 1.0

_BY_EXTENSION = {".vtt": "webvtt", ".srt": "srt", ".sbv": "sbv", ".xml": "ohms", ".docx": "docx"}
_SRT_TIMING = re.compile(r"^[^\S\n]*\d{1,5}:\d{1,2}:\d{1,2},\d{1,3}[^\S\n]*-->", re.MULTILINE)
_SBV_TIMING = re.compile(
    r"^[^\S\n]*\d{1,5}:\d{1,2}:\d{1,2}\.\d{3},\d{1,5}:\d{1,2}:\d{1,2}\.\d{3}[^\S\n]*$", re.MULTILINE
)
_NUMBERED_TIMING = re.compile(r"^[^\S\n]*\d+[^\S\n]*\n[^\S\n]*[\d:.]+[^\S\n]*-->", re.MULTILINE)
_VTT_TIMING = re.compile(r"^[^\S\n]*(?:\d{1,5}:)?\d{1,2}:\d{1,2}\.\d{1,3}[^\S\n]*-->", re.MULTILINE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
#: Share of control characters above which a "text" is taken for a binary file.
_MAX_CONTROL_SHARE = 0.01
# Files people may pick by mistake, each told apart by its first bytes.
_FOREIGN = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _l("This is an old Word file (.doc): save it as .docx.")),
    (b"%PDF", _l("PDF files cannot be read as transcripts: export the text as .docx or .txt.")),
    (b"{\\rtf", _l("RTF files cannot be read as transcripts: save the text as .docx or .txt.")),
)


def detect_format(data: bytes, filename: str | None = None) -> str:
    """Which reader a file needs; its content decides, its extension only when content cannot."""
    data = bytes(data)
    if data.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(data) else "text"
    return _detect(decode_text(data[:MAX_TEXT_BYTES]), filename)[0]


def parse_transcript(
    data: bytes, filename: str | None = None, *, duration: float | None = None
) -> ParsedTranscript:
    """Segments of a transcript file, or TranscriptError naming the line that cannot be taken.

    Refused: an empty transcript, times that go backwards (a cue starting before the one
    before it), a cue ending before it starts, and times past `duration` (seconds, with
    DURATION_TOLERANCE) when the recording's length is known.
    """
    data = bytes(data)
    duration = duration if _is_length(duration) else None
    for magic, message in _FOREIGN:
        if data.startswith(magic):
            raise refuse(message)
    if data.startswith(b"PK\x03\x04"):
        source_format, cues = "docx", _parse_docx(data, duration)
    else:
        if len(data) > MAX_TEXT_BYTES:
            raise refuse(_l("This transcript is too large (more than 20 MB of text)."))
        text = decode_text(data)
        source_format, by_content = _detect(text, filename)
        cues = _parse_text(source_format, by_content, data, text, duration)
    if not cues:
        raise refuse(_l("The transcript is empty."))
    _check_times(cues, duration)
    return ParsedTranscript([cue.segment for cue in cues], source_format)


def _is_length(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value >= 0


def _detect(text: str, filename: str | None) -> tuple[str, bool]:
    """(format, whether the content told it) for a decoded file."""
    head = text.lstrip()
    if head.startswith("WEBVTT"):
        return "webvtt", True
    if head.startswith("<") and looks_like_ohms(head[:8192]):
        return "ohms", True
    if _SRT_TIMING.search(text):
        return "srt", True
    if _SBV_TIMING.search(text):
        return "sbv", True
    if _VTT_TIMING.search(text):
        return ("srt" if _NUMBERED_TIMING.search(text) else "webvtt"), True
    extension = re.search(r"\.[A-Za-z0-9]{1,5}$", filename or "")
    return _BY_EXTENSION.get(extension.group(0).lower() if extension else "", "text"), False


def _parse_text(
    source_format: str, by_content: bool, data: bytes, text: str, duration: float | None
) -> list[Cue]:
    """Dispatch a decoded file to the reader of its format."""
    if source_format == "ohms":
        if not by_content:
            raise refuse(_l("This XML file is not an OHMS export."))
        return parse_ohms(data, text, duration=duration)
    if source_format == "docx":
        raise refuse(_l("This file is not a Word (.docx) document."))
    _check_readable(text)
    if source_format == "webvtt":
        # A body of cues whose WEBVTT line was lost is still read; a .vtt without cues is not.
        return parse_webvtt(text, headerless=by_content)
    if source_format == "srt":
        if not by_content:
            raise refuse(_l("This .srt file holds no subtitle timing."), line=1)
        return parse_srt(text)
    if source_format == "sbv":
        return parse_sbv(text)
    return parse_lines(text_lines(text), duration=duration)


def _check_readable(text: str) -> None:
    """Refuse a binary file (audio, image…) taken for text: it would read as noise."""
    sample = text[:200_000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise refuse(_l("This file is not a text file."))


def _check_times(cues: list[Cue], duration: float | None) -> None:
    """Refuse times that go backwards, cues that end before they start, times past the end."""
    previous: Cue | None = None
    limit = duration + DURATION_TOLERANCE if duration is not None else None
    for cue in cues:
        start, end = cue.segment.start, cue.segment.end
        if start is None:
            continue
        if end is not None and end < start:
            raise refuse(
                _l("Line %(line)s: this cue ends before it starts.", line=cue.line), line=cue.line
            )
        if previous is not None and start < previous.segment.start:
            raise refuse(
                _l(
                    "Line %(line)s: the times go backwards: this cue starts before the one "
                    "before it.",
                    line=cue.line,
                ),
                line=cue.line,
            )
        if limit is not None and max(start, end or start) > limit:
            raise refuse(
                _l(
                    "Line %(line)s: this time is past the end of the recording (%(duration)s s).",
                    line=cue.line,
                    duration=round(duration),
                ),
                line=cue.line,
            )
        previous = cue


# DOCX --------------------------------------------------------------------------------------


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except Exception:  # zipfile raises many kinds of errors on a broken archive
        return False


def _parse_docx(data: bytes, duration: float | None) -> list[Cue]:
    """A Word file read as plain text, one Word paragraph (or table row) a paragraph.

    Line numbers in errors count the document's paragraphs and table rows.
    """
    if len(data) > MAX_DOCX_BYTES:
        raise refuse(_l("This Word file is too large (more than 50 MB)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # BadZipFile, and worse on crafted archives
        raise refuse(_l("This file is a damaged archive, not a Word document.")) from exc
    if "word/document.xml" not in names:
        if "content.xml" in names:
            raise refuse(_l("OpenDocument files (.odt) cannot be read: save the text as .docx."))
        raise refuse(_l("This archive is not a Word (.docx) document."))
    if unpacked > MAX_DOCX_UNPACKED:
        raise refuse(_l("This Word file unpacks to more than 200 MB and is refused."))
    try:
        lines = _docx_lines(docx.Document(io.BytesIO(data)))
    except Exception as exc:  # python-docx and lxml raise their own errors on broken parts
        raise refuse(_l("This Word file cannot be read.")) from exc
    return parse_lines(lines, duration=duration)


def _docx_lines(document: docx.document.Document) -> list[tuple[int, str]]:
    """Numbered lines of a Word document; each paragraph and table row ends a paragraph."""
    lines: list[tuple[int, str]] = []
    number = 0
    for block in document.iter_inner_content():
        rows = [block.text] if isinstance(block, Paragraph) else _table_rows(block)
        for row in rows:
            number += 1
            lines.extend((number, part) for part in row.split("\n"))
            lines.append((number, ""))
    return lines


def _table_rows(table: Table) -> list[str]:
    """Rows of a transcript laid out as a table: time | speaker | words, as text lines."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen = set()
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell is listed once per grid column
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        rows.append(_row_text([c for c in cells if c]))
    return rows


def _row_text(cells: list[str]) -> str:
    """Cells "00:01:23", "MARIE", "words" become "[00:01:23] MARIE : words"."""
    parts: list[str] = []
    if len(cells) > 1:
        try:
            start, rest = leading_timestamp(cells[0], None)
        except TranscriptError:  # not a time after all: the cell stays words
            start, rest = None, cells[0]
        if start is not None and not rest:
            parts.append(f"[{cells.pop(0).strip('[]() ')}]")
    if len(cells) > 1 and speaker_label(f"{cells[0]} : …")[0] is not None:
        parts.append(f"{cells.pop(0)} :")
    return " ".join(parts + cells)
