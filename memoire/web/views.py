"""The home page: recent memories, where they are, the neighbourhoods."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from memoire.extensions import db
from memoire.places.queries import neighbourhoods
from memoire.stories.models import Status, Story
from memoire.stories.presenters import feature_collection, story_card, story_feature
from memoire.stories.queries import recent_stories, visible_stories

bp = Blueprint("web", __name__)

#: Points on the home map; the full map page takes the rest.
HOME_MAP_LIMIT = 500


@bp.get("/")
def home():
    recent = recent_stories(current_user, limit=12)
    mapped = db.session.scalars(
        visible_stories(current_user)
        .where(Story.status == Status.published.value)
        .order_by(Story.id.desc())
        .limit(HOME_MAP_LIMIT)
    )
    geojson = feature_collection(story_feature(current_user, s) for s in mapped)
    return render_template(
        "home.html",
        stories=[story_card(s, current_user) for s in recent],
        geojson=geojson,
        neighbourhoods=[(p, n) for p, n in neighbourhoods(current_user) if n],
    )
