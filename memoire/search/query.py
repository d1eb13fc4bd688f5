"""Reading a search from request parameters, and the query syntax people may use.

Syntax: words (all must match), "phrases in quotes", AND/OR/NOT and their French
ET/OU/SAUF and Dutch EN/OF/NIET (upper case only: "en" is a Dutch word), parentheses, field prefixes (`lieu:` / `place:`, `theme:` / `thème:`,
`narrateur:` / `narrator:`), a prefix `char*`, a misspelling tolerance `mot~`.
Anything else that cannot be read is refused with a message, never a server error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from memoire.core.errors import ValidationError
from memoire.core.schemas import whole_number
from memoire.search.backend import SORTS, SearchQuery
from memoire.stories.models import Kind

#: Index field → prefixes people may write before a word.
FIELD_ALIASES = {
    "place": ("lieu", "place", "plaats"),
    "theme": ("theme", "thème", "thema"),
    "narrator": ("narrateur", "narrator", "verteller"),
}
OPERATOR_WORDS = frozenset(
    {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "ET", "OU", "SAUF", "EN", "OF", "NIET"}
)
#: The operators and field prefixes each interface language shows in its search tips.
TIP_WORDS = {
    "fr": {"and": "ET", "or": "OU", "not": "SAUF", "place": "lieu", "theme": "thème", "narrator": "narrateur"},
    "nl": {"and": "EN", "or": "OF", "not": "NIET", "place": "plaats", "theme": "thema", "narrator": "verteller"},
    "en": {"and": "AND", "or": "OR", "not": "NOT", "place": "place", "theme": "theme", "narrator": "narrator"},
}
MAX_QUERY_LENGTH = 500
MAX_WORDS = 40
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 500
MAX_FILTER_VALUES = 20
_KINDS = frozenset(Kind)


def check_text(text: str) -> str:
    """The query text, tidied, or ValidationError naming what is wrong with it."""
    text = " ".join((text or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(
            _l("The search is too long (%(n)s characters at most).", n=MAX_QUERY_LENGTH), field="q"
        )
    if text.count('"') % 2:
        raise ValidationError(_l("A quotation mark is not closed in the search."), field="q")
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        raise ValidationError(_l("The parentheses of the search do not match."), field="q")
    # A question mark ends questions; it is not a wildcard here.
    text = text.replace("?", " ").strip()
    if re.search(r"(^|[\s(:\"])\*", text):
        raise ValidationError(
            _l("A word cannot start with * : write at least its first letter (char*)."), field="q"
        )
    if re.search(r"~(?:[3-9]|\d\d)", text):
        raise ValidationError(_l("A spelling tolerance is 1 or 2 (mot~ or mot~2)."), field="q")
    if len(text.split()) > MAX_WORDS:
        raise ValidationError(
            _l("The search has too many words (%(n)s at most).", n=MAX_WORDS), field="q"
        )
    return " ".join(text.split())


def _values(args: Mapping, *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        getter = getattr(args, "getlist", None)
        raw = getter(name) if getter else ([args[name]] if name in args else [])
        for value in raw:
            values.extend(v.strip() for v in str(value).split(",") if v.strip())
    if len(values) > MAX_FILTER_VALUES:
        raise ValidationError(_l("Too many values for one filter."), field=names[0])
    return list(dict.fromkeys(values))


def _ints(values: list[str], field: str) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in values)
    except ValueError:
        raise ValidationError(
            _l("The filter %(name)s takes numbers.", name=field), field=field
        ) from None


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """`west,south,east,north` in degrees (WGS84), or None."""
    if not raw:
        return None
    parts = raw.split(",")
    message = _l("bbox must be west,south,east,north in degrees, e.g. 3.4,50.3,3.6,50.5.")
    if len(parts) != 4:
        raise ValidationError(message, field="bbox")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValidationError(message, field="bbox") from None
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        raise ValidationError(message, field="bbox")
    if west > east or south > north:
        raise ValidationError(message, field="bbox")
    return west, south, east, north


#: The widest period a range may name, in decades (ten centuries).
MAX_RANGE_DECADES = 100


def parse_decades(values: list[str]) -> tuple[int, ...]:
    """Decades as 1950, "1950s", or a period "1950-1979": every decade starting in it
    (so "1950-1959" is the 1950s alone, as before, and the two handles of the search
    page's period range send "1950-1970" for the 1950s to the 1970s)."""
    decades = []
    for value in values:
        match = re.fullmatch(r"(\d{4})(?:s|-(\d{4}))?", value)
        if not match or int(match.group(1)) % 10:
            raise ValidationError(_l("A decade is written like 1950 or 1950s."), field="decade")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        if end < start:
            raise ValidationError(
                _l("A period goes from the earlier decade to the later one, like 1950-1970."),
                field="decade",
            )
        if (end - start) // 10 >= MAX_RANGE_DECADES:
            raise ValidationError(
                _l("A period is %(n)s decades at most.", n=MAX_RANGE_DECADES), field="decade"
            )
        decades.extend(d for d in range(start, end + 1, 10) if d not in decades)
    return tuple(decades)


def parse_params(args: Mapping, *, language_params: tuple[str, ...] = ("language",)) -> SearchQuery:
    """A SearchQuery from URL parameters (q, place, theme, decade, kind, language, narrator,
    organisation, workshop, bbox, sort, page, per_page); ValidationError for anything that
    cannot be used."""
    text = check_text(str(args.get("q") or ""))
    kinds = tuple(_values(args, "kind"))
    for kind in kinds:
        if kind not in _KINDS:
            raise ValidationError(_l("Unknown kind %(kind)s.", kind=kind), field="kind")
    languages = tuple(_values(args, *language_params))
    for language in languages:
        if not re.fullmatch(r"[a-z]{2,3}", language):
            raise ValidationError(
                _l("Unknown language code %(code)s.", code=language), field="language"
            )
    sort = str(args.get("sort") or ("relevance" if text else "added"))
    if sort not in SORTS:
        raise ValidationError(
            _l("Unknown order %(sort)s (%(sorts)s).", sort=sort, sorts=", ".join(SORTS)),
            field="sort",
        )
    return SearchQuery(
        text=text,
        places=_ints(_values(args, "place"), "place"),
        themes=tuple(_values(args, "theme")),
        decades=parse_decades(_values(args, "decade")),
        kinds=kinds,
        languages=languages,
        narrators=_ints(_values(args, "narrator"), "narrator"),
        organisations=_ints(_values(args, "organisation"), "organisation"),
        workshops=_ints(_values(args, "workshop"), "workshop"),
        bbox=parse_bbox(args.get("bbox")),
        sort=sort,
        page=whole_number(args, "page", 1, 1, MAX_PAGE),
        per_page=whole_number(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )
