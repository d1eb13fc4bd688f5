"""The exhibition JSON file format (docs/exhibition-format.md): reading it strictly, writing it back.

Reading separates two kinds of mistakes: a document that is not an exhibition at all
(no title, unknown top-level key...) is refused whole; a malformed item is refused on
its own, with its index, like an item whose story may not be shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from memoire.core.errors import ValidationError
from memoire.exhibitions.models import Exhibition

TOP_KEYS = {"slug", "title", "introduction", "languages", "status", "cover", "items"}
ITEM_KEYS = {"story", "caption", "excerpt"}
EXCERPT_KEYS = {"start", "end", "photo"}
COVER_KEYS = {"item", "photo"}


@dataclass
class ParsedItem:
    """One entry of `items`: the story reference, caption and excerpt, or the error found in it."""

    story: str = ""
    caption: str = ""
    start: float | None = None
    end: float | None = None
    photo: int | None = None


@dataclass
class ParsedExhibition:
    slug: str
    title: str
    introduction: str = ""
    languages: list[str] = field(default_factory=list)
    status: str = "draft"
    cover: int | None = None  # index in `items`
    cover_photo: int | None = None
    items: list[ParsedItem | ValidationError] = field(default_factory=list)


def _unknown(keys, allowed: set[str], where: str) -> ValidationError | None:
    extra = sorted(set(keys) - allowed)
    if not extra:
        return None
    return ValidationError(
        _l(
            "%(where)s: unknown key(s) %(keys)s (allowed: %(allowed)s).",
            where=where,
            keys=", ".join(extra),
            allowed=", ".join(sorted(allowed)),
        ),
        code="unknown_key",
    )


def _text(document: dict, key: str, where: str, *, required: bool = False) -> str:
    value = document.get(key)
    if value is None:
        if required:
            raise ValidationError(
                _l("%(where)s: %(key)s is required.", where=where, key=key), field=key
            )
        return ""
    if not isinstance(value, str):
        raise ValidationError(
            _l("%(where)s: %(key)s must be text.", where=where, key=key), field=key
        )
    return value


def _seconds(value: object, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(
            _l("%(where)s: %(key)s must be a number of seconds.", where=where, key=key), field=key
        )
    return float(value)


def _index(value: object, where: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            _l("%(where)s: %(key)s must be a whole number from 0.", where=where, key=key), field=key
        )
    return value


def parse_item(entry: object, index: int) -> ParsedItem:
    """Read one item; raise ValidationError saying what is wrong with it."""
    where = f"items[{index}]"
    if not isinstance(entry, dict):
        raise ValidationError(_l("%(where)s must be an object.", where=where))
    if error := _unknown(entry, ITEM_KEYS, where):
        raise error
    story = entry.get("story")
    if isinstance(story, bool) or not isinstance(story, str | int) or not str(story).strip():
        raise ValidationError(
            _l("%(where)s: story must be an archive id or an external id.", where=where),
            field="story",
        )
    item = ParsedItem(story=str(story).strip(), caption=_text(entry, "caption", where))
    excerpt = entry.get("excerpt")
    if excerpt is None:
        return item
    where = f"{where}.excerpt"
    if not isinstance(excerpt, dict):
        raise ValidationError(_l("%(where)s must be an object.", where=where))
    if error := _unknown(excerpt, EXCERPT_KEYS, where):
        raise error
    if ("start" in excerpt) != ("end" in excerpt):
        raise ValidationError(
            _l("%(where)s: give both start and end.", where=where), field="excerpt"
        )
    if "start" in excerpt:
        item.start = _seconds(excerpt["start"], where, "start")
        item.end = _seconds(excerpt["end"], where, "end")
    if "photo" in excerpt:
        item.photo = _index(excerpt["photo"], where, "photo")
    return item


def parse_exhibition_document(document: object) -> ParsedExhibition:
    """Read a whole document; raise ValidationError when it is not an exhibition."""
    if not isinstance(document, dict):
        raise ValidationError(_l("An exhibition file holds one JSON object."))
    if error := _unknown(document, TOP_KEYS, "exhibition"):
        raise error
    parsed = ParsedExhibition(
        slug=_text(document, "slug", "exhibition", required=True).strip(),
        title=_text(document, "title", "exhibition", required=True),
        introduction=_text(document, "introduction", "exhibition"),
        status=_text(document, "status", "exhibition") or "draft",
    )
    if parsed.status not in ("draft", "published"):
        raise ValidationError(
            _l("exhibition: status must be draft or published, not %(s)s.", s=parsed.status),
            field="status",
        )
    languages = document.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(c, str) for c in languages):
        raise ValidationError(
            _l("exhibition: languages must be a list of codes."), field="languages"
        )
    parsed.languages = languages
    _parse_cover(document.get("cover"), parsed)
    items = document.get("items", [])
    if not isinstance(items, list):
        raise ValidationError(_l("exhibition: items must be a list."), field="items")
    for index, entry in enumerate(items):
        try:
            parsed.items.append(parse_item(entry, index))
        except ValidationError as error:
            parsed.items.append(error)
    return parsed


def _parse_cover(cover: object, parsed: ParsedExhibition) -> None:
    if cover is None:
        return
    if not isinstance(cover, dict) or "item" not in cover:
        raise ValidationError(_l('exhibition: cover must be {"item": index}.'), field="cover")
    if error := _unknown(cover, COVER_KEYS, "cover"):
        raise error
    parsed.cover = _index(cover["item"], "cover", "item")
    if "photo" in cover:
        parsed.cover_photo = _index(cover["photo"], "cover", "photo")


def exhibition_to_document(exhibition: Exhibition) -> dict:
    """An exhibition in the import format, so that export then import gives it back."""
    from memoire.exhibitions.operations import photos_of

    items = []
    cover = None
    for index, item in enumerate(exhibition.items):
        story = item.story
        entry: dict = {"story": story.external_id or str(story.id), "caption": item.caption or ""}
        excerpt: dict = {}
        if item.excerpt_start is not None and item.excerpt_end is not None:
            excerpt.update(start=item.excerpt_start, end=item.excerpt_end)
        photo_ids = [m.id for m in photos_of(story)]
        if item.photo_media_id in photo_ids:
            excerpt["photo"] = photo_ids.index(item.photo_media_id)
        if excerpt:
            entry["excerpt"] = excerpt
        items.append(entry)
        if cover is None and exhibition.cover_media_id in photo_ids:
            cover = {"item": index, "photo": photo_ids.index(exhibition.cover_media_id)}
    document = {
        "slug": exhibition.slug,
        "title": exhibition.title,
        "introduction": exhibition.introduction or "",
        "languages": list(exhibition.languages or []),
        "status": exhibition.status,
        "items": items,
    }
    if cover is not None:
        document["cover"] = cover
    return document
