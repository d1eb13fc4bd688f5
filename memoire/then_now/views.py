"""Then-and-now pages: every shown pair on a map and in a list, one pair with its slider,
and the form pairing an archive photo with a photo of today.

The slider works without JavaScript as two photos side by side (then-now.js only
overlays them); the story page gets its pairs through `then_now_pairs_of`.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from memoire.core.errors import MemoireError
from memoire.extensions import db
from memoire.media.models import Media, MediaKind
from memoire.stories.models import Status, Story
from memoire.then_now import operations as ops
from memoire.then_now.presenters import pair_document, pairs_geojson

bp = Blueprint("then_now", __name__, url_prefix="/then-and-now")


@bp.app_template_global()
def then_now_pairs_of(story: Story) -> list[dict]:
    """The shown pairs of a story, for its page (nothing unless both sides are public)."""
    return [pair_document(pair) for pair in ops.pairs_of_story(story)]


@bp.get("")
def index():
    """Every shown pair: a map layer and a list."""
    documents = [pair_document(pair) for pair in ops.shown_pairs()]
    return render_template("then_now/index.html", pairs=documents, geojson=pairs_geojson(documents))


@bp.get("/<int:pair_id>")
def show(pair_id: int):
    pair = ops.get_shown_pair(pair_id)
    document = pair_document(pair)
    return render_template(
        "then_now/show.html",
        pair=document,
        geojson=pairs_geojson([document]),
        may_undo=ops.may_unpair(current_user, pair),
    )


@bp.post("/<int:pair_id>/undo")
@login_required
def undo(pair_id: int):
    """Undo a pair (whoever made it, or staff): both photos and their stories stay."""
    pair = ops.get_pair_to_undo(current_user, pair_id)
    then_story_id = pair.then_media.story_id
    try:
        ops.unpair(current_user, pair)
        db.session.commit()
    except MemoireError:
        db.session.rollback()
        raise
    flash(_("The pair is undone; both photos stay."), "success")
    return redirect(url_for("stories.show", story_id=then_story_id))


def _own_photos(user) -> list[Media]:
    """Photos of the user's own stories, newest first: the candidates for "today"."""
    query = (
        select(Media)
        .join(Story, Story.id == Media.story_id)
        .where(
            Story.contributor_id == user.id,
            Story.status != Status.withdrawn.value,
            Media.kind == MediaKind.image.value,
        )
        .order_by(Story.id.desc(), Media.position)
        .limit(60)
    )
    return list(db.session.scalars(query))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = request.form if request.method == "POST" else request.args
    try:
        then = ops.then_photo(form.get("then", ""))
    except MemoireError:
        db.session.rollback()
        raise
    context = {
        "then": then,
        "then_doc": {
            "story": then.story,
            "alt": then.alt_text or then.caption or then.story.title,
        },
        "photos": _own_photos(current_user),
        "places": [p for p in ops.place_choices(then.story) if ops.place_allowed(p, then.story)],
        "form": form,
    }
    if request.method == "POST":
        try:
            pair = ops.pair_photos(
                current_user,
                then.id,
                form.get("now", ""),
                place=form.get("place", "").strip() or None,
                caption=form.get("caption", ""),
            )
            db.session.commit()
        except MemoireError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return render_template("then_now/new.html", **context), 400
        if ops.is_shown(pair):
            flash(_("The two photos are paired."), "success")
            return redirect(url_for("then_now.show", pair_id=pair.id))
        flash(
            _("The two photos are paired; the pair will be shown once your photo is published."),
            "success",
        )
        return redirect(url_for("stories.show", story_id=then.story_id))
    return render_template("then_now/new.html", **context)
