"""French typography in the fr catalogue: a no-break space before : ; ! ? and inside « »,
and the typographic apostrophe (’) between letters.

A plain space there lets a line break leave "?" or ":" alone at the start of the next line
on a phone. `translate_missing.py` passes every new French string through `fix`, and
`tests/core/test_french_typography.py` fails on a string that `problems` finds.

Usage: python scripts/french_typography.py [--apply]   (then scripts/i18n.sh to compile)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NBSP = "\u00a0"
PATH = Path(__file__).resolve().parents[1] / "memoire/translations/fr/LC_MESSAGES/messages.po"

# High punctuation used as punctuation: followed by a space, the end, a tag or a bracket.
# `lieu:Mons`, `Content-Type: application/json` or a URL's `://` are syntax, left alone.
_SPACED_BEFORE = re.compile(r"[ \u2009]([:;!?])(?=\s|$|<|\))")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def fix(text: str) -> str:
    text = _SPACED_BEFORE.sub(NBSP + r"\1", text)
    text = re.sub(r"«[ \u2009]", "«" + NBSP, text)
    text = re.sub(r"[ \u2009]»", NBSP + "»", text)
    return _APOSTROPHE.sub("’", text)


def problems(text: str) -> list[str]:
    """What `fix` would change in `text`, said in a few words each."""
    found = []
    if _SPACED_BEFORE.search(text):
        found.append("a breaking space before : ; ! or ?")
    if re.search(r"«[ \u2009]|[ \u2009]»", text):
        found.append("a breaking space inside « »")
    if _APOSTROPHE.search(text):
        found.append("a straight apostrophe")
    return found


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def main(apply: bool) -> int:
    from babel.messages.pofile import read_po, write_po

    with open(PATH, "rb") as fh:
        catalog = read_po(fh, locale="fr")
    changed = 0
    for message in catalog:
        if not message.id or not any(_strings(message)):
            continue
        fixed = tuple(fix(s) for s in _strings(message))
        if fixed != _strings(message):
            changed += 1
            message.string = fixed if isinstance(message.string, tuple) else fixed[0]
    if apply and changed:
        with open(PATH, "wb") as fh:
            write_po(fh, catalog, width=0)
    print(f"{changed} French strings {'fixed' if apply else 'to fix'}")
    return changed


if __name__ == "__main__":
    main("--apply" in sys.argv)
