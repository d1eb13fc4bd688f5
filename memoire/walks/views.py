"""Walk pages: the list, the walk itself (phone first, printable without JavaScript), the builders' editor.

Views parse the request, call operations and commit. The editor is plain forms
(no JavaScript needed); walk.js only adds, with the visitor's permission, the
distance to the next stop, computed on the phone.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from memoire.accounts.access import role_required
from memoire.accounts.models import Role
from memoire.core.errors import MemoireError, ValidationError
from memoire.exhibitions.forms import format_time, parse_time
from memoire.extensions import db
from memoire.stories.visibility import may_view
from memoire.walks import operations as ops
from memoire.walks.models import Walk, WalkStop
from memoire.walks.presenters import walk_document, walk_geojson

bp = Blueprint("walks", __name__, url_prefix="/walks")


#: Curators, mediators and administrators: others are sent to log in, or refused (403).
builder_required = role_required(Role.curator, Role.mediator)


# --------------------------------------------------------------------------- visitors


@bp.get("")
def index():
    """The published walks, newest first."""
    cards = [walk_document(walk) for walk in ops.published_walks()]
    return render_template("walks/index.html", cards=cards, may_build=ops.may_build(current_user))


@bp.get("/<slug>")
def show(slug: str):
    """The walk: the route on the map, the stops in order with their text and excerpt."""
    if ops.may_build(current_user):
        walk = ops.get_walk(slug)  # builders see drafts, marked as such
    else:
        walk = ops.get_published_walk(slug)
    document = walk_document(walk)
    return render_template(
        "walks/show.html",
        doc=document,
        walk=walk,
        geojson=walk_geojson(document),
        may_build=ops.may_build(current_user),
    )


# --------------------------------------------------------------------------- builders


def _fail(error: MemoireError) -> None:
    db.session.rollback()
    flash(str(error.message), "error")


def _stop(walk: Walk, stop_id: int) -> WalkStop:
    stop = db.session.get(WalkStop, stop_id)
    if stop is None or stop.walk_id != walk.id:
        abort(404)
    return stop


def _excerpt(form) -> ops.Excerpt:
    try:
        start = parse_time(form.get("start"))
        end = parse_time(form.get("end"))
    except ValueError:
        raise ValidationError(
            _l("Write a time as seconds (75) or minutes:seconds (1:15)."), field="excerpt"
        ) from None
    return ops.Excerpt(start=start, end=end)


@bp.get("/manage")
@builder_required
def manage():
    return render_template("walks/manage.html", walks=ops.all_walks())


@bp.route("/new", methods=["GET", "POST"])
@builder_required
def new():
    if request.method == "POST":
        try:
            walk = ops.create_walk(
                current_user,
                request.form.get("title", ""),
                slug=request.form.get("slug", ""),
                introduction=request.form.get("introduction", ""),
            )
            db.session.commit()
        except MemoireError as error:
            _fail(error)
            return render_template("walks/new.html", form=request.form), 400
        flash(_("Walk created. Add its stops."), "success")
        return redirect(url_for("walks.edit", slug=walk.slug))
    return render_template("walks/new.html", form={})


@bp.get("/<slug>/edit")
@builder_required
def edit(slug: str):
    walk = ops.get_walk(slug)
    return render_template(
        "walks/edit.html",
        walk=walk,
        doc=walk_document(walk),
        hidden=ops.hidden_stops(walk),
        format_time=format_time,
        may_view=may_view,
    )


@bp.post("/<slug>/edit")
@builder_required
def update(slug: str):
    walk = ops.get_walk(slug)
    try:
        ops.update_walk(
            current_user,
            walk,
            request.form.get("title", ""),
            slug=request.form.get("slug", ""),
            introduction=request.form.get("introduction", ""),
        )
        db.session.commit()
        flash(_("Walk saved."), "success")
    except MemoireError as error:
        _fail(error)
    return redirect(url_for("walks.edit", slug=walk.slug))


@bp.post("/<slug>/status")
@builder_required
def status(slug: str):
    walk = ops.get_walk(slug)
    try:
        ops.set_status(current_user, walk, request.form.get("status", ""))
        db.session.commit()
    except MemoireError as error:
        _fail(error)
    return redirect(url_for("walks.edit", slug=walk.slug))


@bp.post("/<slug>/delete")
@builder_required
def delete(slug: str):
    ops.delete_walk(current_user, ops.get_walk(slug))
    db.session.commit()
    flash(_("Walk deleted."), "success")
    return redirect(url_for("walks.manage"))


@bp.post("/<slug>/stops")
@builder_required
def add_stop(slug: str):
    walk = ops.get_walk(slug)
    try:
        ops.add_stop(
            current_user,
            walk,
            request.form.get("story", ""),
            text=request.form.get("text", ""),
            excerpt=_excerpt(request.form),
        )
        db.session.commit()
        flash(_("Stop added."), "success")
    except MemoireError as error:
        _fail(error)
    return redirect(url_for("walks.edit", slug=walk.slug, _anchor="stops"))


@bp.post("/<slug>/stops/<int:stop_id>")
@builder_required
def update_stop(slug: str, stop_id: int):
    walk = ops.get_walk(slug)
    stop = _stop(walk, stop_id)
    action = request.form.get("action", "save")
    try:
        if action == "remove":
            ops.remove_stop(current_user, stop)
        elif action in {"up", "down"}:
            ops.move_stop(current_user, stop, -1 if action == "up" else 1)
        else:
            ops.update_stop(
                current_user,
                stop,
                text=request.form.get("text", ""),
                excerpt=_excerpt(request.form),
            )
        db.session.commit()
    except MemoireError as error:
        _fail(error)
    return redirect(url_for("walks.edit", slug=walk.slug, _anchor="stops"))
