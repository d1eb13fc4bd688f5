"""Slugs: the short names in addresses and OAI set specs (exhibitions, walks, the network's
houses and workshops, themes, communes), made one way for every kind of thing."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str | None, limit: int | None = None) -> str:
    """Lower-case ASCII letters and digits joined by dashes ("Cité Lambrecht" → "cite-lambrecht"),
    at most `limit` characters, never ending in a dash; "" when nothing is left."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug if limit is None else slug[:limit].strip("-")
