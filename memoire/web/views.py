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


#: Stories listed in the sitemap and the feed (the newest first).
FEED_SIZE = 50
SITEMAP_LIMIT = 50_000


@bp.get("/sitemap.xml")
def sitemap():
    """Public, published stories and places only: what search engines may index."""
    from flask import Response, url_for
    from sqlalchemy import select

    from memoire.places.models import Place
    from memoire.stories.visibility import is_public_clause

    rows = db.session.execute(
        select(Story.id, Story.updated_at).where(is_public_clause()).order_by(Story.id).limit(SITEMAP_LIMIT)
    ).all()
    places = db.session.scalars(select(Place.id).order_by(Place.id).limit(SITEMAP_LIMIT)).all()
    xml = render_template(
        "sitemap.xml",
        stories=[(url_for("stories.show", story_id=i, _external=True), t) for i, t in rows],
        places=[url_for("places.show", place_id=i, _external=True) for i in places],
        home=url_for("web.home", _external=True),
    )
    return Response(xml, mimetype="application/xml")


@bp.get("/feed.atom")
def feed():
    """An Atom feed of the newest public memories."""
    from flask import Response, url_for
    from sqlalchemy import select

    from memoire.stories.visibility import is_public_clause

    stories = list(db.session.scalars(
        select(Story).where(is_public_clause())
        .order_by(Story.published_at.desc(), Story.id.desc()).limit(FEED_SIZE)
    ))
    xml = render_template(
        "feed.atom.xml", stories=stories,
        home=url_for("web.home", _external=True),
        self_url=url_for("web.feed", _external=True),
    )
    return Response(xml, mimetype="application/atom+xml")
