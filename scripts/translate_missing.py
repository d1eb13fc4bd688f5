"""Fill untranslated fr/nl msgids from a JSON file {msgid: {"fr": ..., "nl": ...}}, then compile.

Usage: python scripts/translate_missing.py translations.json  (then scripts/i18n.sh)
Without an argument, print the untranslated msgids as JSON to fill in.
"""

import json
import sys
from pathlib import Path

import french_typography  # noqa: I001 (beside this script)
from babel.messages.pofile import read_po, write_po

DIR = Path(__file__).resolve().parent.parent / "memoire" / "translations"


def load(locale):
    path = DIR / locale / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as fh:
        return path, read_po(fh, locale=locale)


def main() -> None:
    if len(sys.argv) < 2:
        missing = {}
        for locale in ("fr", "nl"):
            _, catalog = load(locale)
            for message in catalog:
                if message.id and not (message.string if isinstance(message.string, str) else all(message.string)):
                    key = message.id if isinstance(message.id, str) else "\u0000".join(message.id)
                    missing.setdefault(key, {"fr": "", "nl": ""})
        print(json.dumps(missing, ensure_ascii=False, indent=1))
        return
    wanted = json.loads(Path(sys.argv[1]).read_text())
    for locale in ("fr", "nl"):
        path, catalog = load(locale)
        for message in catalog:
            key = message.id if isinstance(message.id, str) else "\u0000".join(message.id or ())
            if key in wanted and wanted[key].get(locale):
                value = wanted[key][locale]
                # No-break spaces and ’, as tests/core/test_french_typography.py wants.
                if locale == "fr":
                    value = french_typography.fix(value)
                message.string = tuple(value.split("\u0000")) if isinstance(message.id, tuple) else value
        with open(path, "wb") as fh:
            write_po(fh, catalog, width=0)


if __name__ == "__main__":
    main()
