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
