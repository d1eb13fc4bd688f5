"""Plain-text transcripts: paragraphs, "MARIE :" speaker labels and "[00:12:34]" timestamps."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from memoire.transcripts.parsed import Cue, ParsedSegment, clean_text, refuse, seconds

# A speaker label is a short name at the start of a line: 1–4 words, each capitalised, a number
# or a name particle ("Jean de la Tour", "Intervenant 2"), before " :" (French spacing) or ":".
# All-caps names may also be followed by " - ".
_COLON_LABEL = re.compile(
    r"^(?P<name>[^\W\d_][^\s:]{0,39}(?:[^\S\n]+[^\s:]{1,40}){0,3}?)[^\S\n]*:(?:[^\S\n]+|$)(?P<rest>.*)$"
)
_DASH_LABEL = re.compile(
    r"^(?P<name>[^\W\d_][^\s–—]{0,39}(?:[^\S\n]+[^\s–—]{1,40}){0,3}?)[^\S\n]+[-–—][^\S\n]+(?P<rest>.*)$"
)
_NAME_WORD = re.compile(r"^[^\W_][\w'’.\-]*$")
_MAX_LABEL = 40
_PARTICLES = frozenset(
    "de du des d' d’ del della di da dos la le les van von der den ter ten het el al y e et".split()
)
# Words that open a French, Dutch or English sentence or a header line with a colon but
# name no one: "Alors : on est partis", "Date : 1978".
_NOT_SPEAKERS = frozenset(
    """
    alors donc bref ensuite puis mais et ou enfin voilà voici attention résultat résultats
    conclusion exemple remarque remarques note notes nb n.b. ps p.s. titre sujet objet lieu
    lieux date dates durée source sources thème thèmes résumé mots-clés contexte description
    important rappel info infos transcription transcripteur transcriptrice enregistrement
    title subject summary location place duration transcript transcription keywords
    interviewee interviewees interviewer interviewers datum plaats onderwerp opmerking
    samenvatting trefwoorden http https ok oui non
    """.split()
)

_LEADING_STAMP = re.compile(
    r"^(?:\[(?P<square>[^\]\n]{1,20})\]|\((?P<round>[^)\n]{1,20})\)|(?P<bare>\d{1,3}:\d{2}:\d{2}(?:[.,]\d{1,3})?)(?=\s|$))"
)
_CLOCK = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,3}):(\d{1,2})(?:[.,](\d{1,3}))?\s*$")
_AFTER_STAMP = re.compile(r"^[\s\-–—:]*")


def speaker_label(line: str) -> tuple[str | None, str]:
    """Split "MARIE : bonjour" into ("MARIE", "bonjour"); (None, line) when no label opens it."""
    for pattern, caps_only in ((_COLON_LABEL, False), (_DASH_LABEL, True)):
        match = pattern.match(line)
        if match and _is_name(match.group("name"), caps_only=caps_only):
            return match.group("name").strip(), match.group("rest").strip()
    return None, line


def _is_name(name: str, *, caps_only: bool) -> bool:
    """True for a short name written as names are, never for the opening words of a sentence."""
    name = name.strip()
    words = name.split()
    if not 1 <= len(words) <= 4 or len(name) > _MAX_LABEL:
        return False
    if name.lower() in _NOT_SPEAKERS or words[0].lower() in _NOT_SPEAKERS:
        return False
    if not all(_NAME_WORD.match(word) for word in words):
        return False
    if caps_only:
        return name.upper() == name and any(c.isalpha() for c in name)
    for word in words:
        if word.isdigit() or word.lower() in _PARTICLES or word[:2].lower() in ("d'", "d’"):
            continue
        if not word[0].isupper():
            return False
    return words[0][0].isupper()


def leading_timestamp(line: str, number: int | None) -> tuple[float | None, str]:
    """Split "[00:12:34] MARIE : …" into (754.0, "MARIE : …"); (None, line) without a stamp."""
    match = _LEADING_STAMP.match(line)
    if not match:
        return None, line
    clock = _CLOCK.match(match.group("square") or match.group("round") or match.group("bare"))
    if not clock:  # "[rires]", "(inaudible)": a bracket that is not a time
        return None, line
    hours, minutes, secs, fraction = clock.groups()
    if int(secs) > 59 or (hours is not None and int(minutes) > 59):
        raise refuse(
            _l(
                "Line %(line)s: the time %(time)s cannot be read.", line=number, time=match.group(0)
            ),
            line=number,
        )
    rest = line[match.end() :]
    return seconds(hours, minutes, secs, fraction), rest[_AFTER_STAMP.match(rest).end() :]


@dataclass
class _Open:
    """The segment being read: where it starts, who speaks, the lines gathered so far."""

    line: int
    start: float | None
    speaker: str | None
    parts: list[str] = field(default_factory=list)


def parse_lines(
    lines: Iterable[tuple[int, str]],
    *,
    duration: float | None = None,
    forced_starts: Mapping[int, float] | None = None,
) -> list[Cue]:
    """Segments from numbered lines; an empty line ends a paragraph.

    A timestamp or a speaker label at the start of a line opens a new segment, other lines
    join the open one. `forced_starts` gives known times of some lines (OHMS sync data), which
    open a segment as a written timestamp would.
    """
    forced_starts = forced_starts or {}
    cues: list[Cue] = []
    current: _Open | None = None
    pending_start: float | None = None  # a timestamp or label alone on its line waits for text
    pending_speaker: str | None = None

    def close() -> None:
        nonlocal current, pending_start, pending_speaker
        if current is None:
            return
        text = clean_text(" ".join(current.parts))
        if text:
            segment = ParsedSegment(current.start, None, current.speaker, text)
            cues.append(Cue(segment, current.line))
        else:
            pending_start = current.start if current.start is not None else pending_start
            pending_speaker = current.speaker or pending_speaker
        current = None

    def open_segment(number: int, start: float | None, speaker: str | None) -> _Open:
        nonlocal pending_start, pending_speaker
        segment = _Open(
            number, start if start is not None else pending_start, speaker or pending_speaker
        )
        pending_start = pending_speaker = None
        return segment

    for number, raw in lines:
        line = raw.strip()
        if not line:
            close()
            continue
        start, rest = leading_timestamp(line, number)
        if start is None:
            start = forced_starts.get(number)
        speaker, rest = speaker_label(rest)
        if start is not None or speaker is not None or current is None:
            # Within a paragraph the speaker goes on until another label names someone else.
            carried = current.speaker if current is not None else None
            close()
            current = open_segment(number, start, speaker or carried)
        if rest:
            current.parts.append(rest)
    close()
    return _timed(cues, duration)


def _timed(cues: list[Cue], duration: float | None) -> list[Cue]:
    """Give every segment a start and an end once the text holds any timestamp.

    A segment without its own timestamp starts with the one before it (the first ones at 0),
    and ends where the next later timestamp begins; the last ends at `duration`, if known.
    """
    if not any(c.segment.start is not None for c in cues):
        return cues
    previous = 0.0
    for cue in cues:
        if cue.segment.start is None:
            cue.segment.start = previous
        previous = cue.segment.start
    # Backwards, so each end is the next start later than this one; starts that go back are
    # refused afterwards, so their end does not matter.
    following_end = float(duration) if duration is not None else None
    following_start: float | None = None
    for cue in reversed(cues):
        start = cue.segment.start
        if following_start is not None and following_start > start:
            following_end = following_start
        elif following_start is not None and following_start < start:
            following_end = None
        cue.segment.end = following_end if following_end is None or following_end >= start else None
        following_start = start
    return cues


def text_lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines of a text, counted from 1 as editors show them."""
    return list(enumerate(text.split("\n"), start=1))
