"""Place pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from memoire.extensions import db
from memoire.places.geo import place_visible_point, places_for
from memoire.places.models import Place
from memoire.places.queries import descendant_ids
from memoire.stories.models import Story, StoryPlace
from memoire.stories.presenters import feature_collection, story_card, story_feature
from memoire.stories.queries import visible_stories
from memoire.transcripts.models import Transcript, TranscriptSegment
from memoire.stories.visibility import visible_clause

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.get("/<int:place_id>")
def show(place_id: int):
    place = db.session.get(Place, place_id)
    if place is None:
        abort(404)
    ids = descendant_ids(place)
    query = (
        visible_stories(current_user)
        .where(Story.id.in_(select(StoryPlace.story_id).where(StoryPlace.place_id.in_(ids))))
        .order_by(Story.period_start.is_(None), Story.period_start, Story.id)
    )
    # A story tied only to a street it may not name publicly is not listed under that street.
    stories = [
        s for s in db.session.scalars(query)
        if set(p.id for p in places_for(current_user, s)) & ids
    ]
    features = []
    point = place_visible_point(place)
    if place.outline:
        features.append({"type": "Feature", "geometry": place.outline,
                         "properties": {"title": place.name, "outline": True}})
    elif point:
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
                         "properties": {"title": place.name}})
    features += [story_feature(current_user, s) for s in stories]
    moments = db.session.execute(
        select(TranscriptSegment, Transcript.story_id)
        .join(Transcript, Transcript.id == TranscriptSegment.transcript_id)
        .join(Story, Story.id == Transcript.story_id)
        .where(TranscriptSegment.place_id.in_(ids), TranscriptSegment.is_redacted.is_(False))
        .where(visible_clause(current_user))
        .order_by(Transcript.story_id, TranscriptSegment.start)
    ).all()
    children = sorted(place.children, key=lambda p: p.name)
    return render_template(
        "places/show.html", place=place, ancestors=place.ancestors, children=children,
        stories=[story_card(s, current_user) for s in stories],
        geojson=feature_collection(features),
        moments=[
            {"story_id": sid, "start": seg.start, "speaker": seg.speaker, "text": seg.text,
             "url": url_for("stories.show", story_id=sid, t=int(seg.start or 0)) + "#player"}
            for seg, sid in moments
        ],
    )
