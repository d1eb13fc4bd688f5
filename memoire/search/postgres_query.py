"""From the words people type to PostgreSQL full-text conditions (the PostgreSQL profile).

The syntax is the one `memoire.search.query` documents: words (all must match),
"phrases", AND/OR/NOT and ET/OU/SAUF, parentheses, `lieu:` `theme:` `narrateur:` (and
their English and Dutch names), `char*` and `mot~` / `mot~2`. Precedence follows the
Whoosh parser of the embedded profile: NOT binds tightest, then AND, then OR, then
words side by side.

This module only reads the text into a small tree (`parse`) and assembles `tsquery`
strings from lexemes (`quote`, `lexemes_query`); the words are analysed by PostgreSQL
with the configurations that built the index, and every string reaches the database
as a bound parameter, never as SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from memoire.search.query import FIELD_ALIASES

#: Alias (lowercased) → field name.
_ALIASES = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
_AND = frozenset({"AND", "ET", "EN", "REQUIRE"})
_OR = frozenset({"OR", "OU", "OF"})
_NOT = frozenset({"NOT", "SAUF", "NIET"})
_AND_NOT = frozenset({"ANDNOT"})
_AND_MAYBE = frozenset({"ANDMAYBE"})
_FUZZY = re.compile(r"~(\d)?$")
_BOOST = re.compile(r"\^[\d.]*$")


@dataclass(frozen=True)
class Term:
    """A word or a phrase, in every text field (`field` None) or in one named field."""

    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False
    fuzzy: int = 0  # edits allowed; 0: the word as typed


@dataclass(frozen=True)
class Group:
    op: str  # "and" | "or"
    children: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Not:
    child: object


# --- reading the text --------------------------------------------------------------------


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: "(", ")", "op", "field", "phrase", "word"."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append((char, char))
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            end = n if end == -1 else end
            tokens.append(("phrase", text[i + 1 : end]))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            tokens.extend(_word_tokens(text[i:j]))
            i = j
    return tokens


def _word_tokens(raw: str) -> list[tuple[str, str]]:
    if raw in _AND | _OR | _NOT | _AND_NOT | _AND_MAYBE:
        return [("op", raw)]
    prefix, colon, rest = raw.partition(":")
    if colon and prefix.lower() in _ALIASES:
        return [("field", _ALIASES[prefix.lower()]), *(_word_tokens(rest) if rest else [])]
    return [("word", raw)]


class _Parser:
    """Recursive descent over the tokens; never fails, whatever the text."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def sequence(self, closing: bool = False):
        """Expressions side by side: all must match."""
        parts = []
        while (token := self.peek()) is not None:
            if token[0] == ")":
                if closing:
                    break
                self.take()  # a stray closing parenthesis
                continue
            node = self.disjunction()
            if node is not None:
                parts.append(node)
        return _group("and", parts)

    def disjunction(self):
        parts = [self.conjunction()]
        while self._next_op(_OR):
            self.take()
            parts.append(self.conjunction())
        return _group("or", [p for p in parts if p is not None])

    def conjunction(self):
        node = self.unary()
        while (
            (token := self.peek()) is not None and token[0] == "op" and token[1] not in _OR | _NOT
        ):
            op = self.take()[1]
            other = self.unary()
            if other is None or op in _AND_MAYBE:  # "a ANDMAYBE b" finds what "a" finds
                continue
            node = _group("and", [n for n in (node, Not(other) if op in _AND_NOT else other) if n])
        return node

    def unary(self, field_name: str | None = None):
        token = self.peek()
        if token is None:
            return None
        kind, value = token
        if kind == "op":
            self.take()
            if value in _NOT:
                child = self.unary(field_name)
                return Not(child) if child is not None else None
            return None  # an operator with nothing on its left
        if kind == "field":
            self.take()
            return self.unary(value)
        if kind == "(":
            self.take()
            node = self.sequence(closing=True)
            if self.peek() is not None and self.peek()[0] == ")":
                self.take()
            return _with_field(node, field_name) if node is not None else None
        if kind == ")":
            return None
        self.take()
        if kind == "phrase":
            text = value.strip()
            return Term(text, field_name, phrase=True) if text else None
        return _word(value, field_name)

    def _next_op(self, ops: frozenset[str]) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] in ops


def _group(op: str, parts: list):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Group(op, tuple(parts))


def _with_field(node, field_name: str | None):
    """A field prefix before parentheses applies to every word inside."""
    if field_name is None:
        return node
    if isinstance(node, Term):
        return node if node.field else replace(node, field=field_name)
    if isinstance(node, Not):
        return Not(_with_field(node.child, field_name))
    return Group(node.op, tuple(_with_field(c, field_name) for c in node.children))


def _word(raw: str, field_name: str | None) -> Term | None:
    text = _BOOST.sub("", raw)
    fuzzy = 0
    match = _FUZZY.search(text)
    if match:
        fuzzy = int(match.group(1) or 1)
        text = text[: match.start()]
    prefix = "*" in text or "?" in text
    if prefix:  # a wildcard inside a word: what comes before it is the prefix
        text = re.split(r"[*?]", text, maxsplit=1)[0]
    if not text.strip():
        return None
    return Term(text, field_name, prefix=prefix, fuzzy=0 if prefix else min(fuzzy, 2))


def parse(text: str):
    """The query tree of `text`, or None when nothing searchable is left."""
    return _Parser(_tokens(text or "")).sequence()


def terms(node) -> list[Term]:
    """Every term of the tree, in order."""
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return terms(node.child)
    return [t for child in node.children for t in terms(child)]


def positive_terms(node) -> list[Term]:
    """The terms a match must or may contain (those under a NOT are left out)."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Term):
        return [node]
    return [t for child in node.children for t in positive_terms(child)]


def with_fuzzy_words(node, distance_for):
    """The same tree with every plain word made tolerant (`distance_for(text)` edits)."""
    if node is None:
        return None
    if isinstance(node, Term):
        if node.phrase or node.prefix or node.fuzzy:
            return node
        return Term(node.text, node.field, fuzzy=distance_for(node.text))
    if isinstance(node, Not):
        return Not(with_fuzzy_words(node.child, distance_for))
    return Group(node.op, tuple(with_fuzzy_words(c, distance_for) for c in node.children))


# --- writing tsquery strings -------------------------------------------------------------


def quote(lexeme: str, prefix: bool = False) -> str:
    """A lexeme as a tsquery operand: quoted, its quotes and backslashes escaped."""
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (":*" if prefix else "")


def lexemes_query(lexemes: list[str], prefix: bool = False) -> str:
    """All these lexemes (the parts of one word: `saint-ghislain` → saint, ghislain...)."""
    return " & ".join(quote(lexeme, prefix) for lexeme in lexemes)


def any_of(queries: list[str]) -> str:
    """A tsquery matching any of these tsqueries (duplicates and empty ones dropped)."""
    unique = [q for q in dict.fromkeys(queries) if q]
    if len(unique) == 1:
        return unique[0]
    return " | ".join(f"({q})" for q in unique)


def all_of(queries: list[str]) -> str:
    unique = [q for q in dict.fromkeys(queries) if q]
    if len(unique) == 1:
        return unique[0]
    return " & ".join(f"({q})" for q in unique)
