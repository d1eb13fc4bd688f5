"""The catalogues are complete: every string marked for translation is translated in French
and Dutch, keeps its placeholders, and is compiled. Run scripts/i18n.sh after adding strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "memoire" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _catalog(locale: str):
    with open(CATALOGUES / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


@pytest.fixture(scope="module")
def source_ids() -> set[str]:
    """Every msgid marked in the code and templates, as `pybabel extract` finds them."""
    method_map = [("memoire/**.py", "python"), ("memoire/templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("locale", ["fr", "nl", "en"])
def test_every_marked_string_is_in_the_catalogue(source_ids, locale):
    catalogued = {_ids(m)[0] for m in _catalog(locale) if m.id}
    missing = sorted(source_ids - catalogued)
    assert missing == [], f"run scripts/i18n.sh, then translate: {missing[:10]}"


@pytest.mark.parametrize("locale", ["fr", "nl"])
def test_every_string_is_translated_with_its_placeholders(locale):
    problems = []
    for message in _catalog(locale):
        if not message.id:
            continue
        if message.fuzzy or not all(_strings(message)):
            problems.append(("untranslated", message.id))
            continue
        wanted = {p for text in _ids(message) for p in PLACEHOLDER.findall(text)}
        for text in _strings(message):
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(("placeholders", message.id, text))
    assert problems == []


def _plain(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


@pytest.mark.parametrize("locale", ["fr", "nl", "en"])
def test_compiled_catalogues_match_the_sources(locale):
    with open(CATALOGUES / locale / "LC_MESSAGES" / "messages.mo", "rb") as fh:
        compiled = {_plain(m.id): _plain(m.string) for m in read_mo(fh) if m.id}
    written = {
        _plain(m.id): _plain(m.string)
        for m in _catalog(locale)
        if m.id and all(_strings(m)) and not m.fuzzy
    }
    assert compiled == written, "run scripts/i18n.sh to compile the catalogues"
