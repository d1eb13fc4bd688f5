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
    Token,
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


def _text_chain(language: str) -> Analyzer:
    """Full analysis for running text, as a chain of Whoosh filters: the definition."""
    return (
        _base()
        | StopFilter(stoplist=_folded_stoplist(language), minsize=1)
        | StemFilter(stemmer_for_language(language), cachesize=200_000)
    )


class TextAnalyzer(Analyzer):
    """`_text_chain`, with each distinct word analysed once.

    The chain passes every word through six generators (tokenizer, lowercase, elision,
    folding, stop words, stemming): most of the time Whoosh spent indexing a transcript
    went there, and a word's analysis depends on the word alone. This analyser finds
    the words with the same pattern and looks up what the chain would make of each
    (its text, or nothing for a stop word), computing it once. Positions are numbered
    as the chain's stop filter numbers them. Calls the fast path does not cover (no
    tokenizing, stop words kept, morphology off, original text kept) go to the chain
    itself; `tests/search/test_analysis.py` checks that both give the same tokens.
    """

    #: Distinct words remembered, as the chain's stemming cache.
    REMEMBERED = 200_000

    def __init__(self, language: str) -> None:
        self.language = language
        self._setup()

    def _setup(self) -> None:
        self.chain = _text_chain(self.language)
        self._stem = stemmer_for_language(self.language)
        self._stops = _folded_stoplist(self.language)
        self._terms: dict[str, str | None] = {}

    # Pickled into the Whoosh index's table of contents: the language is enough.
    def __getstate__(self) -> dict:
        return {"language": self.language}

    def __setstate__(self, state: dict) -> None:
        self.language = state["language"]
        self._setup()

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.language == self.language

    __hash__ = Analyzer.__hash__

    def has_morph(self) -> bool:
        return self.chain.has_morph()

    def _term(self, word: str) -> str | None:
        text = word.lower()
        match = _ELISION.match(text)
        if match and match.end() < len(text):
            text = text[match.end() :]
        text = text.translate(_FOLD)
        if text in self._stops:  # every word is at least one letter long (minsize=1)
            return None
        return self._stem(text)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        if keeporiginal or not removestops or not tokenize or no_morph:
            return self.chain(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                              removestops=removestops, start_pos=start_pos, start_char=start_char,
                              tokenize=tokenize, mode=mode, no_morph=no_morph, **kwargs)
        return self._tokens(value, positions, chars, start_pos, start_char, mode, kwargs)

    def _tokens(self, value, positions, chars, start_pos, start_char, mode, options):
        terms = self._terms
        if len(terms) > self.REMEMBERED:
            terms.clear()
        # Other options (Whoosh's `boosts`) are the token's attributes, as the chain's
        # tokenizer makes them.
        token = Token(positions, chars, removestops=True, mode=mode, **options)
        token.boost = 1.0
        token.stopped = False
        pos = None
        for number, match in enumerate(_WORD.finditer(value)):
            word = match.group(0)
            try:
                text = terms[word]
            except KeyError:
                text = terms[word] = self._term(word)
            if text is None:
                continue
            token.text = text
            if positions:
                # The stop filter's numbering: the first word kept keeps its position,
                # the next ones follow it without gaps.
                pos = start_pos + number if pos is None else pos + 1
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


@cache
def text_analyzer(language: str) -> Analyzer:
    """Full analysis for running text: folding, stop words, Snowball stemming."""
    return TextAnalyzer(analysis_language(language))


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
