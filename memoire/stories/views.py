"""Story pages."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from memoire.maps.geojson import story_places_geojson
from memoire.media.models import DerivativeRole, MediaKind
from memoire.places.geo import places_for
from memoire.stories import responses
from memoire.stories.presenters import derivative_url
from memoire.stories.queries import get_visible_story
from memoire.stories.related import related_stories
from memoire.transcripts.operations import may_edit, may_propose, segment_text
from memoire.transcripts.visibility import is_machine_draft, readable

bp = Blueprint("stories", __name__, url_prefix="/stories")


def _start_seconds() -> float:
    try:
        return max(0.0, float(request.args.get("t", 0)))
    except ValueError:
        return 0.0


@bp.get("/<story_id>")
def show(story_id: str):
    story = get_visible_story(current_user, story_id)
    if str(story.id) != story_id:  # an external id: send to the canonical URL
        return redirect(url_for("stories.show", story_id=story.id, **request.args), 301)
    images = [m for m in story.media if m.kind == MediaKind.image]
    recordings = [m for m in story.media if m.kind == MediaKind.audio]
    photos = [
        {
            "display": derivative_url(m, DerivativeRole.display),
            "thumbnail": derivative_url(m, DerivativeRole.thumbnail),
            "caption": m.caption,
            "alt": m.alt_text or m.caption or story.title,
            "width": (m.derivative(DerivativeRole.display) or m).width,
            "height": (m.derivative(DerivativeRole.display) or m).height,
        }
        for m in images
    ]
    audio = []
    for media in recordings:
        stream = media.derivative(DerivativeRole.stream)
        waveform = media.derivative(DerivativeRole.waveform)
        transcript = next((t for t in readable(current_user, story) if t.media_id == media.id), None)
        segments = [
            {"start": s.start, "end": s.end, "speaker": s.speaker, "text": segment_text(s),
             "place_id": s.place_id, "redacted": s.is_redacted}
            for s in (transcript.segments if transcript else [])
        ]
        audio.append({
            "id": media.id,
            "url": derivative_url(media, DerivativeRole.stream) if stream else None,
            "mime": stream.mime if stream else media.mime,
            "duration": media.duration,
            "peaks_url": derivative_url(media, DerivativeRole.waveform) if waveform else None,
            "pending": stream is None,
            "segments": segments,
            "caption": media.caption,
            "transcript_id": transcript.id if transcript else None,
            "editable": may_edit(current_user, story),
            "proposable": bool(transcript) and may_propose(current_user, story),
            "machine_draft": bool(transcript and is_machine_draft(transcript)),
        })
    # Transcripts with no recording (a typed text) still show.
    loose = [t for t in readable(current_user, story) if t.media_id is None]
    places = places_for(current_user, story)
    # The small map: the story's places and those its recording speaks of (see maps.geojson).
    places_geojson = story_places_geojson(current_user, story)
    return render_template(
        "stories/show.html", story=story, photos=photos, audio=audio, start=_start_seconds(),
        loose_transcripts=loose, places_geojson=places_geojson, segment_text=segment_text,
        places=places,
        # "Je me souviens aussi": public responses only; what this one answers if visible.
        responses=responses.responses_to(story) if story.is_public else [],
        response_count=responses.response_count(story) if story.is_public else 0,
        answered=responses.answered_story(current_user, story),
        related=related_stories(story),
    )

