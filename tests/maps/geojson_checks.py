"""RFC 7946 checks for the GeoJSON the archive serves, with the `geojson` package and shapely."""

from __future__ import annotations

import json

import geojson
from shapely.geometry import shape


def _positions(coordinates):
    if coordinates and isinstance(coordinates[0], int | float):
        yield coordinates
        return
    for item in coordinates:
        yield from _positions(item)


def assert_rfc7946(document) -> dict:
    """Fail unless `document` (bytes, str or dict) is a valid RFC 7946 FeatureCollection."""
    if isinstance(document, bytes | str):
        document = json.loads(document)
    assert document["type"] == "FeatureCollection"
    parsed = geojson.loads(json.dumps(document))
    assert parsed.is_valid, parsed.errors()
    assert "crs" not in document  # RFC 7946 §4: WGS84 only, no crs member
    for feature in document["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        for lon, lat, *rest in _positions(geometry["coordinates"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90, (lon, lat)  # longitude first
            assert not rest
        geom = shape(geometry)
        assert geom.is_valid and not geom.is_empty, feature
        polygons = [geom] if geom.geom_type == "Polygon" else getattr(geom, "geoms", [])
        for polygon in polygons:
            if polygon.geom_type == "Polygon":
                assert polygon.exterior.is_ccw  # RFC 7946 §3.1.6: exterior rings counter-clockwise
    return document
