"""Caption files (WebVTT, SRT, SBV) read with webvtt-py and srt, checked line by line first.

The libraries skip what they cannot read; an archive must not lose words silently, so each
timing line and each block is checked here before, and refused with its line number.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import srt
import webvtt
from flask_babel import lazy_gettext as _l

from memoire.transcripts.parsed import Cue, ParsedSegment, clean_text, refuse, seconds
from memoire.transcripts.plaintext import speaker_label

_VTT_TIME = r"(?:(\d{1,5}):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})"
_VTT_TIMING = re.compile(rf"^[^\S\n]*{_VTT_TIME}[^\S\n]*-->[^\S\n]*{_VTT_TIME}(?=[^\S\n]|$)")
_SRT_TIME = r"(\d{1,5}):(\d{1,2}):(\d{1,2})[,.:](\d{1,3})"
_SRT_TIMING = re.compile(rf"^[^\S\n]*{_SRT_TIME}[^\S\n]*-->[^\S\n]*{_SRT_TIME}(?=[^\S\n]|$)")
_SBV_TIMING = re.compile(
    r"^[^\S\n]*(\d{1,5}):(\d{1,2}):(\d{1,2})\.(\d{3}),(\d{1,5}):(\d{1,2}):(\d{1,2})\.(\d{3})[^\S\n]*$"
)
_NOTE = re.compile(r"^NOTE(?:[ \t]|$)")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>\n]*))?>")
_TAG = re.compile(r"<[^>\n]*>")
_SRT_TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^>\n]*>|\{\\[^}\n]*\}", re.IGNORECASE)
_CUE_NUMBER = re.compile(r"^\s*\d+\s*$")


@dataclass
class _Timing:
    """A cue timing line as read here: where it is and the times it gives."""

    line: int
    start: float
    end: float


def _times(line: str, number: int, pattern: re.Pattern[str]) -> _Timing:
    """The times of a cue timing line; a line with "-->" that is not one is refused."""
    match = pattern.match(line)
    if not match:
        raise refuse(_l("Line %(line)s: this cue timing cannot be read.", line=number), line=number)
    fields = match.groups()
    half = len(fields) // 2
    start, end = fields[:half], fields[half:]
    for clock in (start, end):
        if int(clock[1]) > 59 or int(clock[2]) > 59:
            raise refuse(
                _l("Line %(line)s: this cue timing cannot be read.", line=number), line=number
            )
    return _Timing(number, seconds(*start), seconds(*end))


def _line_of(
    timings: Sequence[_Timing], start: float, end: float, after: int
) -> tuple[int | None, int]:
    """Line of the next timing with these times, and where to look for the one after."""
    for index in range(after, len(timings)):
        timing = timings[index]
        if abs(timing.start - start) < 0.0005 and abs(timing.end - end) < 0.0005:
            return timing.line, index + 1
    return None, after


def _library_error(exc: Exception) -> Exception:
    """A caption library's failure, as the project's error."""
    return refuse(_l("This caption file cannot be read: %(reason)s", reason=str(exc)[:200]))


# WebVTT ------------------------------------------------------------------------------------


def _vtt_blocks(lines: Sequence[str], first: int) -> Iterator[tuple[int, list[str]]]:
    """Blocks of a WebVTT body as webvtt-py cuts them: at empty lines, and at a "-->" line
    that cannot be the timing line of the block being read."""
    block: list[str] = []
    start = first
    for number, line in enumerate(lines[first - 1 :], start=first):
        splits = bool(block) and "-->" in line and (len(block) > 1 or "-->" in block[0])
        if not line or splits:
            if block:
                yield start, block
            block = []
        if line:
            if not block:
                start = number
            block.append(line)
    if block:
        yield start, block


def _check_vtt(lines: Sequence[str], body: int) -> list[_Timing]:
    """Refuse a WebVTT body that webvtt-py would read with losses; return its timing lines."""
    timings: list[_Timing] = []
    for start, block in _vtt_blocks(lines, body):
        if _NOTE.match(block[0]) or block[0] == "STYLE" or block[0].startswith("REGION"):
            continue
        arrows = [(start + i, line) for i, line in enumerate(block) if "-->" in line]
        if not arrows:
            raise refuse(
                _l(
                    "Line %(line)s: this text has no cue timing before it "
                    "(an empty line inside a cue ends it).",
                    line=start,
                ),
                line=start,
            )
        timings.extend(_times(line, number, _VTT_TIMING) for number, line in arrows)
    return timings


def parse_webvtt(text: str, *, headerless: bool = False, ohms: bool = False) -> list[Cue]:
    """Cues of a WebVTT text; `headerless` accepts a body without its "WEBVTT" line.

    OHMS writes an end of 00:00:00.000 on the last cue when it does not know it; with `ohms`,
    such ends are taken as unknown rather than refused.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return []
    has_header = lines[first].lstrip().startswith("WEBVTT")
    if not has_header and not headerless:
        raise refuse(
            _l("Line %(line)s: a WebVTT file must begin with WEBVTT.", line=first + 1),
            line=first + 1,
        )
    if has_header:
        header_end = next((i for i in range(first, len(lines)) if not lines[i]), len(lines))
        # A cue timing right under the header, without an empty line, still starts a cue.
        arrow = next((i for i in range(first, header_end) if "-->" in lines[i]), header_end)
        body = min(header_end, arrow) + 1
        source = "\n".join([lines[first].lstrip(), *lines[first + 1 :]])
    else:
        body = first + 1
        source = "WEBVTT\n\n" + "\n".join(lines[first:])
    timings = _check_vtt(lines, body)
    try:
        captions = webvtt.from_string(source).captions
    except Exception as exc:  # webvtt-py raises its own errors, ValueError and worse
        raise _library_error(exc) from exc
    cues: list[Cue] = []
    after = 0
    for caption in captions:
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        line, after = _line_of(timings, start, end, after)
        for speaker, words in _voice_spans(caption.raw_text):
            cues.append(Cue(ParsedSegment(start, end, speaker, words), line))
    if ohms:
        _unknown_ends(cues)
    return cues


def _voice_spans(raw: str) -> list[tuple[str | None, str]]:
    """Text of a cue split at each <v Speaker> span, other tags removed, entities read."""
    raw = _BREAK.sub(" ", raw)
    spans: list[tuple[str | None, str]] = []
    speaker: str | None = None
    position = 0
    for match in _VOICE.finditer(raw):
        spans.append((speaker, raw[position : match.start()]))
        speaker = clean_text(html.unescape(match.group(1) or "")) or None
        position = match.end()
    spans.append((speaker, raw[position:]))
    cleaned = [(who, clean_text(html.unescape(_TAG.sub("", words)))) for who, words in spans]
    return [(who, words) for who, words in cleaned if words]


def _unknown_ends(cues: list[Cue]) -> None:
    """An end before its start, in OHMS, means "not known": it ends where the next cue starts."""
    following: float | None = None
    for cue in reversed(cues):
        segment = cue.segment
        if segment.end is not None and segment.end < segment.start:
            segment.end = (
                following if following is not None and following >= segment.start else None
            )
        following = segment.start


# SRT ---------------------------------------------------------------------------------------


def parse_srt(text: str) -> list[Cue]:
    """Cues of a SubRip text, with "MARIE :" labels as speakers."""
    lines = text.split("\n")
    timings = [
        _times(line, number, _SRT_TIMING)
        for number, line in enumerate(lines, start=1)
        if "-->" in line
    ]
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        skipped = len(exc.unmatched_content) - len(exc.unmatched_content.lstrip())
        line = text.count("\n", 0, exc.expected_start + skipped) + 1
        raise refuse(
            _l("Line %(line)s: this text is not part of a subtitle.", line=line), line=line
        ) from exc
    except Exception as exc:  # srt raises ValueError, OverflowError on absurd numbers
        raise _library_error(exc) from exc
    cues: list[Cue] = []
    after = 0
    for subtitle in subtitles:
        start = round(subtitle.start.total_seconds(), 3)
        end = round(subtitle.end.total_seconds(), 3)
        line, after = _line_of(timings, start, end, after)
        content = subtitle.content.split("\n")
        _check_srt_content(content, line)
        turns = _turns(_SRT_TAG.sub("", part) for part in content)
        cues.extend(Cue(ParsedSegment(start, end, who, words), line) for who, words in turns)
    return cues


def _check_srt_content(content: Sequence[str], line: int | None) -> None:
    """srt folds a numbered cue whose timing is missing into the cue before; refuse it."""
    for index in range(1, len(content)):
        if not content[index - 1].strip() and _CUE_NUMBER.match(content[index]):
            where = line + 1 + index if line is not None else None
            raise refuse(
                _l("Line %(line)s: this subtitle has no timing line.", line=where), line=where
            )


def _turns(lines: Iterator[str] | Sequence[str]) -> list[tuple[str | None, str]]:
    """Lines of a cue grouped by speaker: a "MARIE :" label opens a new turn."""
    turns: list[tuple[str | None, list[str]]] = []
    for raw in lines:
        speaker, rest = speaker_label(raw.strip())
        if speaker is not None or not turns:
            turns.append((speaker, []))
        turns[-1][1].append(rest)
    cleaned = [(who, clean_text(" ".join(parts))) for who, parts in turns]
    return [(who, words) for who, words in cleaned if words]


# SBV ---------------------------------------------------------------------------------------


def parse_sbv(text: str) -> list[Cue]:
    """Cues of a YouTube SBV text: "0:00:01.000,0:00:04.000" then the words."""
    lines = text.split("\n")
    timings: list[_Timing] = []
    block_start = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            block_start = True
            continue
        if block_start:
            timings.append(_times(line, number, _SBV_TIMING))
        block_start = False
    try:
        captions = webvtt.from_buffer([text], format="sbv").captions
    except Exception as exc:  # MalformedFileError and anything else webvtt-py raises
        raise _library_error(exc) from exc
    cues: list[Cue] = []
    after = 0
    for caption in captions:
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        line, after = _line_of(timings, start, end, after)
        turns = _turns(caption.lines)
        cues.extend(Cue(ParsedSegment(start, end, who, words), line) for who, words in turns)
    return cues
