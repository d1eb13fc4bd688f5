"""The public description of a walk, shared by its page, its JSON and its GeoJSON.

Each stop is described by the exhibitions' presenter (`item_document`): same story
summary, excerpt, credit and PUBLIC coarsened point; a walk adds the route through
the stops, its length and the walking time.
"""

from __future__ import annotations

from memoire.exhibitions.presenters import Links, SiteLinks, item_document
from memoire.walks import operations as ops
from memoire.walks.models import Walk


class WalkLinks(SiteLinks):
    def page(self, walk: Walk) -> str:
        return self._url("walks.show", slug=walk.slug)

    def api(self, walk: Walk) -> str:
        return self._url("api.walk", slug=walk.slug)

    def geojson(self, walk: Walk) -> str:
        return self._url("api.walk_geojson", slug=walk.slug)


def walk_document(walk: Walk, links: Links | None = None) -> dict:
    """Everything a display needs to show a walk as it may be shown now."""
    links = links or WalkLinks()
    stops = ops.visible_stops(walk)
    points = ops.route(stops)
    metres = ops.length_m(points)
    documents = []
    for number, (stop, point) in enumerate(zip(stops, points, strict=True), start=1):
        document = item_document(stop, number, links)
        document["text"] = document["caption"]
        document["point"] = {"lat": round(point[0], 6), "lon": round(point[1], 6)}
        documents.append(document)
    return {
        "slug": walk.slug,
        "title": walk.title,
        "introduction": walk.introduction or "",
        "status": walk.status,
        "published_at": walk.published_at.isoformat() + "Z" if walk.published_at else None,
        "url": links.page(walk) if hasattr(links, "page") else None,
        "length_m": round(metres),
        "walking_minutes": ops.walking_minutes(metres),
        "walking_speed_kmh": ops.WALKING_SPEED_KMH,
        "stops": documents,
    }


def walk_geojson(document: dict) -> dict:
    """The route as a LineString and each stop as a Point, in walking order."""
    stops = document["stops"]
    features = []
    if len(stops) >= 2:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[s["point"]["lon"], s["point"]["lat"]] for s in stops],
                },
                "properties": {
                    "kind": "route",
                    "title": document["title"],
                    "length_m": document["length_m"],
                    "walking_minutes": document["walking_minutes"],
                },
            }
        )
    for stop in stops:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [stop["point"]["lon"], stop["point"]["lat"]],
                },
                "properties": {
                    "kind": "stop",
                    "position": stop["position"],
                    "title": f"{stop['position']}. {stop['story']['title']}",
                    "text": stop["text"],
                    "url": stop["story"]["url"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
