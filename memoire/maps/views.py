"""Map pages: the map of memories, subjective map layers and the feelings per quartier."""

from __future__ import annotations

import json
from functools import wraps

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from memoire.core.errors import MemoireError, NotFound, ValidationError
from memoire.core.inputs import loads_json
from memoire.extensions import db, login_manager
from memoire.maps import operations as ops
from memoire.maps.forms import FeatureForm, ImportForm, LayerForm, ReasonForm
from memoire.maps.geojson import MapFilters, parse_map_filters, stories_geojson
from memoire.maps.geometry import GeometryError
from memoire.maps.models import MapFeature
from memoire.maps.presenters import (
    FEELING_COLOURS,
    STATUS_LABELS,
    feeling_label,
    feelings,
    layer_summary,
    layers_geojson,
)
from memoire.maps.queries import feelings_by_quartier, layers_to_review, visible_layers
from memoire.places.queries import neighbourhoods, visible_place_ids
from memoire.stories.models import Kind, Story, Theme, story_themes
from memoire.stories.visibility import visible_clause
from memoire.web.templating import kind_label

bp = Blueprint("maps", __name__, url_prefix="/map")

#: South, west, north, east: the network's neighbourhoods, from Denain to Mons.
NETWORK_BOUNDS = (50.30, 3.36, 50.50, 3.98)
#: Stories listed on the page without JavaScript when filters are given.
NO_JS_LIST_LIMIT = 100
#: Colours of the kinds of story on the map (the legend shows them).
KIND_COLOURS = {
    Kind.oral_history.value: "#8a3324",
    Kind.photo.value: "#24506e",
    Kind.anecdote.value: "#2d5f2e",
    Kind.heritage.value: "#7a4b00",
}
#: Colours given to themes, most frequent first; the others share the last one.
THEME_COLOURS = [
    "#8a3324",
    "#24506e",
    "#2d5f2e",
    "#7a4b00",
    "#6f4a94",
    "#0f6b6b",
    "#a3336b",
    "#4d4d4d",
]


def login_needed(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


# --- the map of memories ----------------------------------------------------------------------


def _themes_with_counts() -> list[dict]:
    rows = db.session.execute(
        select(Theme.slug, Theme.name, Theme.names, func.count(story_themes.c.story_id))
        .join(story_themes, story_themes.c.theme_id == Theme.id)
        .join(Story, Story.id == story_themes.c.story_id)
        .where(visible_clause(current_user))
        .group_by(Theme.id)
        .order_by(func.count(story_themes.c.story_id).desc(), Theme.name)
    ).all()
    locale = str(get_locale() or "")
    themes = []
    for i, (slug, name, names, count) in enumerate(rows):
        label = (names or {}).get(locale) or name
        colour = THEME_COLOURS[min(i, len(THEME_COLOURS) - 1)]
        themes.append({"slug": slug, "label": label, "count": count, "color": colour})
    return themes


def _decades() -> list[int]:
    low, high = db.session.execute(
        select(
            func.min(Story.period_start),
            func.max(func.coalesce(Story.period_end, Story.period_start)),
        ).where(visible_clause(current_user))
    ).one()
    if low is None:
        return []
    return list(range(low - low % 10, high - high % 10 + 10, 10))


def _period_range_url(decades: list[int]) -> str | None:
    """The period range's two handles (`decade_from`, `decade_to`, sent by the form without
    JavaScript) as one `decade=1950-1970` filter, or none when they span every decade."""
    ends = [request.args.get(k, "").strip() for k in ("decade_from", "decade_to")]
    ends = [end for end in ends if end]
    if not ends:
        return None
    if len(ends) == 2 and all(end.isdigit() for end in ends):
        ends = sorted(ends, key=int)
    whole = decades and ends == [str(decades[0]), str(decades[-1])]
    period = None if whole else (ends[0] if ends[0] == ends[-1] else f"{ends[0]}-{ends[-1]}")
    args = {
        k: v for k, v in request.args.items() if k not in ("decade", "decade_from", "decade_to")
    }
    return url_for("maps.map_page", **args, **({"decade": period} if period else {}))


def _period_range(decades: list[int], filters: MapFilters) -> dict | None:
    """Bounds and values of the period range: the archive's decades, and the chosen ones."""
    chosen = list(filters.period or ())
    known = sorted({*decades, *chosen})
    if len(known) < 2:
        return None
    return {
        "min": known[0],
        "max": known[-1],
        "low": chosen[0] if chosen else known[0],
        "high": chosen[-1] if chosen else known[-1],
    }


@bp.get("")
def map_page():
    """The map of memories; without JavaScript, the places with their counts."""
    decades = _decades()
    redirect_to = _period_range_url(decades)
    if redirect_to:
        return redirect(redirect_to)
    try:
        filters = parse_map_filters(request.args)
    except ValidationError as error:
        flash(str(error.message), "error")
        filters = MapFilters()
    filtered = None
    if filters != MapFilters():
        filtered = stories_geojson(current_user, filters)["features"][:NO_JS_LIST_LIMIT]
    layers = visible_layers(current_user, published_only=True)
    themes = _themes_with_counts()
    settings = {
        "bounds": NETWORK_BOUNDS,
        "kinds": [
            {"value": k.value, "label": kind_label(k.value), "color": KIND_COLOURS[k.value]}
            for k in Kind
        ],
        "themes": themes,
        "feelings": feelings(),
        "layers": [
            {
                "id": layer.id,
                "title": layer.title,
                "group": layer.group_name,
                "url": url_for("maps.layer", layer_id=layer.id),
                "geojson_url": url_for("api.layer_geojson", layer_id=layer.id),
            }
            for layer in layers
        ],
    }
    return render_template(
        "maps/map.html",
        neighbourhoods=[(p, n) for p, n in neighbourhoods(current_user) if n],
        filters=filters,
        q=(request.args.get("q") or "").strip(),
        filtered=filtered,
        themes=themes,
        kinds=settings["kinds"],
        decades=decades,
        period=_period_range(decades, filters),
        layers=layers,
        settings=settings,
    )


@bp.get("/feelings")
def feelings_page():
    """The "heat" of feelings per quartier, as a table (and circles on the map with JavaScript)."""
    rows = feelings_by_quartier(
        visible_layers(current_user, published_only=True), visible_place_ids(current_user)
    )
    return render_template("maps/feelings.html", rows=rows, feelings=feelings())


# --- layers ----------------------------------------------------------------------------------


def _layer_input(form: LayerForm) -> ops.LayerInput:
    return ops.LayerInput(
        title=form.title.data or "",
        group_name=form.group_name.data or "",
        description=form.description.data or "",
    )


def _form_error(form, error: MemoireError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error.message)]
    else:
        flash(str(error.message), "error")


@bp.get("/layers")
def layers():
    items = [layer_summary(layer) for layer in visible_layers(current_user)]
    return render_template(
        "maps/layers.html", layers=items, may_review=ops.may_moderate_layers(current_user)
    )


@bp.route("/layers/new", methods=["GET", "POST"])
@login_needed
def new_layer():
    form = LayerForm()
    if form.validate_on_submit():
        try:
            layer = ops.create_layer(current_user, _layer_input(form))
            db.session.commit()
        except MemoireError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            flash(_("Map created. Now draw on it."), "success")
            return redirect(url_for("maps.edit_layer", layer_id=layer.id))
    return render_template("maps/layer_form.html", form=form), 400 if form.errors else 200


@bp.get("/layers/<int:layer_id>")
def layer(layer_id: int):
    layer = ops.get_layer(current_user, layer_id)
    collection = layers_geojson(current_user, [layer])
    return render_template(
        "maps/layer.html",
        layer=layer,
        summary=layer_summary(layer),
        display=_display(collection),
        features=collection["features"],
        may_edit=ops.may_edit_layer(current_user, layer),
        may_moderate=ops.may_moderate_layers(current_user),
        reason_form=ReasonForm(),
        status_label=STATUS_LABELS.get(layer.status, layer.status),
    )


def _display(collection: dict) -> dict:
    """Features as the shared map script shows them: title, a detail line, a comment, a colour."""
    features = []
    for feature in collection["features"]:
        props = feature["properties"]
        shown = {
            "title": props["label"] or props["feeling_label"],
            "kind": props["feeling_label"],
            "comment": props["comment"],
            "color": props["color"],
        }
        if props.get("story_url"):
            shown["url"] = props["story_url"]
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": shown})
    return {"type": "FeatureCollection", "features": features}


def _feature_form(feature: MapFeature) -> FeatureForm:
    form = FeatureForm(prefix=f"f{feature.id}", formdata=None)
    form.label.data = feature.label
    form.feeling.data = feature.feeling
    form.comment.data = feature.comment
    form.author_name.data = feature.author_name
    form.story_id.data = str(feature.story_id) if feature.story_id else ""
    return form


def _render_editor(layer, form: LayerForm, feature_forms=None, status: int = 200):
    collection = layers_geojson(current_user, [layer])
    forms = feature_forms or {}
    rows = [
        {
            "feature": feature,
            "form": forms.get(feature.id) or _feature_form(feature),
            "kind": props["kind"],
            "feeling_label": props["feeling_label"],
        }
        for feature, props in zip(
            layer.features, (f["properties"] for f in collection["features"]), strict=True
        )
    ]
    editor = {
        "saveUrl": url_for("maps.save_features", layer_id=layer.id),
        "geojsonUrl": url_for("api.layer_geojson", layer_id=layer.id),
        "feelings": feelings(),
        "bounds": NETWORK_BOUNDS,
    }
    return render_template(
        "maps/layer_edit.html",
        layer=layer,
        form=form,
        rows=rows,
        editor=editor,
        geojson=collection,
        import_form=ImportForm(),
        status_label=STATUS_LABELS.get(layer.status, layer.status),
    ), status


@bp.route("/layers/<int:layer_id>/edit", methods=["GET", "POST"])
@login_needed
def edit_layer(layer_id: int):
    layer = ops.get_layer(current_user, layer_id, edit=True)
    form = LayerForm(obj=layer if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            ops.update_layer(current_user, layer, _layer_input(form))
            db.session.commit()
        except MemoireError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("maps.edit_layer", layer_id=layer.id))
    return _render_editor(layer, form, status=400 if form.errors else 200)


@bp.post("/layers/<int:layer_id>/features.json")
@login_needed
def save_features(layer_id: int):
    """The browser editor saves the whole layer as a FeatureCollection (JSON, CSRF header)."""
    layer = ops.get_layer(current_user, layer_id, edit=True)
    collection = request.get_json(silent=True)
    if collection is None:
        raise ValidationError(_l("Send the features as GeoJSON (application/json)."))
    try:
        ops.save_features(current_user, layer, collection)
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        body = {
            "error": {"code": error.code, "message": str(error.message), "status": error.status}
        }
        if isinstance(error, GeometryError) and error.index is not None:
            body["error"]["index"] = error.index
        return jsonify(body), error.status
    return jsonify(layers_geojson(current_user, [layer]))


def _feature_of(layer, feature_id: int) -> MapFeature:
    feature = db.session.get(MapFeature, feature_id)
    if feature is None or feature.map_id != layer.id:
        raise NotFound(_l("This feature does not exist."))
    return feature


@bp.post("/layers/<int:layer_id>/features/<int:feature_id>")
@login_needed
def update_feature(layer_id: int, feature_id: int):
    """What a feature says, from the form under the map (works without JavaScript)."""
    layer = ops.get_layer(current_user, layer_id, edit=True)
    feature = _feature_of(layer, feature_id)
    form = FeatureForm(prefix=f"f{feature.id}")
    if form.validate_on_submit():
        data = ops.FeatureInput(
            geometry=None,
            feeling=form.feeling.data,
            label=form.label.data or "",
            comment=form.comment.data or "",
            author_name=form.author_name.data or "",
            story_id=(form.story_id.data or "").strip() or None,
        )
        try:
            ops.update_feature(current_user, feature, data)
            db.session.commit()
        except MemoireError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            flash(_("Feature saved."), "success")
            return redirect(
                url_for("maps.edit_layer", layer_id=layer.id) + f"#feature-{feature.id}"
            )
    return _render_editor(layer, LayerForm(obj=layer), {feature.id: form}, status=400)


@bp.post("/layers/<int:layer_id>/features/<int:feature_id>/delete")
@login_needed
def delete_feature(layer_id: int, feature_id: int):
    layer = ops.get_layer(current_user, layer_id, edit=True)
    ops.delete_feature(current_user, _feature_of(layer, feature_id))
    db.session.commit()
    flash(_("Feature deleted."), "success")
    return redirect(url_for("maps.edit_layer", layer_id=layer.id))


@bp.route("/layers/<int:layer_id>/import", methods=["GET", "POST"])
@login_needed
def import_layer(layer_id: int):
    """Add the features of a GeoJSON file; a bad feature refuses the file, naming its index."""
    layer = ops.get_layer(current_user, layer_id, edit=True)
    form = ImportForm()
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            try:
                collection = loads_json(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise ValidationError(
                    _l("The file is not GeoJSON (JSON text in UTF-8)."), field="file"
                ) from None
            added = ops.import_layer(current_user, layer, collection)
            db.session.commit()
        except MemoireError as error:
            db.session.rollback()
            form.file.errors = [*form.file.errors, str(error.message)]
        else:
            flash(_("%(n)s features imported.", n=len(added)), "success")
            return redirect(url_for("maps.edit_layer", layer_id=layer.id))
    return render_template(
        "maps/layer_import.html", layer=layer, form=form
    ), 400 if form.errors else 200


def _status_action(layer_id: int, action, message: str, *, edit: bool = False, **kw):
    layer = ops.get_layer(current_user, layer_id, edit=edit)
    try:
        action(current_user, layer, **kw)
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        if error.status != 400:
            raise
        flash(str(error.message), "error")
    else:
        flash(message, "success")
    if request.form.get("next") == "review":
        return redirect(url_for("maps.review_layers"))
    return redirect(url_for("maps.layer", layer_id=layer_id))


@bp.post("/layers/<int:layer_id>/submit")
@login_needed
def submit_layer(layer_id: int):
    return _status_action(
        layer_id, ops.submit_layer, _("Sent for review. A moderator will publish it."), edit=True
    )


@bp.post("/layers/<int:layer_id>/publish")
@login_needed
def publish_layer(layer_id: int):
    return _status_action(layer_id, ops.publish_layer, _("The map is published."))


@bp.post("/layers/<int:layer_id>/reject")
@login_needed
def reject_layer(layer_id: int):
    form = ReasonForm()
    return _status_action(
        layer_id, ops.reject_layer, _("The map was sent back."), reason=form.reason.data or ""
    )


@bp.post("/layers/<int:layer_id>/delete")
@login_needed
def delete_layer(layer_id: int):
    layer = ops.get_layer(current_user, layer_id)
    ops.delete_layer(current_user, layer)
    db.session.commit()
    flash(_("The map was deleted."), "success")
    return redirect(url_for("maps.layers"))


@bp.get("/layers/review")
@login_needed
def review_layers():
    """Moderators' queue of layers waiting to be published."""
    if not ops.may_moderate_layers(current_user):
        from memoire.core.errors import Forbidden

        raise Forbidden(_l("Only moderators review maps."))
    items = [layer_summary(layer) for layer in layers_to_review()]
    return render_template("maps/review.html", layers=items, reason_form=ReasonForm())


# Used by templates.
@bp.app_template_filter("feeling_label")
def _feeling_label_filter(value: str) -> str:
    return feeling_label(value)


@bp.app_template_filter("feeling_colour")
def _feeling_colour_filter(value: str) -> str:
    return FEELING_COLOURS.get(value, "#574d45")
