"""Story operations: they take the acting user and plain data, flush, and never commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from memoire.audit import operations as audit
from memoire.core.concurrency import insert_ignoring_conflict, lock_key
from memoire.core.db import parse_id, utcnow
from memoire.core.errors import Forbidden, InvalidTransition, NotFound, ValidationError
from memoire.core.slugs import slugify
from memoire.extensions import db
from memoire.places.models import Place
from memoire.stories.models import (
    Consent,
    Kind,
    Person,
    PlaceRole,
    Precision,
    Status,
    Story,
    StoryNarrator,
    StoryPlace,
    StoryTombstone,
    Theme,
    Visibility,
)
from memoire.stories.periods import Period

LICENCES = {
    "CC-BY-NC-4.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0",
    "CC0-1.0", "all-rights-reserved",
}
LANGUAGES = {"fr", "nl", "en", "wa", "pcd", "de", "it", "pl", "ar", "tr"}


@dataclass
class NarratorInput:
    name: str
    pseudonym: bool = False
    birth_decade: int | None = None
    neighbourhood: str | None = None


@dataclass
class ConsentInput:
    given_by: str = ""
    method: str = "online"
    online_publication: bool = False
    research_use: bool = False
    exhibition_use: bool = False
    licence: str = "CC-BY-NC-4.0"
    precision: str = Precision.exact.value
    narrator_is_minor: bool = False
    guardian_name: str | None = None


@dataclass
class StoryInput:
    """What a story is made of, whichever door it came through (form, import, API)."""

    title: str
    summary: str = ""
    body: str = ""
    kind: str = Kind.anecdote.value
    language: str = "fr"
    period: Period = field(default_factory=lambda: Period(None, None))
    recorded_on: date | None = None
    narrators: list[NarratorInput] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    places: list[tuple[Place, str]] = field(default_factory=list)  # (place, role)
    lat: float | None = None
    lon: float | None = None
    visibility: str = Visibility.private.value
    status: str = Status.draft.value
    licence: str = "CC-BY-NC-4.0"
    precision: str | None = None
    external_id: str | None = None
    consent: ConsentInput | None = None


def validate(data: StoryInput) -> None:
    """Check what no door may let through; raise ValidationError naming the field."""
    if not (data.title or "").strip():
        raise ValidationError(_l("A story needs a title."), field="title")
    if len(data.title) > 500:
        raise ValidationError(_l("The title is too long (500 characters at most)."), field="title")
    if data.kind not in Kind.__members__:
        raise ValidationError(
            _l("Unknown kind %(kind)s (oral_history, photo, anecdote, heritage).", kind=data.kind),
            field="kind",
        )
    if data.visibility not in Visibility.__members__:
        raise ValidationError(
            _l("Unknown visibility %(v)s (public, researchers, private).", v=data.visibility),
            field="visibility",
        )
    if data.status not in Status.__members__:
        raise ValidationError(_l("Unknown status %(s)s.", s=data.status), field="status")
    if data.language not in LANGUAGES:
        raise ValidationError(_l("Unknown language code %(code)s.", code=data.language), field="language")
    if data.licence not in LICENCES:
        raise ValidationError(_l("Unknown licence %(licence)s.", licence=data.licence), field="licence")
    precision = data.precision or (data.consent.precision if data.consent else Precision.exact.value)
    if precision not in Precision.__members__:
        raise ValidationError(_l("Unknown location precision %(p)s.", p=precision), field="precision")
    for theme in data.themes:
        if len(theme) > THEME_NAME_MAX:
            raise ValidationError(
                _l("A theme is a few words (%(n)s characters at most).", n=THEME_NAME_MAX),
                field="themes",
            )
    for _place, role in data.places:
        if role not in PlaceRole.__members__:
            raise ValidationError(_l("Unknown place role %(role)s (happened, told).", role=role), field="places")
    if data.consent and data.consent.narrator_is_minor and not (data.consent.guardian_name or "").strip():
        raise ValidationError(
            _l("A narrator under 18 needs a parent's or guardian's consent."), field="consent"
        )
    if data.consent is not None:
        check_consent_covers_visibility(data.visibility, data.consent)


def check_consent_covers_visibility(visibility: str, consent) -> None:
    """Who may see a story must be something its narrator agreed to (a ConsentInput or Consent)."""
    if visibility == Visibility.public and not consent.online_publication:
        raise ValidationError(
            _l("To show the memory to everyone, the narrator must agree to online publication."),
            field="online_publication",
        )
    if visibility == Visibility.researchers and not consent.research_use:
        raise ValidationError(
            _l("To show the memory to researchers, the narrator must agree to research use."),
            field="research_use",
        )


def check_consent(story: Story) -> None:
    """The consent rule of a story, whatever the door: a published story is shown beyond its
    contributor and staff only as far as the consent in force allows."""
    if story.status != Status.published or story.visibility == Visibility.private:
        return
    if story.consent is None:
        raise ValidationError(
            _l("No consent is recorded for this story: it cannot be published."), field="consent"
        )
    check_consent_covers_visibility(story.visibility, story.consent)


#: A theme's slug (String(80)) is made from its name and may not be longer.
THEME_NAME_MAX = 80


def _slug(text: str) -> str:
    return slugify(text) or "theme"


def get_or_create_theme(name: str) -> Theme:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_l("A theme needs a name."), field="themes")
    slug = _slug(name)
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        # A theme renamed by the staff (`name_theme`) keeps its slug: its new name is the same theme.
        theme = db.session.scalar(
            select(Theme).where(func.lower(Theme.name) == name.lower()).order_by(Theme.id).limit(1)
        )
    if theme is None:
        # Another writer may be adding the same theme right now: the database settles it.
        insert_ignoring_conflict(Theme, {"slug": slug, "name": name, "names": {}}, ["slug"])
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    return theme


#: The interface languages, named in the reader's language (for the themes' form and errors).
LOCALE_NAMES = {"fr": _l("French"), "nl": _l("Dutch"), "en": _l("English")}


def theme_languages() -> list[str]:
    """The interface languages a theme can be named in, the archive's default first."""
    default = current_app.config["MEMOIRE_DEFAULT_LOCALE"]
    offered = [code.strip() for code in str(current_app.config["MEMOIRE_LOCALES"]).split(",")]
    return [default, *(code for code in offered if code and code != default)]


def name_theme(actor, theme: Theme, names: Mapping[str, str | None]) -> Theme:
    """Set a theme's name in some languages (staff); a language left empty falls back to the
    default language's name, which cannot be emptied. Every name is checked before any is set.

    The slug stays: links and search filters that name the theme keep working.
    """
    if actor is None or not getattr(actor, "is_staff", False):
        raise Forbidden(_l("Only moderators can name themes."))
    languages = theme_languages()
    unknown = sorted(set(names) - set(languages))
    if unknown:
        raise ValidationError(
            _l("Unknown language: %(codes)s. Use one of: %(known)s.",
               codes=", ".join(unknown), known=", ".join(languages)),
            field=unknown[0],
        )
    cleaned = {code: " ".join(str(text or "").split()) for code, text in names.items()}
    for code, text in cleaned.items():
        if len(text) > THEME_NAME_MAX:
            raise ValidationError(
                _l("A theme is a few words (%(n)s characters at most).", n=THEME_NAME_MAX),
                field=code,
            )
    default = languages[0]
    if default in cleaned and not cleaned[default]:
        raise ValidationError(
            _l("A theme needs a name in this language: %(language)s.", language=LOCALE_NAMES.get(default, default)),
            field=default,
        )
    if default in cleaned:
        theme.name = cleaned.pop(default)
    # A new dict: the JSON column does not see changes made in place.
    translated = {code: text for code, text in (theme.names or {}).items() if code != default}
    for code, text in cleaned.items():
        if text:
            translated[code] = text
        else:
            translated.pop(code, None)
    theme.names = translated
    db.session.flush()
    audit.record(actor, "theme.name", "theme", theme.id, languages=sorted(names))
    return theme


def get_or_create_person(narrator: NarratorInput) -> Person:
    """Narrators are matched by exact display name: pseudonyms differ on purpose."""
    name = " ".join(narrator.name.split())
    if not name:
        raise ValidationError(_l("A narrator needs a name or a pseudonym."), field="narrators")
    person = db.session.scalar(select(Person).where(Person.display_name == name).order_by(Person.id))
    if person is None:
        lock_key("person", name)  # concurrent writers adding the same narrator: one at a time
        person = db.session.scalar(
            select(Person).where(Person.display_name == name).order_by(Person.id)
        )
    if person is None:
        person = Person(
            display_name=name,
            is_pseudonym=narrator.pseudonym,
            birth_decade=narrator.birth_decade,
            neighbourhood=narrator.neighbourhood,
        )
        db.session.add(person)
        db.session.flush()
    return person


def _apply(story: Story, data: StoryInput) -> None:
    story.title = data.title.strip()
    story.summary = data.summary or ""
    story.body = data.body or ""
    story.kind = data.kind
    story.language = data.language
    story.period_start = data.period.start
    story.period_end = data.period.end
    story.period_text = data.period.text
    story.period_approximate = data.period.approximate
    story.recorded_on = data.recorded_on
    story.lat, story.lon = data.lat, data.lon
    story.visibility = data.visibility
    story.licence = data.licence
    story.precision = data.precision or (
        data.consent.precision if data.consent else story.precision or Precision.exact.value
    )
    story.themes = [get_or_create_theme(name) for name in dict.fromkeys(data.themes)]
    people = [get_or_create_person(n) for n in data.narrators]
    story.narrator_links = [
        StoryNarrator(person=p, position=i) for i, p in enumerate(dict.fromkeys(people))
    ]
    seen: set[tuple[int, str]] = set()
    links = []
    places = list(data.places)
    if data.lat is not None and not any(role == PlaceRole.happened for _p, role in places):
        # A point tapped on the map inside a place's outline ties the story to that place.
        from memoire.places.gazetteer import place_containing

        containing = place_containing(data.lat, data.lon)
        if containing is not None:
            places.append((containing, PlaceRole.happened.value))
    for place, role in places:
        if (place.id, role) in seen:
            continue
        seen.add((place.id, role))
        links.append(StoryPlace(place=place, place_id=place.id, role=role, position=len(links)))
    story.place_links = links


#: What a consent records, whichever way round it is copied.
CONSENT_FIELDS = tuple(ConsentInput.__dataclass_fields__)


def consent_input_from(record: Consent | None) -> ConsentInput | None:
    """The consent in force as an input (saving a form again does not record a new one)."""
    if record is None:
        return None
    return ConsentInput(**{name: getattr(record, name) for name in CONSENT_FIELDS})


def _record_consent(actor, story: Story, consent: ConsentInput) -> Consent:
    record = Consent(
        **{name: getattr(consent, name) for name in CONSENT_FIELDS},
        recorded_by_id=getattr(actor, "id", None),
    )
    story.consents.append(record)
    return record


def _consent_changed(current: Consent | None, wanted: ConsentInput) -> bool:
    if current is None:
        return True
    return any(getattr(current, name) != getattr(wanted, name) for name in CONSENT_FIELDS)


def create_story(actor, data: StoryInput) -> Story:
    validate(data)
    story = Story(
        contributor_id=getattr(actor, "id", None), external_id=data.external_id,
        status=Status.draft.value,
    )
    if data.status != Status.draft:
        check_move(actor, story, RECORD_MOVE, data.status, new=True)
    # Added once its links are set: a story pending while its themes and narrators are looked
    # up would be flushed by the lookups, and each collection then read back before it is set.
    _apply(story, data)
    db.session.add(story)
    if data.consent:
        _record_consent(actor, story, data.consent)
    _set_status(story, data.status)
    check_consent(story)
    db.session.flush()
    audit.record(actor, "story.create", "story", story.id, status=story.status)
    return story


def note_publicness(story: Story, was_public: bool, public_sets: list[str] | None = None) -> None:
    """A story that stops being public leaves a tombstone, so harvesters drop their copy.

    Its sets are those it had while public (`public_sets`, read before an edit changed the
    themes or places): a theme added in the same edit was never public and is not named."""
    if was_public and not story.is_public:
        sets = public_sets if public_sets is not None else oai_sets(story)
        leave_tombstone(story.id, sets, "unpublished")


def leave_tombstone(story_id: int, sets: list[str], reason: str) -> StoryTombstone:
    """Record that a public story stopped being public, now (a story published again and
    hidden again gets its tombstone's time moved, so incremental harvests see it). The
    tombstone's time is the only datestamp its deleted record shows: private edits after
    it move nothing harvesters can see."""
    tombstone = db.session.get(StoryTombstone, story_id)
    if tombstone is None:
        tombstone = StoryTombstone(story_id=story_id, sets=sets, reason=reason)
        db.session.add(tombstone)
    else:
        tombstone.deleted_at, tombstone.sets, tombstone.reason = utcnow(), sets, reason
    return tombstone


def touch(story: Story) -> None:
    """Mark a story changed (media, transcript, redaction): harvesters' from/until see it."""
    story.updated_at = utcnow()


def update_story(actor, story: Story, data: StoryInput) -> Story:
    validate(data)
    if story.status == Status.withdrawn:
        raise InvalidTransition(_l("This story was withdrawn: it cannot be changed."), field="status")
    if data.status != story.status:
        check_move(actor, story, RECORD_MOVE, data.status)
    was_public = story.is_public
    public_sets = oai_sets(story) if was_public else None
    _apply(story, data)
    if data.consent and _consent_changed(story.consent, data.consent):
        _record_consent(actor, story, data.consent)
    if data.status != story.status:
        _set_status(story, data.status)
    check_consent(story)
    note_publicness(story, was_public, public_sets)
    db.session.flush()
    audit.record(actor, "story.update", "story", story.id, status=story.status)
    return story


class Move(NamedTuple):
    """A change of status: the statuses it starts from (None: a story being created), the
    statuses it leads to, who may make it, and what to say when it is refused."""

    sources: frozenset
    targets: frozenset
    who: str  # "owner" (the contributor or staff), "staff", or "record" (staff or the system)
    forbidden: object
    invalid: object


_LIVE = frozenset({Status.draft.value, Status.submitted.value, Status.published.value,
                   Status.rejected.value})

#: The one table of status changes. Every door (wizard, API, moderation, `memoire import`,
#: CLI) goes through it, and publishing checks consent (`check_consent`) on the way.
#: A withdrawn story never moves again: it waits for erasure.
TRANSITIONS: dict[str, Move] = {
    "submit": Move(
        frozenset({Status.draft.value, Status.rejected.value}),
        frozenset({Status.submitted.value}),
        "owner",
        _l("You may only submit your own stories."),
        _l("Only a draft or a story sent back can be submitted."),
    ),
    "publish": Move(
        frozenset({Status.submitted.value, Status.rejected.value}),
        frozenset({Status.published.value}),
        "staff",
        _l("Only moderators can publish."),
        _l("Only a story sent to the moderators can be published."),
    ),
    "send_back": Move(
        frozenset({Status.submitted.value, Status.published.value}),
        frozenset({Status.rejected.value}),
        "staff",
        _l("Only moderators can send a story back."),
        _l("Only a story with the moderators or published can be sent back."),
    ),
    "withdraw": Move(
        _LIVE,
        frozenset({Status.withdrawn.value}),
        "owner",
        _l("You may only withdraw your own stories."),
        _l("This story was withdrawn: it cannot be changed."),
    ),
    # A bulk load restating records reviewed elsewhere (`memoire import`): a new story may
    # start in any status, a live one be set to any; consent is checked all the same.
    "record": Move(
        _LIVE | {None},
        _LIVE | {Status.withdrawn.value},
        "record",
        _l("Only moderators and the command line can set a story's status."),
        _l("This story was withdrawn: it cannot be changed."),
    ),
}
RECORD_MOVE = "record"
#: What a contributor's door may start a new story as; moderators publish it.
START_STATUSES = frozenset({Status.draft.value}) | TRANSITIONS["submit"].targets


def can_move(story: Story, name: str) -> bool:
    """Whether the story's status allows this move (what a page offers)."""
    return story.status in TRANSITIONS[name].sources


def _may(actor, story: Story | None, who: str) -> bool:
    if actor is None:  # the system: the command line, or a signed link checked by its operation
        return True
    if getattr(actor, "is_staff", False):
        return True
    if who == "owner":
        return story is not None and story.contributor_id is not None and (
            story.contributor_id == getattr(actor, "id", None)
        )
    return False


def check_move(actor, story: Story, name: str, target: str | None = None, *, new: bool = False) -> None:
    """Raise Forbidden or InvalidTransition unless `actor` may move `story` to `target`
    (by default the move's only target)."""
    move = TRANSITIONS[name]
    if target is None:
        (target,) = move.targets
    if not _may(actor, None if new else story, move.who):
        raise Forbidden(move.forbidden)
    if target not in move.targets:
        raise ValidationError(_l("Unknown status %(s)s.", s=target), field="status")
    if (None if new else story.status) not in move.sources:
        raise InvalidTransition(move.invalid, field="status")


def check_start(status: str) -> None:
    """A new story from a contributor's door (wizard, API) is a draft or is submitted."""
    if not isinstance(status, str) or status not in START_STATUSES:
        raise ValidationError(
            _l("A new story is a draft or submitted; moderators publish it."), field="status"
        )


def _set_status(story: Story, status: str) -> None:
    now = utcnow()
    story.status = status
    if status == Status.published and story.published_at is None:
        story.published_at = now
    elif status == Status.submitted:
        story.submitted_at = now
    elif status == Status.withdrawn:
        story.withdrawn_at = now


def lookup_story(ref) -> Story | None:
    """A story by archive id (a number) or by external id, whatever its visibility; or None.

    Every input naming a story goes through here; callers apply the visibility rule."""
    text = str(ref if ref is not None else "").strip()
    story = None
    if (number := parse_id(text)) is not None:
        story = db.session.get(Story, number)
    if story is None and text:
        story = db.session.scalar(select(Story).where(Story.external_id == text))
    return story


def find_story(ref) -> Story:
    """A story by archive id (a number) or by external id; raise NotFound."""
    text = str(ref).strip()
    story = lookup_story(text)
    if story is None:
        raise NotFound(_l("No story with the id %(ref)s.", ref=text))
    return story


def _announce(story: Story, event: str, **details) -> None:
    """Tell the contributor by e-mail, through the job queue (whatever the door that moved it)."""
    from memoire.notifications.operations import announce

    announce(story, event, **details)


def publish_story(actor, story: Story) -> Story:
    """Make a story sent to the moderators visible, as far as its consent allows."""
    check_move(actor, story, "publish", Status.published.value)
    _set_status(story, Status.published.value)
    check_consent(story)
    story.moderation_note = None
    db.session.flush()
    audit.record(actor, "story.publish", "story", story.id)
    _announce(story, "published")
    return story


def send_back_story(actor, story: Story, reason: str) -> Story:
    check_move(actor, story, "send_back", Status.rejected.value)
    if not (reason or "").strip():
        raise ValidationError(_l("Say why the story is sent back."), field="reason")
    was_public = story.is_public
    _set_status(story, Status.rejected.value)
    note_publicness(story, was_public)
    story.moderation_note = reason.strip()
    db.session.flush()
    audit.record(actor, "story.send_back", "story", story.id)
    _announce(story, "sent_back", reason=story.moderation_note)
    return story


def submit_story(actor, story: Story) -> Story:
    check_move(actor, story, "submit", Status.submitted.value)
    _set_status(story, Status.submitted.value)
    db.session.flush()
    audit.record(actor, "story.submit", "story", story.id)
    return story


def withdraw_story(actor, story: Story, *, via: str | None = None) -> Story:
    """Hide at once; the administrators are asked to erase it. Withdrawing twice changes nothing.

    `via` says, for the audit, how a narrator who is not the contributor asked for it: their
    signed link (`narrator_link`), or a request a mediator or moderator carried out."""
    if story.status == Status.withdrawn:
        if not _may(actor, story, TRANSITIONS["withdraw"].who):
            raise Forbidden(TRANSITIONS["withdraw"].forbidden)
        return story
    check_move(actor, story, "withdraw", Status.withdrawn.value)
    was_public = story.is_public
    _set_status(story, Status.withdrawn.value)
    if story.consent is not None:
        story.consent.withdrawn_at = utcnow()
    if was_public:
        leave_tombstone(story.id, oai_sets(story), "withdrawn")
    db.session.flush()
    audit.record(actor, "story.withdraw", "story", story.id, **({"via": via} if via else {}))
    _announce(story, "withdrawn")
    return story


#: How a narrator may ask a mediator or a moderator to withdraw their story (kept in the audit).
WITHDRAWAL_CHANNELS = ("in_person", "phone", "letter", "email")
_WITHDRAWAL_SALT = "memoire.story-withdrawal"


def _withdrawal_serializer():
    from flask import current_app
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_WITHDRAWAL_SALT)


def withdrawal_token(story: Story) -> str:
    """The narrator's own way back, with no account: printed on the consent receipt. It does
    not expire (a narrator may change their mind years later); it names one story only."""
    return _withdrawal_serializer().dumps({"story": story.id})


def story_for_withdrawal(token: str) -> Story | None:
    """The story a withdrawal link names (None once it is erased); NotFound for a forged link."""
    from itsdangerous import BadSignature

    try:
        payload = _withdrawal_serializer().loads(token)
    except BadSignature:
        payload = None
    number = payload.get("story") if isinstance(payload, dict) else None
    if not isinstance(number, int) or isinstance(number, bool):
        raise NotFound(_l("This withdrawal link is not valid."))
    return db.session.get(Story, number)


def withdraw_by_link(token: str) -> Story | None:
    """Withdraw at once the story a narrator's signed link names; None if it was erased."""
    story = story_for_withdrawal(token)
    if story is None:
        return None
    return withdraw_story(None, story, via="narrator_link")


def withdraw_on_request(actor, story: Story, channel: str) -> Story:
    """A narrator asked a mediator (who entered the story) or a moderator to withdraw it:
    done at once, and the audit says how the request came."""
    if channel not in WITHDRAWAL_CHANNELS:
        raise ValidationError(_l("Say how the narrator asked."), field="channel")
    if actor is None:
        raise Forbidden(TRANSITIONS["withdraw"].forbidden)
    return withdraw_story(actor, story, via=channel)


def oai_sets(story: Story) -> list[str]:
    """Set specs of a story: its communes, themes, workshop and its organisers (public, non-personal)."""
    sets = []
    for place in story.places:
        chain = [place, *place.ancestors]
        for node in chain:
            if node.type == "commune":
                sets.append(f"commune:{_slug(node.name)}")
    sets += [f"theme:{t.slug}" for t in story.themes]
    from memoire.network.queries import story_sets  # the workshop it was collected at

    sets += story_sets(story.id)
    return sorted(set(sets))
