"""Fuzzy periods as people say them: "années 60", "vers 1950", 1978, "1955-1965"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from memoire.core.errors import ValidationError

MIN_YEAR, MAX_YEAR = 1800, 2100
#: How wide "vers 1950" is taken to be, on each side.
APPROXIMATE_SPAN = 5


@dataclass(frozen=True)
class Period:
    start: int | None
    end: int | None
    text: str | None = None
    approximate: bool = False


_DECADE_WORDS = {
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "soixante-dix": 70, "quatre-vingt": 80, "quatre-vingts": 80,
    "huitante": 80, "nonante": 90, "quatre-vingt-dix": 90,
}

_YEAR = r"(1[89]\d\d|20\d\d)"
_RANGE = re.compile(rf"^(?:de\s+|from\s+|van\s+)?{_YEAR}\s*(?:-|–|—|à|a|to|tot|tot en met)\s*{_YEAR}$")
_SINGLE = re.compile(rf"^(?:en\s+|in\s+)?{_YEAR}$")
_APPROX = re.compile(rf"^(?:vers|environ|autour de|circa|ca\.?|c\.|around|about|rond|omstreeks)\s*{_YEAR}$")
_DECADE = re.compile(
    r"^(?:(début|fin|milieu|early|late|mid|begin|eind)\s+(?:des\s+|de\s+|the\s+|van\s+de\s+|)?)?"
    r"(?:les\s+|the\s+|de\s+)?(?:années|annees|jaren)\s+(1[89]\d0|20\d0|(?:19)?\d0|[a-z-]+)$"
    r"|^(?:the\s+)?(1[89]\d0|20\d0)s$"
    r"|^(?:the\s+)?'?(\d0)s$"
)


def _check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _l("The year %(year)s is outside the archive's range (1800–2100).", year=year),
            field="period",
        )
    return year


def parse_period_text(text: str) -> Period:
    """Read what a person wrote; raise ValidationError when it cannot be understood."""
    raw = " ".join(str(text).split())
    value = raw.lower().strip(" .")
    if not value:
        return Period(None, None)
    if m := _SINGLE.match(value):
        year = _check_year(int(m.group(1)))
        return Period(year, year, raw)
    if m := _RANGE.match(value):
        start, end = _check_year(int(m.group(1))), _check_year(int(m.group(2)))
        if end < start:
            raise ValidationError(_l("The period ends before it starts."), field="period")
        return Period(start, end, raw)
    if m := _APPROX.match(value):
        year = _check_year(int(m.group(1)))
        return Period(year - APPROXIMATE_SPAN, year + APPROXIMATE_SPAN, raw, approximate=True)
    if m := _DECADE.match(value):
        qualifier, decade_text, full, short = m.group(1), m.group(2), m.group(3), m.group(4)
        if full:
            start = int(full)
        else:
            token = decade_text or short
            if token.isdigit() and len(token) == 4:
                start = int(token)
            elif token.isdigit():
                start = 1900 + int(token[-2:])
            elif token in _DECADE_WORDS:
                start = 1900 + _DECADE_WORDS[token]
            else:
                raise ValidationError(_l("This period could not be understood: %(text)s", text=raw), field="period")
        start = _check_year(start)
        end = start + 9
        if qualifier in {"début", "early", "begin"}:
            end = start + 3
        elif qualifier in {"fin", "late", "eind"}:
            start = start + 6
        elif qualifier in {"milieu", "mid"}:
            start, end = start + 3, start + 6
        return Period(start, end, raw, approximate=qualifier is not None)
    raise ValidationError(
        _l("This period could not be understood: %(text)s", text=raw), field="period"
    )


def parse_period(value) -> Period:
    """A period from the import format: {"start", "end"}, {"text"}, a year, or text."""
    if value is None or value == "":
        return Period(None, None)
    if isinstance(value, bool):
        raise ValidationError(_l("The period must be a year, a range or a text."), field="period")
    if isinstance(value, int):
        return Period(_check_year(value), _check_year(value))
    if isinstance(value, str):
        return parse_period_text(value)
    if isinstance(value, dict):
        unknown = set(value) - {"start", "end", "text", "approximate"}
        if unknown:
            raise ValidationError(
                _l("Unknown key in period: %(keys)s", keys=", ".join(sorted(unknown))), field="period"
            )
        text = value.get("text")
        start, end = value.get("start"), value.get("end")
        if start is None and end is None:
            return parse_period_text(text or "")
        for year in (start, end):
            if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
                raise ValidationError(_l("Period years must be whole numbers."), field="period")
        start = _check_year(start if start is not None else end)
        end = _check_year(end if end is not None else start)
        if end < start:
            raise ValidationError(_l("The period ends before it starts."), field="period")
        return Period(start, end, text, bool(value.get("approximate", False)))
    raise ValidationError(_l("The period must be a year, a range or a text."), field="period")


def period_label(story) -> str:
    """How a period reads on a page: the words given, else the years."""
    if story is None:
        return ""
    if getattr(story, "period_text", None):
        return story.period_text
    start, end = story.period_start, story.period_end
    if start is None:
        return ""
    if end is None or end == start:
        return str(start)
    if start % 10 == 0 and end == start + 9:
        return _("the %(decade)ss", decade=start)
    return f"{start}–{end}"


def decade_of(story) -> int | None:
    """The decade a story is filed under in facets (the start of its period)."""
    if story.period_start is None:
        return None
    return story.period_start - story.period_start % 10
