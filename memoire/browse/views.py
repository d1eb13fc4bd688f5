"""'Tous les souvenirs': plain lists with thumbnails and the map of their stories, no search needed."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from memoire.browse import queries
from memoire.extensions import db
from memoire.places.models import Place
from memoire.places.queries import may_view_place
from memoire.stories.models import Theme
from memoire.stories.presenters import feature_collection, story_card, story_feature

bp = Blueprint("browse", __name__, url_prefix="/memories")

#: Decades people may ask for: the archive speaks of the 19th and 20th centuries and after.
FIRST_DECADE, LAST_DECADE = 1800, 2090


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 1000:
        abort(404)
    return int(raw)


def _listing(title: str, stories, total: int, page: int, **context):
    return render_template(
        "browse/list.html",
        title=title,
        stories=[story_card(s, current_user) for s in stories],
        geojson=feature_collection(story_feature(current_user, s) for s in stories),
        total=total,
        page=page,
        pages=max(1, -(-total // queries.PER_PAGE)),
        **context,
    )


@bp.get("")
def index():
    return render_template(
        "browse/index.html",
        themes=queries.themes(current_user),
        decades=queries.decades(current_user),
        neighbourhoods=queries.neighbourhood_list(current_user),
    )


@bp.get("/theme/<int:theme_id>")
def theme(theme_id: int):
    found = db.session.get(Theme, theme_id)
    if found is None:
        abort(404)
    page = _page_number()
    stories, total = queries.by_theme(current_user, found, page)
    if not total:
        abort(404)  # a theme only private stories carry is not named to others
    from flask_babel import get_locale

    return _listing(found.label(str(get_locale() or "")), stories, total, page, kind="theme")


@bp.get("/decade/<int:decade>")
def decade(decade: int):
    if decade % 10 or not FIRST_DECADE <= decade <= LAST_DECADE:
        abort(404)
    page = _page_number()
    stories, total = queries.by_decade(current_user, decade, page)
    return _listing(f"{decade}–{decade + 9}", stories, total, page, kind="decade")


@bp.get("/place/<int:place_id>")
def place(place_id: int):
    found = db.session.get(Place, place_id)
    if found is None or not may_view_place(current_user, found):
        abort(404)
    page = _page_number()
    stories, total = queries.by_place(current_user, found, page)
    return _listing(found.name, stories, total, page, kind="place", place=found)
