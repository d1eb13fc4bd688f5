"""The public description of a then-and-now pair, shared by its pages, JSON and GeoJSON.

Only ever called on a pair `operations.is_shown` let through: both sides public.
The point is the pair's place as the public may see it, no finer than the coarser
precision of the two stories; never a story's exact point.
"""

from __future__ import annotations

from memoire.exhibitions.presenters import SiteLinks
from memoire.media.models import DerivativeRole, Media
from memoire.places.geo import place_visible_point
from memoire.stories.periods import period_label
from memoire.then_now import operations as ops
from memoire.then_now.models import ThenNowPair


class PairLinks(SiteLinks):
    def page(self, pair: ThenNowPair) -> str:
        return self._url("then_now.show", pair_id=pair.id)

    def api(self, pair: ThenNowPair) -> str:
        return self._url("api.then_now_pair", pair_id=pair.id)

    def place(self, place) -> str:
        return self._url("places.show", place_id=place.id)


def _side(media: Media, links: PairLinks) -> dict:
    story = media.story
    display = media.derivative(DerivativeRole.display)
    thumbnail = media.derivative(DerivativeRole.thumbnail)
    shown = display or media
    return {
        "story": {"id": story.id, "title": story.title, "url": links.story(story)},
        "image_url": links.image(display) if display else None,
        "thumbnail_url": links.image(thumbnail) if thumbnail else None,
        "width": shown.width,
        "height": shown.height,
        "alt": media.alt_text or media.caption or story.title,
        "caption": media.caption or "",
        "period": period_label(story) or None,
        "licence": story.licence,
        "credit": ", ".join(person.display_name for person in story.narrators) or None,
    }


def pair_document(pair: ThenNowPair, links: PairLinks | None = None) -> dict:
    links = links or PairLinks()
    place = ops.shown_place(pair)
    point = None
    if place is not None:
        precision = ops.coarser_precision(pair.then_media.story, pair.now_media.story)
        found = place_visible_point(place, precision)
        if found is not None:
            point = {"lat": round(found[0], 6), "lon": round(found[1], 6)}
    return {
        "id": pair.id,
        "caption": pair.caption or "",
        "url": links.page(pair),
        "api": links.api(pair),
        "place": (
            {"id": place.id, "name": place.name, "url": links.place(place)} if place else None
        ),
        "point": point,
        "then": _side(pair.then_media, links),
        "now": _side(pair.now_media, links),
    }


def pairs_geojson(documents: list[dict]) -> dict:
    """The pairs with a point, as a map layer (thumbnails of both sides in the properties)."""
    features = []
    for doc in documents:
        if doc["point"] is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [doc["point"]["lon"], doc["point"]["lat"]],
                },
                "properties": {
                    "id": doc["id"],
                    "title": doc["caption"] or doc["then"]["story"]["title"],
                    "url": doc["url"],
                    "kind": "then_now",
                    "then_thumbnail": doc["then"]["thumbnail_url"],
                    "now_thumbnail": doc["now"]["thumbnail_url"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
