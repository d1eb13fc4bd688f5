"""Gazetteer names found in transcript text: the places memoire proposes for a moment.

Names and other names of places are compared folded (case and accents, as
`places.operations.fold`), across elisions ("l'Héribus", "d'Épinlieu") and hyphens, and
may run over several words ("à la fosse Dutemple", "rue des Sarts"): the longest name
found at a position wins. A name shared by several places goes to those closest to the
story's own places (sharing the nearest ancestor); a place the story's location precision
would not show is never proposed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from memoire.extensions import db
from memoire.places.geo import PUBLIC_PLACE_TYPES
from memoire.places.models import Place
from memoire.places.operations import fold, places_version

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Articles a name may carry or drop ("L'Héribus" is found in "à l'Héribus" and in "Héribus").
_ARTICLES = {"l", "la", "le", "les"}
#: Longest name, in words, that is looked for.
MAX_WORDS = 8
_EXTENSION = "memoire.place_names"


def words(text: str) -> list[str]:
    """Folded words: apostrophes, hyphens and punctuation separate them."""
    return _WORD.findall(fold(text).replace("'", " "))


@dataclass
class Candidate:
    id: int
    type: str
    parent_id: int | None


class Gazetteer:
    """Every place name as a tuple of folded words, to look up in segments."""

    def __init__(self, places: Iterable[tuple[int, str, list, str, int | None]]):
        self.names: dict[tuple[str, ...], list[Candidate]] = {}
        self.parents: dict[int, int | None] = {}
        self.version: tuple | None = None  # `places_version()` when loaded from the database
        for place_id, name, other_names, place_type, parent_id in places:
            self.parents[place_id] = parent_id
            candidate = Candidate(place_id, place_type, parent_id)
            for label in [name, *(other_names or [])]:
                key = tuple(words(label or ""))
                if not key or (len(key) == 1 and len(key[0]) < 3):
                    continue  # one or two letters: found everywhere, meaning nothing
                for variant in {key, key[1:] if key[0] in _ARTICLES and len(key) > 1 else key}:
                    bucket = self.names.setdefault(variant, [])
                    if all(c.id != place_id for c in bucket):
                        bucket.append(candidate)
        # The longest name starting with each word: most words start none, and are passed
        # over without trying every length (a transcript has thousands of words).
        self.longest: dict[str, int] = {}
        for key in self.names:
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer as the database holds it now: built once per process, and again
        whenever a place is added, changed or removed (an import adds places as it goes)."""
        version = places_version()
        cached = current_app.extensions.get(_EXTENSION)
        if cached is not None and cached.version == version:
            return cached
        rows = db.session.execute(
            select(Place.id, Place.name, Place.other_names, Place.type, Place.parent_id)
        ).all()
        gazetteer = cls(rows)
        gazetteer.version = version
        current_app.extensions[_EXTENSION] = gazetteer
        return gazetteer

    def ancestors(self, place_id: int) -> list[int]:
        chain, seen, node = [], {place_id}, self.parents.get(place_id)
        while node is not None and node not in seen:
            chain.append(node)
            seen.add(node)
            node = self.parents.get(node)
        return chain

    def find(self, text: str) -> list[tuple[str, list[Candidate]]]:
        """(matched words, candidates) for each name in `text`, longest first at each place."""
        tokens = words(text)
        if self.longest.keys().isdisjoint(tokens):
            return []  # most segments name no place: no word of theirs starts a name
        found = []
        i = 0
        while i < len(tokens):
            longest = self.longest.get(tokens[i], 0)
            for size in range(min(MAX_WORDS, longest, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + size])
                if key in self.names:
                    found.append((" ".join(key), self.names[key]))
                    i += size
                    break
            else:
                i += 1
        return found


def resolve(gazetteer: Gazetteer, candidates: list[Candidate], story_place_ids: list[int],
            precision: str | None) -> list[int]:
    """The candidates to propose: those allowed by the precision, nearest the story's places."""
    allowed = PUBLIC_PLACE_TYPES.get(precision or "exact", set())
    kept = [c for c in candidates if c.type in allowed]
    if len(kept) <= 1 or not story_place_ids:
        return [c.id for c in kept]
    # Each story place with its ancestors, nearest first: closeness is how soon they meet.
    story_chains = [[p, *gazetteer.ancestors(p)] for p in story_place_ids]

    def distance(candidate: Candidate) -> int:
        chain = [candidate.id, *gazetteer.ancestors(candidate.id)]
        best = 10_000
        for story_chain in story_chains:
            for depth, node in enumerate(story_chain):
                if node in chain:
                    best = min(best, depth + chain.index(node))
                    break
        return best

    scored = sorted((distance(c), c.id) for c in kept)
    nearest = scored[0][0]
    if nearest == 10_000:
        return [c.id for c in kept]  # nothing in common with the story: let a person choose
    return [place_id for score, place_id in scored if score == nearest]
