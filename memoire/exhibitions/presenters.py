"""The public description of an exhibition, shared by its page, its JSON, its IIIF manifest and its bundle.

One function builds it (`exhibition_document`) from the items the rule lets through
at this moment; only the way media are addressed differs between outputs, so a
`Links` object says how: URLs on this site, absolute URLs for other programs, or
files copied into an offline bundle. Only derivatives are ever addressed, never
originals, and nothing personal about contributors is included: the credit line
names narrators by the display name they chose.
"""

from __future__ import annotations

from typing import Protocol

from flask import url_for
from flask_babel import gettext as _

from memoire.exhibitions.models import Exhibition, ExhibitionItem
from memoire.exhibitions.operations import (
    cover_of,
    excerpt_segments,
    item_photo,
    item_recording,
    visible_items,
)
from memoire.media.models import Derivative, DerivativeRole, Media
from memoire.places.geo import places_for, public_point
from memoire.stories.models import Story
from memoire.stories.periods import period_label
from memoire.transcripts.operations import segment_text
from memoire.web.templating import kind_label

#: Licence codes of the archive, as the URIs IIIF `rights` and other programs expect.
LICENCE_URIS = {
    "CC-BY-NC-4.0": "http://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-4.0": "http://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "http://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-SA-4.0": "http://creativecommons.org/licenses/by-nc-sa/4.0/",
    "CC-BY-NC-ND-4.0": "http://creativecommons.org/licenses/by-nc-nd/4.0/",
    "CC0-1.0": "http://creativecommons.org/publicdomain/zero/1.0/",
    "all-rights-reserved": "http://rightsstatements.org/vocab/InC/1.0/",
}


class Links(Protocol):
    """How one output addresses the things an exhibition shows."""

    def image(self, derivative: Derivative) -> str: ...

    def audio(self, stream: Derivative, start: float, end: float) -> tuple[str, float]:
        """The excerpt's audio address, and the second of the recording where that file starts."""
        ...

    def story(self, story: Story) -> str: ...

    def page(self, exhibition: Exhibition) -> str: ...

    def manifest(self, exhibition: Exhibition) -> str: ...


class SiteLinks:
    """Addresses on this site: relative for its own pages, absolute (`external`) for programs."""

    def __init__(self, *, external: bool = False):
        self.external = external

    def _url(self, endpoint: str, **values) -> str:
        return url_for(endpoint, _external=self.external, **values)

    def image(self, derivative: Derivative) -> str:
        return self._url(
            "media.derivative", derivative_id=derivative.id, sha=derivative.sha256[:16]
        )

    def audio(self, stream: Derivative, start: float, end: float) -> tuple[str, float]:
        # The whole stream: players seek to the excerpt (and `#t=` does it without script).
        return self.image(stream), 0.0

    def story(self, story: Story) -> str:
        return self._url("stories.show", story_id=story.id)

    def page(self, exhibition: Exhibition) -> str:
        return self._url("exhibitions.show", slug=exhibition.slug)

    def manifest(self, exhibition: Exhibition) -> str:
        return self._url("api.exhibition_manifest", slug=exhibition.slug)

    def api(self, exhibition: Exhibition) -> str:
        return self._url("api.exhibition", slug=exhibition.slug)


def licence_label(code: str) -> str:
    """ "CC-BY-NC-4.0" as people write it: "CC BY-NC 4.0"."""
    if code == "all-rights-reserved":
        return _("All rights reserved")
    parts = code.split("-")
    if parts[0] == "CC0":
        return " ".join(parts)
    if parts[0] == "CC" and len(parts) >= 3:
        return f"CC {'-'.join(parts[1:-1])} {parts[-1]}"
    return code


def credit_line(story: Story) -> str:
    """Who to credit and under which licence: narrators' display names, never contributors."""
    names = ", ".join(person.display_name for person in story.narrators)
    licence = licence_label(story.licence)
    if names:
        return _("Told by %(names)s · %(licence)s", names=names, licence=licence)
    return _("Mémoire archive · %(licence)s", licence=licence)


def _photo(media: Media | None, story: Story, links: Links) -> dict | None:
    display = media.derivative(DerivativeRole.display) if media is not None else None
    if display is None:
        return None
    thumbnail = media.derivative(DerivativeRole.thumbnail)
    return {
        "url": links.image(display),
        "mime": display.mime,
        "width": display.width,
        "height": display.height,
        "thumbnail_url": links.image(thumbnail) if thumbnail is not None else None,
        "alt": media.alt_text or media.caption or story.title,
        "caption": media.caption or "",
    }


def _audio(item: ExhibitionItem, links: Links) -> dict | None:
    recording = item_recording(item)
    stream = recording.derivative(DerivativeRole.stream) if recording is not None else None
    if stream is None:  # no excerpt chosen, or the stream is still being prepared
        return None
    end = item.excerpt_end
    if recording.duration:
        end = min(end, recording.duration)
    url, offset = links.audio(stream, item.excerpt_start, end)
    return {
        "url": url,
        "mime": stream.mime,
        "duration": recording.duration,
        "offset": offset,
        "excerpt": {"start": item.excerpt_start, "end": end},
    }


def _place(story: Story) -> dict | None:
    point = public_point(story)  # exhibitions are public: always the coarsened point
    names = [place.name for place in places_for(None, story)]
    if point is None and not names:
        return None
    return {
        "name": names[0] if names else None,
        "lat": round(point[0], 6) if point else None,
        "lon": round(point[1], 6) if point else None,
    }


def item_document(item: ExhibitionItem, position: int, links: Links) -> dict:
    story = item.story
    return {
        "position": position,
        "id": item.id,
        "caption": item.caption or "",
        "story": {
            "id": story.id,
            "title": story.title,
            "summary": story.summary or "",
            "kind": story.kind,
            "kind_label": kind_label(story.kind),
            "period": period_label(story),
            "language": story.language,
            "url": links.story(story),
        },
        "photo": _photo(item_photo(item), story, links),
        "audio": _audio(item, links),
        "transcript": [
            {"start": s.start, "end": s.end, "speaker": s.speaker or "", "text": segment_text(s)}
            for s in excerpt_segments(item)
        ],
        "place": _place(story),
        "narrators": [person.display_name for person in story.narrators],
        "licence": story.licence,
        "licence_url": LICENCE_URIS.get(story.licence),
        "credit": credit_line(story),
    }


def exhibition_document(exhibition: Exhibition, links: Links) -> dict:
    """Everything a display needs to show an exhibition as it may be shown now."""
    items = visible_items(exhibition)
    cover = cover_of(exhibition, items)
    cover_story = cover.story if cover is not None else None
    return {
        "slug": exhibition.slug,
        "title": exhibition.title,
        "introduction": exhibition.introduction or "",
        "languages": list(exhibition.languages or []),
        "language": (exhibition.languages or ["fr"])[0],
        "status": exhibition.status,
        "published_at": exhibition.published_at.isoformat() + "Z"
        if exhibition.published_at
        else None,
        "url": links.page(exhibition),
        "manifest": links.manifest(exhibition),
        "cover": _photo(cover, cover_story, links) if cover is not None else None,
        "items": [item_document(item, n, links) for n, item in enumerate(items, start=1)],
    }
