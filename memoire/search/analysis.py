"""Text analysis for the archive's languages: French by default, Dutch for Dutch text.

Words are lowercased, stripped of French elisions (l', d', qu'...), folded to plain
letters (so `ecole` = `école`), cleared of stop words and stemmed with Snowball.
Folding comes before stemming so that a word typed with or without its accents
reaches the stemmer as the same string: the two forms always get the same stem.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

#: The analysis each story language gets; anything else is read as French, the archive's default.
ANALYSIS_LANGUAGES = ("fr", "nl")
DEFAULT_LANGUAGE = "fr"

# A word, with inner apostrophes kept so that the elision filter sees "l'école" whole and
# "aujourd'hui" stays one word.
WORD_PATTERN = r"\w+(?:['’]\w+)*"
_WORD = re.compile(WORD_PATTERN)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]")
# Folding table: accents, ligatures (œ → oe) and the typographic apostrophe.
_FOLD = dict(accent_map)
_FOLD.update({ord("’"): "'", ord("‘"): "'", ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"})


def analysis_language(code: str | None) -> str:
    """The analysis used for text in language `code`."""
    return code if code in ANALYSIS_LANGUAGES else DEFAULT_LANGUAGE


class ElisionFilter(Filter):
    """Drops French elided articles and pronouns: l'école → école, qu'il → il."""

    def __call__(self, tokens):
        for token in tokens:
            match = _ELISION.match(token.text)
            if match and match.end() < len(token.text):
                token.text = token.text[match.end() :]
            yield token


def fold(text: str) -> str:
    """Lowercase and strip accents, the way every field of the index does."""
    return unicodedata.normalize("NFC", text).lower().translate(_FOLD)


#: Common words Whoosh's lists lack ("les" is not in its French list).
_EXTRA_STOPWORDS = {"fr": {"les", "cet", "cette", "dont", "où", "lors"}, "nl": set()}


def _folded_stoplist(language: str) -> frozenset[str]:
    words = set(stopwords_for_language(language)) | _EXTRA_STOPWORDS.get(language, set())
    return frozenset(fold(word) for word in words)


def _base() -> Analyzer:
    # Elision is stripped for every language: Dutch has no words it would wrongly cut.
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | ElisionFilter() | CharsetFilter(_FOLD)


@cache
def text_analyzer(language: str) -> Analyzer:
    """Full analysis for running text: folding, stop words, Snowball stemming."""
    language = analysis_language(language)
    return (
        _base()
        | StopFilter(stoplist=_folded_stoplist(language), minsize=1)
        | StemFilter(stemmer_for_language(language), cachesize=200_000)
    )


@cache
def name_analyzer() -> Analyzer:
    """People's names: folded but never stemmed (Dupont is not a plural)."""
    return _base()


@cache
def spelling_analyzer() -> Analyzer:
    """The surface words offered as "did you mean": folded, unstemmed, without stop words."""
    stops = _folded_stoplist("fr") | _folded_stoplist("nl")
    return _base() | StopFilter(stoplist=stops, minsize=3)


def words(text: str) -> list[str]:
    """The words of `text` as the query syntax sees them (for "did you mean")."""
    return _WORD.findall(text or "")
