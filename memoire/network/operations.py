"""Network operations: organisations, facilitators, workshops, method cards; they flush, never commit.

Who may do what (kept here, in one place):
- mediators, moderators and administrators record the network (organisations,
  facilitators, workshops, method cards); `None` is the system (CLI, demo loader);
- a facilitator is named in public only after an opt-in recorded by staff; staff or
  the facilitator themselves (their own account) may withdraw it at any time;
- a workshop's results are linked by staff; what is shown of them is decided by the
  rules of each object (only public+published stories, only published map layers);
- a scanned paper consent form is PRIVATE: attached by a mediator, seen only by
  moderators, administrators and the mediator responsible for the story (who entered it,
  attached the form, or created its workshop); never public, erased with its story,
  given in the person's export (`may_see_consent_scans`, `attach_consent_scan`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from memoire.accounts.models import STAFF_ROLES, Role
from memoire.audit import operations as audit
from memoire.core.concurrency import lock_key
from memoire.core.db import utcnow
from memoire.core.errors import Forbidden, MediaError, NotFound, ValidationError
from memoire.core.slugs import slugify as make_slug
from memoire.core.storage import StagedFile, TooLarge, get_storage
from memoire.extensions import db
from memoire.network.models import (
    Audience,
    ConsentScan,
    Country,
    Facilitator,
    FacilitatorKind,
    Method,
    MethodVersion,
    Organisation,
    OrganisationKind,
    QuestionKind,
    Workshop,
    WorkshopExhibition,
    WorkshopFacilitator,
    WorkshopMap,
    WorkshopStory,
)
from memoire.places.models import Place
from memoire.search import tracking
from memoire.stories.models import Person, Story
from memoire.stories.operations import LANGUAGES, LICENCES

NAME_MAX = 300
SLUG_MAX = 120
MAX_PARTICIPANTS = 100_000
#: Addresses under /organisations/ and /methods/ that no record may take.
RESERVED_SLUGS = frozenset({"new", "edit"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --------------------------------------------------------------------------- who may do what


def may_manage(actor) -> bool:
    """Mediators, moderators and administrators record the network's life."""
    return bool(getattr(actor, "is_authenticated", False)) and actor.has_role(
        Role.mediator, Role.moderator
    )


def _require_manager(actor) -> None:
    if actor is not None and not may_manage(actor):
        raise Forbidden(_l("Only mediators and staff can record the network's workshops."))


# --------------------------------------------------------------------------- shared checks


def slugify(text: str) -> str:
    return make_slug(text, SLUG_MAX)


def _name(value: str, field_name: str, message, limit: int = NAME_MAX) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ValidationError(message, field=field_name)
    if len(text) > limit:
        raise ValidationError(
            _l("Too long: %(n)s characters at most.", n=limit), field=field_name
        )
    return text


def _text(value: str | None, field_name: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(_l("Too long: %(n)s characters at most.", n=limit), field=field_name)
    return text


def _slug_for(model, wanted: str, name: str, current_id: int | None, field_name: str = "slug") -> str:
    slug = (wanted or "").strip() or slugify(name)
    if not slug or not _SLUG.match(slug) or len(slug) > SLUG_MAX:
        raise ValidationError(
            _l(
                "The short name may hold only lower-case letters, digits and dashes (%(slug)s).",
                slug=slug,
            ),
            field=field_name,
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _l("The short name %(slug)s is reserved; choose another.", slug=slug), field=field_name
        )
    lock_key(model.__tablename__, slug)  # two writers choosing one short name at once: one wins
    taken = db.session.scalar(select(model.id).where(model.slug == slug))
    if taken is not None and taken != current_id:
        raise ValidationError(
            _l("The short name %(slug)s is already taken.", slug=slug), field=field_name
        )
    return slug


def _languages(codes, field_name: str = "languages") -> list[str]:
    out = []
    for code in codes or []:
        if code not in LANGUAGES:
            raise ValidationError(_l("Unknown language code %(code)s.", code=code), field=field_name)
        out.append(code)
    return list(dict.fromkeys(out))


def _choices(values, allowed: type, field_name: str) -> list[str]:
    out = []
    for value in values or []:
        if value not in allowed.__members__:
            raise ValidationError(_l("Unknown value %(value)s.", value=value), field=field_name)
        out.append(value)
    return list(dict.fromkeys(out))


def _url(value: str, field_name: str) -> str:
    text = _text(value, field_name, 500)
    if text and not re.match(r"^https?://[^\s]+$", text):
        raise ValidationError(
            _l("A web address starts with http:// or https://."), field=field_name
        )
    return text


def _places(ids, field_name: str) -> list[Place]:
    places = []
    for place_id in dict.fromkeys(ids or []):
        place = db.session.get(Place, place_id)
        if place is None:
            raise ValidationError(_l("No place with the id %(ref)s.", ref=place_id), field=field_name)
        places.append(place)
    return places


def _records(model, ids, field_name: str) -> list:
    found = []
    for record_id in dict.fromkeys(ids or []):
        record = db.session.get(model, record_id)
        if record is None:
            raise ValidationError(_l("Unknown id %(ref)s.", ref=record_id), field=field_name)
        found.append(record)
    return found


# --------------------------------------------------------------------------- organisations


@dataclass
class OrganisationInput:
    name: str
    kind: str = OrganisationKind.association.value
    country: str = Country.FR.value
    slug: str = ""
    address: str = ""
    place_id: int | None = None
    website: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    description: str = ""
    languages: list[str] = field(default_factory=lambda: ["fr"])
    neighbourhood_ids: list[int] = field(default_factory=list)


def _apply_organisation(organisation: Organisation, data: OrganisationInput) -> None:
    name = _name(data.name, "name", _l("An organisation needs a name."))
    if data.kind not in OrganisationKind.__members__:
        raise ValidationError(_l("Unknown kind of organisation %(kind)s.", kind=data.kind), field="kind")
    if data.country not in Country.__members__:
        raise ValidationError(_l("The country is Belgium (BE) or France (FR)."), field="country")
    email = _text(data.contact_email, "contact_email", 320)
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise ValidationError(_l("This e-mail address does not look right."), field="contact_email")
    place = None
    if data.place_id is not None:
        place = db.session.get(Place, data.place_id)
        if place is None:
            raise ValidationError(_l("No place with the id %(ref)s.", ref=data.place_id), field="place")
    organisation.slug = _slug_for(Organisation, data.slug, name, organisation.id)
    organisation.name = name
    organisation.kind = data.kind
    organisation.country = data.country
    organisation.address = _text(data.address, "address", 500)
    organisation.place = place
    organisation.website = _url(data.website, "website")
    organisation.contact_email = email
    organisation.contact_phone = _text(data.contact_phone, "contact_phone", 50)
    organisation.description = _text(data.description, "description", 20_000)
    organisation.languages = _languages(data.languages)
    organisation.neighbourhoods = _places(data.neighbourhood_ids, "neighbourhoods")


def create_organisation(actor, data: OrganisationInput) -> Organisation:
    _require_manager(actor)
    organisation = Organisation()
    _apply_organisation(organisation, data)
    db.session.add(organisation)
    db.session.flush()
    audit.record(actor, "organisation.create", "organisation", organisation.id)
    return organisation


def update_organisation(actor, organisation: Organisation, data: OrganisationInput) -> Organisation:
    _require_manager(actor)
    _apply_organisation(organisation, data)
    db.session.flush()
    audit.record(actor, "organisation.update", "organisation", organisation.id)
    return organisation


def find_organisation(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound(_l("No organisation with the short name %(ref)s.", ref=slug))
    return organisation


# --------------------------------------------------------------------------- facilitators


@dataclass
class FacilitatorInput:
    display_name: str
    kind: str = FacilitatorKind.staff.value
    is_pseudonym: bool = False
    organisation_id: int | None = None
    bio: str = ""
    contact: str = ""
    languages: list[str] = field(default_factory=lambda: ["fr"])
    person_id: int | None = None
    user_id: int | None = None


def _apply_facilitator(facilitator: Facilitator, data: FacilitatorInput) -> None:
    facilitator.display_name = _name(
        data.display_name, "display_name", _l("A facilitator needs a name or a pseudonym."), 200
    )
    if data.kind not in FacilitatorKind.__members__:
        raise ValidationError(_l("A facilitator is staff or a resident."), field="kind")
    facilitator.kind = data.kind
    facilitator.is_pseudonym = bool(data.is_pseudonym)
    organisation = None
    if data.organisation_id is not None:
        organisation = db.session.get(Organisation, data.organisation_id)
        if organisation is None:
            raise ValidationError(
                _l("No organisation with the id %(ref)s.", ref=data.organisation_id), field="organisation"
            )
    facilitator.organisation = organisation
    if data.person_id is not None and db.session.get(Person, data.person_id) is None:
        raise ValidationError(_l("No narrator with the id %(ref)s.", ref=data.person_id), field="person")
    facilitator.person_id = data.person_id
    facilitator.user_id = data.user_id
    facilitator.bio = _text(data.bio, "bio", 2000)
    facilitator.contact = _text(data.contact, "contact", 320)
    facilitator.languages = _languages(data.languages)


def create_facilitator(actor, data: FacilitatorInput, *, listed: bool = False) -> Facilitator:
    """A facilitator, named in public only if `listed` (the opt-in they gave) is true."""
    _require_manager(actor)
    facilitator = Facilitator()
    _apply_facilitator(facilitator, data)
    if listed:
        facilitator.listing_consent_at = utcnow()
    db.session.add(facilitator)
    db.session.flush()
    audit.record(actor, "facilitator.create", "facilitator", facilitator.id, listed=listed)
    return facilitator


def update_facilitator(actor, facilitator: Facilitator, data: FacilitatorInput) -> Facilitator:
    _require_manager(actor)
    _apply_facilitator(facilitator, data)
    db.session.flush()
    audit.record(actor, "facilitator.update", "facilitator", facilitator.id)
    return facilitator


def may_withdraw_listing(actor, facilitator: Facilitator) -> bool:
    if may_manage(actor):
        return True
    return (
        bool(getattr(actor, "is_authenticated", False))
        and facilitator.user_id is not None
        and facilitator.user_id == actor.id
    )


def record_listing_consent(actor, facilitator: Facilitator) -> Facilitator:
    """The facilitator agreed to be named on workshop pages and listed in the directory."""
    _require_manager(actor)
    facilitator.listing_consent_at = utcnow()
    facilitator.listing_withdrawn_at = None
    db.session.flush()
    audit.record(actor, "facilitator.listing_consent", "facilitator", facilitator.id)
    return facilitator


def withdraw_listing(actor, facilitator: Facilitator) -> Facilitator:
    """From now on the facilitator is no longer named anywhere in public."""
    if actor is not None and not may_withdraw_listing(actor, facilitator):
        raise Forbidden(_l("You may not change this facilitator's listing."))
    if facilitator.listing_consent_at is not None and facilitator.listing_withdrawn_at is None:
        facilitator.listing_withdrawn_at = utcnow()
        db.session.flush()
        audit.record(actor, "facilitator.listing_withdraw", "facilitator", facilitator.id)
    return facilitator


def erase_facilitator(actor, facilitator: Facilitator) -> None:
    """Remove a facilitator and their credits on every workshop (the workshops stay)."""
    _require_manager(actor)
    facilitator_id = facilitator.id
    db.session.execute(
        delete(WorkshopFacilitator).where(WorkshopFacilitator.facilitator_id == facilitator_id)
    )
    db.session.delete(facilitator)
    db.session.flush()
    audit.record(actor, "facilitator.erase", "facilitator", facilitator_id)


def erase_facilitators_of_person(actor, person_id: int) -> int:
    """Erasure of a person (authorised by its own rule): their facilitator records go too."""
    found = list(db.session.scalars(select(Facilitator).where(Facilitator.person_id == person_id)))
    for facilitator in found:
        erase_facilitator(None, facilitator)
    return len(found)


def find_facilitator(facilitator_id: int) -> Facilitator:
    facilitator = db.session.get(Facilitator, facilitator_id)
    if facilitator is None:
        raise NotFound(_l("No facilitator with the id %(ref)s.", ref=facilitator_id))
    return facilitator


# --------------------------------------------------------------------------- workshops


@dataclass
class WorkshopInput:
    title: str
    starts_on: date | None
    ends_on: date | None = None
    place_id: int | None = None
    audience: str | None = None
    participants: int | None = None
    description: str = ""
    languages: list[str] = field(default_factory=lambda: ["fr"])
    organisation_ids: list[int] = field(default_factory=list)
    method_ids: list[int] = field(default_factory=list)
    facilitator_ids: list[int] = field(default_factory=list)


def _apply_workshop(workshop: Workshop, data: WorkshopInput) -> None:
    workshop.title = _name(data.title, "title", _l("A workshop needs a title."))
    if data.starts_on is None:
        raise ValidationError(_l("Give the date of the workshop."), field="starts_on")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise ValidationError(_l("The last day comes before the first."), field="ends_on")
    if data.audience and data.audience not in Audience.__members__:
        raise ValidationError(_l("Unknown audience %(value)s.", value=data.audience), field="audience")
    if data.participants is not None and not 0 <= data.participants <= MAX_PARTICIPANTS:
        raise ValidationError(
            _l("How many took part: a number between 0 and %(n)s.", n=MAX_PARTICIPANTS),
            field="participants",
        )
    place = None
    if data.place_id is not None:
        place = db.session.get(Place, data.place_id)
        if place is None:
            raise ValidationError(_l("No place with the id %(ref)s.", ref=data.place_id), field="place")
    workshop.starts_on = data.starts_on
    workshop.ends_on = data.ends_on if data.ends_on != data.starts_on else None
    workshop.place = place
    workshop.audience = data.audience or None
    workshop.participants = data.participants
    workshop.description = _text(data.description, "description", 20_000)
    workshop.languages = _languages(data.languages)
    workshop.organisations = _records(Organisation, data.organisation_ids, "organisations")
    workshop.methods = _records(Method, data.method_ids, "methods")
    facilitators = _records(Facilitator, data.facilitator_ids, "facilitators")
    keep = {link.facilitator_id: link for link in workshop.facilitator_links}
    workshop.facilitator_links = [
        keep.get(f.id) or WorkshopFacilitator(facilitator=f) for f in facilitators
    ]
    for position, link in enumerate(workshop.facilitator_links):
        link.position = position


def create_workshop(actor, data: WorkshopInput) -> Workshop:
    _require_manager(actor)
    workshop = Workshop(created_by_id=getattr(actor, "id", None))
    _apply_workshop(workshop, data)
    db.session.add(workshop)
    db.session.flush()
    audit.record(actor, "workshop.create", "workshop", workshop.id)
    return workshop


def _reindex_stories_of(workshop_id: int) -> None:
    """Search filters and counts stories by workshop and organisation: the link tables are
    written in bulk here, which the flush listener does not see (`search/tracking.py`)."""
    tracking.mark_stories(
        db.session,
        db.session.scalars(
            select(WorkshopStory.story_id).where(WorkshopStory.workshop_id == workshop_id)
        ),
    )


def update_workshop(actor, workshop: Workshop, data: WorkshopInput) -> Workshop:
    _require_manager(actor)
    organisations_before = {o.id for o in workshop.organisations}
    _apply_workshop(workshop, data)
    db.session.flush()
    if {o.id for o in workshop.organisations} != organisations_before:
        _reindex_stories_of(workshop.id)
    audit.record(actor, "workshop.update", "workshop", workshop.id)
    return workshop


def delete_workshop(actor, workshop: Workshop) -> None:
    """The record goes; its stories and maps stay, unlinked."""
    _require_manager(actor)
    workshop_id = workshop.id
    _reindex_stories_of(workshop_id)
    for model in (WorkshopStory, WorkshopMap, WorkshopExhibition):
        db.session.execute(delete(model).where(model.workshop_id == workshop_id))
    db.session.delete(workshop)
    db.session.flush()
    audit.record(actor, "workshop.delete", "workshop", workshop_id)


def find_workshop(workshop_id) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id) if workshop_id is not None else None
    if workshop is None:
        raise NotFound(_l("No workshop with the id %(ref)s.", ref=workshop_id))
    return workshop


def _link(model, key: str, key_value: int, workshop: Workshop) -> None:
    link = db.session.get(model, key_value)
    if link is None:
        db.session.add(model(**{key: key_value}, workshop_id=workshop.id))
    else:
        link.workshop_id = workshop.id
    db.session.flush()


def attach_story(actor, workshop: Workshop, story: Story) -> None:
    """The story was collected at this workshop (a story belongs to one workshop at most)."""
    _require_manager(actor)
    _link(WorkshopStory, "story_id", story.id, workshop)
    tracking.mark_stories(db.session, [story.id])
    audit.record(actor, "workshop.attach_story", "workshop", workshop.id, story=story.id)


def detach_story(actor, story: Story) -> None:
    _require_manager(actor)
    db.session.execute(delete(WorkshopStory).where(WorkshopStory.story_id == story.id))
    db.session.flush()
    tracking.mark_stories(db.session, [story.id])


def attach_map(actor, workshop: Workshop, layer) -> None:
    """A subjective map layer drawn at this workshop."""
    _require_manager(actor)
    _link(WorkshopMap, "map_id", layer.id, workshop)
    audit.record(actor, "workshop.attach_map", "workshop", workshop.id, map=layer.id)


def attach_exhibition(actor, workshop: Workshop, exhibition) -> None:
    _require_manager(actor)
    _link(WorkshopExhibition, "exhibition_id", exhibition.id, workshop)
    audit.record(actor, "workshop.attach_exhibition", "workshop", workshop.id, exhibition=exhibition.id)


def workshop_of_story(story_id: int) -> Workshop | None:
    return db.session.scalar(
        select(Workshop).join(WorkshopStory, WorkshopStory.workshop_id == Workshop.id)
        .where(WorkshopStory.story_id == story_id)
    )


def workshop_of_map(map_id: int) -> Workshop | None:
    return db.session.scalar(
        select(Workshop).join(WorkshopMap, WorkshopMap.workshop_id == Workshop.id)
        .where(WorkshopMap.map_id == map_id)
    )


# --------------------------------------------------------------------------- consent forms

#: The kinds of scan taken, told by their first bytes (never by the name or the browser).
CONSENT_SCAN_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
#: A scanned form of a few pages; `MEMOIRE_MAX_CONSENT_SCAN_BYTES` overrides it.
MAX_CONSENT_SCAN_BYTES = 20 * 1024 * 1024
LABEL_MAX = 200


def _responsible_mediator(actor, story: Story) -> bool:
    if story.contributor_id == actor.id:
        return True
    workshop = workshop_of_story(story.id)
    if workshop is not None and workshop.created_by_id == actor.id:
        return True
    return db.session.scalar(
        select(ConsentScan.id).where(ConsentScan.story_id == story.id, ConsentScan.uploaded_by_id == actor.id)
        .limit(1)
    ) is not None


def may_see_consent_scans(actor, story: Story) -> bool:
    """Moderators and administrators; a mediator responsible for the story (who entered it,
    created its workshop or attached one of its forms). `None` is the system (export, CLI)."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.role in STAFF_ROLES:
        return True
    return actor.role == Role.mediator and _responsible_mediator(actor, story)


def may_attach_consent_scan(actor, story: Story) -> bool:
    """Staff, or a mediator who entered the story or created its workshop."""
    if actor is None or (getattr(actor, "is_authenticated", False) and actor.role in STAFF_ROLES):
        return True
    if not may_manage(actor):
        return False
    workshop = workshop_of_story(story.id)
    return story.contributor_id == actor.id or (workshop is not None and workshop.created_by_id == actor.id)


def _scan_type(path) -> str | None:
    """The scan's type from its content, checked to be whole, or None."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head.startswith(b"%PDF-"):
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - 2048))
            # A PDF cut short (an interrupted scan, a partial copy) has no end-of-file mark.
            return "application/pdf" if b"%%EOF" in fh.read() else None
    if head.startswith(b"\xff\xd8\xff"):
        wanted = "JPEG"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        wanted = "PNG"
    else:
        return None
    from PIL import Image

    try:
        with Image.open(path) as image:
            if image.format != wanted:
                return None
            image.load()  # decodes every pixel: a truncated or corrupt scan fails here
    except Exception:  # Pillow raises many kinds for broken files
        return None
    return "image/jpeg" if wanted == "JPEG" else "image/png"


def attach_consent_scan(actor, story: Story, stream: BinaryIO, *, label: str = "") -> ConsentScan:
    """Keep the scanned, signed paper consent form of a participant of this story, privately."""
    if not may_attach_consent_scan(actor, story):
        raise Forbidden(_l("Only the mediator responsible for this story or staff can attach its consent forms."))
    label = _text(label, "label", LABEL_MAX)
    limit = int(current_app.config.get("MEMOIRE_MAX_CONSENT_SCAN_BYTES", MAX_CONSENT_SCAN_BYTES))
    storage = get_storage()
    try:
        staged: StagedFile = storage.stage(stream, max_bytes=limit)
    except TooLarge:
        raise MediaError(
            _l("A scanned consent form may not exceed %(limit)s MB.", limit=limit // (1024 * 1024) or 1),
            code="file_too_large", field="scan",
        ) from None
    if staged.size == 0:
        staged.path.unlink(missing_ok=True)
        raise MediaError(_l("The scanned consent form is empty."), field="scan")
    mime = _scan_type(staged.path)
    if mime is None:
        staged.path.unlink(missing_ok=True)
        raise MediaError(
            _l("A scanned consent form must be a whole PDF, JPEG or PNG file; this one is not."),
            code="unsupported_media", field="scan",
        )
    scan = ConsentScan(
        story_id=story.id, storage_key=storage.commit_staged(db.session(), staged), sha256=staged.sha256,
        mime=mime, size=staged.size, label=label, uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(scan)
    db.session.flush()
    audit.record(actor, "consent_scan.attach", "story", story.id, scan=scan.id)
    return scan


def consent_scans_of(story_id: int) -> list[ConsentScan]:
    return list(db.session.scalars(
        select(ConsentScan).where(ConsentScan.story_id == story_id).order_by(ConsentScan.id)
    ))


def find_consent_scan(actor, scan_id) -> ConsentScan:
    """The scan, if this actor may see it; the same NotFound otherwise (no existence oracle)."""
    scan = db.session.get(ConsentScan, scan_id) if scan_id is not None else None
    if scan is None or not may_see_consent_scans(actor, db.session.get(Story, scan.story_id)):
        raise NotFound(_l("No consent form with the id %(ref)s.", ref=scan_id))
    return scan


def remove_consent_scan(actor, scan: ConsentScan) -> None:
    """Drop a scan (attached to the wrong story, say); its file goes once unused."""
    from memoire.media.operations import schedule_file_cleanup

    story = db.session.get(Story, scan.story_id)
    if not may_attach_consent_scan(actor, story):
        raise Forbidden(_l("Only the mediator responsible for this story or staff can attach its consent forms."))
    key, scan_id = scan.storage_key, scan.id
    db.session.delete(scan)
    db.session.flush()
    schedule_file_cleanup({key})
    audit.record(actor, "consent_scan.remove", "story", story.id, scan=scan_id)


def consent_scan_keys(story_id: int) -> set[str]:
    """The files of a story's scans, for its erasure (the rows go by ON DELETE CASCADE)."""
    return set(db.session.scalars(select(ConsentScan.storage_key).where(ConsentScan.story_id == story_id)))


# --------------------------------------------------------------------------- method cards

#: The fields of a method card that are versioned (all of them).
METHOD_FIELDS = (
    "name", "purpose", "question_kinds", "steps", "materials", "duration", "group_size",
    "audiences", "tips", "languages", "licence",
)


@dataclass
class MethodInput:
    name: str
    purpose: str = ""
    question_kinds: list[str] = field(default_factory=list)
    steps: str = ""
    materials: str = ""
    duration: str = ""
    group_size: str = ""
    audiences: list[str] = field(default_factory=list)
    tips: str = ""
    languages: list[str] = field(default_factory=lambda: ["fr"])
    licence: str = "CC-BY-SA-4.0"
    slug: str = ""


def _method_values(data: MethodInput) -> dict:
    if data.licence not in LICENCES:
        raise ValidationError(_l("Unknown licence %(licence)s.", licence=data.licence), field="licence")
    return {
        "name": _name(data.name, "name", _l("A method card needs a name.")),
        "purpose": _text(data.purpose, "purpose", 5000),
        "question_kinds": _choices(data.question_kinds, QuestionKind, "question_kinds"),
        "steps": _text(data.steps, "steps", 20_000),
        "materials": _text(data.materials, "materials", 5000),
        "duration": _text(data.duration, "duration", 200),
        "group_size": _text(data.group_size, "group_size", 200),
        "audiences": _choices(data.audiences, Audience, "audiences"),
        "tips": _text(data.tips, "tips", 10_000),
        "languages": _languages(data.languages),
        "licence": data.licence,
    }


def create_method(actor, data: MethodInput) -> Method:
    _require_manager(actor)
    values = _method_values(data)
    method = Method(slug=_slug_for(Method, data.slug, values["name"], None))
    method.versions.append(MethodVersion(number=1, author_id=getattr(actor, "id", None), **values))
    db.session.add(method)
    db.session.flush()
    audit.record(actor, "method.create", "method", method.id)
    return method


def revise_method(actor, method: Method, data: MethodInput, note: str = "") -> MethodVersion:
    """Save a new version of the card; an unchanged card keeps its current version."""
    _require_manager(actor)
    values = _method_values(data)
    current = method.current
    if all(getattr(current, name) == values[name] for name in METHOD_FIELDS):
        return current
    version = MethodVersion(
        number=current.number + 1, author_id=getattr(actor, "id", None),
        note=_text(note, "note", 500), **values,
    )
    method.versions.append(version)
    db.session.flush()
    audit.record(actor, "method.revise", "method", method.id, version=version.number)
    return version


def method_input_from(version: MethodVersion, slug: str = "") -> MethodInput:
    return MethodInput(slug=slug, **{name: getattr(version, name) for name in METHOD_FIELDS})


def find_method(slug: str) -> Method:
    method = db.session.scalar(select(Method).where(Method.slug == slug))
    if method is None:
        raise NotFound(_l("No method card with the short name %(ref)s.", ref=slug))
    return method
