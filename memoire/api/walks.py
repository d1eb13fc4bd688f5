"""API resources: published walks as JSON and GeoJSON.

Only published walks answer (drafts answer 404 like missing ones), and inside them
only the stops the exhibitions' rule lets through now, each at its story's PUBLIC,
coarsened point. The data is public (CORS `*`), with an ETag to revalidate.
"""

from __future__ import annotations

from memoire.api.common import conditional, json_response
from memoire.api.openapi import GEOJSON, documented, path_param, reply
from memoire.api.schemas import FeatureCollectionSchema, WalkListSchema, WalkSchema
from memoire.api.views import bp
from memoire.walks.operations import get_published_walk, published_walks
from memoire.walks.presenters import WalkLinks, walk_document
from memoire.walks.presenters import walk_geojson as geojson_of


def _public(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response)


@bp.get("/walks")
@documented(
    "walks",
    operation_id="listWalks",
    summary="Published walks",
    responses={200: reply("Newest first.", WalkListSchema)},
    errors=(401, 429),
)
def walks():
    """The published walks, newest first."""
    links = WalkLinks(external=True)
    data = []
    for walk in published_walks():
        document = walk_document(walk, links)
        data.append(
            {
                "slug": walk.slug,
                "title": walk.title,
                "stops": len(document["stops"]),
                "length_m": document["length_m"],
                "walking_minutes": document["walking_minutes"],
                "url": links.page(walk),
                "api": links.api(walk),
                "geojson": links.geojson(walk),
            }
        )
    return _public(json_response({"walks": data}))


@bp.get("/walks/<slug>")
@documented(
    "walks",
    operation_id="getWalk",
    summary="One published walk",
    responses={
        200: reply("Stops in walking order, with text, excerpt, point and credit.", WalkSchema)
    },
    errors=(401, 404, 429),
    parameters=[path_param("slug", "The walk's slug.")],
)
def walk(slug: str):
    """One published walk: stops in order with their text, excerpt, public point and credit."""
    document = walk_document(get_published_walk(slug), WalkLinks(external=True))
    return _public(json_response(document))


@bp.get("/walks/<slug>.geojson")
@documented(
    "walks",
    operation_id="getWalkGeojson",
    summary="A published walk as GeoJSON",
    responses={
        200: reply(
            "The route (LineString) and the stops (Points), in order.",
            FeatureCollectionSchema,
            GEOJSON,
        )
    },
    errors=(401, 404, 429),
    parameters=[path_param("slug", "The walk's slug.")],
)
def walk_geojson(slug: str):
    """The route through the stops as a LineString, and each stop as a Point, in walking order."""
    document = walk_document(get_published_walk(slug), WalkLinks(external=True))
    return _public(json_response(geojson_of(document), mimetype=GEOJSON))
