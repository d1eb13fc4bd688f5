"""Plain dicts and GeoJSON describing subjective maps, for pages, the API and exports."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from memoire.extensions import db
from memoire.maps.geometry import geometry_kind
from memoire.maps.models import Feeling, MapFeature, SubjectiveMap
from memoire.stories.models import Story
from memoire.stories.visibility import may_view

FEELING_LABELS = {
    Feeling.pride.value: _l("Pride"),
    Feeling.belonging.value: _l("Belonging"),
    Feeling.nostalgia.value: _l("Nostalgia"),
    Feeling.joy.value: _l("Joy"),
    Feeling.fear.value: _l("Fear"),
    Feeling.anger.value: _l("Anger"),
    Feeling.sadness.value: _l("Sadness"),
}

#: One colour per feeling, dark enough to read against map tiles and white text.
FEELING_COLOURS = {
    Feeling.pride.value: "#9a6700",
    Feeling.belonging.value: "#2d6a3e",
    Feeling.nostalgia.value: "#6f4a94",
    Feeling.joy.value: "#b35400",
    Feeling.fear.value: "#38465f",
    Feeling.anger.value: "#b0281c",
    Feeling.sadness.value: "#235f9c",
}

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for review"),
    "published": _l("Published"),
    "rejected": _l("Sent back"),
}


def feeling_label(feeling: str) -> str:
    return str(FEELING_LABELS.get(feeling, feeling))


def feelings() -> list[dict]:
    """The fixed list of feelings with their labels and colours, in display order."""
    return [
        {"value": f.value, "label": feeling_label(f.value), "color": FEELING_COLOURS[f.value]}
        for f in Feeling
    ]


def _story_link(viewer, story_id: int | None, stories: dict[int, Story]) -> dict:
    story = stories.get(story_id) if story_id else None
    if story is None or not may_view(viewer, story):
        return {}  # a link to a story this viewer may not see says nothing about it
    return {
        "story_id": story.id,
        "story_url": url_for("stories.show", story_id=story.id),
        "story_title": story.title,
    }


def feature_dict(
    viewer, feature: MapFeature, layer: SubjectiveMap, stories: dict[int, Story]
) -> dict:
    """One feature as GeoJSON: properties a person reads and a re-import understands."""
    props = {
        "feature_id": feature.id,
        "layer_id": layer.id,
        "layer_title": layer.title,
        "label": feature.label,
        "feeling": feature.feeling,
        "feeling_label": feeling_label(feature.feeling),
        "comment": feature.comment,
        "author": feature.author_name,
        "kind": geometry_kind(feature.geometry),
        "color": FEELING_COLOURS.get(feature.feeling, "#574d45"),
    }
    props.update(_story_link(viewer, feature.story_id, stories))
    return {"type": "Feature", "id": feature.id, "geometry": feature.geometry, "properties": props}


def layers_geojson(viewer, layers: list[SubjectiveMap]) -> dict:
    """The features of these layers as one FeatureCollection (RFC 7946)."""
    story_ids = {f.story_id for layer in layers for f in layer.features if f.story_id}
    stories = {}
    if story_ids:
        from sqlalchemy import select

        stories = {
            s.id: s for s in db.session.scalars(select(Story).where(Story.id.in_(story_ids)))
        }
    features = [feature_dict(viewer, f, layer, stories) for layer in layers for f in layer.features]
    collection = {"type": "FeatureCollection", "features": features}
    if len(layers) == 1:
        layer = layers[0]
        # A foreign member (RFC 7946 §6.1): what the file is, for whoever opens it later.
        collection["layer"] = {
            "id": layer.id,
            "title": layer.title,
            "group": layer.group_name,
            "description": layer.description,
            "status": layer.status,
        }
    return collection


def layer_summary(layer: SubjectiveMap) -> dict:
    counts: dict[str, int] = {}
    for feature in layer.features:
        counts[feature.feeling] = counts.get(feature.feeling, 0) + 1
    return {
        "id": layer.id,
        "title": layer.title,
        "group": layer.group_name,
        "description": layer.description,
        "status": layer.status,
        "status_label": str(STATUS_LABELS.get(layer.status, layer.status)),
        "feature_count": len(layer.features),
        "feelings": counts,
        "url": url_for("maps.layer", layer_id=layer.id),
        "geojson_url": url_for("api.layer_geojson", layer_id=layer.id),
        "updated_at": layer.updated_at.isoformat() if layer.updated_at else None,
    }
