"""Plain dicts describing stories for templates, cards, GeoJSON and JSON (no personal data)."""

from __future__ import annotations

from flask import url_for

from memoire.media.models import DerivativeRole, MediaKind
from memoire.places.geo import places_for, point_for
from memoire.stories.models import Story
from memoire.stories.periods import period_label
from memoire.web.templating import access_label, kind_label


def first_image(story: Story):
    return next((m for m in story.media if m.kind == MediaKind.image), None)


def derivative_url(media, role: str) -> str | None:
    derivative = media.derivative(role) if media is not None else None
    if derivative is None:
        return None
    return url_for("media.derivative", derivative_id=derivative.id, sha=derivative.sha256[:16])


def story_card(story: Story, viewer=None) -> dict:
    image = first_image(story)
    return {
        "id": story.id,
        "url": url_for("stories.show", story_id=story.id),
        "title": story.title,
        "summary": story.summary,
        "kind": story.kind,
        "kind_label": kind_label(story.kind),
        "access_label": access_label(story),
        "period_label": period_label(story),
        "place_names": [p.name for p in places_for(viewer, story)],
        "thumbnail_url": derivative_url(image, DerivativeRole.thumbnail),
        "thumbnail_alt": (image.alt_text or image.caption) if image else "",
    }


def story_feature(viewer, story: Story) -> dict | None:
    """A GeoJSON Feature for a story at the point this viewer may see, or None."""
    point = point_for(viewer, story)
    if point is None:
        return None
    card = story_card(story, viewer)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(point[1], 6), round(point[0], 6)]},
        "properties": {
            "id": story.id, "title": story.title, "url": card["url"], "kind": story.kind,
            "kind_label": card["kind_label"], "period": card["period_label"],
            "thumbnail": card["thumbnail_url"], "thumbnail_alt": card["thumbnail_alt"],
        },
    }


def feature_collection(features) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}
