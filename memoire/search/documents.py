"""What the index holds for a story: the one place that decides it, built from the database.

Every story is indexed, drafts too, with its access tokens: who may see it is part of
every query, not a reason to leave it out. Places and points are the ones the public
may see (`memoire.places.geo`), so a story kept at quartier precision cannot be found
by the name of its street or by a tight bounding box around its exact point.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from memoire.places import geo
from memoire.search.analysis import analysis_language
from memoire.stories.models import Story, StoryNarrator, StoryPlace
from memoire.stories.periods import decade_of
from memoire.stories.visibility import access_tokens
from memoire.transcripts.models import Transcript, TranscriptSegment
from memoire.transcripts.operations import chapter_index_text, index_text
from memoire.transcripts.visibility import is_public as transcript_is_public

# Markdown markers dropped from indexed and shown body text; link targets go, link text stays.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(^|\s)#{1,6}\s|[*_`]{1,3}|^>\s?", re.MULTILINE)
_MARKUP_CHARS = frozenset("*_`#>[")
SEGMENT_SEPARATOR = "\n"
#: Third item of a transcript text's start entry when the piece is a chapter, not a segment:
#: [offset, chapter id, CHAPTER] (a segment's entry is [offset, segment id]).
CHAPTER = "chapter"
#: How many stories are loaded at once when the whole archive is read.
BATCH_SIZE = 200


def plain_text(markdown: str | None) -> str:
    """Readable text of a Markdown body: what is indexed and what snippets quote."""
    text = markdown or ""
    if not _MARKUP_CHARS.intersection(text):  # most memories are plain prose
        return text
    return _MARKUP.sub(r"\1", _LINK.sub(r"\1", text))


def title_text(story: Story) -> str:
    return story.title or ""


def body_text(story: Story) -> str:
    """Summary then body, as one text: hit spans in the body field refer to this string."""
    parts = [p for p in (story.summary or "", plain_text(story.body)) if p.strip()]
    return "\n\n".join(parts)


def transcript_texts(story: Story, segments: Mapping[int, list] | None = None) -> dict[str, dict]:
    """Transcript text per analysis language, with where each segment starts in it.

    Segments are joined in order; `segments` lists [offset, segment id] so that a hit's
    character span leads back to the segment (and its start time) it falls in. The
    transcript's chapters follow its segments, as [offset, chapter id, CHAPTER]: a hit in a
    chapter's title, synopsis, keywords or subjects leads to the second the chapter starts.
    The segments may be given as rows by transcript id (bulk reads skip the ORM for them).
    """
    texts: dict[str, dict] = {}
    for transcript in story.transcripts:
        if not transcript_is_public(transcript):
            # An unreviewed machine draft: the index gives every viewer of the story the same
            # words, so the draft waits for a person before it is searchable.
            continue
        language = analysis_language(transcript.language or story.language)
        entry = texts.setdefault(language, {"text": "", "segments": []})
        pieces = [entry["text"]] if entry["text"] else []
        offset = len(entry["text"]) + (len(SEGMENT_SEPARATOR) if entry["text"] else 0)
        rows = transcript.segments if segments is None else segments.get(transcript.id, [])
        for segment in rows:
            text = index_text(segment)
            entry["segments"].append([offset, segment.id])
            pieces.append(text)
            offset += len(text) + len(SEGMENT_SEPARATOR)
        for chapter in transcript.chapters:
            text = chapter_index_text(chapter)
            entry["segments"].append([offset, chapter.id, CHAPTER])
            pieces.append(text)
            offset += len(text) + len(SEGMENT_SEPARATOR)
        entry["text"] = SEGMENT_SEPARATOR.join(pieces)
        # A second language track: its words lead to the same segments (and times), analysed
        # in their own language.
        for translation in transcript.translations:
            _add_translation(texts, translation, rows)
    return {lang: entry for lang, entry in texts.items() if entry["segments"]}


def _add_translation(texts: dict, translation, rows) -> None:
    from memoire.transcripts.operations import translation_index_text

    entry = texts.setdefault(analysis_language(translation.language), {"text": "", "segments": []})
    pieces = [entry["text"]] if entry["text"] else []
    offset = len(entry["text"]) + (len(SEGMENT_SEPARATOR) if entry["text"] else 0)
    for segment in rows:
        text = translation_index_text(translation, segment)
        if not text:
            continue
        entry["segments"].append([offset, segment.id])
        pieces.append(text)
        offset += len(text) + len(SEGMENT_SEPARATOR)
    entry["text"] = SEGMENT_SEPARATOR.join(pieces)


def _visible_places(story: Story) -> list:
    """The story's public places and the places they lie in (a story in Epinlieu is in Mons)."""
    seen: dict[int, object] = {}
    for place in geo.places_for(None, story):
        for node in [place, *place.ancestors]:
            seen.setdefault(node.id, node)
    return list(seen.values())


def _points(story: Story, places: list) -> list[list[float]]:
    """Public points only: a bounding box must not reveal what the precision hides."""
    points = []
    public = geo.public_point(story)
    if public is not None:
        points.append(public)
    for place in geo.places_for(None, story):
        # A place learnt from contributions may hold a contributor's exact tap: no finer
        # than this story's precision allows, or a tight bounding box would reveal it.
        point = geo.place_visible_point(place, story.precision)
        if point is not None:
            points.append(point)
    unique = dict.fromkeys((round(lat, 6), round(lon, 6)) for lat, lon in points)
    return [[lat, lon] for lat, lon in unique]


#: A story's workshop ids and the ids of the organisations that ran them.
NetworkLinks = tuple[list[int], list[int]]


def network_links(session: Session, story_ids: Iterable[int]) -> dict[int, NetworkLinks]:
    """Story id → (workshop ids, organisation ids), in one query for all these stories: a
    rebuild reads the links of a whole batch at once, not story by story."""
    from memoire.network.models import WorkshopStory, workshop_organisation

    ids = sorted(set(story_ids))
    if not ids:
        return {}
    links: dict[int, tuple[set[int], set[int]]] = {}
    rows = session.execute(
        select(
            WorkshopStory.story_id,
            WorkshopStory.workshop_id,
            workshop_organisation.c.organisation_id,
        )
        .outerjoin(
            workshop_organisation,
            workshop_organisation.c.workshop_id == WorkshopStory.workshop_id,
        )
        .where(WorkshopStory.story_id.in_(ids))
    )
    for story_id, workshop_id, organisation_id in rows:
        workshops, organisations = links.setdefault(story_id, (set(), set()))
        workshops.add(workshop_id)
        if organisation_id is not None:
            organisations.add(organisation_id)
    return {k: (sorted(w), sorted(o)) for k, (w, o) in links.items()}


def story_document(
    story: Story,
    segments: Mapping[int, list] | None = None,
    *,
    network: Mapping[int, NetworkLinks] | None = None,
) -> dict:
    """The index document of a story; `version` is a hash of everything else in it.

    `segments` (transcript id → rows with id, text, is_redacted, in order) spares loading
    every segment as an ORM object when many stories are read; by default they are read
    from `story.transcripts`. `network` (from `network_links`) does the same for the
    workshop the story was collected at and its organisations.
    """
    if network is None:
        session = object_session(story)
        network = network_links(session, [story.id]) if session is not None else {}
    workshop_ids, organisation_ids = network.get(story.id, ([], []))
    places = _visible_places(story)
    place_names: list[str] = []
    for place in places:
        place_names.append(place.name)
        place_names.extend(place.other_names or [])
    theme_names: list[str] = []
    for theme in story.themes:
        theme_names.append(theme.name)
        theme_names.extend(v for v in (theme.names or {}).values() if v)
    created = story.created_at
    document = {
        "id": story.id,
        "language": analysis_language(story.language),
        "story_language": story.language or "fr",
        "title": title_text(story),
        "body": body_text(story),
        "transcripts": transcript_texts(story, segments),
        "places": sorted(dict.fromkeys(place_names)),
        "place_ids": sorted(p.id for p in places),
        "themes": sorted(dict.fromkeys(theme_names)),
        "theme_slugs": sorted(t.slug for t in story.themes),
        "narrators": [p.display_name for p in story.narrators],
        "narrator_ids": sorted(p.id for p in story.narrators),
        "workshop_ids": list(workshop_ids),
        "organisation_ids": list(organisation_ids),
        "kind": story.kind,
        "decade": decade_of(story),
        "period_start": story.period_start,
        "period_end": story.period_end,
        "added": int(created.timestamp()) if created else 0,
        "points": _points(story, places),
        "access": sorted(access_tokens(story)),
    }
    document["version"] = document_version(document)
    return document


def document_version(document: dict) -> str:
    """A short hash of a document's content, to find stale documents."""
    content = {k: v for k, v in document.items() if k != "version"}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()[:20]


def _loading_options():
    return (
        selectinload(Story.place_links).selectinload(StoryPlace.place),
        selectinload(Story.themes),
        selectinload(Story.narrator_links).selectinload(StoryNarrator.person),
        selectinload(Story.transcripts).selectinload(Transcript.chapters),
        selectinload(Story.transcripts).selectinload(Transcript.translations),
    )


def load_stories(
    session: Session, story_ids: Iterable[int]
) -> list[tuple[Story, dict[int, list], dict[int, NetworkLinks]]]:
    """Stories with everything their documents need, their segments as plain rows, and the
    workshops and organisations of the whole batch (`network_links`).

    An interview has hundreds of segments: reading them as rows rather than ORM objects
    is what keeps a rebuild of a large archive within minutes.
    """
    ids = sorted(set(story_ids))
    if not ids:
        return []
    stories = list(
        session.scalars(select(Story).where(Story.id.in_(ids)).options(*_loading_options()))
    )
    transcript_ids = [t.id for story in stories for t in story.transcripts]
    segments: dict[int, list] = {}
    if transcript_ids:
        rows = session.execute(
            select(
                TranscriptSegment.transcript_id,
                TranscriptSegment.id,
                TranscriptSegment.text,
                TranscriptSegment.is_redacted,
            )
            .where(TranscriptSegment.transcript_id.in_(transcript_ids))
            .order_by(TranscriptSegment.transcript_id, TranscriptSegment.position)
        )
        for row in rows:
            segments.setdefault(row.transcript_id, []).append(row)
    network = network_links(session, [story.id for story in stories])
    return [(story, segments, network) for story in stories]


def build_documents(session: Session, story_ids: Iterable[int]) -> tuple[list[dict], list[int]]:
    """Documents for the stories that exist, and the ids of those that are gone."""
    wanted = set(story_ids)
    loaded = load_stories(session, wanted)
    documents = [
        story_document(story, segments, network=network) for story, segments, network in loaded
    ]
    gone = sorted(wanted - {story.id for story, _, _ in loaded})
    return documents, gone


def iter_documents(session: Session, batch_size: int = BATCH_SIZE) -> Iterator[dict]:
    """Every story's document, read in slices so that memory stays flat on a large archive."""
    ids = list(session.scalars(select(Story.id).order_by(Story.id)))
    for start in range(0, len(ids), batch_size):
        for story, segments, network in load_stories(session, ids[start : start + batch_size]):
            yield story_document(story, segments, network=network)
        session.expunge_all()
