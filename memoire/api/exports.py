"""Exports for researchers' own tools: lists and search results as CSV and JSON; one story as
Dublin Core XML and schema.org JSON-LD; transcripts as WebVTT and text.

Every export goes through the same visibility rule and the same presenters as the
API, so it never holds more than the caller may see: no contributor, no e-mail, no
exact point the consent does not allow. CSV is UTF-8 with a byte order mark (Excel
then reads French text right) and cells that a spreadsheet would run as a formula
are defused with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from types import SimpleNamespace

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from memoire.api import auth
from memoire.api.common import json_response, setting
from memoire.api.openapi import LD_JSON, LIST_FILTERS, SEARCH_PARAMS, documented, reply
from memoire.api.presenters import iso, point_json, story_summary
from memoire.api.queries import filtered_stories
from memoire.api.schemas import ExportSchema, JsonLdSchema
from memoire.api.views import bp
from memoire.core.db import utcnow
from memoire.core.errors import NotFound, ValidationError
from memoire.exhibitions.presenters import LICENCE_URIS
from memoire.extensions import db
from memoire.media.models import DerivativeRole, MediaKind
from memoire.oai.dublin_core import dublin_core_xml, temporal_coverage
from memoire.places.geo import places_for
from memoire.stories.citation import archive_name, short_url
from memoire.stories.models import Story
from memoire.stories.queries import get_visible_story
from memoire.transcripts.models import Transcript
from memoire.transcripts.operations import segment_text
from memoire.transcripts.parsers import to_text, to_webvtt
from memoire.transcripts.visibility import is_machine_draft, machine_draft_label, readable

#: Most rows one export holds (`MEMOIRE_EXPORT_MAX_ROWS`); the answer says when it was cut.
EXPORT_MAX_ROWS = 10_000
#: Search results are read from the index this many at a time.
SEARCH_BATCH = 100
#: Leading characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id",
    "external_id",
    "title",
    "summary",
    "body",
    "kind",
    "language",
    "period_start",
    "period_end",
    "period_text",
    "narrators",
    "themes",
    "places",
    "place_ids",
    "lat",
    "lon",
    "precision",
    "licence",
    "published_at",
    "updated_at",
    "url",
    "short_url",
    "api_url",
)
DELIMITERS = {"comma": ",", ",": ",", "semicolon": ";", ";": ";", "tab": "\t"}


def defuse(value):
    """A cell as a spreadsheet may open it: text that would run as a formula gets a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_row(viewer, story: Story) -> dict:
    """One flat row of a story, for CSV and JSON exports."""
    summary = story_summary(viewer, story, str(get_locale() or ""))
    point = point_json(viewer, story)
    places = summary["places"]
    return {
        "id": story.id,
        "external_id": story.external_id or "",
        "title": story.title,
        "summary": story.summary or "",
        "body": story.body or "",
        "kind": story.kind,
        "language": story.language,
        "period_start": story.period_start,
        "period_end": story.period_end,
        "period_text": story.period_text or "",
        "narrators": "; ".join(n["name"] for n in summary["narrators"]),
        "themes": "; ".join(t["name"] for t in summary["themes"]),
        "places": "; ".join(p["name"] for p in places),
        "place_ids": "; ".join(str(p["id"]) for p in places),
        "lat": point["lat"] if point else None,
        "lon": point["lon"] if point else None,
        "precision": story.precision,
        "licence": story.licence,
        "published_at": summary["published_at"] or "",
        "updated_at": summary["updated_at"] or "",
        "url": summary["links"]["page"],
        "short_url": summary["links"]["short"],
        "api_url": summary["links"]["self"],
    }


def csv_bytes(rows: list[dict], columns: tuple[str, ...], delimiter: str = ",") -> bytes:
    """UTF-8 CSV with a BOM, CRLF line ends (RFC 4180), formulas defused."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: defuse("" if value is None else value) for key, value in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _delimiter() -> str:
    wanted = request.args.get("delimiter", "comma")
    if wanted not in DELIMITERS:
        raise ValidationError(_l("delimiter is comma, semicolon or tab."), field="delimiter")
    return DELIMITERS[wanted]


def _max_rows() -> int:
    return int(setting("EXPORT_MAX_ROWS", EXPORT_MAX_ROWS))


def _attachment(response, filename: str):
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _listed_stories(viewer) -> tuple[list[Story], bool]:
    """The stories of a list export, at most the configured number; and whether it was cut."""
    limit = _max_rows()
    query = filtered_stories(viewer, request.args).options(selectinload(Story.consents))
    stories = list(db.session.scalars(query.limit(limit + 1)).unique())
    return stories[:limit], len(stories) > limit


def _searched_stories(viewer) -> tuple[list[tuple[Story, float]], bool]:
    """Every visible result of a search, best first, read from the index a page at a time."""
    from memoire.search import service
    from memoire.search.query import parse_params

    query = parse_params(request.args, language_params=("lang", "language"))
    query = replace(query, page=1, per_page=SEARCH_BATCH, facets=False, highlights=False)
    limit, found, total = _max_rows(), [], None
    while len(found) < limit:
        page = service.search(viewer, query)
        total = page.total
        found += [(result.story, result.score) for result in page.results]
        if query.page * query.per_page >= page.total or not page.results:
            break
        query = replace(query, page=query.page + 1)
    return found[:limit], (total or 0) > limit


def _export(rows: list[dict], truncated: bool, name: str, fmt: str, columns: tuple[str, ...]):
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    if fmt == "csv":
        response = current_app.response_class(
            csv_bytes(rows, columns, _delimiter()), mimetype="text/csv"
        )
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        payload = {
            "exported_at": iso(utcnow()),
            "count": len(rows),
            "truncated": truncated,
            "stories": rows,
        }
        response = json_response(payload)
    response.headers["X-Export-Truncated"] = "true" if truncated else "false"
    return _attachment(response, f"memoire-{name}-{stamp}.{fmt}")


@bp.get("/exports/stories.csv", defaults={"fmt": "csv"})
@bp.get("/exports/stories.json", defaults={"fmt": "json"})
@documented(
    "exports",
    path="/exports/stories.csv",
    operation_id="exportStoriesCsv",
    summary="A list of stories as CSV",
    description="All stories matching the filters, up to the export limit "
    "(X-Export-Truncated says when it was reached).",
    responses={
        200: reply("UTF-8 with a byte order mark; formulas defused with a leading '.", mime="text/csv")
    },
    errors=(400, 401, 429),
    parameters=[*LIST_FILTERS, "delimiter"],
)
@documented(
    "exports",
    path="/exports/stories.json",
    operation_id="exportStoriesJson",
    summary="A list of stories as JSON",
    responses={200: reply("Flat rows, as in the CSV.", ExportSchema)},
    errors=(400, 401, 429),
    parameters=LIST_FILTERS,
)
def export_stories(fmt: str):
    """The stories of a list (same filters as /stories), all of them up to the export limit."""
    viewer = auth.current_api_user()
    stories, truncated = _listed_stories(viewer)
    rows = [export_row(viewer, story) for story in stories]
    return _export(rows, truncated, "stories", fmt, CSV_COLUMNS)


@bp.get("/exports/search.csv", defaults={"fmt": "csv"})
@bp.get("/exports/search.json", defaults={"fmt": "json"})
@documented(
    "exports",
    path="/exports/search.csv",
    operation_id="exportSearchCsv",
    summary="Search results as CSV",
    responses={200: reply("Every result, best first, with its score.", mime="text/csv")},
    errors=(400, 401, 429),
    parameters=[*SEARCH_PARAMS, "delimiter"],
)
@documented(
    "exports",
    path="/exports/search.json",
    operation_id="exportSearchJson",
    summary="Search results as JSON",
    responses={200: reply("Every result, best first, with its score.", ExportSchema)},
    errors=(400, 401, 429),
    parameters=SEARCH_PARAMS,
)
def export_search(fmt: str):
    """Every result of a search (same parameters as /search), best first, with its score."""
    viewer = auth.current_api_user()
    results, truncated = _searched_stories(viewer)
    rows = [{**export_row(viewer, story), "score": round(score, 4)} for story, score in results]
    return _export(rows, truncated, "search", fmt, ("score", *CSV_COLUMNS))


# --- one story ------------------------------------------------------------------------------


@bp.get("/stories/<story_id>/dc.xml")
@documented(
    "exports",
    operation_id="getStoryDublinCore",
    summary="The story as simple Dublin Core (oai_dc)",
    responses={200: reply("An oai_dc XML record.", mime="application/xml")},
    errors=(400, 401, 404, 429),
    parameters=["story_id"],
)
def story_dublin_core(story_id: str):
    """The story as a simple Dublin Core record (the `oai_dc` of OAI-PMH)."""
    story = get_visible_story(auth.current_api_user(), story_id)
    response = current_app.response_class(dublin_core_xml(story), mimetype="application/xml")
    response.headers["Content-Type"] = "application/xml; charset=utf-8"
    return response


def _geo(point: dict | None) -> dict | None:
    if point is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": point["lat"], "longitude": point["lon"]}


def _content_locations(viewer, story: Story) -> list[dict]:
    """Places the viewer may see; the story's own (coarsened) point on the first of them."""
    locations = [
        {
            "@type": "Place",
            "name": place.name,
            "url": url_for("places.show", place_id=place.id, _external=True),
        }
        for place in places_for(viewer, story)
    ]
    geo = _geo(point_json(viewer, story))
    if geo is not None:
        if locations:
            locations[0]["geo"] = geo
        else:
            locations.append({"@type": "Place", "geo": geo})
    return locations


def _iso_duration(seconds: float) -> str:
    return f"PT{seconds:.3f}".rstrip("0").rstrip(".") + "S"


def _associated_media(viewer, story: Story) -> list[dict]:
    media = []
    for item in story.media:
        if item.kind == MediaKind.image and (display := item.derivative(DerivativeRole.display)):
            media.append(
                {
                    "@type": "ImageObject",
                    "contentUrl": _derivative_url(display),
                    "encodingFormat": display.mime,
                    "width": display.width,
                    "height": display.height,
                    "caption": item.caption or None,
                    "description": item.alt_text or None,
                }
            )
        elif item.kind == MediaKind.audio and (stream := item.derivative(DerivativeRole.stream)):
            audio = {
                "@type": "AudioObject",
                "contentUrl": _derivative_url(stream),
                "encodingFormat": stream.mime,
                "caption": item.caption or None,
            }
            if item.duration:
                audio["duration"] = _iso_duration(item.duration)
            transcript = next((t for t in readable(viewer, story) if t.media_id == item.id), None)
            if transcript is not None:
                audio["transcript"] = _labelled(transcript, to_text(_public_segments(transcript)))
            media.append(audio)
    return [{k: v for k, v in m.items() if v is not None} for m in media]


def _derivative_url(derivative) -> str:
    return url_for(
        "media.derivative", derivative_id=derivative.id, sha=derivative.sha256[:16], _external=True
    )


def json_ld(viewer, story: Story) -> dict:
    """schema.org: the story a CreativeWork, its recordings AudioObjects, its places `contentLocation`."""
    document = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": short_url(story),
        "url": url_for("stories.show", story_id=story.id, _external=True),
        "identifier": str(story.id),
        "name": story.title,
        "abstract": story.summary or None,
        "text": story.body or None,
        "genre": story.kind,
        "inLanguage": story.language,
        "author": [{"@type": "Person", "name": p.display_name} for p in story.narrators] or None,
        "keywords": [t.name for t in story.themes] or None,
        "temporalCoverage": temporal_coverage(story),
        "contentLocation": _content_locations(viewer, story) or None,
        "dateCreated": iso(story.recorded_on),
        "datePublished": iso(story.published_at),
        "dateModified": iso(story.updated_at),
        "license": LICENCE_URIS.get(story.licence, story.licence),
        "publisher": {"@type": "Organization", "name": archive_name()},
        "isAccessibleForFree": True,
        "associatedMedia": _associated_media(viewer, story) or None,
    }
    return {k: v for k, v in document.items() if v is not None}


@bp.get("/stories/<story_id>/schema.jsonld")
@documented(
    "exports",
    operation_id="getStoryJsonLd",
    summary="The story as schema.org JSON-LD",
    responses={200: reply("A CreativeWork.", JsonLdSchema, LD_JSON)},
    errors=(400, 401, 404, 429),
    parameters=["story_id"],
)
def story_json_ld(story_id: str):
    """The story as schema.org JSON-LD (CreativeWork with AudioObject and ImageObject media)."""
    viewer = auth.current_api_user()
    story = get_visible_story(viewer, story_id)
    return json_response(json_ld(viewer, story), mimetype="application/ld+json")


def _public_segments(transcript: Transcript) -> list[SimpleNamespace]:
    """Segments as every output shows them: withheld passages replaced by the neutral mark."""
    return [
        SimpleNamespace(start=s.start, end=s.end, speaker=s.speaker, text=segment_text(s))
        for s in transcript.segments
    ]


def _labelled(transcript: Transcript, text: str) -> str:
    """A machine draft's text opens with its label, so a copy taken away still says so."""
    if not is_machine_draft(transcript):
        return text
    return f"[{machine_draft_label()}]\n\n{text}"


def _transcripts(viewer, story: Story) -> list[Transcript]:
    """The transcript of `?media=`, else all of them; NotFound when there is none."""
    transcripts = readable(viewer, story)
    media = request.args.get("media")
    if media is not None:
        transcripts = [t for t in transcripts if str(t.media_id) == media]
    if not transcripts:
        raise NotFound(_l("This story has no transcript."))
    return transcripts


def _inline(response, filename: str):
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/stories/<story_id>/transcript.vtt")
@documented(
    "exports",
    operation_id="getStoryTranscriptWebVTT",
    summary="A transcript as WebVTT",
    responses={200: reply("WebVTT; withheld passages as a neutral mark.", mime="text/vtt")},
    errors=(400, 401, 404, 429),
    parameters=["story_id", "media"],
)
def story_transcript_vtt(story_id: str):
    """A transcript as WebVTT (the first one, or that of `?media=`), for players and editors."""
    viewer = auth.current_api_user()
    story = get_visible_story(viewer, story_id)
    transcript = _transcripts(viewer, story)[0]
    vtt = to_webvtt(_public_segments(transcript))
    if is_machine_draft(transcript):
        vtt = vtt.replace("WEBVTT", f"WEBVTT\n\nNOTE {machine_draft_label()}", 1)
    response = current_app.response_class(vtt, mimetype="text/vtt")
    response.headers["Content-Type"] = "text/vtt; charset=utf-8"
    return _inline(response, f"memoire-{story.id}.vtt")


@bp.get("/stories/<story_id>/transcript.txt")
@documented(
    "exports",
    operation_id="getStoryTranscriptText",
    summary="Transcripts as plain text",
    responses={200: reply("One paragraph a segment, with its time when known.", mime="text/plain")},
    errors=(400, 401, 404, 429),
    parameters=["story_id", "media"],
)
def story_transcript_text(story_id: str):
    """The transcripts as plain text (all of them, or that of `?media=`)."""
    viewer = auth.current_api_user()
    story = get_visible_story(viewer, story_id)
    text = "\n".join(
        _labelled(t, to_text(_public_segments(t))) for t in _transcripts(viewer, story)
    )
    response = current_app.response_class(text, mimetype="text/plain")
    return _inline(response, f"memoire-{story.id}.txt")
