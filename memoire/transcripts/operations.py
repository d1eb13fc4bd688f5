"""The transcript workbench: attach, correct, restore, and take residents' corrections.

Every change goes through `_save`, which writes the new segments, records a revision
(who, when, the hunks it replaced) and bumps the transcript's version; the index work
follows from the flushed segments (`search.tracking`). Editors save against the version
they read: a save whose segments someone else changed since is refused with their text
(`EditConflict`), while edits of other segments go through.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from memoire.accounts.models import Role
from memoire.audit.operations import record as audit
from memoire.core.db import utcnow
from memoire.core.errors import Conflict, Forbidden, NotFound, ValidationError
from memoire.extensions import db
from memoire.media.models import Media, MediaKind
from memoire.places.geo import PUBLIC_PLACE_TYPES
from memoire.places.models import Place
from memoire.search.tracking import mark_stories
from memoire.stories.models import Status, Story, Visibility
from memoire.stories.operations import touch
from memoire.stories.visibility import may_view
from memoire.transcripts import ohms, parsers
from memoire.transcripts.models import (
    Origin,
    PlaceSuggestion,
    ProposalStatus,
    SuggestionStatus,
    Transcript,
    TranscriptChapter,
    TranscriptProposal,
    TranscriptRevision,
    TranscriptSegment,
    TranscriptTranslation,
)
from memoire.transcripts.parsed import ParsedChapter, clean_text

#: Shown (and indexed) instead of a withheld passage.
REDACTED_MARK = "[passage retiré]"
#: What a revision keeps of a segment.
FIELDS = ("start", "end", "speaker", "text", "place_id")
#: Statuses in which a story's own contributor may still edit its transcript.
CONTRIBUTOR_EDITABLE = frozenset({Status.draft.value, Status.rejected.value})
MAX_SPEAKER = 200
MAX_SEGMENT_TEXT = 20_000
MAX_PROPOSAL_SEGMENTS = 50
#: Seconds a time may pass the recording's length (as the parsers allow).
DURATION_TOLERANCE = parsers.DURATION_TOLERANCE


class EditConflict(Conflict):
    """Someone saved these segments since the editor read them; `theirs` is their text now."""

    code = "edit_conflict"

    def __init__(self, message, *, theirs: list[dict], version: int, **kw):
        super().__init__(message, **kw)
        self.theirs = theirs
        self.version = version


# --- who may do what ---------------------------------------------------------------------


def may_edit(actor, story: Story) -> bool:
    """Contributors edit their own story's transcript while it is a draft (or sent back);
    mediators the stories they may see, moderators and administrators always."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if story.status == Status.withdrawn:
        return False
    if actor.is_staff:
        return True
    if actor.role == Role.mediator and (story.contributor_id == actor.id or may_view(actor, story)):
        return True
    return story.contributor_id == actor.id and story.status in CONTRIBUTOR_EDITABLE


def may_propose(actor, story: Story) -> bool:
    """Any logged-in person may propose corrections to a public, published transcript."""
    return (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and story.status == Status.published
        and story.visibility == Visibility.public
    )


def _check_edit(actor, story: Story) -> None:
    """`actor` None is the system (import, CLI); anyone else must be an editor."""
    if actor is not None and not may_edit(actor, story):
        raise Forbidden(_l("You may not edit this transcript."))


def transcript_for(actor, story_id: int, transcript_id: int) -> Transcript:
    """A transcript of a story the actor may see, else the same NotFound as a missing one."""
    from memoire.transcripts.visibility import may_read

    transcript = db.session.get(Transcript, transcript_id)
    if (
        transcript is None
        or transcript.story_id != story_id
        or not may_view(actor, transcript.story)
        or not may_read(actor, transcript)
    ):
        raise NotFound(_l("This story does not exist, or is not public."))
    return transcript


def sees_withheld(actor) -> bool:
    """Only moderators and administrators read the words of a withheld passage."""
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_staff


# --- attach ------------------------------------------------------------------------------


def attach_transcript(
    actor,
    story: Story,
    data: bytes,
    *,
    filename: str | None = None,
    media: Media | None = None,
    language: str | None = None,
    origin: str = Origin.imported.value,
    parse=None,
) -> Transcript:
    """Parse and attach a transcript to a recording, as a new revision of its transcript.

    The file is read whole before anything changes: a bad file raises the parsers'
    TranscriptError (naming the line) and the transcript in place stays as it was.
    `parse`: what stands for parsers.parse_transcript with the same answers (a bulk
    import's parse done ahead, memoire.imports.readahead); None: that function."""
    _check_edit(actor, story)
    if media is None:
        media = next((m for m in story.media if m.kind == MediaKind.audio), None)
    elif media.story_id not in (None, story.id) and media not in story.media:
        raise NotFound(_l("This file does not exist."))
    duration = media.duration if media is not None else None
    parsed = (parse or parsers.parse_transcript)(data, filename, duration=duration)
    media_id = media.id if media is not None else None
    transcript = next((t for t in story.transcripts if t.media_id == media_id), None)
    if transcript is None:
        transcript = Transcript(language=language or story.language, version=0)
        transcript.media_id = media_id
        story.transcripts.append(transcript)
    else:
        transcript.language = language or story.language
    transcript.source_format = parsed.source_format
    touch(story)
    state = [
        {"id": None, "start": s.start, "end": s.end, "speaker": s.speaker, "text": s.text,
         "place_id": None}
        for s in parsed.segments
    ]
    note = (filename or "")[-200:]
    _save(actor, transcript, state, origin=origin, note=note, force=True)
    if parsed.source_format == "ohms":
        # The OHMS file is the index's source: its chapters replace those in place.
        transcript.chapters = [_chapter_row(c) for c in ohms.parse_index(bytes(data))]
        db.session.flush()
    return transcript


def _chapter_row(chapter: ParsedChapter) -> TranscriptChapter:
    return TranscriptChapter(
        start=chapter.start, title=chapter.title, synopsis=chapter.synopsis,
        partial_transcript=chapter.partial_transcript, keywords=list(chapter.keywords),
        subjects=list(chapter.subjects), lat=chapter.lat, lon=chapter.lon,
        gps_text=chapter.gps_text,
    )


# --- edit --------------------------------------------------------------------------------


def snapshot(transcript: Transcript) -> list[dict]:
    """The transcript's segments as plain data, in order (what revisions keep)."""
    return [_segment_data(s) for s in transcript.segments]


def _segment_data(segment: TranscriptSegment) -> dict:
    return {"id": segment.id, **{name: getattr(segment, name) for name in FIELDS}}


def edit_segments(
    actor,
    transcript: Transcript,
    edits: Mapping[int, Mapping],
    *,
    base_version: int | None,
    origin: str = Origin.human.value,
    note: str = "",
) -> TranscriptRevision | None:
    """Change segments' text, speaker, start or end: {segment id: {field: value}}.

    Only the fields given change. Returns the revision, or None when nothing changed."""
    _check_edit(actor, transcript.story)
    state = snapshot(transcript)
    positions = {item["id"]: n for n, item in enumerate(state)}
    unknown = [i for i in edits if i not in positions]
    _check_version(transcript, base_version, set(edits), unknown)
    if unknown:
        raise NotFound(_l("This segment does not exist."))
    duration = _duration(transcript)
    for segment_id, fields in edits.items():
        n = positions[segment_id]
        item = dict(state[n])
        _check_not_withheld(actor, transcript, n)
        if "text" in fields and fields["text"] is not None:
            item["text"] = _clean_segment_text(fields["text"], segment_id)
        if "speaker" in fields:
            item["speaker"] = _clean_speaker(fields["speaker"], segment_id)
        for name in ("start", "end"):
            if name in fields:
                item[name] = _time(fields[name], name, segment_id)
        if "place_id" in fields:
            item["place_id"] = _moment_place(actor, transcript.story, fields["place_id"],
                                             field=f"place-{segment_id}")
        state[n] = item
    for segment_id in edits:
        _check_times(state, positions[segment_id], duration)
    return _save(actor, transcript, state, origin=origin, note=note)


def split_segment(
    actor,
    transcript: Transcript,
    segment_id: int,
    at: int,
    *,
    base_version: int | None,
    time: float | None = None,
) -> TranscriptRevision:
    """Cut a segment in two at a character offset; the second part starts at `time`
    (by default, in proportion to the characters before the cut)."""
    _check_edit(actor, transcript.story)
    state = snapshot(transcript)
    n = _position(state, transcript, segment_id, base_version)
    _check_not_withheld(actor, transcript, n)
    item = state[n]
    text = item["text"]
    first, second = text[:at].strip() if at > 0 else "", text[at:].strip() if at < len(text) else ""
    if not first or not second:
        raise ValidationError(
            _l("Place the cursor inside the text, between two words, to split it."), field="at"
        )
    start, end = item["start"], item["end"]
    if time is None and start is not None and end is not None:
        time = round(start + (end - start) * at / len(text), 3)
    if time is not None and start is not None and not (
        start < time and (end is None or time < end)
    ):
        raise ValidationError(
            _l("The second part must start inside the segment, between its start and end."),
            field="time",
        )
    state[n : n + 1] = [
        {**item, "text": first, "end": time if time is not None else end},
        {**item, "id": None, "text": second, "start": time, "end": end},
    ]
    return _save(actor, transcript, state, origin=Origin.human.value, note="split")


def merge_with_next(
    actor, transcript: Transcript, segment_id: int, *, base_version: int | None
) -> TranscriptRevision:
    """Join a segment with the one after it (texts joined, the second's end kept)."""
    _check_edit(actor, transcript.story)
    state = snapshot(transcript)
    n = _position(state, transcript, segment_id, base_version, also_next=True)
    if n + 1 >= len(state):
        raise ValidationError(_l("The last segment has no next segment to merge with."))
    _check_not_withheld(actor, transcript, n)
    _check_not_withheld(actor, transcript, n + 1)
    item, following = state[n], state[n + 1]
    state[n : n + 2] = [
        {
            **item,
            "text": f"{item['text']} {following['text']}".strip(),
            "end": following["end"] if following["end"] is not None else item["end"],
            "place_id": item["place_id"] or following["place_id"],
        }
    ]
    return _save(actor, transcript, state, origin=Origin.human.value, note="merge")


def _position(
    state: list[dict], transcript: Transcript, segment_id: int, base_version, *, also_next=False
) -> int:
    positions = {item["id"]: n for n, item in enumerate(state)}
    touched = {segment_id}
    if also_next and segment_id in positions and positions[segment_id] + 1 < len(state):
        touched.add(state[positions[segment_id] + 1]["id"])
    missing = [] if segment_id in positions else [segment_id]
    _check_version(transcript, base_version, touched, missing)
    if missing:
        raise NotFound(_l("This segment does not exist."))
    return positions[segment_id]


def _check_version(
    transcript: Transcript, base_version: int | None, touched: set[int], missing: Iterable[int]
) -> None:
    """Refuse a save made on an old version when someone changed the same segments since."""
    if base_version is None or base_version == transcript.version:
        return
    later = db.session.scalars(
        db.select(TranscriptRevision)
        .where(TranscriptRevision.transcript_id == transcript.id,
               TranscriptRevision.number > base_version)
        .order_by(TranscriptRevision.number)
    ).all()
    changed: set[int] = set()
    for revision in later:
        changed.update(revision.changed_ids)
    clash = (touched & changed) | set(missing)
    if base_version > transcript.version or clash:
        current = {s.id: s for s in transcript.segments}
        theirs = [_segment_data(current[i]) for i in sorted(clash) if i in current]
        names = sorted({r.author.display_name or r.author.email for r in later if r.author})
        raise EditConflict(
            _l(
                "Someone else (%(names)s) saved this transcript while you were editing it: "
                "your changes to the same passage are not saved. Their text is shown below; "
                "copy what you want to keep, then reload.",
                names=", ".join(names) or _("the system"),
            ),
            theirs=theirs,
            version=transcript.version,
        )


def _check_not_withheld(actor, transcript: Transcript, n: int) -> None:
    segment = transcript.segments[n] if n < len(transcript.segments) else None
    if segment is not None and segment.is_redacted and not sees_withheld(actor):
        raise Forbidden(_l("This passage is withheld by the moderators: it cannot be changed."))


def _clean_segment_text(value, segment_id: int) -> str:
    text = clean_text(str(value))
    if not text:
        raise ValidationError(
            _l("A segment cannot be empty: merge it with the next one instead."),
            field=f"text-{segment_id}",
        )
    if len(text) > MAX_SEGMENT_TEXT:
        raise ValidationError(_l("This segment is too long: split it."), field=f"text-{segment_id}")
    return text


def _clean_speaker(value, segment_id: int) -> str | None:
    speaker = clean_text(str(value or ""))
    if len(speaker) > MAX_SPEAKER:
        raise ValidationError(
            _l("A speaker's name has at most %(n)s characters.", n=MAX_SPEAKER),
            field=f"speaker-{segment_id}",
        )
    return speaker or None


def _time(value, name: str, segment_id: int) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        parsed = parse_clock(value)
    elif isinstance(value, bool):
        parsed = None
    else:
        try:
            parsed = float(value)
        except (TypeError, ValueError):
            parsed = None
    if parsed is None or parsed != parsed or parsed < 0 or parsed > 10 * 24 * 3600:
        raise ValidationError(
            _l("Give the time as seconds or minutes:seconds (for example 1:15.5)."),
            field=f"{name}-{segment_id}",
        )
    return round(parsed, 3)


def parse_clock(text: str) -> float | None:
    """'75', '1:15', '0:01:15.250' as seconds; None when it cannot be read."""
    parts = text.strip().split(":")
    if not parts or len(parts) > 3:
        return None
    total = 0.0
    for part in parts:
        part = part.strip()
        if not part or not part.replace(".", "", 1).isascii() or not part.replace(".", "", 1).isdigit():
            return None
        total = total * 60 + float(part)
    return total


def _duration(transcript: Transcript) -> float | None:
    media = db.session.get(Media, transcript.media_id) if transcript.media_id else None
    return media.duration if media is not None else None


def _check_times(state: list[dict], n: int, duration: float | None) -> None:
    """A segment's times: end after start, inside the recording, in order with its neighbours."""
    item = state[n]
    start, end, field = item["start"], item["end"], f"start-{item['id']}"
    if start is not None and end is not None and end < start:
        raise ValidationError(_l("A segment cannot end before it starts."), field=f"end-{item['id']}")
    if duration is not None and max(start or 0, end or 0) > duration + DURATION_TOLERANCE:
        raise ValidationError(_l("This time is past the end of the recording."), field=field)
    before = next((s["start"] for s in reversed(state[:n]) if s["start"] is not None), None)
    after = next((s["start"] for s in state[n + 1 :] if s["start"] is not None), None)
    if start is not None and before is not None and start < before:
        raise ValidationError(
            _l("A segment cannot start before the one above it."), field=field
        )
    if start is not None and after is not None and start > after:
        raise ValidationError(
            _l("A segment cannot start after the one below it."), field=field
        )


# --- places of moments, chapters ---------------------------------------------------------

#: Place types a moment may point at, by the story's location precision: a `quartier` story
#: never points a moment at a street (the rule that shows a story's places to the public).
PLACE_TYPES_BY_PRECISION = PUBLIC_PLACE_TYPES


def _moment_place(actor, story: Story, value, *, field: str) -> int | None:
    """The place a segment or chapter is tied to: one the actor may see, as coarse as the
    story's location precision asks."""
    from memoire.places.queries import may_view_place

    if value in (None, ""):
        return None
    place_id = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str):
        from memoire.core.db import parse_id

        place_id = parse_id(value)
    place = db.session.get(Place, place_id) if place_id is not None else None
    if place is None or (actor is not None and not may_view_place(actor, place)):
        raise ValidationError(_l("This place is not in the gazetteer."), field=field)
    if place.type not in PLACE_TYPES_BY_PRECISION.get(story.precision or "exact", set()):
        raise ValidationError(
            _l("This story's location is shown only roughly: tie the moment to its "
               "neighbourhood or town, not to a street or a building."),
            field=field,
        )
    return place.id


MAX_TITLE = 300
MAX_SYNOPSIS = 10_000


def save_chapter(
    actor, transcript: Transcript, data: Mapping, chapter: TranscriptChapter | None = None
) -> TranscriptChapter:
    """Add a chapter, or change one: start, title, synopsis, keywords, subjects, place."""
    _check_edit(actor, transcript.story)
    if chapter is not None and chapter.transcript_id != transcript.id:
        raise NotFound(_l("This chapter does not exist."))
    start = _time(data.get("start"), "start", 0)
    if start is None:
        raise ValidationError(_l("Give the time the chapter starts at."), field="start")
    duration = _duration(transcript)
    if duration is not None and start > duration + DURATION_TOLERANCE:
        raise ValidationError(_l("This time is past the end of the recording."), field="start")
    title = clean_text(str(data.get("title") or ""))
    if not title:
        raise ValidationError(_l("A chapter needs a title."), field="title")
    if len(title) > MAX_TITLE:
        raise ValidationError(_l("The title is too long (300 characters at most)."), field="title")
    synopsis = str(data.get("synopsis") or "").strip()
    if len(synopsis) > MAX_SYNOPSIS:
        raise ValidationError(_l("The synopsis is too long."), field="synopsis")
    place_id = _moment_place(actor, transcript.story, data.get("place_id"), field="place")
    if chapter is None:
        chapter = TranscriptChapter(transcript=transcript, partial_transcript="", gps_text="")
        db.session.add(chapter)
    chapter.start = start
    chapter.title = title
    chapter.synopsis = synopsis
    chapter.keywords = _term_list(data.get("keywords"))
    chapter.subjects = _term_list(data.get("subjects"))
    chapter.place_id = place_id
    touch(transcript.story)
    db.session.flush()
    audit(actor, "transcript.chapter_saved", "transcript_chapter", chapter.id)
    return chapter


MAX_CHAPTERS = 500


def replace_chapters(actor, transcript: Transcript, items: list[Mapping]) -> list[TranscriptChapter]:
    """Make `items` the transcript's chapters (as `save_chapter` checks each); on a bad item
    the error names it (`chapters.N.field`) and the edge rolls everything back."""
    _check_edit(actor, transcript.story)
    if len(items) > MAX_CHAPTERS:
        raise ValidationError(_l("An interview has at most %(n)s chapters.", n=MAX_CHAPTERS),
                              field="chapters")
    transcript.chapters = []
    db.session.flush()
    chapters = []
    for n, data in enumerate(items):
        try:
            chapters.append(save_chapter(actor, transcript, data))
        except ValidationError as error:
            error.field = f"chapters.{n}.{error.field}" if error.field else f"chapters.{n}"
            raise
    touch(transcript.story)
    db.session.flush()
    return sorted(chapters, key=lambda c: c.start)


def delete_chapter(actor, chapter: TranscriptChapter) -> None:
    transcript = chapter.transcript
    _check_edit(actor, transcript.story)
    transcript.chapters.remove(chapter)
    touch(transcript.story)
    db.session.flush()
    audit(actor, "transcript.chapter_deleted", "transcript", transcript.id)


def _term_list(value) -> list[str]:
    """Keywords or subjects: a list, or one text split on ";" (as OHMS writes them) or ","."""
    if value is None:
        return []
    if isinstance(value, str):
        separator = ";" if ";" in value else ","
        value = value.split(separator)
    terms = [clean_text(str(v))[:200] for v in value]
    return list(dict.fromkeys(t for t in terms if t))[:100]


def suggest_places(transcript: Transcript, segment_ids: Iterable[int] | None = None,
                   gazetteer=None, *, written: list[dict] | None = None) -> int:
    """Propose the gazetteer places named in segments (all, or those given); a person's
    decisions stay: a dismissed place is not proposed again, a confirmed one stays confirmed.
    Returns how many proposals the segments now carry.

    `written`: the transcript's segments as `snapshot` gives them, every one of them just
    written and none withheld (what `_save` knows after a file is attached): they are not
    read back, and no proposal or decision can be on them yet."""
    from memoire.transcripts.place_names import Gazetteer, resolve

    wanted = None if segment_ids is None else set(segment_ids)
    if written is not None:
        segments = [(s["id"], s["text"], False, s["place_id"]) for s in written]
    else:
        segments = [(s.id, s.text, s.is_redacted, s.place_id) for s in transcript.segments]
    segments = [s for s in segments if (wanted is None or s[0] in wanted) and s[0] is not None]
    if not segments:
        return 0
    gazetteer = gazetteer or Gazetteer.load()
    story = transcript.story
    story_places = [link.place_id for link in story.place_links]
    existing: dict[int, list[PlaceSuggestion]] = {}
    if written is None:
        for suggestion in db.session.scalars(
            db.select(PlaceSuggestion).where(PlaceSuggestion.segment_id.in_([s[0] for s in segments]))
        ):
            existing.setdefault(suggestion.segment_id, []).append(suggestion)
    count = 0
    for segment_id, text, is_redacted, segment_place_id in segments:
        rows = existing.get(segment_id, [])
        decided = {r.place_id for r in rows if r.status != SuggestionStatus.proposed}
        for row in rows:
            if row.status == SuggestionStatus.proposed:
                db.session.delete(row)
        if is_redacted:
            continue
        proposed: dict[int, str] = {}
        for matched, candidates in gazetteer.find(text):
            for place_id in resolve(gazetteer, candidates, story_places, story.precision):
                proposed.setdefault(place_id, matched)
        for place_id, matched in proposed.items():
            if place_id in decided or place_id == segment_place_id:
                continue
            db.session.add(PlaceSuggestion(segment_id=segment_id, place_id=place_id,
                                           matched=matched[:300],
                                           status=SuggestionStatus.proposed.value))
            count += 1
    db.session.flush()
    return count


def _decidable_suggestion(actor, suggestion: PlaceSuggestion) -> Transcript:
    transcript = suggestion.segment.transcript
    _check_edit(actor, transcript.story)
    if suggestion.status != SuggestionStatus.proposed:
        raise Conflict(_l("This proposed place was already decided."))
    return transcript


def confirm_place(actor, suggestion: PlaceSuggestion) -> TranscriptRevision | None:
    """A person confirms a proposed place: the segment is tied to it (a new revision)."""
    transcript = _decidable_suggestion(actor, suggestion)
    suggestion.status = SuggestionStatus.confirmed.value
    suggestion.decided_by_id = getattr(actor, "id", None)
    suggestion.decided_at = utcnow()
    return edit_segments(actor, transcript, {suggestion.segment_id: {"place_id": suggestion.place_id}},
                         base_version=None, note="place")


def dismiss_place(actor, suggestion: PlaceSuggestion) -> None:
    _decidable_suggestion(actor, suggestion)
    suggestion.status = SuggestionStatus.dismissed.value
    suggestion.decided_by_id = getattr(actor, "id", None)
    suggestion.decided_at = utcnow()
    db.session.flush()


# --- second language track ---------------------------------------------------------------

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")


def attach_translation(
    actor, transcript: Transcript, data: bytes, *, language: str, filename: str | None = None
) -> TranscriptTranslation:
    """A second language track from a timed file, aligned to the transcript's segments: each
    segment takes the cues whose middle falls within it (by order when neither is timed)."""
    _check_edit(actor, transcript.story)
    language = check_language(transcript, language)
    parsed = parsers.parse_transcript(data, filename, duration=_duration(transcript))
    segments = transcript.segments
    cues = parsed.segments
    texts: dict[str, str] = {}
    timed = [s for s in segments if s.start is not None]
    if timed and all(c.start is not None for c in cues):
        for n, segment in enumerate(segments):
            if segment.start is None:
                continue
            end = segment.end
            if end is None:
                end = next((s.start for s in segments[n + 1 :] if s.start is not None), None)
            words = [
                c.text for c in cues
                if segment.start <= (c.start + (c.end if c.end is not None else c.start)) / 2
                and (end is None or (c.start + (c.end if c.end is not None else c.start)) / 2 < end)
            ]
            if words:
                texts[str(segment.id)] = clean_text(" ".join(words))
    elif len(cues) == len(segments):
        texts = {str(s.id): c.text for s, c in zip(segments, cues, strict=True)}
    if not texts:
        raise ValidationError(
            _l("The translation's times do not meet the transcript's: give a timed file "
               "(WebVTT, SRT…) of the same recording."),
            field="translation",
        )
    translation = next((t for t in transcript.translations if t.language == language), None)
    if translation is None:
        translation = TranscriptTranslation(language=language, texts={})
        transcript.translations.append(translation)
    translation.texts = texts
    translation.updated_at = utcnow()
    touch(transcript.story)  # the story's index document carries the translation
    db.session.flush()
    audit(actor, "transcript.translated", "transcript", transcript.id, language=language)
    return translation


def check_language(transcript: Transcript, language: str) -> str:
    language = (language or "").strip().lower()
    if not _LANGUAGE.match(language):
        raise ValidationError(_l("Give the language as a code such as nl, fr or wa."),
                              field="language")
    if language == (transcript.language or "").lower():
        raise ValidationError(_l("The translation must be in another language than the transcript."),
                              field="language")
    return language


def edit_translation(
    actor, transcript: Transcript, language: str, lines: Mapping[int, str]
) -> TranscriptTranslation:
    """Change a second language track line by line ({segment id: text}; an empty text clears
    the line), starting the track when there is none. Withheld passages stay as they are."""
    _check_edit(actor, transcript.story)
    language = check_language(transcript, language)
    current = {s.id: s for s in transcript.segments}
    translation = next((t for t in transcript.translations if t.language == language), None)
    texts = dict(translation.texts) if translation is not None else {}
    for segment_id, value in lines.items():
        segment = current.get(segment_id)
        if segment is None:
            raise NotFound(_l("This segment does not exist."))
        text = clean_text(str(value or ""))
        if text == texts.get(str(segment_id), ""):
            continue
        if segment.is_redacted and not sees_withheld(actor):
            raise Forbidden(_l("This passage is withheld by the moderators: it cannot be changed."))
        if len(text) > MAX_SEGMENT_TEXT:
            raise ValidationError(_l("This segment is too long: split it."),
                                  field=f"text-{segment_id}")
        if text:
            texts[str(segment_id)] = text
        else:
            texts.pop(str(segment_id), None)
    if translation is None:
        translation = TranscriptTranslation(language=language, texts={})
        transcript.translations.append(translation)
    translation.texts = texts  # a new dict: the JSON column sees the change
    translation.updated_at = utcnow()
    touch(transcript.story)
    db.session.flush()
    audit(actor, "transcript.translation_edited", "transcript", transcript.id, language=language,
          lines=len(lines))
    return translation


def translated_text(translation: TranscriptTranslation, segment: TranscriptSegment) -> str:
    """What every output shows of a translated segment: withheld passages stay withheld."""
    return _("[passage withheld]") if segment.is_redacted else translation.text_of(segment)


def translation_index_text(translation: TranscriptTranslation, segment) -> str:
    return REDACTED_MARK if segment.is_redacted else translation.texts.get(str(segment.id), "")


# --- saving, revisions, restore ----------------------------------------------------------


def _save(
    actor,
    transcript: Transcript,
    state: list[dict],
    *,
    origin: str,
    note: str = "",
    force: bool = False,
) -> TranscriptRevision | None:
    """Write `state` as the transcript's segments and record the revision, if anything changed."""
    before = snapshot(transcript)
    written = _apply_state(transcript, state)
    db.session.flush()
    after = written if written is not None else snapshot(transcript)
    hunks = diff_states(before, after)
    if not hunks and not force:
        return None
    transcript.version = (transcript.version or 0) + 1
    revision = TranscriptRevision(
        number=transcript.version,
        author_id=getattr(actor, "id", None),
        origin=origin,
        note=note[:300],
        changes=hunks,
        created_at=utcnow(),
    )
    revision.transcript_id = transcript.id
    db.session.add(revision)
    if "revisions" in transcript.__dict__:  # already loaded: keep the collection true
        transcript.revisions.append(revision)
    ranges = withheld_ranges(transcript)
    if ranges or written is None:
        _mark_withheld(transcript, ranges)
        written = None  # read back: some of them may be withheld now
    touch(transcript.story)
    try:
        db.session.flush()
    except IntegrityError as error:  # the edge rolls back on this error  # another save took this version number first
        raise EditConflict(
            _l("Someone else saved this transcript at the same moment: reload and try again."),
            theirs=[],
            version=transcript.version,
        ) from error
    audit(actor, "transcript.revised", "transcript", transcript.id, number=revision.number,
          origin=origin, segments=len(revision.changed_ids))
    changed = {s["id"] for hunk in hunks for s in hunk["after"] if s.get("id") is not None}
    if changed:
        suggest_places(transcript, changed, written=written)
    return revision


def _apply_state(transcript: Transcript, state: list[dict]) -> list[dict] | None:
    """Make the transcript's segments `state`: rows named by id are updated in place, the
    others removed, and the new ones written in one statement. A file brings hundreds of
    segments; the unit of work inserts them one statement each on SQLite (it needs their
    ids back, in order), which was most of the time an import spent on an interview.

    When every segment is new (a file attached), returns them as `snapshot` would read
    them back, from the statement's RETURNING, in order: reading hundreds of rows back
    as objects was a tenth of a bulk import's own process. Otherwise None."""
    rows_by_id = {s.id: s for s in transcript.segments}
    kept, new = [], []
    for position, item in enumerate(state):
        row = rows_by_id.pop(item.get("id"), None) if item.get("id") is not None else None
        if row is None:
            new.append({**{name: item.get(name) for name in FIELDS}, "position": position,
                        "is_redacted": False})
            continue
        for name in FIELDS:
            value = item.get(name)
            if getattr(row, name) != value:
                setattr(row, name, value)
        if row.position != position:
            row.position = position
        kept.append(row)
    transcript.segments = kept  # the rows left out are deleted (delete-orphan)
    if not new:
        return None
    db.session.flush()  # the transcript's id; removed rows gone before new ones arrive
    rows = [{**row, "transcript_id": transcript.id} for row in new]
    # The table's own insert, not the ORM's bulk one: its bookkeeping per row was most of
    # the statement's time, for objects this session never holds.
    table = TranscriptSegment.__table__
    statement = insert(table)
    every_one_new = not kept
    if every_one_new:
        statement = statement.returning(
            table.c.id, *(table.c[name] for name in FIELDS), sort_by_parameter_order=True
        )
    result = db.session.connection().execute(statement, rows)
    db.session.expire(transcript, ["segments"])  # read back in order, with their ids, when asked
    # Written past the unit of work: its index work is recorded here (search.tracking).
    mark_stories(db.session, [transcript.story_id])
    return [dict(row._mapping) for row in result] if every_one_new else None


def diff_states(before: list[dict], after: list[dict]) -> list[dict]:
    """Hunks turning `before` into `after`; "at" is the position in `after`."""
    if not before or not after:
        # A file attached to an empty transcript (or every segment removed): one hunk,
        # without matching hundreds of segments against none.
        return [{"at": 0, "before": list(before), "after": list(after)}] if before or after else []
    key = lambda item: tuple(item.get(name) for name in ("id", *FIELDS))  # noqa: E731
    matcher = difflib.SequenceMatcher(None, [key(i) for i in before], [key(i) for i in after],
                                      autojunk=False)
    return [
        {"at": j1, "before": before[i1:i2], "after": after[j1:j2]}
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def state_at(transcript: Transcript, number: int) -> list[dict]:
    """The segments as they were after revision `number` (undoing the later ones)."""
    state = snapshot(transcript)
    for revision in sorted(transcript.revisions, key=lambda r: -r.number):
        if revision.number <= number:
            break
        for hunk in reversed(revision.changes):
            at = hunk["at"]
            state[at : at + len(hunk["after"])] = [dict(s) for s in hunk["before"]]
    return state


def restore_revision(
    actor, transcript: Transcript, number: int, *, base_version: int | None
) -> TranscriptRevision | None:
    """Make an earlier revision's text the current one, as a new revision."""
    _check_edit(actor, transcript.story)
    if not any(r.number == number for r in transcript.revisions):
        raise NotFound(_l("This revision does not exist."))
    if base_version is not None and base_version != transcript.version:
        _check_version(transcript, base_version, {s.id for s in transcript.segments}, [])
    state = state_at(transcript, number)
    if not sees_withheld(actor):
        _keep_withheld(transcript, state)
    known_places = {p for p in (s["place_id"] for s in state) if p is not None}
    if known_places:
        existing = set(db.session.scalars(db.select(Place.id).where(Place.id.in_(known_places))))
        for item in state:
            if item["place_id"] is not None and item["place_id"] not in existing:
                item["place_id"] = None
    return _save(actor, transcript, state, origin=Origin.human.value, note=f"restore:{number}")


def _keep_withheld(transcript: Transcript, state: list[dict]) -> None:
    """Someone who may not read a withheld passage cannot bring back an older text for it."""
    withheld = {s.id: _segment_data(s) for s in transcript.segments if s.is_redacted}
    ranges = withheld_ranges(transcript)
    for n, item in enumerate(state):
        if item.get("id") in withheld:
            state[n] = withheld[item["id"]]
        elif overlaps(item, ranges):
            raise Forbidden(_l("This revision touches a withheld passage: ask a moderator."))


def withheld_ranges(transcript: Transcript) -> list[tuple[float, float]]:
    media = db.session.get(Media, transcript.media_id) if transcript.media_id else None
    return [(r.start, r.end) for r in media.redactions] if media is not None else []


def overlaps(item, ranges) -> bool:
    start = item["start"] if isinstance(item, dict) else item.start
    end = item["end"] if isinstance(item, dict) else item.end
    return start is not None and any(start < e and (end or start) > s for s, e in ranges)


def _mark_withheld(transcript: Transcript, ranges: list[tuple[float, float]]) -> None:
    """A corrected, split or restored segment inside a withheld range stays withheld."""
    for segment in transcript.segments:
        hidden = overlaps(segment, ranges)
        if hidden != bool(segment.is_redacted):
            segment.is_redacted = hidden


# --- proposals ---------------------------------------------------------------------------


def propose_correction(
    actor, transcript: Transcript, changes: Mapping[int, str], *, comment: str = ""
) -> TranscriptProposal:
    """A logged-in person proposes new words for segments of a public transcript."""
    story = transcript.story
    if not may_view(actor, story):
        raise NotFound(_l("This story does not exist, or is not public."))
    if not may_propose(actor, story):
        raise Forbidden(_l("Corrections can be proposed on public transcripts only."))
    current = {s.id: s for s in transcript.segments}
    items = []
    for segment_id, text in changes.items():
        segment = current.get(segment_id)
        if segment is None:
            raise NotFound(_l("This segment does not exist."))
        if segment.is_redacted:
            raise Forbidden(_l("This passage is withheld by the moderators: it cannot be changed."))
        proposed = _clean_segment_text(text, segment_id)
        if proposed != segment.text:
            items.append({"segment_id": segment_id, "before": segment.text, "after": proposed})
    if not items:
        raise ValidationError(_l("Change at least one word before sending your correction."))
    if len(items) > MAX_PROPOSAL_SEGMENTS:
        raise ValidationError(
            _l("Propose at most %(n)s segments at a time.", n=MAX_PROPOSAL_SEGMENTS)
        )
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError(_l("The comment is too long (2,000 characters at most)."),
                              field="comment")
    proposal = TranscriptProposal(
        transcript=transcript, author_id=actor.id, base_version=transcript.version,
        changes=items, comment=comment, status=ProposalStatus.pending.value, reason="",
        created_at=utcnow(),
    )
    db.session.add(proposal)
    db.session.flush()
    audit(actor, "transcript.proposed", "transcript_proposal", proposal.id,
          transcript_id=transcript.id, segments=len(items))
    return proposal


def proposals_for(actor, transcript: Transcript) -> list[TranscriptProposal]:
    """The proposals on a transcript `actor` may read: all of them for moderators, their own
    for anyone else (what a resident proposed is not shown to other residents)."""
    query = db.select(TranscriptProposal).where(TranscriptProposal.transcript_id == transcript.id)
    if not (getattr(actor, "is_authenticated", False) and actor.is_staff):
        query = query.where(TranscriptProposal.author_id == getattr(actor, "id", -1))
    return list(db.session.scalars(query.order_by(TranscriptProposal.created_at,
                                                  TranscriptProposal.id)))


def decide_proposal(actor, proposal: TranscriptProposal, decision: str, reason: str = ""):
    """Accept or refuse, as the moderator chose."""
    if decision == "accept":
        return accept_proposal(actor, proposal)
    if decision == "refuse":
        return refuse_proposal(actor, proposal, reason)
    raise ValidationError(_l("Choose to accept or refuse the correction."), field="decision")


def _check_decidable(actor, proposal: TranscriptProposal) -> None:
    if actor is None or not getattr(actor, "is_staff", False):
        raise Forbidden(_l("Only moderators decide on proposed corrections."))
    if proposal.status != ProposalStatus.pending:
        raise Conflict(_l("This proposal was already decided."))


def accept_proposal(actor, proposal: TranscriptProposal) -> TranscriptRevision | None:
    """Apply a proposed correction, if the segments still read what the proposer read."""
    _check_decidable(actor, proposal)
    transcript = proposal.transcript
    current = {s.id: s for s in transcript.segments}
    stale = [c for c in proposal.changes
             if c["segment_id"] not in current or current[c["segment_id"]].text != c["before"]]
    if stale:
        raise EditConflict(
            _l("The transcript changed since this correction was proposed: "
               "the passage now reads differently. Refuse it, or edit the transcript yourself."),
            theirs=[_segment_data(current[c["segment_id"]]) for c in stale
                    if c["segment_id"] in current],
            version=transcript.version,
        )
    revision = edit_segments(
        actor, transcript, {c["segment_id"]: {"text": c["after"]} for c in proposal.changes},
        base_version=None, note=f"proposal:{proposal.id}",
    )
    proposal.status = ProposalStatus.accepted.value
    proposal.decided_by_id = actor.id
    proposal.decided_at = utcnow()
    db.session.flush()
    audit(actor, "transcript.proposal_accepted", "transcript_proposal", proposal.id)
    _announce_decision(proposal, "accepted")
    return revision


def refuse_proposal(actor, proposal: TranscriptProposal, reason: str = "") -> TranscriptProposal:
    _check_decidable(actor, proposal)
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise ValidationError(_l("The reason is too long (2,000 characters at most)."),
                              field="reason")
    proposal.status = ProposalStatus.refused.value
    proposal.reason = reason
    proposal.decided_by_id = actor.id
    proposal.decided_at = utcnow()
    db.session.flush()
    audit(actor, "transcript.proposal_refused", "transcript_proposal", proposal.id)
    _announce_decision(proposal, "refused")
    return proposal


def _announce_decision(proposal: TranscriptProposal, event: str) -> None:
    """The resident who proposed it is told by e-mail, after the decision commits."""
    from memoire.notifications.operations import announce_correction

    announce_correction(proposal, event)


# --- outputs -----------------------------------------------------------------------------


def segment_text(segment: TranscriptSegment) -> str:
    """The text every output shows: the neutral mark for withheld passages."""
    return _("[passage withheld]") if segment.is_redacted else segment.text


def index_text(segment: TranscriptSegment) -> str:
    """What the index holds for a segment: never the withheld words."""
    return REDACTED_MARK if segment.is_redacted else segment.text


def chapter_index_text(chapter: TranscriptChapter) -> str:
    """What the index holds for a chapter: what the story page shows of it (title, synopsis,
    keywords, subjects), never its partial transcript, which may quote a withheld passage."""
    terms = "; ".join([*(chapter.keywords or []), *(chapter.subjects or [])])
    return " — ".join(p for p in (chapter.title, (chapter.synopsis or "").strip(), terms) if p)


def apply_redactions(media: Media) -> int:
    """Mark the segments overlapping a redaction of this recording; return how many."""
    count = 0
    ranges = [(r.start, r.end) for r in media.redactions]
    for transcript in db.session.query(Transcript).filter_by(media_id=media.id):
        for segment in transcript.segments:
            hidden = segment.start is not None and any(
                segment.start < end and (segment.end or segment.start) > start
                for start, end in ranges
            )
            if hidden != segment.is_redacted:
                segment.is_redacted = hidden
            count += hidden
    db.session.flush()
    return count
