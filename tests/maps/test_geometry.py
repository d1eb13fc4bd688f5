"""RFC 7946 geometry checks shared by the gazetteer and the subjective maps."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from memoire.maps.geometry import (
    GeometryError,
    check_crs,
    check_geometry,
    features_of,
    geometry_kind,
)


def ring(*corners):
    return [list(c) for c in (*corners, corners[0])]


CLOCKWISE = {
    "type": "Polygon",
    "coordinates": [ring((3.5, 50.3), (3.5, 50.4), (3.6, 50.4), (3.6, 50.3))],
}


def test_valid_geometries_come_back_clean(app):
    assert check_geometry({"type": "Point", "coordinates": [3.5, 50.3, 42.0]}) == {
        "type": "Point",
        "coordinates": [3.5, 50.3],  # altitude dropped
    }
    line = check_geometry({"type": "LineString", "coordinates": [[3.5, 50.3], [3.51, 50.31]]})
    assert line["type"] == "LineString"


def test_polygons_get_rfc7946_winding(app):
    clean = check_geometry(CLOCKWISE)
    assert shape(clean).exterior.is_ccw
    assert shape(clean).equals(shape(CLOCKWISE))
    multi = check_geometry({"type": "MultiPolygon", "coordinates": [CLOCKWISE["coordinates"]]})
    assert all(p.exterior.is_ccw for p in shape(multi).geoms)


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        ({"type": "Point", "coordinates": [181, 50]}, "longitude 181"),
        ({"type": "Point", "coordinates": [3.5, -91]}, "latitude -91"),
        ({"type": "Point", "coordinates": ["3.5", 50]}, "numbers"),
        ({"type": "Point", "coordinates": [float("nan"), 50]}, "numbers"),
        ({"type": "Point", "coordinates": [True, 50]}, "numbers"),
        ({"type": "Point", "coordinates": [3.5]}, "[longitude, latitude]"),
        ({"type": "LineString", "coordinates": [[3.5, 50.3]]}, "two points"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[3.5, 50.3], [3.6, 50.3], [3.6, 50.4], [3.5, 50.5]]],
            },
            "end where it starts",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [ring((3.5, 50.3), (3.6, 50.4), (3.6, 50.3), (3.5, 50.4))],
            },
            "crosses itself",
        ),
        ({"type": "Polygon", "coordinates": [ring((3.5, 50.3), (3.6, 50.3))]}, "three corners"),
        ({"type": "Circle", "coordinates": [3.5, 50.3]}, "not accepted"),
        (None, "needs a geometry"),
    ],
)
def test_invalid_geometries_are_refused_naming_the_feature(app, geometry, words):
    with pytest.raises(GeometryError) as caught:
        check_geometry(geometry, index=4)
    assert caught.value.index == 4
    assert str(caught.value).startswith("Feature 4:")
    assert words in str(caught.value)


def test_collections_and_crs(app):
    assert features_of({"type": "Feature", "geometry": None, "properties": {}})
    with pytest.raises(GeometryError):
        features_of({"type": "GeometryCollection", "geometries": []})
    with pytest.raises(GeometryError):
        features_of({"type": "FeatureCollection", "features": {}})
    check_crs({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}})
    with pytest.raises(GeometryError) as caught:
        check_crs({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}}})
    assert "31370" in str(caught.value)


def test_geometry_kind():
    assert geometry_kind({"type": "Point"}) == "point"
    assert geometry_kind({"type": "MultiLineString"}) == "line"
    assert geometry_kind({"type": "Polygon"}) == "area"
