"""Place pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from memoire.extensions import db
from memoire.maps.geojson import may_show_place_type, place_features
from memoire.places.geo import places_for
from memoire.places.models import Place
from memoire.places.queries import descendant_ids, may_view_place, visible_place_precisions
from memoire.stories.models import Story, StoryPlace
from memoire.stories.presenters import feature_collection, story_card, story_feature
from memoire.stories.queries import visible_stories
from memoire.stories.visibility import visible_clause
from memoire.transcripts.models import Transcript, TranscriptSegment
from memoire.transcripts.visibility import public_clause as transcript_public_clause

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.get("/<int:place_id>")
def show(place_id: int):
    place = db.session.get(Place, place_id)
    if place is None or not may_view_place(current_user, place):
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
    precisions = visible_place_precisions(current_user)
    shown = None if precisions is None else set(precisions)
    children = sorted((c for c in place.children if shown is None or c.id in shown), key=lambda p: p.name)
    # The place (its outline when it has one), its child places, then its stories.
    features = place_features(place, children, precisions)
    features += [story_feature(current_user, s) for s in stories]
    place_types = {p.id: p.type for p in db.session.scalars(select(Place).where(Place.id.in_(ids)))}
    moments = db.session.execute(
        select(TranscriptSegment, Transcript.story_id, Story.precision)
        .join(Transcript, Transcript.id == TranscriptSegment.transcript_id)
        .join(Story, Story.id == Transcript.story_id)
        .where(TranscriptSegment.place_id.in_(ids), TranscriptSegment.is_redacted.is_(False))
        .where(visible_clause(current_user), transcript_public_clause())
        .order_by(Transcript.story_id, TranscriptSegment.start)
    ).all()
    # A moment is listed under a place only when its story's precision lets the public see that place.
    moments = [
        (seg, sid) for seg, sid, precision in moments
        if may_show_place_type(current_user, precision, place_types.get(seg.place_id))
    ]
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
