"""GeoJSON geometry checks (RFC 7946): WGS84, longitude first, valid shapes.

Everything the archive takes in as geometry (a gazetteer file, a layer drawn in the
browser, an imported layer) goes through `check_geometry`, so one set of rules and one
set of messages holds everywhere. Errors name the feature's index (0-based, its position
in the file's `features` array) so that a person can find it.
"""

from __future__ import annotations

import math

from flask_babel import lazy_gettext as _l
from geojson.geometry import check_line_string, check_polygon
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from memoire.core.errors import ValidationError

#: Geometry types the archive stores.
POINT_TYPES = {"Point"}
LINE_TYPES = {"LineString", "MultiLineString"}
AREA_TYPES = {"Polygon", "MultiPolygon"}
ALL_TYPES = POINT_TYPES | LINE_TYPES | AREA_TYPES | {"MultiPoint"}

#: CRS names that mean WGS84 longitude/latitude (a `crs` member is pre-RFC 7946 GeoJSON).
_WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}


class GeometryError(ValidationError):
    """A geometry that cannot be stored; `index` is the feature's position when known."""

    code = "invalid_geometry"

    def __init__(self, message, *, index: int | None = None, **kw):
        super().__init__(message, field=kw.pop("field", "geometry"), **kw)
        self.index = index


def _fail(index: int | None, message) -> GeometryError:
    if index is None:
        return GeometryError(message)
    return GeometryError(
        _l("Feature %(index)s: %(problem)s", index=index, problem=message), index=index
    )


def _check_position(position, index: int | None) -> list[float]:
    if not isinstance(position, list | tuple) or len(position) < 2:
        raise _fail(index, _l("a position must be [longitude, latitude]."))
    lon, lat = position[0], position[1]
    for value in (lon, lat):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise _fail(index, _l("coordinates must be numbers."))
    if not -180 <= lon <= 180:
        raise _fail(
            index,
            _l(
                "longitude %(lon)s is outside -180..180 (GeoJSON puts the longitude first).",
                lon=lon,
            ),
        )
    if not -90 <= lat <= 90:
        raise _fail(
            index,
            _l("latitude %(lat)s is outside -90..90 (GeoJSON puts the longitude first).", lat=lat),
        )
    # Altitude is dropped: the archive's maps are flat.
    return [float(lon), float(lat)]


def _positions(coordinates, depth: int, index: int | None):
    """Check nested coordinate arrays `depth` levels deep and return them as lists."""
    if depth == 0:
        return _check_position(coordinates, index)
    if not isinstance(coordinates, list | tuple):
        raise _fail(index, _l("the coordinates are not nested as the geometry type requires."))
    return [_positions(item, depth - 1, index) for item in coordinates]


_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


#: What the geojson package reports, in the archive's words.
_SHAPE_ERRORS = {
    'the "coordinates" member must be an array of two or more positions': _l(
        "a line needs at least two points."
    ),
    "Each linear ring must contain at least 4 positions": _l(
        "an area needs at least three corners."
    ),
    "Each linear ring must end where it started": _l(
        "the outline of an area must end where it starts."
    ),
}


def _check_shape(kind: str, coordinates, index: int | None) -> None:
    """RFC 7946's rules on lines and rings, as the geojson package checks them."""
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    if any(not polygon for polygon in polygons):  # geojson lets a polygon without rings through
        raise _fail(index, _l("an area needs an outer ring."))
    lines = [coordinates] if kind == "LineString" else coordinates if kind in LINE_TYPES else []
    errors = [check_line_string(line) for line in lines] + [check_polygon(p) for p in polygons]
    problem = next((error for error in errors if error), None)
    if problem:
        message = _SHAPE_ERRORS.get(problem)
        raise _fail(index, message or _l("the geometry is not valid (%(reason)s).", reason=problem))


def check_geometry(geometry, index: int | None = None, allowed: set[str] | None = None) -> dict:
    """A clean copy of a GeoJSON geometry, or GeometryError saying what is wrong.

    Polygons come back with RFC 7946 winding (outer rings counter-clockwise); positions
    lose any altitude. `allowed` restricts the geometry types.
    """
    allowed = allowed or ALL_TYPES
    if not isinstance(geometry, dict):
        raise _fail(index, _l("a feature needs a geometry."))
    kind = geometry.get("type")
    if kind not in allowed:
        raise _fail(
            index,
            _l(
                "geometry type %(type)s is not accepted here (%(allowed)s).",
                type=kind,
                allowed=", ".join(sorted(allowed)),
            ),
        )
    coordinates = _positions(geometry.get("coordinates"), _DEPTH[kind], index)
    _check_shape(kind, coordinates, index)
    clean = {"type": kind, "coordinates": coordinates}
    geom = shape(clean)
    if geom.is_empty:
        raise _fail(index, _l("the geometry is empty."))
    if not geom.is_valid:
        reason = explain_validity(geom)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            raise _fail(index, _l("the area crosses itself (self-intersecting outline)."))
        raise _fail(index, _l("the geometry is not valid (%(reason)s).", reason=reason))
    if kind in AREA_TYPES:
        geom = (
            orient(geom, 1.0)
            if kind == "Polygon"
            else type(geom)([orient(p, 1.0) for p in geom.geoms])
        )
        clean = _as_lists(mapping(geom))
    return clean


def _as_lists(value):
    """shapely's mapping() uses tuples; JSON columns and comparisons want lists."""
    if isinstance(value, dict):
        return {k: _as_lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_lists(v) for v in value]
    return value


def check_crs(collection: dict) -> None:
    """Refuse a legacy `crs` member naming anything but WGS84 longitude/latitude."""
    crs = collection.get("crs") if isinstance(collection, dict) else None
    if not crs:
        return
    name = ((crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None) or ""
    if name not in _WGS84_NAMES:
        raise GeometryError(
            _l(
                "The file uses the coordinate system %(crs)s; GeoJSON must be WGS84 longitude/latitude.",
                crs=name or "?",
            )
        )


def features_of(data) -> list:
    """The features of a FeatureCollection (or a lone Feature), or GeometryError."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        check_crs(data)
        features = data.get("features")
        if not isinstance(features, list):
            raise GeometryError(_l("A FeatureCollection needs a list of features."))
        return features
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    raise GeometryError(_l("This is not GeoJSON: expected a FeatureCollection or a Feature."))


def as_shape(geometry: dict) -> BaseGeometry:
    return shape(geometry)


def representative_point(geometry: dict) -> tuple[float, float]:
    """A (lat, lon) point guaranteed inside the geometry: where a place's pin goes."""
    point = shape(geometry).representative_point()
    return round(point.y, 7), round(point.x, 7)


def geometry_kind(geometry: dict) -> str:
    """ "point", "line" or "area": how a feature is drawn and counted."""
    kind = (geometry or {}).get("type")
    if kind in AREA_TYPES:
        return "area"
    if kind in LINE_TYPES:
        return "line"
    return "point"
