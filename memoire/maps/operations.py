"""Subjective map operations: they take the acting user and plain data, flush, and never commit.

Who may do what (kept here, in one place):
- any logged-in account may start a layer (a resident's own map, a workshop's map);
- a layer's owner, mediators (who run the workshops) and staff may edit it;
- moderators and administrators publish or send back; nothing is public before that;
- when someone other than staff edits a published layer, it goes back to review.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from memoire.accounts.models import Role
from memoire.audit import operations as audit
from memoire.core.errors import Forbidden, NotFound, ValidationError
from memoire.extensions import db
from memoire.maps.geometry import AREA_TYPES, LINE_TYPES, GeometryError, check_geometry, features_of
from memoire.maps.models import Feeling, MapFeature, SubjectiveMap
from memoire.stories.operations import lookup_story
from memoire.stories.visibility import may_view


class LayerStatus:
    draft = "draft"
    submitted = "submitted"
    published = "published"
    rejected = "rejected"


#: Geometry types a subjective map holds: points, lines (a walk) and areas.
LAYER_GEOMETRY_TYPES = {"Point"} | LINE_TYPES | AREA_TYPES
MAX_FEATURES = 2000
MAX_LABEL = 300
MAX_COMMENT = 5000
MAX_AUTHOR = 200


def _is_authenticated(viewer) -> bool:
    return viewer is not None and getattr(viewer, "is_authenticated", False)


def may_moderate_layers(viewer) -> bool:
    return _is_authenticated(viewer) and getattr(viewer, "is_staff", False)


def may_edit_layer(viewer, layer: SubjectiveMap) -> bool:
    """The owner, mediators and staff."""
    if not _is_authenticated(viewer):
        return False
    if getattr(viewer, "is_staff", False) or viewer.role == Role.mediator:
        return True
    return layer.owner_id is not None and layer.owner_id == viewer.id


def may_view_layer(viewer, layer: SubjectiveMap) -> bool:
    return layer.status == LayerStatus.published or may_edit_layer(viewer, layer)


def get_layer(viewer, layer_id: int, *, edit: bool = False) -> SubjectiveMap:
    """A layer this viewer may see (or edit), or NotFound / Forbidden."""
    layer = db.session.get(SubjectiveMap, layer_id)
    if layer is None or not may_view_layer(viewer, layer):
        raise NotFound(_l("This map does not exist, or is not public."))
    if edit and not may_edit_layer(viewer, layer):
        raise Forbidden(_l("You may not change this map."))
    return layer


# --- layers ----------------------------------------------------------------------------------


@dataclass
class LayerInput:
    title: str
    group_name: str = ""
    description: str = ""


def _check_layer(data: LayerInput) -> None:
    if not (data.title or "").strip():
        raise ValidationError(_l("A map needs a title."), field="title")
    if len(data.title) > 300:
        raise ValidationError(_l("The title is too long (300 characters at most)."), field="title")
    if len(data.group_name or "") > 300:
        raise ValidationError(
            _l("The group name is too long (300 characters at most)."), field="group_name"
        )


def create_layer(actor, data: LayerInput) -> SubjectiveMap:
    if not _is_authenticated(actor):
        raise Forbidden(_l("Log in to draw a map."))
    _check_layer(data)
    layer = SubjectiveMap(
        title=data.title.strip(),
        group_name=(data.group_name or "").strip(),
        description=data.description or "",
        owner_id=actor.id,
        status=LayerStatus.draft,
    )
    db.session.add(layer)
    db.session.flush()
    audit.record(actor, "layer.create", "subjective_map", layer.id)
    return layer


def _edited(actor, layer: SubjectiveMap) -> None:
    """A change by anyone but staff sends a public layer back to review."""
    if layer.status == LayerStatus.published and not may_moderate_layers(actor):
        layer.status = LayerStatus.submitted


def update_layer(actor, layer: SubjectiveMap, data: LayerInput) -> SubjectiveMap:
    if not may_edit_layer(actor, layer):
        raise Forbidden(_l("You may not change this map."))
    _check_layer(data)
    layer.title = data.title.strip()
    layer.group_name = (data.group_name or "").strip()
    layer.description = data.description or ""
    _edited(actor, layer)
    db.session.flush()
    audit.record(actor, "layer.update", "subjective_map", layer.id, status=layer.status)
    return layer


def submit_layer(actor, layer: SubjectiveMap) -> SubjectiveMap:
    if not may_edit_layer(actor, layer):
        raise Forbidden(_l("You may not change this map."))
    if layer.status not in {LayerStatus.draft, LayerStatus.rejected}:
        raise ValidationError(_l("Only a draft or a map sent back can be submitted."))
    if not layer.features:
        raise ValidationError(_l("Draw at least one thing on the map before submitting it."))
    layer.status = LayerStatus.submitted
    db.session.flush()
    audit.record(actor, "layer.submit", "subjective_map", layer.id)
    return layer


def publish_layer(actor, layer: SubjectiveMap) -> SubjectiveMap:
    if not may_moderate_layers(actor):
        raise Forbidden(_l("Only moderators can publish."))
    layer.status = LayerStatus.published
    db.session.flush()
    audit.record(actor, "layer.publish", "subjective_map", layer.id)
    return layer


def reject_layer(actor, layer: SubjectiveMap, reason: str = "") -> SubjectiveMap:
    """Send back to its authors: hidden from the public, editable again."""
    if not may_moderate_layers(actor):
        raise Forbidden(_l("Only moderators can send a map back."))
    layer.status = LayerStatus.rejected
    db.session.flush()
    audit.record(
        actor, "layer.send_back", "subjective_map", layer.id, reason=(reason or "").strip()[:500]
    )
    return layer


def delete_layer(actor, layer: SubjectiveMap) -> None:
    is_owner = _is_authenticated(actor) and layer.owner_id == actor.id
    if not (is_owner or may_moderate_layers(actor)):
        raise Forbidden(_l("Only the map's owner or a moderator can delete it."))
    layer_id = layer.id
    db.session.delete(layer)
    db.session.flush()
    audit.record(actor, "layer.delete", "subjective_map", layer_id)


# --- features --------------------------------------------------------------------------------


@dataclass
class FeatureInput:
    """One thing drawn on a layer, whichever door it came through (form, browser, file)."""

    geometry: dict | None
    feeling: str
    label: str = ""
    comment: str = ""
    author_name: str = ""
    story_id: int | None = None
    id: int | None = None


def _problem(index: int | None, message, field: str) -> ValidationError:
    if index is None:
        return ValidationError(message, field=field)
    return GeometryError(
        _l("Feature %(index)s: %(problem)s", index=index, problem=message), index=index, field=field
    )


def _resolve_story(actor, ref, index: int | None, kept: int | None = None) -> int | None:
    """The story a feature links to, as the acting user may see it.

    "Does not exist" and "exists but you may not see it" read the same, so that linking a
    feature cannot probe the archive for hidden stories. A link the feature already holds
    (`kept`) may stay as it is: saving a layer again tells the editor nothing new.
    """
    if ref in (None, ""):
        return None
    text = str(ref).strip()
    story = lookup_story(text)
    if story is None or (story.id != kept and not may_view(actor, story)):
        raise _problem(index, _l("no story has the id %(ref)s.", ref=text), "story_id")
    return story.id


def check_feature(
    data: FeatureInput, index: int | None = None, *, need_geometry: bool = True,
    actor=None, kept: int | None = None,
) -> FeatureInput:
    """Validate and normalise a feature; errors name the feature's index when given.

    A story link is resolved as `actor` may see stories (None: an anonymous visitor)."""
    if data.feeling not in Feeling.__members__:
        raise _problem(
            index,
            _l("choose a feeling (%(feelings)s).", feelings=", ".join(f.value for f in Feeling)),
            "feeling",
        )
    for value, limit, field in (
        (data.label, MAX_LABEL, "label"),
        (data.comment, MAX_COMMENT, "comment"),
        (data.author_name, MAX_AUTHOR, "author_name"),
    ):
        if len(value or "") > limit:
            raise _problem(
                index,
                _l("%(field)s is too long (%(n)s characters at most).", field=field, n=limit),
                field,
            )
    geometry = data.geometry
    if geometry is not None or need_geometry:
        geometry = check_geometry(geometry, index, LAYER_GEOMETRY_TYPES)
    return FeatureInput(
        geometry=geometry,
        feeling=data.feeling,
        label=(data.label or "").strip(),
        comment=(data.comment or "").strip(),
        author_name=(data.author_name or "").strip(),
        story_id=_resolve_story(actor, data.story_id, index, kept),
        id=data.id,
    )


def feature_input_from_geojson(feature, index: int) -> FeatureInput:
    """Read a GeoJSON Feature as drawn by the browser or exported by `layer_geojson`."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _problem(index, _l("this is not a GeoJSON Feature."), "geometry")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise _problem(index, _l("properties must be an object."), "geometry")
    raw_id = props.get("feature_id")
    feature_id = int(raw_id) if isinstance(raw_id, int | str) and str(raw_id).isascii() and str(raw_id).isdigit() else None

    def text(*names) -> str:
        for name in names:
            value = props.get(name)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                return str(value)
        return ""

    return FeatureInput(
        geometry=feature.get("geometry"),
        feeling=text("feeling").strip().lower(),
        label=text("label", "name", "title"),
        comment=text("comment", "description"),
        author_name=text("author", "author_name"),
        story_id=props.get("story_id") if props.get("story_id") not in (None, "") else None,
        id=feature_id,
    )


def _apply_feature(feature: MapFeature, data: FeatureInput, *, geometry: bool = True) -> None:
    if geometry:
        feature.geometry = data.geometry
    feature.feeling = data.feeling
    feature.label = data.label
    feature.comment = data.comment
    feature.author_name = data.author_name
    feature.story_id = data.story_id


def add_feature(actor, layer: SubjectiveMap, data: FeatureInput) -> MapFeature:
    if not may_edit_layer(actor, layer):
        raise Forbidden(_l("You may not change this map."))
    data = check_feature(data, actor=actor)
    if not data.author_name:
        data.author_name = getattr(actor, "display_name", "") or ""
    feature = MapFeature(map=layer)
    _apply_feature(feature, data)
    db.session.add(feature)
    _edited(actor, layer)
    db.session.flush()
    return feature


def update_feature(actor, feature: MapFeature, data: FeatureInput) -> MapFeature:
    """Change what a feature says; its geometry too when `data.geometry` is given."""
    layer = feature.map
    if not may_edit_layer(actor, layer):
        raise Forbidden(_l("You may not change this map."))
    data = check_feature(data, need_geometry=False, actor=actor, kept=feature.story_id)
    _apply_feature(feature, data, geometry=data.geometry is not None)
    _edited(actor, layer)
    db.session.flush()
    return feature


def delete_feature(actor, feature: MapFeature) -> None:
    layer = feature.map
    if not may_edit_layer(actor, layer):
        raise Forbidden(_l("You may not change this map."))
    layer.features.remove(feature)
    _edited(actor, layer)
    db.session.flush()


def _read_collection(actor, collection, existing: dict | None = None) -> list[FeatureInput]:
    """Every feature of a collection checked before any is stored: all or nothing.

    `existing` (feature id -> feature) lets a feature keep the story link it holds."""
    features = features_of(collection)
    if len(features) > MAX_FEATURES:
        raise ValidationError(_l("A map holds %(n)s features at most.", n=MAX_FEATURES))
    checked = []
    for i, f in enumerate(features):
        data = feature_input_from_geojson(f, i)
        held = (existing or {}).get(data.id)
        kept = held.story_id if held is not None else None
        checked.append(check_feature(data, i, actor=actor, kept=kept))
    return checked


def save_features(actor, layer: SubjectiveMap, collection) -> list[MapFeature]:
    """Make the layer hold exactly these features, as the browser's editor saves them.

    A feature carrying `properties.feature_id` of this layer updates it; one without
    is added; the layer's features the collection leaves out are deleted.
    """
    if not may_edit_layer(actor, layer):
        raise Forbidden(_l("You may not change this map."))
    existing = {f.id: f for f in layer.features}
    wanted = _read_collection(actor, collection, existing)
    kept: list[MapFeature] = []
    for data in wanted:
        feature = existing.pop(data.id, None) if data.id is not None else None
        if feature is None:
            feature = MapFeature(map=layer)
            db.session.add(feature)
            if not data.author_name:
                data.author_name = getattr(actor, "display_name", "") or ""
        _apply_feature(feature, data)
        kept.append(feature)
    for feature in existing.values():
        layer.features.remove(feature)
    _edited(actor, layer)
    db.session.flush()
    audit.record(actor, "layer.save_features", "subjective_map", layer.id, count=len(kept))
    return kept


def import_layer(actor, layer: SubjectiveMap, collection) -> list[MapFeature]:
    """Add the features of a GeoJSON file to a layer; a bad feature refuses the whole file."""
    if not may_edit_layer(actor, layer):
        raise Forbidden(_l("You may not change this map."))
    wanted = _read_collection(actor, collection)
    if len(layer.features) + len(wanted) > MAX_FEATURES:
        raise ValidationError(_l("A map holds %(n)s features at most.", n=MAX_FEATURES))
    added = []
    for data in wanted:
        feature = MapFeature(map=layer)
        if not data.author_name:
            data.author_name = getattr(actor, "display_name", "") or ""
        _apply_feature(feature, data)
        db.session.add(feature)
        added.append(feature)
    _edited(actor, layer)
    db.session.flush()
    audit.record(actor, "layer.import", "subjective_map", layer.id, count=len(added))
    return added
