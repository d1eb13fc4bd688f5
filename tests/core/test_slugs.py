"""One way to make a slug, for exhibitions, walks, the network, themes and OAI sets: a slug
already given (a theme's, an OAI set spec a harvester keeps) must come out the same."""

from __future__ import annotations

import pytest

from memoire.core.slugs import slugify


@pytest.mark.parametrize(
    ("text", "limit", "slug"),
    [
        ("Cité Lambrecht", None, "cite-lambrecht"),
        ("  La fosse — Dutemple !  ", None, "la-fosse-dutemple"),
        ("Saint-Ghislain/Hornu", None, "saint-ghislain-hornu"),
        ("8 Mai 1945", None, "8-mai-1945"),
        ("Œuvres", None, "uvres"),  # as the slugs already given: Œ has no decomposition
        ("", None, ""),
        (None, None, ""),
        ("!!!", None, ""),
        ("abc def", 4, "abc"),  # cut, then no dash left at the end
        ("x" * 130, 120, "x" * 120),
    ],
)
def test_a_slug_is_lower_case_ascii_words_joined_by_dashes(text, limit, slug):
    assert slugify(text, limit) == slug
