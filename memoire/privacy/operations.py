"""Erasure and access requests: remove a memory everywhere, or give a narrator all of theirs.

Erasure deletes the rows (media, derivatives, transcripts, consents, places links and
exhibition items go with the story), records index work in the same transaction, and
after commit deletes the files no other row uses. What remains is an audit line and an
OAI-PMH tombstone, neither holding personal data.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from memoire.audit import operations as audit
from memoire.core.db import parse_id
from memoire.core.errors import Forbidden, NotFound
from memoire.core.storage import get_storage
from memoire.extensions import db
from memoire.media import operations as media_ops
from memoire.places.models import Place
from memoire.search.tracking import request_purge
from memoire.stories.models import Person, Story, StoryNarrator, StoryTombstone, Theme
from memoire.stories.operations import oai_sets


def _require_admin(actor) -> None:
    if actor is not None and not getattr(actor, "has_role", lambda *_: False)("admin"):
        raise Forbidden(_l("Only administrators can erase."))


def erase_story(actor, story: Story) -> int:
    """Remove a story and everything derived from it; return its id."""
    _require_admin(actor)
    story_id = story.id
    keys = set()
    for media in story.media:
        keys.add(media.storage_key)
        keys |= {d.storage_key for d in media.derivatives}
    keys |= _consent_scan_keys(story_id)  # the scanned paper forms (memoire.network)
    narrators = list(story.narrators)
    places = list(story.places)
    themes = list(story.themes)
    tombstone = db.session.get(StoryTombstone, story_id)
    if tombstone is not None:
        # Once public, then withdrawn or unpublished: harvesters were told already, with the
        # sets it had while it was public; only the reason changes.
        tombstone.reason = "erased"
    elif story.is_public:  # harvesters may hold a copy: tell them it is gone
        db.session.add(StoryTombstone(story_id=story_id, sets=oai_sets(story), reason="erased"))
    # A story never public (a published `private` or `researchers` one included) leaves no
    # tombstone: its identifier, theme and commune were never announced and must not be now.
    request_purge(db.session())
    db.session.delete(story)
    db.session.flush()
    remove_orphans(places, themes)
    # A narrator left with no story is personal data with no purpose any more.
    for person in narrators:
        still = db.session.scalar(select(StoryNarrator.story_id).where(StoryNarrator.person_id == person.id).limit(1))
        if still is None:
            db.session.delete(person)
    db.session.flush()
    media_ops.schedule_file_cleanup(keys)
    audit.record(actor, "story.erase", "story", story_id, files=len(keys))
    return story_id


def _referencing_columns(table_name: str) -> list:
    """Every column of the schema holding a foreign key to `table_name`.id (read from the
    models, so a table a later feature adds is counted without this code knowing it)."""
    columns = []
    for table in db.metadata.tables.values():
        for column in table.columns:
            if any(fk.column.table.name == table_name for fk in column.foreign_keys):
                columns.append(column)
    return columns


def _is_referenced(table_name: str, row_id: int) -> bool:
    for column in _referencing_columns(table_name):
        found = db.session.execute(select(column).where(column == row_id).limit(1)).first()
        if found is not None:
            return True
    return False


def remove_orphans(places: list[Place], themes: list[Theme]) -> None:
    """Themes and places that existed only because of an erased story go with it.

    A theme stays while any row refers to it. A place stays when it came from a gazetteer
    import (it has an external id) or anything refers to it (another story, a child place,
    a transcript moment...); otherwise it goes, and so do its ancestors that are left the
    same way (a commune named only by the erased story's street).
    """
    for theme in themes:
        if not _is_referenced("theme", theme.id):
            db.session.delete(theme)
    pending = list(places)
    seen: set[int] = set()
    while pending:
        place = pending.pop(0)
        if place.id in seen:
            continue
        seen.add(place.id)
        if place.external_id is not None or _is_referenced("place", place.id):
            continue
        parent = place.parent
        db.session.delete(place)
        db.session.flush()
        if parent is not None:
            pending.append(parent)
    db.session.flush()


def erase_person(actor, person: Person) -> list[int]:
    """Erase a narrator and every story they narrate (their voice is in each of them)."""
    _require_admin(actor)
    person_id = person.id
    stories = list(db.session.scalars(
        select(Story).join(StoryNarrator, StoryNarrator.story_id == Story.id)
        .where(StoryNarrator.person_id == person_id)
    ))
    erased = [erase_story(actor, story) for story in stories]
    person = db.session.get(Person, person_id)
    if person is not None:
        db.session.delete(person)
        db.session.flush()
    audit.record(actor, "person.erase", "person", person_id, stories=len(erased))
    return erased


def find_person(ref) -> Person:
    number = parse_id(ref)
    person = db.session.get(Person, number) if number is not None else None
    if person is None:
        raise NotFound(_l("No narrator with the id %(ref)s.", ref=ref))
    return person


def _consent_scan_keys(story_id: int) -> set[str]:
    from memoire.network.operations import consent_scan_keys

    return consent_scan_keys(story_id)


def _facilitator_records(person_id: int) -> list[dict]:
    """The same person as a workshop facilitator (memoire.network): their record and credits."""
    from memoire.network.models import Facilitator
    from memoire.network.queries import workshops_of_facilitator

    return [
        {"display_name": f.display_name, "is_pseudonym": f.is_pseudonym, "kind": f.kind,
         "bio": f.bio, "contact": f.contact, "languages": list(f.languages or []),
         "listing_consent_at": f.listing_consent_at.isoformat() if f.listing_consent_at else None,
         "listing_withdrawn_at": f.listing_withdrawn_at.isoformat() if f.listing_withdrawn_at else None,
         "workshops": [{"id": w.id, "title": w.title, "starts_on": w.starts_on.isoformat()}
                       for w in workshops_of_facilitator(f)]}
        for f in db.session.scalars(select(Facilitator).where(Facilitator.person_id == person_id))
    ]


def scrub_after_erasure() -> None:
    """After an erasure commits: make the database file forget the bytes too.

    (The index purges itself: the erasure's index work carries `purge`.) SQLite keeps
    old pages in its write-ahead log until a checkpoint; secure_delete zeroes freed ones.
    """
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
            # In WAL mode VACUUM writes the rebuilt pages to the log: the main file still
            # holds the old ones until they are checkpointed back, and the log is emptied.
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _export_consent_scans(zf: zipfile.ZipFile, storage, story_id: int) -> list[dict]:
    """The scanned paper consent forms of a story (memoire.network), files and facts."""
    from memoire.network.operations import CONSENT_SCAN_TYPES, consent_scans_of

    entries = []
    for scan in consent_scans_of(story_id):
        name = f"consent_forms/{story_id}/{scan.id}.{CONSENT_SCAN_TYPES.get(scan.mime, 'bin')}"
        if storage.exists(scan.storage_key):
            zf.write(storage.path(scan.storage_key), name)
        entries.append({"file": name, "label": scan.label, "mime": scan.mime, "sha256": scan.sha256,
                        "attached_at": scan.created_at.isoformat()})
    return entries


def export_person(person: Person, out: Path) -> Path:
    """A GDPR access request: everything the archive holds about a narrator, as a zip."""
    storage = get_storage()
    stories = list(db.session.scalars(
        select(Story).join(StoryNarrator, StoryNarrator.story_id == Story.id)
        .where(StoryNarrator.person_id == person.id).order_by(Story.id)
    ))
    data = {
        "person": {"id": person.id, "display_name": person.display_name,
                   "is_pseudonym": person.is_pseudonym, "birth_decade": person.birth_decade,
                   "neighbourhood": person.neighbourhood},
        "stories": [],
        "facilitator": _facilitator_records(person.id),
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for story in stories:
            entry = {
                "id": story.id, "external_id": story.external_id, "title": story.title,
                "summary": story.summary, "body": story.body, "kind": story.kind,
                "language": story.language, "period": story.period_text or [story.period_start, story.period_end],
                "visibility": story.visibility, "status": story.status, "licence": story.licence,
                "places": [p.name for p in story.places], "themes": [t.name for t in story.themes],
                "consents": [
                    {"given_by": c.given_by, "given_at": c.given_at.isoformat(), "method": c.method,
                     "online_publication": c.online_publication, "research_use": c.research_use,
                     "exhibition_use": c.exhibition_use, "licence": c.licence,
                     "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None}
                    for c in story.consents
                ],
                "transcripts": [
                    [{"start": s.start, "end": s.end, "speaker": s.speaker, "text": s.text} for s in t.segments]
                    for t in story.transcripts
                ],
                "media": [],
            }
            for media in story.media:
                name = f"media/{story.id}/{media.id}-{media.kind}"
                if storage.exists(media.storage_key):
                    zf.write(storage.path(media.storage_key), name)
                entry["media"].append({"file": name, "caption": media.caption, "mime": media.mime,
                                       "sha256": media.sha256})
            entry["consent_forms"] = _export_consent_scans(zf, storage, story.id)
            data["stories"].append(entry)
        zf.writestr("person.json", json.dumps(data, ensure_ascii=False, indent=2))
    return out
