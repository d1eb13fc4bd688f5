"""API resources: the map of memories and the subjective maps, as GeoJSON."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from memoire.api.openapi import GEOJSON, documented, path_param, query, reply
from memoire.api.schemas import FeatureCollectionSchema, LayerListSchema
from memoire.api.views import bp
from memoire.maps import operations as ops
from memoire.maps.geojson import cached_geojson_response, parse_map_filters, stories_geojson
from memoire.maps.geometry import representative_point
from memoire.maps.presenters import FEELING_COLOURS, feeling_label, layer_summary, layers_geojson
from memoire.maps.queries import feelings_by_quartier, visible_layers
from memoire.places.queries import visible_place_ids


def search_story_ids(viewer, q: str, filters) -> list[int] | None:
    """Story ids matching search words, through the search service; None when it has no such call."""
    from memoire.search import service

    finder = getattr(service, "search_story_ids", None)
    if finder is None:
        return None
    return list(finder(viewer, q))


@bp.get("/map.geojson")
@documented(
    "maps",
    operation_id="mapGeoJson",
    summary="Stories as GeoJSON points",
    responses={
        200: reply(
            "Each story at the point the caller may see (coarsened as the consent says).",
            FeatureCollectionSchema,
            GEOJSON,
        )
    },
    errors=(304, 400, 401, 429),
    parameters=["q", "theme", "kind", "map_decade", "bbox"],
)
def map_geojson():
    """Stories as GeoJSON points at the place each viewer may see (coarsened per consent).

    ?theme=slug, ?kind=, ?decade=1960 or a period 1950-1970 (stories whose years touch it),
    ?bbox=w,s,e,n,
    ?q=words (search). Gzipped, with an ETag; cached until the archive changes.
    """
    filters = parse_map_filters(request.args)
    q = (request.args.get("q") or "").strip()
    if q:
        ids = search_story_ids(current_user, q, filters)
        if ids is not None:
            return cached_geojson_response(
                current_user,
                "stories-q",
                f"{filters.key()}|{q}",
                lambda: stories_geojson(current_user, filters, story_ids=ids),
            )
    return cached_geojson_response(
        current_user, "stories", filters.key(), lambda: stories_geojson(current_user, filters)
    )


@bp.get("/layers")
@documented(
    "maps",
    operation_id="listLayers",
    summary="Subjective map layers the caller may see",
    responses={200: reply("Layers, with their counts per feeling.", LayerListSchema)},
    errors=(401, 429),
)
def layers_index():
    """Subjective map layers this viewer may see (visitors: the published ones)."""
    return jsonify({"layers": [layer_summary(layer) for layer in visible_layers(current_user)]})


@bp.get("/layers.geojson")
@documented(
    "maps",
    operation_id="layersGeoJson",
    summary="Every feature of every published layer",
    responses={
        200: reply(
            "Features with label, feeling, comment and author.", FeatureCollectionSchema, GEOJSON
        )
    },
    errors=(304, 401, 429),
)
def layers_geojson_index():
    """Every feature of every published layer: what the map of memories lays over its points."""
    return cached_geojson_response(
        current_user,
        "layers",
        "published",
        lambda: layers_geojson(current_user, visible_layers(current_user, published_only=True)),
    )


@bp.get("/layers/<int:layer_id>.geojson")
@documented(
    "maps",
    operation_id="layerGeoJson",
    summary="One subjective map layer as GeoJSON",
    responses={200: reply("The layer's features.", FeatureCollectionSchema, GEOJSON)},
    errors=(401, 404, 429),
    parameters=[
        path_param("layer_id", "The layer id.", {"type": "integer"}),
        query("download", "1 to download it as a file."),
    ],
)
def layer_geojson(layer_id: int):
    """One layer's features (RFC 7946); a draft only for those who may edit it."""
    layer = ops.get_layer(current_user, layer_id)
    response = jsonify(layers_geojson(current_user, [layer]))
    response.mimetype = "application/geo+json"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="map-{layer.id}.geojson"'
    return response


def feelings_geojson(viewer) -> dict:
    """Per quartier, how many drawn features carry each feeling (published layers)."""
    features = []
    visible = visible_place_ids(viewer)
    for row in feelings_by_quartier(visible_layers(viewer, published_only=True), visible):
        place = row.place
        if place is None:
            continue
        if place.lat is not None and place.lon is not None:
            lat, lon = place.lat, place.lon
        elif place.outline:
            lat, lon = representative_point(place.outline)
        else:
            continue
        dominant = row.dominant
        features.append(
            {
                "type": "Feature",
                "id": place.id,
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {
                    "place_id": place.id,
                    "title": place.name,
                    "counts": row.counts,
                    "total": row.total,
                    "dominant": dominant,
                    "dominant_label": feeling_label(dominant) if dominant else None,
                    "color": FEELING_COLOURS.get(dominant or "", "#574d45"),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@bp.get("/feelings.geojson")
@documented(
    "maps",
    operation_id="feelingsGeoJson",
    summary="Feelings per quartier",
    responses={
        200: reply(
            "A point per quartier with its count per feeling.", FeatureCollectionSchema, GEOJSON
        )
    },
    errors=(304, 401, 429),
)
def feelings_geojson_index():
    """The "heat" of feelings: one point per quartier with its counts per feeling."""
    return cached_geojson_response(
        current_user, "feelings", "", lambda: feelings_geojson(current_user)
    )
