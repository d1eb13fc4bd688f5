"""An exhibition as a IIIF Presentation 3 Manifest, for IIIF viewers (Mirador, Universal Viewer...).

Built from the public document (`presenters.exhibition_document`), so it shows exactly
what the page shows. Each item gives a photo canvas (the display derivative as a
static image) and, when an excerpt was chosen, a sound canvas with the whole public
stream; the excerpt is a Range over `canvas#t=start,end`, and its transcript lines are
supplementing annotations on their time ranges. The item order is the Manifest's
order and its `structures`.
"""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import escape

from memoire.exhibitions.presenters import LICENCE_URIS

CONTEXT = "http://iiif.io/api/presentation/3/context.json"


def _lang(value: str, language: str) -> dict:
    return {language or "none": [value]}


def _fragment(start: float, end: float) -> str:
    return f"t={start:g},{end:g}"


def _metadata(item: dict, language: str) -> list[dict]:
    rows = []
    if item["caption"]:
        rows.append(
            {"label": _lang(_("Caption"), language), "value": _lang(item["caption"], language)}
        )
    if item["narrators"]:
        rows.append(
            {
                "label": _lang(_("Told by"), language),
                "value": _lang(", ".join(item["narrators"]), language),
            }
        )
    if item["story"]["period"]:
        rows.append(
            {"label": _lang(_("When"), language), "value": _lang(item["story"]["period"], language)}
        )
    if item["place"] and item["place"]["name"]:
        rows.append(
            {"label": _lang(_("Place"), language), "value": _lang(item["place"]["name"], language)}
        )
    rows.append(
        {
            "label": _lang(_("Story"), language),
            # IIIF allows a little HTML in values (it must start with "<"); titles are escaped.
            "value": _lang(
                f'<a href="{escape(item["story"]["url"])}">{escape(item["story"]["title"])}</a>',
                language,
            ),
        }
    )
    return rows


def _rights(item: dict, language: str) -> dict:
    extra = {
        "requiredStatement": {
            "label": _lang(_("Credit"), language),
            "value": _lang(item["credit"], language),
        }
    }
    uri = LICENCE_URIS.get(item["licence"])
    if uri:
        extra["rights"] = uri
    return extra


def _photo_canvas(base: str, item: dict, language: str) -> dict:
    photo = item["photo"]
    canvas_id = f"{base}/canvas/{item['id']}/photo"
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": _lang(item["story"]["title"], item["story"]["language"]),
        "width": photo["width"],
        "height": photo["height"],
        "metadata": _metadata(item, language),
        **_rights(item, language),
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/page/image",
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": {
                            "id": photo["url"],
                            "type": "Image",
                            "format": photo["mime"],
                            "width": photo["width"],
                            "height": photo["height"],
                        },
                        "target": canvas_id,
                    }
                ],
            }
        ],
    }
    if photo["thumbnail_url"]:
        canvas["thumbnail"] = [
            {"id": photo["thumbnail_url"], "type": "Image", "format": photo["mime"]}
        ]
    return canvas


def _sound_canvas(base: str, item: dict, language: str) -> dict:
    audio = item["audio"]
    canvas_id = f"{base}/canvas/{item['id']}/sound"
    duration = audio["duration"] or audio["excerpt"]["end"]
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": _lang(item["story"]["title"], item["story"]["language"]),
        "duration": duration,
        "metadata": _metadata(item, language),
        **_rights(item, language),
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/page/sound",
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": {
                            "id": audio["url"],
                            "type": "Sound",
                            "format": audio["mime"],
                            "duration": duration,
                        },
                        "target": canvas_id,
                    }
                ],
            }
        ],
    }
    lines = [line for line in item["transcript"] if line["start"] is not None]
    if lines:
        canvas["annotations"] = [
            {
                "id": f"{canvas_id}/transcript",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/transcript/{n}",
                        "type": "Annotation",
                        "motivation": "supplementing",
                        "body": {
                            "type": "TextualBody",
                            "value": f"{line['speaker']}: {line['text']}"
                            if line["speaker"]
                            else line["text"],
                            "format": "text/plain",
                            "language": item["story"]["language"],
                        },
                        "target": f"{canvas_id}#{_fragment(line['start'], line['end'] if line['end'] is not None else line['start'])}",
                    }
                    for n, line in enumerate(lines, start=1)
                ],
            }
        ]
    return canvas


def manifest(document: dict, manifest_id: str) -> dict:
    """The IIIF Presentation 3 Manifest of a public exhibition document with absolute URLs."""
    base = manifest_id.rsplit("/", 1)[0]
    language = document["language"]
    canvases: list[dict] = []
    ranges: list[dict] = []
    for item in document["items"]:
        parts: list[dict] = []
        if item["photo"]:
            canvas = _photo_canvas(base, item, language)
            canvases.append(canvas)
            parts.append({"id": canvas["id"], "type": "Canvas"})
        if item["audio"]:
            canvas = _sound_canvas(base, item, language)
            canvases.append(canvas)
            excerpt = item["audio"]["excerpt"]
            parts.append(
                {
                    "id": f"{canvas['id']}#{_fragment(excerpt['start'], excerpt['end'])}",
                    "type": "Canvas",
                }
            )
        if parts:
            label = item["caption"] or item["story"]["title"]
            ranges.append(
                {
                    "id": f"{base}/range/{item['id']}",
                    "type": "Range",
                    "label": _lang(f"{item['position']}. {label}", language),
                    "items": parts,
                }
            )
    data: dict = {
        "@context": CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": _lang(document["title"], language),
        "homepage": [
            {
                "id": document["url"],
                "type": "Text",
                "label": _lang(document["title"], language),
                "format": "text/html",
                "language": [language],
            }
        ],
        "items": canvases,
    }
    if document["introduction"]:
        data["summary"] = _lang(document["introduction"], language)
    if document["cover"]:
        data["thumbnail"] = [
            {
                "id": document["cover"]["url"],
                "type": "Image",
                "format": document["cover"]["mime"],
                "width": document["cover"]["width"],
                "height": document["cover"]["height"],
            }
        ]
    if ranges:
        data["structures"] = ranges
    return data
