"""Exhibition operations: curators build ordered, captioned sets of stories; they flush, never commit.

The rule that keeps exhibitions honest: an item is shown only while its story is
published, public and its consent in force allows exhibition use. It is checked when
an item is added *and* every time an exhibition is read (`visible_items`), so a story
that loses any of these disappears from every published form at once, without its
item being deleted: the curator sees a notice in the editor instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select

from memoire.accounts.models import Role
from memoire.audit import operations as audit
from memoire.core import ordering
from memoire.core.concurrency import lock_key
from memoire.core.db import parse_id, utcnow
from memoire.core.errors import Forbidden, MemoireError, NotFound, ValidationError
from memoire.core.inputs import loads_json
from memoire.core.slugs import slugify as make_slug
from memoire.exhibitions.models import Exhibition, ExhibitionItem
from memoire.extensions import db
from memoire.media.models import Media, MediaKind
from memoire.stories.models import Status, Story, Visibility
from memoire.stories.operations import LANGUAGES, lookup_story
from memoire.stories.visibility import is_public_clause, may_view
from memoire.transcripts.models import TranscriptSegment
from memoire.transcripts.visibility import is_public as transcript_is_public

CURATOR_ROLES = frozenset({Role.curator, Role.admin})
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 120
#: Addresses of the editor under /exhibitions/: no exhibition may take them.
RESERVED_SLUGS = frozenset({"manage", "new"})
TITLE_MAX = 300
PREVIEW_SALT = "memoire.exhibition-preview"
#: How long a draft's preview link works unless MEMOIRE_EXHIBITION_PREVIEW_MAX_AGE says otherwise.
DEFAULT_PREVIEW_MAX_AGE = 7 * 24 * 3600
#: Slack on the recording's length: durations read from headers are rounded.
_DURATION_SLACK = 0.5


DRAFT = "draft"
PUBLISHED = "published"
EXHIBITION_STATUSES = (DRAFT, PUBLISHED)


# --------------------------------------------------------------------------- who may curate


def may_curate(actor) -> bool:
    """Curators and administrators build exhibitions."""
    return (
        bool(getattr(actor, "is_authenticated", False))
        and getattr(actor, "role", None) in CURATOR_ROLES
    )


def _require_curator(actor) -> None:
    # `None` is the system itself: the command line and the demo loader, run on the server.
    if actor is not None and not may_curate(actor):
        raise Forbidden(_l("Only curators can build exhibitions."))


# --------------------------------------------------------------------------- the rule


def refusal(actor, story: Story | None, ref: object = None):
    """Why `story` may not be (or no longer be) shown in an exhibition, or None when it may.

    A story the actor may not see at all is answered like a missing one, so that an
    id reveals nothing; `actor` None (the system) gets the precise reason.
    """
    shown_ref = ref if ref is not None else getattr(story, "id", "")
    if story is None or (actor is not None and not may_view(actor, story)):
        return _l("No public story with the id %(ref)s.", ref=shown_ref)
    if story.status == Status.withdrawn:
        return _l("Story %(ref)s was withdrawn.", ref=shown_ref)
    if story.status != Status.published:
        return _l("Story %(ref)s is not published.", ref=shown_ref)
    if story.visibility != Visibility.public:
        return _l("Story %(ref)s is not public.", ref=shown_ref)
    consent = story.consent
    if consent is None or consent.withdrawn_at is not None or not consent.exhibition_use:
        return _l(
            "The consent given for story %(ref)s does not allow exhibition use.", ref=shown_ref
        )
    return None


def is_exhibitable(story: Story) -> bool:
    """May this story be shown in a published exhibition right now?"""
    return refusal(None, story) is None


def check_exhibitable(actor, story: Story | None, ref: object = None) -> Story:
    reason = refusal(actor, story, ref)
    if reason is not None:
        raise ValidationError(reason, code="not_exhibitable", field="story")
    return story


# --------------------------------------------------------------------------- inputs


@dataclass
class ExhibitionInput:
    """What an exhibition is made of, whichever door it came through (form, import)."""

    title: str
    slug: str = ""
    introduction: str = ""
    languages: list[str] = field(default_factory=lambda: ["fr"])
    cover_media_id: int | None = None


@dataclass
class Excerpt:
    """The part of a story an item shows: one of its photos and/or a time range of its recording."""

    start: float | None = None
    end: float | None = None
    photo_media_id: int | None = None

    @property
    def has_range(self) -> bool:
        return self.start is not None or self.end is not None


def slugify(text: str) -> str:
    return make_slug(text, SLUG_MAX)


def _validate(data: ExhibitionInput, exhibition: Exhibition | None) -> str:
    """Check an exhibition's own fields; return the slug to use."""
    title = (data.title or "").strip()
    if not title:
        raise ValidationError(_l("An exhibition needs a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            _l("The title is too long (%(n)s characters at most).", n=TITLE_MAX), field="title"
        )
    slug = (data.slug or "").strip() or slugify(title)
    if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX:
        raise ValidationError(
            _l(
                "The short name may hold only lower-case letters, digits and dashes (%(slug)s).",
                slug=slug,
            ),
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _l("The short name %(slug)s is reserved; choose another.", slug=slug), field="slug"
        )
    lock_key("exhibition", slug)  # two curators choosing one short name at once: one wins
    taken = db.session.scalar(select(Exhibition.id).where(Exhibition.slug == slug))
    if taken is not None and (exhibition is None or taken != exhibition.id):
        raise ValidationError(
            _l("Another exhibition already uses the short name %(slug)s.", slug=slug), field="slug"
        )
    for code in data.languages:
        if code not in LANGUAGES:
            raise ValidationError(
                _l("Unknown language code %(code)s.", code=code), field="languages"
            )
    return slug


def _apply(exhibition: Exhibition, data: ExhibitionInput, slug: str) -> None:
    exhibition.title = data.title.strip()
    exhibition.slug = slug
    exhibition.introduction = (data.introduction or "").strip()
    exhibition.languages = list(dict.fromkeys(data.languages)) or ["fr"]


def _set_cover(exhibition: Exhibition, media_id: int | None) -> None:
    """The cover is one of the photos of the exhibition's stories, or none."""
    if media_id is None:
        exhibition.cover = None
        return
    media = db.session.get(Media, media_id)
    story_ids = {item.story_id for item in exhibition.items}
    if media is None or media.kind != MediaKind.image or media.story_id not in story_ids:
        raise ValidationError(
            _l("The cover must be one of the photos of the exhibition's stories."), field="cover"
        )
    exhibition.cover = media


# --------------------------------------------------------------------------- exhibitions


def create_exhibition(actor, data: ExhibitionInput) -> Exhibition:
    _require_curator(actor)
    slug = _validate(data, None)
    exhibition = Exhibition(status=DRAFT, created_by_id=getattr(actor, "id", None), items=[])
    _apply(exhibition, data, slug)
    db.session.add(exhibition)
    _set_cover(exhibition, data.cover_media_id)
    db.session.flush()
    audit.record(actor, "exhibition.create", "exhibition", exhibition.id, slug=slug)
    return exhibition


def update_exhibition(actor, exhibition: Exhibition, data: ExhibitionInput) -> Exhibition:
    _require_curator(actor)
    slug = _validate(data, exhibition)
    _apply(exhibition, data, slug)
    _set_cover(exhibition, data.cover_media_id)
    db.session.flush()
    audit.record(actor, "exhibition.update", "exhibition", exhibition.id, slug=slug)
    return exhibition


def delete_exhibition(actor, exhibition: Exhibition) -> None:
    _require_curator(actor)
    exhibition_id, slug = exhibition.id, exhibition.slug
    db.session.delete(exhibition)
    db.session.flush()
    audit.record(actor, "exhibition.delete", "exhibition", exhibition_id, slug=slug)


def publish_exhibition(actor, exhibition: Exhibition) -> Exhibition:
    _require_curator(actor)
    exhibition.status = PUBLISHED
    if exhibition.published_at is None:
        exhibition.published_at = utcnow()
    db.session.flush()
    audit.record(actor, "exhibition.publish", "exhibition", exhibition.id)
    return exhibition


def unpublish_exhibition(actor, exhibition: Exhibition) -> Exhibition:
    _require_curator(actor)
    exhibition.status = DRAFT
    db.session.flush()
    audit.record(actor, "exhibition.unpublish", "exhibition", exhibition.id)
    return exhibition


def set_status(actor, exhibition: Exhibition, status: str) -> Exhibition:
    if status not in EXHIBITION_STATUSES:
        raise ValidationError(
            _l("Unknown status %(s)s (draft, published).", s=status), field="status"
        )
    if status == PUBLISHED:
        return publish_exhibition(actor, exhibition)
    return unpublish_exhibition(actor, exhibition)


# --------------------------------------------------------------------------- items


def recording_of(story: Story) -> Media | None:
    """The recording an excerpt's time range refers to: the story's first one."""
    return next((m for m in story.media if m.kind == MediaKind.audio), None)


def photos_of(story: Story) -> list[Media]:
    return [m for m in story.media if m.kind == MediaKind.image]


def _check_excerpt(story: Story, excerpt: Excerpt) -> None:
    """A photo of this story, and/or a time range inside its recording."""
    if excerpt.photo_media_id is not None:
        if excerpt.photo_media_id not in {m.id for m in photos_of(story)}:
            raise ValidationError(
                _l("The chosen photo is not one of this story's photos."), field="photo"
            )
    if not excerpt.has_range:
        return
    if excerpt.start is None or excerpt.end is None:
        raise ValidationError(_l("An excerpt needs both a start and an end."), field="excerpt")
    recording = recording_of(story)
    if recording is None:
        raise ValidationError(
            _l("This story has no recording to take an excerpt from."), field="excerpt"
        )
    start, end = float(excerpt.start), float(excerpt.end)
    if not (0 <= start < end):
        raise ValidationError(_l("An excerpt must start before it ends."), field="excerpt")
    if recording.duration and end > recording.duration + _DURATION_SLACK:
        raise ValidationError(
            _l(
                "The excerpt ends after the recording (%(duration)s seconds).",
                duration=round(recording.duration, 1),
            ),
            field="excerpt",
        )


def _apply_item(item: ExhibitionItem, caption: str, excerpt: Excerpt) -> None:
    item.caption = (caption or "").strip()
    # Set through the relationship, so that objects already loaded see the change.
    item.photo = db.session.get(Media, excerpt.photo_media_id) if excerpt.photo_media_id else None
    has_range = excerpt.has_range
    item.excerpt_start = round(float(excerpt.start), 3) if has_range else None
    item.excerpt_end = round(float(excerpt.end), 3) if has_range else None


def add_item(
    actor,
    exhibition: Exhibition,
    story: Story | str | int,
    *,
    caption: str = "",
    excerpt: Excerpt | None = None,
) -> ExhibitionItem:
    """Append a story to an exhibition; refuse stories that may not be exhibited."""
    _require_curator(actor)
    if not isinstance(story, Story):
        story = _find_story(actor, story)
    check_exhibitable(actor, story)
    excerpt = excerpt or Excerpt()
    _check_excerpt(story, excerpt)
    item = ExhibitionItem(story=story, story_id=story.id, position=len(exhibition.items))
    _apply_item(item, caption, excerpt)
    exhibition.items.append(item)
    db.session.flush()
    audit.record(actor, "exhibition.add_item", "exhibition", exhibition.id, story_id=story.id)
    return item


def _find_story(actor, ref) -> Story:
    text = str(ref).strip()
    story = lookup_story(text)
    check_exhibitable(actor, story, text)
    return story


def update_item(actor, item: ExhibitionItem, *, caption: str, excerpt: Excerpt) -> ExhibitionItem:
    """Change an item's caption and excerpt; an item whose story lost its rights can only be removed."""
    _require_curator(actor)
    check_exhibitable(actor, item.story)
    _check_excerpt(item.story, excerpt)
    _apply_item(item, caption, excerpt)
    db.session.flush()
    audit.record(actor, "exhibition.update_item", "exhibition", item.exhibition_id, item_id=item.id)
    return item


def remove_item(actor, item: ExhibitionItem) -> None:
    _require_curator(actor)
    exhibition = item.exhibition
    if (
        exhibition.cover is not None
        and exhibition.cover.story_id == item.story_id
        and not any(
            other.story_id == item.story_id for other in exhibition.items if other is not item
        )
    ):
        exhibition.cover = None
    exhibition.items.remove(item)
    ordering.renumber(exhibition.items, list(exhibition.items))
    db.session.flush()
    audit.record(
        actor, "exhibition.remove_item", "exhibition", exhibition.id, story_id=item.story_id
    )


def move_item(actor, item: ExhibitionItem, offset: int) -> None:
    """Move an item `offset` places (-1 up, +1 down); the ends stay where they are."""
    _require_curator(actor)
    ordering.move(item.exhibition.items, item, offset)
    db.session.flush()


def reorder_items(actor, exhibition: Exhibition, item_ids: list[int]) -> None:
    """Put the items in the order given (drag and drop); the list must name each item once."""
    _require_curator(actor)
    ordering.reorder(
        exhibition.items, item_ids, _l("The new order must list every item exactly once.")
    )
    db.session.flush()
    audit.record(actor, "exhibition.reorder", "exhibition", exhibition.id)


# --------------------------------------------------------------------------- reading


def get_exhibition(slug: str) -> Exhibition:
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.slug == slug))
    if exhibition is None:
        raise NotFound(_l("This exhibition does not exist, or is not published."))
    return exhibition


def get_published_exhibition(slug: str) -> Exhibition:
    """A published exhibition by slug; drafts answer like missing ones."""
    exhibition = db.session.scalar(
        select(Exhibition).where(Exhibition.slug == slug, Exhibition.status == PUBLISHED)
    )
    if exhibition is None:
        raise NotFound(_l("This exhibition does not exist, or is not published."))
    return exhibition


def published_exhibitions() -> list[Exhibition]:
    query = select(Exhibition).where(Exhibition.status == PUBLISHED)
    return list(
        db.session.scalars(query.order_by(Exhibition.published_at.desc(), Exhibition.id.desc()))
    )


def all_exhibitions() -> list[Exhibition]:
    return list(db.session.scalars(select(Exhibition).order_by(Exhibition.updated_at.desc())))


def exhibitable_stories(text: str, limit: int = 20) -> list[Story]:
    """Stories a curator may add, best match first, for the editor's search.

    The archive's search as an anonymous visitor would run it (so only public,
    published stories), then the exhibition rule; an id or external id typed as is
    comes first. Without words: the latest stories. A query the search cannot read
    falls back to a plain title/summary match.
    """
    if limit < 1:
        return []
    text = (text or "").strip()
    wanted = limit * 3  # room for the stories the consent rule then removes
    if not text:
        statement = select(Story).where(is_public_clause())
        statement = statement.order_by(Story.published_at.desc(), Story.id.desc()).limit(wanted)
        stories = list(db.session.scalars(statement))
    else:
        stories = _direct_matches(text) + _searched(text, wanted)
    found = [story for story in dict.fromkeys(stories) if is_exhibitable(story)]
    return found[:limit]


def _direct_matches(text: str) -> list[Story]:
    conditions = [Story.external_id == text]
    if (number := parse_id(text)) is not None:
        conditions.append(Story.id == number)
    return list(db.session.scalars(select(Story).where(or_(*conditions), is_public_clause())))


def _searched(text: str, limit: int) -> list[Story]:
    from memoire.search import service

    try:
        ids = service.search_story_ids(None, text, limit=limit)
    except MemoireError:
        pattern = f"%{text.lower()}%"
        statement = select(Story).where(
            is_public_clause(),
            or_(func.lower(Story.title).like(pattern), func.lower(Story.summary).like(pattern)),
        )
        return list(db.session.scalars(statement.order_by(Story.id.desc()).limit(limit)))
    by_id = {s.id: s for s in db.session.scalars(select(Story).where(Story.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def visible_items(exhibition: Exhibition) -> list[ExhibitionItem]:
    """The items every published form shows: the rule is applied now, on each read."""
    return [item for item in exhibition.items if is_exhibitable(item.story)]


def hidden_items(exhibition: Exhibition) -> list[tuple[int, ExhibitionItem, str]]:
    """Items kept but no longer shown, with their 1-based position and the reason, for the editor."""
    hidden = []
    for number, item in enumerate(exhibition.items, start=1):
        reason = refusal(None, item.story)
        if reason is not None:
            hidden.append((number, item, reason))
    return hidden


def item_photo(item: ExhibitionItem) -> Media | None:
    """The chosen photo, else the story's first one."""
    if item.photo is not None and item.photo.story_id == item.story_id:
        return item.photo
    photos = photos_of(item.story)
    return photos[0] if photos else None


def item_recording(item: ExhibitionItem) -> Media | None:
    """The recording played by an item: only when a time range was chosen."""
    if item.excerpt_start is None or item.excerpt_end is None:
        return None
    return recording_of(item.story)


def excerpt_segments(item: ExhibitionItem) -> list[TranscriptSegment]:
    """The transcript lines said during the excerpt (timed lines overlapping its range)."""
    recording = item_recording(item)
    if recording is None:
        return []
    # Exhibitions are public: an unreviewed machine draft is never excerpted.
    public = [t for t in item.story.transcripts if transcript_is_public(t)]
    transcripts = [t for t in public if t.media_id == recording.id] or [
        t for t in public if t.media_id is None and t.is_timed
    ]
    if not transcripts:
        return []
    start, end = item.excerpt_start, item.excerpt_end
    lines = []
    for segment in transcripts[0].segments:
        if segment.start is None:
            continue
        seg_end = segment.end if segment.end is not None else segment.start
        if segment.start < end and (seg_end > start or segment.start >= start):
            lines.append(segment)
    return lines


def cover_of(exhibition: Exhibition, items: list[ExhibitionItem] | None = None) -> Media | None:
    """The cover shown: the chosen photo while its story is shown, else the first item's photo."""
    items = visible_items(exhibition) if items is None else items
    shown_stories = {item.story_id for item in items}
    if exhibition.cover is not None and exhibition.cover.story_id in shown_stories:
        return exhibition.cover
    return next((photo for item in items if (photo := item_photo(item)) is not None), None)


# --------------------------------------------------------------------------- preview links


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PREVIEW_SALT)


def preview_max_age() -> int:
    return int(
        current_app.config.get("MEMOIRE_EXHIBITION_PREVIEW_MAX_AGE", DEFAULT_PREVIEW_MAX_AGE)
    )


def preview_token(actor, exhibition: Exhibition) -> str:
    """A signed token that shows this draft to whoever holds it, until it expires."""
    _require_curator(actor)
    audit.record(actor, "exhibition.preview_link", "exhibition", exhibition.id)
    return _serializer().dumps({"exhibition": exhibition.id, "slug": exhibition.slug})


def exhibition_for_preview(token: str, *, max_age: int | None = None) -> Exhibition:
    """The exhibition a preview token names; Forbidden when it expired, NotFound when forged."""
    max_age = preview_max_age() if max_age is None else max_age
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise Forbidden(
            _l("This preview link has expired. Ask the curator for a new one."),
            code="preview_expired",
        ) from None
    except BadSignature:
        raise NotFound(_l("This preview link is not valid.")) from None
    exhibition = db.session.get(Exhibition, payload.get("exhibition"))
    if exhibition is None or exhibition.slug != payload.get("slug"):
        raise NotFound(_l("This preview link is not valid."))
    return exhibition


# --------------------------------------------------------------------------- import / export


@dataclass
class ImportReport:
    """What an import did: the exhibition, whether it was new, and each refused item."""

    exhibition: Exhibition | None
    created: bool = False
    added: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (0-based index, message)


class ItemsRefused(ValidationError):
    """Some items of an exhibition document were refused: `refused` lists (index, message)."""

    code = "items_refused"

    def __init__(self, refused: list[tuple[int, str]]):
        super().__init__(
            _l("%(n)s item(s) refused; nothing was imported.", n=len(refused)), field="items"
        )
        self.refused = refused


def import_exhibition(actor, document: dict) -> ImportReport:
    """Create or update (by slug) an exhibition from the JSON format of docs/exhibition-format.md.

    A document is all or nothing, as an import line is: one that is not in the format
    raises ValidationError, and one with any item that may not be shown raises
    ItemsRefused listing every refused item with its index; the caller rolls back.
    """
    from memoire.exhibitions.schemas import parse_exhibition_document

    _require_curator(actor)
    parsed = parse_exhibition_document(document)
    existing = db.session.scalar(select(Exhibition).where(Exhibition.slug == parsed.slug))
    data = ExhibitionInput(
        title=parsed.title,
        slug=parsed.slug,
        introduction=parsed.introduction,
        languages=parsed.languages or (existing.languages if existing else ["fr"]),
    )
    if existing is None:
        exhibition = create_exhibition(actor, data)
    else:
        exhibition = update_exhibition(actor, existing, data)
    report = ImportReport(exhibition=exhibition, created=existing is None)
    # The file is the whole truth about the items: re-import replaces them.
    exhibition.cover = None
    exhibition.items.clear()
    db.session.flush()
    created: dict[int, ExhibitionItem] = {}
    for index, entry in enumerate(parsed.items):
        try:
            if isinstance(entry, ValidationError):  # malformed: refused on its own
                raise entry
            created[index] = _import_item(actor, exhibition, entry)
        except MemoireError as error:
            report.refused.append((index, str(error.message)))
    report.added = len(created)
    if report.refused:
        raise ItemsRefused(report.refused)
    _import_cover(exhibition, parsed, created)
    set_status(actor, exhibition, parsed.status)
    db.session.flush()
    audit.record(
        actor, "exhibition.import", "exhibition", exhibition.id, refused=len(report.refused)
    )
    return report


def _import_item(actor, exhibition: Exhibition, entry) -> ExhibitionItem:
    story = _find_story(actor, entry.story)
    photo_id = None
    if entry.photo is not None:
        photos = photos_of(story)
        if not 0 <= entry.photo < len(photos):
            raise ValidationError(
                _l(
                    "Story %(ref)s has no photo number %(index)s (it has %(n)s).",
                    ref=entry.story,
                    index=entry.photo,
                    n=len(photos),
                ),
                field="photo",
            )
        photo_id = photos[entry.photo].id
    excerpt = Excerpt(start=entry.start, end=entry.end, photo_media_id=photo_id)
    return add_item(actor, exhibition, story, caption=entry.caption, excerpt=excerpt)


def _import_cover(exhibition: Exhibition, parsed, created: dict[int, ExhibitionItem]) -> None:
    """`{"item": i}` takes item i's photo, `{"item": i, "photo": j}` photo j of its story."""
    item = created.get(parsed.cover) if parsed.cover is not None else None
    if item is None:  # none asked, or the item was refused: the first photo is shown
        return
    if parsed.cover_photo is None:
        exhibition.cover = item_photo(item)
        return
    photos = photos_of(item.story)
    if parsed.cover_photo >= len(photos):
        raise ValidationError(
            _l(
                "cover: story %(ref)s has no photo number %(index)s.",
                ref=item.story_id,
                index=parsed.cover_photo,
            ),
            field="cover",
        )
    exhibition.cover = photos[parsed.cover_photo]


def import_exhibition_file(actor, path: str | Path) -> ImportReport:
    """Read an exhibition JSON file and import it (see `import_exhibition`)."""
    path = Path(path)
    try:
        document = loads_json(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError(_l("The file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            _l(
                "The file is not valid JSON (line %(line)s: %(msg)s).",
                line=error.lineno,
                msg=error.msg,
            )
        ) from None
    return import_exhibition(actor, document)
