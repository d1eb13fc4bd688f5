"""French and Dutch analysis: what a word becomes in the index."""

from __future__ import annotations

import pytest

from memoire.search.analysis import analysis_language, fold, spelling_analyzer, text_analyzer


def terms(text: str, language: str = "fr") -> list[str]:
    return [token.text for token in text_analyzer(language)(text)]


def test_fold_strips_accents_case_and_typographic_apostrophes():
    assert fold("École") == "ecole"
    assert fold("ÉPINLIEU") == "epinlieu"
    assert fold("l’œuvre") == "l'oeuvre"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("école", "ecole"),
        ("écoles", "Ecole"),
        ("mineurs", "mineur"),
        ("usines", "usine"),
        ("Épinlieu", "Epinlieu"),
        ("électricité", "ELECTRICITE"),
        ("l'école", "école"),
        ("l’école", "ecole"),
        ("d'Épinlieu", "epinlieu"),
        ("jusqu'au terril", "terril"),
    ],
)
def test_french_variants_share_one_term(one, other):
    assert terms(one) == terms(other)
    assert terms(one)  # not dropped as a stop word


def test_french_stop_words_are_dropped_but_aujourdhui_is_a_word():
    assert terms("le charbon de la fosse") == terms("charbon fosse")
    assert terms("aujourd'hui") == ["aujourd'hui"]


def test_dutch_is_stemmed_as_dutch():
    assert terms("mijnwerkers", "nl") == terms("mijnwerker", "nl")
    assert terms("fabrieken", "nl") == terms("fabriek", "nl")
    assert terms("de mijnwerkers", "nl") == terms("mijnwerkers", "nl")


def test_other_languages_are_read_as_french():
    assert analysis_language("wa") == "fr"
    assert analysis_language("nl") == "nl"


def test_spelling_words_are_folded_but_not_stemmed():
    words = [token.text for token in spelling_analyzer()("Les Charbonnages d’Épinlieu")]
    assert words == ["charbonnages", "epinlieu"]


# --- the fast analyser gives the chain's tokens ------------------------------------------

TRICKY = (
    "L'école de Quaregnon, aujourd'hui : les MINEURS descendaient qu'il disait, jusqu'au "
    "fond. Œuvres, cœur, Straße, l’usine, d' , l'  a à y 1936 n°3 under_score "
    "Jusqu'à présent, lorsqu'il pleut… Het is een mooie dag in de mijn, ’s avonds."
)


def _tokens(analyzer, text: str, **options) -> list[tuple]:
    return [
        (t.text, getattr(t, "pos", None), getattr(t, "startchar", None),
         getattr(t, "endchar", None), t.stopped, t.boost, getattr(t, "boosts", None))
        for t in analyzer(text, **options)
    ]


OPTIONS = [
    {},
    {"positions": True, "chars": True, "mode": "index"},
    {"positions": True, "chars": True, "boosts": True, "mode": "index"},  # as Whoosh indexes
    {"positions": True, "chars": True, "start_pos": 7, "start_char": 100},
    {"positions": True, "mode": "query"},
    {"chars": True, "removestops": False},  # the chain itself: stop words marked, not dropped
    {"tokenize": False},
    {"no_morph": True, "positions": True},
]


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_text_analyzer_gives_the_tokens_of_the_filter_chain(language, options):
    from memoire.search.analysis import _text_chain

    fast = text_analyzer(language)
    assert _tokens(fast, TRICKY, **options) == _tokens(_text_chain(language), TRICKY, **options)


def test_text_analyzer_agrees_with_the_chain_on_a_novel():
    """Every word of Germinal (and more), positions and offsets included."""
    from memoire.search.analysis import TextAnalyzer, _text_chain
    from tests.conftest import shared_data

    text = shared_data("french_text", "germinal", "germinal.txt").read_text(encoding="utf-8")[:400_000]
    options = {"positions": True, "chars": True, "boosts": True, "mode": "index"}
    fast = TextAnalyzer("fr")
    fast.REMEMBERED = 1_000  # forgetting and remembering again changes nothing
    assert _tokens(fast, text, **options) == _tokens(_text_chain("fr"), text, **options)


def test_text_analyzer_survives_the_index_table_of_contents():
    """Whoosh pickles the schema, analysers included, into each index it writes."""
    import pickle

    analyzer = pickle.loads(pickle.dumps(text_analyzer("nl")))
    assert analyzer == text_analyzer("nl")
    assert [t.text for t in analyzer("De mijnwerkers gingen naar beneden")] == terms(
        "De mijnwerkers gingen naar beneden", "nl"
    )
