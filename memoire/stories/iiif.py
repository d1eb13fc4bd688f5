"""A story as a IIIF Presentation 3 Manifest, for IIIF viewers and aggregators.

Photos become image canvases painted with their display derivative; recordings
become sound canvases (with their duration) painted with their public stream; a
recording's transcript becomes supplementing annotations targeting
`canvas#t=start,end`. Only derivatives are addressed, never originals, and withheld
passages read as the neutral mark. A story with neither photo nor recording gets one
text canvas, so that every story has a valid manifest.

`story_canvases(story, base_url)` is shared with exhibition manifests: canvas ids
start with `base_url`, so one story can appear in several manifests.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from memoire.exhibitions.presenters import LICENCE_URIS, credit_line
from memoire.media.models import DerivativeRole, Media, MediaKind
from memoire.places.geo import places_for
from memoire.stories.models import Story
from memoire.stories.periods import period_label
from memoire.transcripts.models import Transcript
from memoire.transcripts.operations import segment_text
from memoire.transcripts.visibility import is_public as transcript_is_public

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
MEDIA_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
#: Size of the canvas a story without photo or recording is written on.
TEXT_CANVAS_SIZE = 1000


def _lang(value: str, language: str | None) -> dict:
    return {language or "none": [value]}


def _ui(value: str) -> dict:
    return _lang(value, str(get_locale() or "none"))


def _url(media: Media, role: str) -> str:
    derivative = media.derivative(role)
    return url_for(
        "media.derivative", derivative_id=derivative.id, sha=derivative.sha256[:16], _external=True
    )


def _painting_page(canvas_id: str, body: dict) -> list[dict]:
    return [
        {
            "id": f"{canvas_id}/page",
            "type": "AnnotationPage",
            "items": [
                {
                    "id": f"{canvas_id}/page/painting",
                    "type": "Annotation",
                    "motivation": "painting",
                    "body": body,
                    "target": canvas_id,
                }
            ],
        }
    ]


def _photo_canvas(story: Story, media: Media, base_url: str) -> dict | None:
    display = media.derivative(DerivativeRole.display)
    if display is None or not display.width or not display.height:
        return None
    canvas_id = f"{base_url}/canvas/{media.id}"
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": _lang(media.caption or story.title, story.language),
        "width": display.width,
        "height": display.height,
        "items": _painting_page(
            canvas_id,
            {
                "id": _url(media, DerivativeRole.display),
                "type": "Image",
                "format": display.mime,
                "width": display.width,
                "height": display.height,
            },
        ),
    }
    thumbnail = media.derivative(DerivativeRole.thumbnail)
    if thumbnail is not None:
        canvas["thumbnail"] = [
            {
                "id": _url(media, DerivativeRole.thumbnail),
                "type": "Image",
                "format": thumbnail.mime,
                "width": thumbnail.width,
                "height": thumbnail.height,
            }
        ]
    if media.alt_text:
        canvas["summary"] = _lang(media.alt_text, story.language)
    return canvas


def _segment_ranges(transcript: Transcript, duration: float) -> list[tuple[float, float, object]]:
    """(start, end, segment) of timed segments; an open end runs to the next start."""
    timed = [s for s in transcript.segments if s.start is not None]
    ranges = []
    for index, segment in enumerate(timed):
        start = min(max(0.0, segment.start), duration)
        following = timed[index + 1].start if index + 1 < len(timed) else None
        end = segment.end if segment.end is not None else (following or duration)
        end = min(max(start, end), duration)
        ranges.append((start, end, segment))
    return ranges


def _annotation_page(
    canvas_id: str, transcript: Transcript, targets: list[tuple[str, object]]
) -> dict:
    page_id = f"{canvas_id}/transcript/{transcript.id}"
    items = []
    for index, (target, segment) in enumerate(targets):
        text = segment_text(segment)
        if segment.speaker and not segment.is_redacted:
            text = f"{segment.speaker} : {text}"
        items.append(
            {
                "id": f"{page_id}/{index}",
                "type": "Annotation",
                "motivation": "supplementing",
                "body": {
                    "type": "TextualBody",
                    "value": text,
                    "format": "text/plain",
                    "language": transcript.language,
                },
                "target": target,
            }
        )
    return {"id": page_id, "type": "AnnotationPage", "items": items}


def _translation_page(canvas_id: str, transcript: Transcript, translation, targets) -> dict:
    """A second language track: the same targets, its words, its language."""
    from memoire.transcripts.operations import translated_text

    page_id = f"{canvas_id}/transcript/{transcript.id}/{translation.language}"
    items = [
        {
            "id": f"{page_id}/{index}",
            "type": "Annotation",
            "motivation": "supplementing",
            "body": {
                "type": "TextualBody",
                "value": translated_text(translation, segment),
                "format": "text/plain",
                "language": translation.language,
            },
            "target": target,
        }
        for index, (target, segment) in enumerate(targets)
        if translation.text_of(segment) or segment.is_redacted
    ]
    return {"id": page_id, "type": "AnnotationPage", "items": items}


def _chapter_ranges(story: Story, base_url: str) -> list[dict]:
    """The recordings' chapters as Ranges over their canvas: a viewer's table of contents."""
    ranges = []
    for media in story.media:
        stream = media.derivative(DerivativeRole.stream) if media.kind == MediaKind.audio else None
        if stream is None or not media.duration or media.duration <= 0:
            continue
        duration = float(media.duration)
        for transcript in story.transcripts:
            if transcript.media_id != media.id or not transcript_is_public(transcript):
                continue
            chapters = sorted(transcript.chapters, key=lambda c: c.start)
            for index, chapter in enumerate(chapters):
                start = min(max(0.0, chapter.start), duration)
                end = chapters[index + 1].start if index + 1 < len(chapters) else duration
                end = min(max(start, end), duration)
                ranges.append({
                    "id": f"{base_url}/range/chapter-{chapter.id}",
                    "type": "Range",
                    "label": _lang(chapter.title, transcript.language or story.language),
                    "items": [{"id": f"{base_url}/canvas/{media.id}#t={start:g},{end:g}",
                               "type": "Canvas"}],
                })
    return ranges


def _audio_canvas(story: Story, media: Media, base_url: str) -> dict | None:
    stream = media.derivative(DerivativeRole.stream)
    if stream is None or not media.duration or media.duration <= 0:
        return None  # still being prepared, or unreadable: the original is never offered
    canvas_id = f"{base_url}/canvas/{media.id}"
    duration = float(media.duration)
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": _lang(media.caption or story.title, story.language),
        "duration": duration,
        "items": _painting_page(
            canvas_id,
            {
                "id": _url(media, DerivativeRole.stream),
                "type": "Sound",
                "format": stream.mime,
                "duration": duration,
            },
        ),
    }
    pages = []
    for transcript in story.transcripts:
        # Manifests travel to any viewer: an unreviewed machine draft stays out of them.
        if transcript.media_id != media.id or not transcript_is_public(transcript):
            continue
        targets = [
            (f"{canvas_id}#t={start:g},{end:g}", segment)
            for start, end, segment in _segment_ranges(transcript, duration)
        ]
        if targets:
            pages.append(_annotation_page(canvas_id, transcript, targets))
            for translation in transcript.translations:
                pages.append(_translation_page(canvas_id, transcript, translation, targets))
    if pages:
        canvas["annotations"] = pages
    return canvas


def _text_canvas(story: Story, base_url: str) -> dict:
    """The one canvas of a story told in words only: its summary, and any typed transcript."""
    canvas_id = f"{base_url}/canvas/text"
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": _lang(story.title, story.language),
        "width": TEXT_CANVAS_SIZE,
        "height": TEXT_CANVAS_SIZE,
        "items": _painting_page(
            canvas_id,
            {
                "type": "TextualBody",
                "value": story.summary or story.title,
                "format": "text/plain",
                "language": story.language,
            },
        ),
    }
    pages = [
        _annotation_page(canvas_id, t, [(canvas_id, s) for s in t.segments])
        for t in story.transcripts
        if t.media_id is None and t.segments and transcript_is_public(t)
    ]
    if pages:
        canvas["annotations"] = pages
    return canvas


def story_canvases(story: Story, base_url: str) -> list[dict]:
    """Canvases of a story's photos and recordings in their order (a text canvas if none)."""
    canvases = []
    for media in story.media:
        if media.kind == MediaKind.image:
            canvas = _photo_canvas(story, media, base_url)
        elif media.kind == MediaKind.audio:
            canvas = _audio_canvas(story, media, base_url)
        else:
            canvas = None
        if canvas is not None:
            canvases.append(canvas)
    return canvases or [_text_canvas(story, base_url)]


def _metadata(story: Story) -> list[dict]:
    rows = []
    if story.narrators:
        names = ", ".join(p.display_name for p in story.narrators)
        rows.append({"label": _ui(_("Told by")), "value": _lang(names, story.language)})
    if label := period_label(story):
        rows.append({"label": _ui(_("When")), "value": _lang(label, story.language)})
    if places := places_for(None, story):
        rows.append(
            {"label": _ui(_("Places")), "value": _lang(", ".join(p.name for p in places), "none")}
        )
    if story.themes:
        themes = ", ".join(t.label(str(get_locale() or "")) for t in story.themes)
        rows.append({"label": _ui(_("Themes")), "value": _ui(themes)})
    rows.append({"label": _ui(_("Archive id")), "value": _lang(str(story.id), "none")})
    return rows


def manifest(story: Story) -> dict:
    """The Manifest of one story, with absolute URLs."""
    from memoire.stories.citation import short_url

    manifest_id = url_for("api.story_manifest", story_id=story.id, _external=True)
    base_url = manifest_id.rsplit("/", 1)[0]
    document = {
        "@context": CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": _lang(story.title, story.language),
        "metadata": _metadata(story),
        "requiredStatement": {"label": _ui(_("Credit")), "value": _ui(credit_line(story))},
        "homepage": [
            {
                "id": short_url(story),
                "type": "Text",
                "label": _lang(story.title, story.language),
                "format": "text/html",
            }
        ],
        "seeAlso": [
            {
                "id": url_for("api.story_json_ld", story_id=story.id, _external=True),
                "type": "Dataset",
                "format": "application/ld+json",
                "profile": "https://schema.org/",
            }
        ],
        "items": story_canvases(story, base_url),
    }
    if story.summary:
        document["summary"] = _lang(story.summary, story.language)
    if structures := _chapter_ranges(story, base_url):
        document["structures"] = structures
    if uri := LICENCE_URIS.get(story.licence):
        document["rights"] = uri
    return document
