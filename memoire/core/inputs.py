"""One guard for every text that comes in, whatever the door.

Some characters can be decoded but never stored: a NUL byte (PostgreSQL refuses it in
text, SQLite keeps it and cuts strings at it elsewhere) and a lone UTF-16 surrogate such as
`"\\ud800"` in JSON (no database can encode it: the insert fails, and the request with it).
A JSON document nested thousands deep makes the parser itself run out of stack. Each of
these is a mistake or an attack, never a memory: the web guard (`memoire.web.security`)
refuses them in every query value, form field, multipart file name and JSON body with a
400, and the import reader refuses the line, both through the functions below.
"""

from __future__ import annotations

import json
import re

from flask_babel import lazy_gettext as _l

from memoire.core.errors import ValidationError

#: Deeper JSON than this is refused; real documents (GeoJSON, stories) stay far below it.
MAX_JSON_DEPTH = 64

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BadInput(ValidationError):
    """Input holding characters that cannot be stored, or nested beyond reason."""

    code = "bad_characters"


def bad_characters() -> BadInput:
    return BadInput(
        _l("The input holds characters that cannot be stored (a NUL byte or a broken character). "
           "Remove them and try again.")
    )


def too_deep() -> BadInput:
    return BadInput(_l("The JSON document is nested too deeply (more than %(n)s levels).", n=MAX_JSON_DEPTH))


def is_storable(text: str) -> bool:
    """Whether a string holds no NUL byte and no lone surrogate."""
    return _UNSTORABLE.search(text) is None


def check_text(*texts: str | None) -> None:
    """Raise BadInput when any of these strings cannot be stored."""
    for text in texts:
        if text and not is_storable(text):
            raise bad_characters()


def check_value(value, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Walk decoded JSON (keys and values) without recursion; raise BadInput on the first fault."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict | list):
            if depth > max_depth:
                raise too_deep()
            if isinstance(item, dict):
                for key, child in item.items():
                    check_text(key)
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)


def loads_json(text: str | bytes):
    """`json.loads` that fails as BadInput on absurd nesting and unstorable text (ValueError
    stays ValueError for plain syntax errors, so callers keep their own message for those)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise too_deep() from None
    check_value(value)
    return value
