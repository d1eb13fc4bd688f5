"""From the words people type to a Whoosh query over the archive's fields.

The syntax is the one `memoire.search.query` documents: phrases in quotes, AND/OR/NOT
and ET/OU/SAUF, `lieu:`, `theme:`, `narrateur:` (and English names), `char*`, `mot~`.
Only those field prefixes are recognised, so nobody can query the index's internal
fields (access tokens, versions) by name.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser, plugins, syntax

from memoire.core.errors import ValidationError
from memoire.search.query import FIELD_ALIASES

_UNREADABLE = _l("The search could not be understood: check its quotes, parentheses and operators.")

#: Fields searched when the words carry no prefix, with their weight.
DEFAULT_FIELDS = {
    "title_fr": 3.0,
    "title_nl": 3.0,
    "body_fr": 1.0,
    "body_nl": 1.0,
    "transcript_fr": 1.0,
    "transcript_nl": 1.0,
    "place": 1.5,
    "theme": 1.5,
    "narrator": 1.5,
}
#: Fields whose matches are shown highlighted, grouped as the service names them.
HIGHLIGHT_FIELDS = {
    "title_fr": "title",
    "title_nl": "title",
    "body_fr": "body",
    "body_nl": "body",
    "transcript_fr": "transcript",
    "transcript_nl": "transcript",
}
TEXT_FIELDS = frozenset(DEFAULT_FIELDS)

_OPERATORS = {
    "And": r"(?<=\s)(?:AND|ET|EN)(?=\s)",
    "Or": r"(?<=\s)(?:OR|OU|OF)(?=\s)",
    "AndNot": r"(?<=\s)ANDNOT(?=\s)",
    "AndMaybe": r"(?<=\s)ANDMAYBE(?=\s)",
    "Not": r"(^|(?<=(\s|[()])))(?:NOT|SAUF|NIET)(?=\s)",
    "Require": r"(^|(?<=\s))REQUIRE(?=\s)",
}


class _MultifieldWithoutStopWords(plugins.MultifieldPlugin):
    """Whoosh's MultifieldPlugin, leaving out a word that one of the archive's languages
    drops as a stop word. Spread over the fields as it is, "la" vanished from the French
    fields only, stayed in the Dutch ones and the narrators' (whose analyses keep it), and
    "la mine" demanded it there: French text never matched, the search found nothing. The
    PostgreSQL profile leaves such a word out the same way (`_Compiler._term_query`)."""

    def __init__(self, fieldnames, fieldboosts, analyzers) -> None:
        super().__init__(fieldnames, fieldboosts=fieldboosts)
        self.analyzers = analyzers

    def do_multifield(self, parser, group):
        for i, node in enumerate(group):
            if type(node) is syntax.WordNode and node.fieldname is None and self._stop(node.text):
                group[i] = self.group([])  # an empty group: no query at all
        return super().do_multifield(parser, group)

    def _stop(self, word: str) -> bool:
        """Whether some language's analysis leaves nothing of `word`."""
        return any(next(iter(a(word, mode="query")), None) is None for a in self.analyzers)


def make_parser(schema: Schema) -> MultifieldParser:
    """A parser for the archive's query syntax; build once and reuse (it is stateless)."""
    prefixes = "|".join(sorted({re.escape(a) for names in FIELD_ALIASES.values() for a in names}))
    parser = MultifieldParser(
        list(DEFAULT_FIELDS),
        schema,
        fieldboosts=DEFAULT_FIELDS,
        plugins=[
            # No SingleQuotePlugin: in French an apostrophe is part of the text (l'école).
            plugins.FieldsPlugin(expr=rf"(?i)(?P<text>{prefixes}):", remove_unknown=True),
            plugins.FieldAliasPlugin(
                {field: list(names) for field, names in FIELD_ALIASES.items()}
            ),
            plugins.WildcardPlugin(),
            plugins.PhrasePlugin(),
            plugins.GroupPlugin(),
            plugins.OperatorsPlugin(**_OPERATORS),
            plugins.BoostPlugin(),
            plugins.FuzzyTermPlugin(),
        ],
    )
    # The running text of each language: where a stop word is dropped.
    languages = sorted(name.split("_", 1)[1] for name in DEFAULT_FIELDS if name.startswith("body_"))
    parser.remove_plugin_class(plugins.MultifieldPlugin)
    parser.add_plugin(
        _MultifieldWithoutStopWords(
            list(DEFAULT_FIELDS),
            DEFAULT_FIELDS,
            [schema[f"body_{language}"].analyzer for language in languages],
        )
    )
    return parser


def _fold_alias_case(text: str) -> str:
    """`Lieu:` and `LIEU:` mean `lieu:`; aliases are matched lowercased."""
    aliases = {a for names in FIELD_ALIASES.values() for a in names}

    def lower(match: re.Match) -> str:
        word = match.group(1)
        return f"{word.lower()}:" if word.lower() in aliases else match.group(0)

    return re.sub(r"([^\s:()\"]+):", lower, text)


def parse(parser: MultifieldParser, text: str) -> wq.Query | None:
    """The Whoosh query for validated text, or None when nothing searchable is left.

    Raises ValidationError when Whoosh cannot make sense of it, so that a bad query
    is a message for the person who typed it, never a server error.
    """
    try:
        q = parser.parse(_fold_alias_case(text))
        q = _union_trees(_normalise_patterns(q).normalize())
    except Exception as error:  # Whoosh raises assorted errors on odd input
        raise ValidationError(_UNREADABLE, field="q") from error
    if has_error(q):
        raise ValidationError(_UNREADABLE, field="q")
    if q is wq.NullQuery:
        return None
    return q


def _normalise_patterns(q: wq.Query) -> wq.Query:
    """Fold prefix and wildcard words like indexed words (Whoosh does not analyse them)."""
    from memoire.search.analysis import fold

    if isinstance(q, wq.Prefix | wq.Wildcard):
        text = fold(q.text).lstrip("'")
        return q.__class__(q.fieldname, text, boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(_normalise_patterns)


def _union_trees(q: wq.Query) -> wq.Query:
    """Ors as trees of union matchers: Whoosh's automatic choice for segments under 5,000
    documents pre-reads scores into 2,048-slot arrays, slow on the small segments every
    change adds."""
    if isinstance(q, wq.Or):
        q.matcher_type = wq.Or.DEFAULT_MATCHER
    for child in q.children():
        _union_trees(child)
    return q


def has_error(q: wq.Query) -> bool:
    """Whether Whoosh could not make sense of part of the query."""
    if getattr(q, "error", None):  # Whoosh marks the parts it could not read this way
        return True
    return any(has_error(child) for child in q.children())
