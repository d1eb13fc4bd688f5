"""Stories as the API and the exports describe them: plain dicts, the same for every door.

Built for one viewer: places through `places_for`, points through `point_for`, media
by their derivatives only (never an original), transcript text through
`segment_text` (withheld passages neutral). Nothing about contributors, not even a
name; narrators appear by the display name they chose; consent as booleans only.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from memoire.media.models import DerivativeRole, Media
from memoire.places.geo import places_for, point_for
from memoire.stories.citation import short_url
from memoire.stories.models import Story
from memoire.stories.periods import period_label
from memoire.stories.responses import answered_story
from memoire.transcripts.models import Transcript
from memoire.transcripts.operations import segment_text
from memoire.transcripts.visibility import is_machine_draft, readable
from memoire.web.templating import kind_label

#: Derivatives listed for each media item, in this order.
PUBLIC_ROLES = (
    DerivativeRole.thumbnail,
    DerivativeRole.display,
    DerivativeRole.stream,
    DerivativeRole.waveform,
)


def iso(moment: datetime | date | None) -> str | None:
    """UTC datetimes as `2024-05-01T10:00:00Z`, dates as `2024-05-01`."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.replace(microsecond=0).isoformat() + "Z"
    return moment.isoformat()


def is_staff(viewer) -> bool:
    return bool(getattr(viewer, "is_authenticated", False) and getattr(viewer, "is_staff", False))


def is_owner(viewer, story: Story) -> bool:
    return bool(getattr(viewer, "is_authenticated", False) and story.contributor_id == viewer.id)


def derivative_link(media: Media | None, role: str) -> str | None:
    """Absolute URL of a derivative (the content hash in it makes it cacheable), or None."""
    derivative = media.derivative(role) if media is not None else None
    if derivative is None:
        return None
    return url_for(
        "media.derivative", derivative_id=derivative.id, sha=derivative.sha256[:16], _external=True
    )


def story_links(story: Story) -> dict[str, str]:
    def api(endpoint: str) -> str:
        return url_for(endpoint, story_id=story.id, _external=True)

    return {
        "self": api("api.story"),
        "page": url_for("stories.show", story_id=story.id, _external=True),
        "short": short_url(story),
        "manifest": api("api.story_manifest"),
        "citation": api("api.story_citation"),
        "dublin_core": api("api.story_dublin_core"),
        "json_ld": api("api.story_json_ld"),
    }


def period_json(story: Story) -> dict:
    return {
        "start": story.period_start,
        "end": story.period_end,
        "text": story.period_text,
        "approximate": bool(story.period_approximate),
        "label": period_label(story) or None,
    }


def point_json(viewer, story: Story) -> dict | None:
    point = point_for(viewer, story)
    if point is None:
        return None
    return {"lat": round(point[0], 6), "lon": round(point[1], 6), "precision": story.precision}


def places_json(viewer, story: Story) -> list[dict]:
    """The places this viewer may see, each with its role in the story."""
    allowed = {place.id for place in places_for(viewer, story)}
    return [
        {
            "id": link.place.id,
            "name": link.place.name,
            "type": link.place.type,
            "role": link.role,
            "url": url_for("places.show", place_id=link.place.id, _external=True),
        }
        for link in story.place_links
        if link.place_id in allowed
    ]


def themes_json(story: Story, locale: str | None = None) -> list[dict]:
    return [{"slug": t.slug, "name": t.name, "label": t.label(locale)} for t in story.themes]


def narrators_json(story: Story) -> list[dict]:
    """Narrators by the display name they chose; nothing else about them."""
    return [
        {"name": person.display_name, "pseudonym": bool(person.is_pseudonym)}
        for person in story.narrators
    ]


def thumbnail_link(story: Story) -> str | None:
    image = next(
        (m for m in story.media if m.derivative(DerivativeRole.thumbnail) is not None), None
    )
    return derivative_link(image, DerivativeRole.thumbnail)


def story_summary(viewer, story: Story, locale: str | None = None) -> dict:
    """What a list shows of a story."""
    item = {
        "id": story.id,
        "external_id": story.external_id,
        "title": story.title,
        "summary": story.summary or "",
        "kind": story.kind,
        "kind_label": kind_label(story.kind),
        "language": story.language,
        "period": period_json(story),
        "themes": themes_json(story, locale),
        "places": places_json(viewer, story),
        "point": point_json(viewer, story),
        "narrators": narrators_json(story),
        "licence": story.licence,
        "status": story.status,
        "visibility": story.visibility,
        "published_at": iso(story.published_at),
        "updated_at": iso(story.updated_at),
        "thumbnail": thumbnail_link(story),
        "links": story_links(story),
    }
    return item


def media_json(media: Media) -> dict:
    derivatives = {}
    for role in PUBLIC_ROLES:
        derivative = media.derivative(role)
        if derivative is not None:
            derivatives[str(role)] = {
                "url": derivative_link(media, role),
                "mime": derivative.mime,
                "size": derivative.size,
                "width": derivative.width,
                "height": derivative.height,
            }
    display = media.derivative(DerivativeRole.display)
    return {
        "id": media.id,
        "kind": media.kind,
        "position": media.position,
        "caption": media.caption or "",
        "alt_text": media.alt_text or "",
        "width": display.width if display is not None else None,
        "height": display.height if display is not None else None,
        "duration": media.duration,
        "processing": media.processing,
        "derivatives": derivatives,
    }


def segment_json(segment) -> dict:
    return {
        "start": segment.start,
        "end": segment.end,
        "speaker": segment.speaker,
        "text": segment_text(segment),
        "redacted": bool(segment.is_redacted),
    }


def transcript_json(story: Story, transcript: Transcript) -> dict:
    args = {"story_id": story.id, "_external": True}
    if transcript.media_id is not None:
        args["media"] = transcript.media_id
    return {
        "id": transcript.id,
        "media_id": transcript.media_id,
        "language": transcript.language,
        "timed": transcript.is_timed,
        # A machine draft says so wherever it appears ("automatic transcription, not reviewed").
        "machine_draft": is_machine_draft(transcript),
        "segments": [segment_json(s) for s in transcript.segments],
        "links": {
            "webvtt": url_for("api.story_transcript_vtt", **args),
            "text": url_for("api.story_transcript_text", **args),
        },
    }


def consent_json(story: Story) -> dict:
    """What the narrator agreed to, as booleans: never who agreed, when, or how."""
    consent = story.consent
    given = consent is not None and consent.withdrawn_at is None
    return {
        "online_publication": bool(given and consent.online_publication),
        "research_use": bool(given and consent.research_use),
        "exhibition_use": bool(given and consent.exhibition_use),
        "licence": story.licence,
    }


def story_detail(viewer, story: Story, locale: str | None = None) -> dict:
    """Everything this viewer may know of one story."""
    item = story_summary(viewer, story, locale)
    item.update(
        {
            "body": story.body or "",
            "recorded_on": iso(story.recorded_on),
            "created_at": iso(story.created_at),
            "media": [media_json(m) for m in story.media],
            "transcripts": [transcript_json(story, t) for t in readable(viewer, story)],
            "consent": consent_json(story),
            "answers": answered_json(viewer, story),
        }
    )
    if (is_staff(viewer) or is_owner(viewer, story)) and story.moderation_note:
        item["moderation_note"] = story.moderation_note
    return item


def answered_json(viewer, story: Story) -> dict | None:
    """The story `story` answers, as far as the viewer may know it (one rule: responses)."""
    answered = answered_story(viewer, story)
    if answered is None:
        return None
    return {
        "id": answered.id,
        "title": answered.title,
        "at": story.answers_at,
        "url": url_for("api.story", story_id=answered.id, _external=True),
        "page": url_for("stories.show", story_id=answered.id, _external=True),
    }


def story_changed_at(story: Story) -> datetime | None:
    """The latest change to a story or what it holds, for Last-Modified."""
    moments = [story.updated_at, *(m.updated_at for m in story.media)]
    moments += [t.updated_at for t in story.transcripts]
    moments += [c.given_at for c in story.consents]
    found = [m for m in moments if m is not None]
    return max(found) if found else None
