"""The PostgreSQL profile marks the words of a hit itself (issue 20): from each word's
lexemes, asked of PostgreSQL once per process, instead of ts_headline parsing each hit's
whole body on every search. The marks must be the ones ts_headline makes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from memoire.extensions import db
from memoire.search import service
from memoire.search.postgres_backend import (
    _TOKEN,
    DUTCH,
    FRENCH,
    _Lexicon,
    mark_words,
    tsquery_operands,
)
from tests.conftest import shared_data, statements_run

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("engine", ["postgres"], indirect=True)]

TEXTS = [
    (FRENCH, "Le Mineur de Saint-Ghislain : aujourd'hui, l’école des mineurs a fermé."),
    (FRENCH, "MINES, mine, minière ; les enfants jouaient près du terril (1950-1960)."),
    (FRENCH, "Mon père et les enfants ; père Noël, mon vieux père. Élève, élèves, ÉLÈVE."),
    (FRENCH, "Œuvre, cœur, naïve ; C:\\dossier et x_y ; 2e étage ; rue du 8-Mai."),
    (DUTCH, "De mijnwerkers van de koolmijn; de kinderen speelden bij de mijn."),
    (FRENCH, ""),
]
QUERIES = [
    "'mineur'",
    "'min' | 'mine'",
    "'ecol' & 'aujourd'",
    "'per'",
    "'le' <-> 'enfant'",
    "'min':*",
    "'saint' & 'ghislain'",
    "'elev'",
    "'oeuvr' | 'coeur' | 'naiv'",
    "'mijn' | 'kinder'",
    "'dossi' | 'x' | '2e' | '8'",
]
_MARK = re.compile("([\ue000\ue001])")


def headline_spans(config: str, value: str, query: str) -> list[tuple[int, int]]:
    """What ts_headline marks in `value` (HighlightAll), as character spans."""
    marked = db.session.scalar(
        text(
            "SELECT ts_headline(CAST(:config AS regconfig), :value, CAST(:q AS tsquery), "
            "'StartSel=\ue000, StopSel=\ue001, HighlightAll=true')"
        ),
        {"config": config, "value": value, "q": query},
    )
    spans, length, start = [], 0, None
    for piece in _MARK.split(marked or ""):
        if piece == "\ue000":
            start = length
        elif piece == "\ue001":
            spans.append((start, length))
        else:
            length += len(piece)
    return spans


def our_spans(texts, query: str, lexicon: _Lexicon) -> list[list[tuple[int, int]]]:
    conn = db.session.connection()
    return mark_words(texts, tsquery_operands(query), lambda wanted: lexicon.lexemes(conn, wanted))


@pytest.mark.parametrize("query", QUERIES)
def test_the_words_marked_are_the_ones_ts_headline_marks(app, query):
    lexicon = _Lexicon()
    ours = our_spans(TEXTS, query, lexicon)
    assert ours == [headline_spans(config, value, query) for config, value in TEXTS]


def test_the_same_marks_on_a_novel(app):
    """Real French prose (Zola's Germinal), paragraph by paragraph, for common words."""
    book = shared_data("french_text", "germinal", "germinal.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in book[20_000:80_000].split("\n\n") if p.strip()][:120]
    texts = [(FRENCH, p) for p in paragraphs]
    lexicon = _Lexicon()
    for query in ["'mineur' | 'min'", "'etien' | 'maheu'", "'fos':*", "'pass' & 'chos'"]:
        assert our_spans(texts, query, lexicon) == [
            headline_spans(FRENCH, value, query) for _, value in texts
        ], query
    assert any(our_spans(texts, "'etien' | 'maheu'", lexicon))


def test_a_word_is_analysed_once_per_process(app):
    lexicon = _Lexicon()
    our_spans(TEXTS[:2], "'mineur'", lexicon)
    with statements_run() as seen:
        again = our_spans(TEXTS[:2], "'min'", lexicon)
    assert seen == [] and again[1]
    # Full, it starts again rather than grow without end.
    small = _Lexicon(size=3)
    our_spans(TEXTS[:1], "'mineur'", small)
    assert len(small._known) <= len(set(_TOKEN.findall(TEXTS[0][1])))
    assert our_spans(TEXTS[1:2], "'min'", small) == our_spans(TEXTS[1:2], "'min'", lexicon)


def test_search_results_carry_the_marks(create_story):
    story = create_story(
        "Le mineur de Saint-Ghislain", body="Aujourd'hui les mineurs parlent de la mine."
    )
    result = service.search(None, {"q": "mineurs"}).results[0]
    assert result.story.id == story.id
    assert str(result.title) == "Le <mark>mineur</mark> de Saint-Ghislain"
    assert "les <mark>mineurs</mark> parlent" in str(result.snippet)
