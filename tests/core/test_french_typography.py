"""French strings follow French typography (issue 17): a no-break space before : ; ! ? and
inside « », and ’ between letters, so that a phone never starts a line with a lone "?"."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "memoire" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def _typography():
    spec = importlib.util.spec_from_file_location(
        "french_typography", ROOT / "scripts" / "french_typography.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_rule_itself():
    typography = _typography()
    assert typography.fix("Lieu : Mons ; année ? « oui » l'école") == (
        "Lieu\u00a0: Mons\u00a0; année\u00a0? «\u00a0oui\u00a0» l’école"
    )
    # Syntax is not prose: a search operator, an HTTP header, a URL stay as they are.
    for syntax in ("lieu:Mons", "Content-Type: application/json", "http://127.0.0.1:5000/"):
        assert typography.fix(syntax) == syntax and not typography.problems(syntax)


def test_the_french_catalogue_follows_it():
    typography = _typography()
    with open(CATALOGUE, "rb") as fh:
        catalog = read_po(fh, locale="fr")
    wrong = {}
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if message.id and text and typography.problems(text):
                wrong[text] = typography.problems(text)
    assert not wrong, f"run python scripts/french_typography.py --apply: {wrong}"
