"""The PostgreSQL profile reads the query syntax as the embedded profile does, and never fails."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memoire.search import postgres_query as pq
from memoire.search.postgres_query import Group, Not, Term


def words(*texts: str) -> tuple[Term, ...]:
    return tuple(Term(t) for t in texts)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("mineur usine", Group("and", words("mineur", "usine"))),
        ("mineur ET usine", Group("and", words("mineur", "usine"))),
        ("mineur OU usine", Group("or", words("mineur", "usine"))),
        ("mineur SAUF usine", Group("and", (Term("mineur"), Not(Term("usine"))))),
        # AND binds tighter than OR, which binds tighter than words side by side.
        ("a AND b OR c", Group("or", (Group("and", words("a", "b")), Term("c")))),
        ("a b OR c", Group("and", (Term("a"), Group("or", words("b", "c"))))),
        (
            "usine SAUF (fosse OU terril)",
            Group("and", (Term("usine"), Not(Group("or", words("fosse", "terril"))))),
        ),
        ("x ANDNOT y", Group("and", (Term("x"), Not(Term("y"))))),
        ("x ANDMAYBE y", Term("x")),
        ("Lieu:Mons charbon", Group("and", (Term("Mons", "place"), Term("charbon")))),
        ("lieu:(mons OU dour)", Group("or", (Term("mons", "place"), Term("dour", "place")))),
        ('narrateur:"Jeanne Dupont"', Term("Jeanne Dupont", "narrator", phrase=True)),
        ("thème:mines", Term("mines", "theme")),
        ("charb*", Term("charb", prefix=True)),
        ("galibo~", Term("galibo", fuzzy=1)),
        ("mine~2", Term("mine", fuzzy=2)),
        ("mine^2", Term("mine")),
        ("foo:bar", Term("foo:bar")),  # not a field people may name: just words
    ],
)
def test_syntax(text, tree):
    assert pq.parse(text) == tree


@pytest.mark.parametrize("text", ["", "ET", "OU OU", "lieu:", 'lieu:""', ")(", "SAUF"])
def test_nothing_searchable(text):
    assert pq.parse(text) is None


@settings(derandomize=True)
@given(st.text(max_size=80))
def test_any_text_parses(text):
    tree = pq.parse(text)
    for term in pq.terms(tree):
        assert term.text.strip()


def test_quoting_escapes_quotes_and_backslashes():
    assert pq.quote("aujourd'hui") == "'aujourd''hui'"
    assert pq.quote("c:\\x", prefix=True) == "'c:\\\\x':*"
    assert pq.any_of(["'a'", "'a'", ""]) == "'a'"
    assert pq.all_of(["'a'", "'b' | 'c'"]) == "('a') & ('b' | 'c')"
