"""Contribution operations: a draft edited step by step, submitted for review, withdrawn.

The draft *is* the wizard's state: each step reads the story as a StoryInput,
changes the part it asks about, and saves it back through `update_story`.
Like every operation they take the acting user, flush, and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from memoire.accounts.models import Role
from memoire.audit import operations as audit
from memoire.core.errors import Forbidden, NotFound, ValidationError
from memoire.extensions import db
from memoire.media import operations as media_ops
from memoire.media.models import Media, MediaKind
from memoire.places.models import Place
from memoire.places.operations import fold
from memoire.stories import operations as story_ops
from memoire.stories.models import Consent, Kind, Precision, Status, Story, Visibility
from memoire.stories.periods import Period

#: Statuses in which the contributor may still change a story.
EDITABLE = frozenset({Status.draft.value, Status.rejected.value})
#: Ways a mediator records how consent was given.
MEDIATOR_CONSENT_METHODS = ("signed_form", "oral_recorded")


def consent_input(consent: Consent | None) -> story_ops.ConsentInput | None:
    """The consent in force as an input, so that saving a step does not record a new one."""
    return story_ops.consent_input_from(consent)


def story_input(story: Story) -> story_ops.StoryInput:
    """Everything a story holds now, as the input `update_story` takes."""
    return story_ops.StoryInput(
        title=story.title,
        summary=story.summary or "",
        body=story.body or "",
        kind=story.kind,
        language=story.language,
        period=Period(
            story.period_start, story.period_end, story.period_text, story.period_approximate
        ),
        recorded_on=story.recorded_on,
        narrators=[
            story_ops.NarratorInput(
                name=p.display_name,
                pseudonym=p.is_pseudonym,
                birth_decade=p.birth_decade,
                neighbourhood=p.neighbourhood,
            )
            for p in story.narrators
        ],
        themes=[t.name for t in story.themes],
        places=[(link.place, link.role) for link in story.place_links],
        lat=story.lat,
        lon=story.lon,
        visibility=story.visibility,
        status=story.status,
        licence=story.licence,
        precision=story.precision,
        external_id=story.external_id,
        consent=consent_input(story.consent),
    )


def save_changes(actor, story: Story, **changes) -> Story:
    """Save one step of the wizard: the story as it is, with these fields changed."""
    data = replace(story_input(story), **changes)
    return story_ops.update_story(actor, story, data)


def start_draft(
    actor, *, title: str, body: str = "", language: str = "fr", themes: Iterable[str] = ()
) -> Story:
    """The first step creates the draft; nothing is visible to anyone but its author and staff."""
    if actor is None:
        raise Forbidden(_l("Log in to share a memory."))
    data = story_ops.StoryInput(
        title=title,
        body=body,
        language=language,
        themes=list(themes),
        visibility=Visibility.private.value,
        status=Status.draft.value,
        precision=Precision.street.value,  # protective by default; the consent step may say "exact"
    )
    return story_ops.create_story(actor, data)


def start_response(
    actor, answered: Story, *, title: str, at: float | None = None, body: str = "",
    language: str = "fr", themes: Iterable[str] = (),
) -> Story:
    """"Je me souviens aussi": a new draft answering a public story (see stories.responses).
    It goes through the same steps, moderation and consent as any contribution."""
    from memoire.stories.responses import link_response

    if actor is None:
        raise Forbidden(_l("Log in to share a memory."))
    story = start_draft(actor, title=title, body=body, language=language, themes=themes)
    return link_response(actor, story, answered, at)


def editable_story(actor, story_id: int) -> Story:
    """The actor's own story, if it may still be changed; the same NotFound as for
    a story that does not exist, so ids reveal nothing."""
    story = db.session.get(Story, story_id)
    if (
        story is None
        or actor is None
        or story.contributor_id != actor.id
        or story.status == Status.withdrawn
    ):
        raise NotFound(_l("This story does not exist, or is not public."))
    if story.status not in EDITABLE:
        raise Forbidden(
            _l("This memory is with the moderators or published: it can no longer be changed here.")
        )
    return story


def own_story(actor, story_id: int) -> Story:
    """The actor's own story in any status but withdrawn, else NotFound."""
    story = db.session.get(Story, story_id)
    if (
        story is None
        or actor is None
        or story.contributor_id != actor.id
        or story.status == Status.withdrawn
    ):
        raise NotFound(_l("This story does not exist, or is not public."))
    return story


def kind_from_media(story: Story) -> str:
    """What a contribution is, from what it holds: a recording makes an oral history."""
    kinds = {m.kind for m in story.media}
    if MediaKind.audio in kinds:
        return Kind.oral_history.value
    if MediaKind.image in kinds and not (story.body or "").strip():
        return Kind.photo.value
    return Kind.heritage.value if story.kind == Kind.heritage else Kind.anecdote.value


def add_contribution_media(
    actor,
    story: Story,
    stream: BinaryIO,
    *,
    caption: str = "",
    alt_text: str = "",
    is_photo: bool = False,
    declared_size: int | None = None,
) -> Media:
    """Take a photo or a recording into a draft; a photo needs words for who cannot see it."""
    caption, alt_text = (caption or "").strip(), (alt_text or "").strip()
    if is_photo and not (alt_text or caption):
        raise ValidationError(
            _l("Describe the photo in a few words, for people who cannot see it."), field="alt_text"
        )
    media = media_ops.add_media(
        actor, story, stream, caption=caption, alt_text=alt_text, declared_size=declared_size
    )
    if media.kind == MediaKind.image and not media.alt_text:
        media.alt_text = story.title  # a photo that came through another door still gets words
    story.kind = kind_from_media(story)
    db.session.flush()
    audit.record(actor, "media.add", "story", story.id, kind=media.kind)
    return media


def update_media_text(actor, media: Media, *, caption: str, alt_text: str) -> Media:
    """Change a media item's caption and description; a photo keeps a description."""
    caption, alt_text = (caption or "").strip(), (alt_text or "").strip()
    if media.kind == MediaKind.image and not (alt_text or caption):
        raise ValidationError(
            _l("Describe the photo in a few words, for people who cannot see it."), field="alt_text"
        )
    media.caption = caption
    media.alt_text = alt_text or caption
    db.session.flush()
    audit.record(actor, "media.update", "story", media.story_id)
    return media


def remove_contribution_media(actor, story: Story, media: Media) -> None:
    if media.story_id != story.id:
        raise NotFound(_l("This file does not exist."))
    media_ops.remove_media(actor, media)
    story.media = [m for m in story.media if m.id != media.id]
    story.kind = kind_from_media(story)
    db.session.flush()
    audit.record(actor, "media.remove", "story", story.id)


def parse_coordinate(text: str | None, *, field_name: str) -> float | None:
    """A coordinate as typed: a dot or a French decimal comma."""
    value = (text or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValidationError(_l("Type a number, for example 50.357."), field=field_name) from None


def check_ready(story: Story) -> None:
    """What a story needs before a moderator is asked to read it."""
    if not (story.body or "").strip() and not story.media:
        raise ValidationError(
            _l("Tell the memory in words, or add a photo or a recording, before sending it."),
            field="body",
        )
    if story.consent is None:
        raise ValidationError(
            _l("Answer the consent questions before sending the memory."), field="consent"
        )
    if not story.narrators:
        raise ValidationError(_l("Say who tells this memory before sending it."), field="narrator")


def submit_contribution(actor, story: Story) -> Story:
    story_ops.check_move(actor, story, "submit")  # a story already sent is a conflict first
    check_ready(story)
    return story_ops.submit_story(actor, story)


def place_suggestions(viewer, query: str, limit: int = 10) -> list[dict]:
    """Known places matching what is typed (accents ignored), among those the viewer may see."""
    from memoire.places.gazetteer import search_places
    from memoire.places.queries import visible_place_ids

    if len(fold(query)) < 2:
        return []
    matches = search_places(query, limit=limit, visible=visible_place_ids(viewer))
    return [place_summary(match.place) for match in matches]


def place_summary(place: Place) -> dict:
    parent = place.parent
    label = f"{place.name} ({parent.name})" if parent is not None else place.name
    return {
        "id": place.id,
        "name": place.name,
        "label": label,
        "type": place.type,
        "lat": place.lat,
        "lon": place.lon,
    }


@dataclass
class WorkshopResult:
    """What became of each file of a workshop upload."""

    filename: str
    story_id: int | None = None
    error: str | None = None


@dataclass
class WorkshopUpload:
    title: str
    consent: story_ops.ConsentInput
    narrator: str = ""
    place: Place | None = None
    period: Period = field(default_factory=lambda: Period(None, None))
    language: str = "fr"
    #: The workshop record the drafts belong to (memoire.network); None: a title prefix only.
    workshop: object | None = None


def _draft_title(upload: WorkshopUpload, filename: str) -> str:
    """With a workshop record the link says where it comes from: the title is the file's name."""
    if upload.workshop is not None and filename:
        stem = filename.rsplit(".", 1)[0] if "." in filename.strip(".") else filename
        return " ".join(stem.replace("_", " ").replace("-", " ").split()) or filename
    return f"{upload.title} — {filename}" if filename else upload.title


def check_mediator(actor) -> None:
    if actor is None or not actor.has_role(Role.mediator, Role.moderator):
        raise Forbidden(_l("Only mediators can upload a workshop's files."))


def workshop_draft(
    actor, upload: WorkshopUpload, filename: str, stream: BinaryIO, declared_size: int | None = None
) -> Story:
    """One draft story per file of a workshop, with the consent the mediator recorded."""
    check_mediator(actor)
    if upload.consent.method not in MEDIATOR_CONSENT_METHODS:
        raise ValidationError(_l("Say how consent was given."), field="method")
    title = _draft_title(upload, filename)
    data = story_ops.StoryInput(
        title=title[:500],
        language=upload.language,
        period=upload.period,
        narrators=[story_ops.NarratorInput(name=upload.narrator)]
        if upload.narrator.strip()
        else [],
        places=[(upload.place, "happened")] if upload.place is not None else [],
        visibility=Visibility.private.value,
        status=Status.draft.value,
        consent=upload.consent,
        precision=upload.consent.precision,
    )
    story = story_ops.create_story(actor, data)
    add_contribution_media(actor, story, stream, alt_text=upload.title, declared_size=declared_size)
    if upload.workshop is not None:
        from memoire.network.operations import attach_story

        attach_story(actor, upload.workshop, story)
    return story
