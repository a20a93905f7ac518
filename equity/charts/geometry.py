"""Ward and authority shapes made ready for plotly's ``geo`` subplot.

Shapes are taken to longitude and latitude (EPSG:4326) by :func:`_as_wgs84`, written as slim
GeoJSON (:func:`wards_geojson`) or as outline lines split by NaN (:func:`_boundary_lines`),
and framed by :func:`_geo_view`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

# The space kept around the wards on a map, as a share of their extent.
MAP_PADDING = 0.02
# How far a reader can zoom a map in: 30 times the whole area, about one ward across.
# It cannot be zoomed out past the whole area, where it would shrink to a dot.
MAP_MAX_ZOOM = 30


def _as_wgs84(shapes):
    """``shapes`` (a GeoDataFrame or GeoSeries) in longitude and latitude, as plotly draws them.

    Shapes with no CRS, or already in EPSG:4326, are returned as they are.
    """
    if shapes.crs is not None and not shapes.crs.equals("EPSG:4326"):
        return shapes.to_crs(4326)
    return shapes


def wards_geojson(wards_gdf, precision: int = 5) -> dict:
    """Build a slim GeoJSON FeatureCollection of the wards for :func:`choropleth`.

    Only ``ward_code`` is kept as a property and coordinates are rounded, so the payload sent
    to the browser stays small. Build it once and pass it to :func:`choropleth` as
    ``geojson=`` to reuse it.

    Parameters
    ----------
    wards_gdf : geopandas.GeoDataFrame
        Wards with a ``ward_code`` column, in (or convertible to) EPSG:4326.
    precision : int
        Decimal places kept in coordinates (5 is about a metre).

    Returns
    -------
    dict
        A GeoJSON FeatureCollection whose features carry ``properties.ward_code``.
    """
    if "ward_code" not in getattr(wards_gdf, "columns", ()):
        raise ValueError("wards_geojson: wards_gdf has no 'ward_code' column")
    gdf = _as_wgs84(wards_gdf[["ward_code", wards_gdf.geometry.name]])
    gdf = gdf.set_geometry(gdf.geometry.set_precision(10.0 ** -precision))
    collection = gdf.__geo_interface__
    features = [
        {"type": "Feature", "id": f["properties"]["ward_code"],
         "properties": {"ward_code": f["properties"]["ward_code"]},
         "geometry": _array_geometry(f["geometry"])}
        for f in collection["features"]
    ]
    return {"type": "FeatureCollection", "features": features}


def _array_geometry(geometry: dict) -> dict:
    """Hold each ring as one NumPy array instead of nested tuples of floats.

    plotly deep-copies a trace's GeoJSON whenever a figure is built or marshalled; a copy of an
    array is one memory copy, where nested tuples cost a Python object per coordinate (this
    halves the map's build time). plotly's JSON encoder writes arrays as plain lists.
    """
    def rings(polygon):
        return [np.asarray(ring, dtype=float) for ring in polygon]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": rings(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [rings(polygon) for polygon in geometry["coordinates"]]}
    return dict(geometry)


def _subset(geojson: dict, codes: Iterable[str]) -> dict:
    wanted = set(codes)
    return {"type": "FeatureCollection",
            "features": [f for f in geojson["features"]
                         if f["properties"]["ward_code"] in wanted]}


def _boundary_lines(geometries) -> tuple[np.ndarray, np.ndarray]:
    """Exterior and interior rings of (multi)polygons as lon / lat arrays split by NaN.

    Arrays rather than lists: plotly validates a list element by element but an array at once,
    and serialises NaN as null, which map line traces treat as a break.
    """
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    gap = np.array([np.nan])
    for geom in geometries:
        if geom is None or geom.is_empty:
            continue
        polygons = getattr(geom, "geoms", [geom])
        for polygon in polygons:
            for ring in (polygon.exterior, *polygon.interiors):
                xy = np.round(np.asarray(ring.coords)[:, :2], 5)
                lons += [xy[:, 0], gap]
                lats += [xy[:, 1], gap]
    if not lons:
        return np.array([]), np.array([])
    return np.concatenate(lons), np.concatenate(lats)


def _geo_view(gdf) -> dict:
    """The ``layout.geo`` of a ward map: the wards' extent, padded, with no base layers.

    Plotly fits the longitude and latitude ranges to the drawn size, which the server cannot
    know, so the whole area shows on a phone held either way and in a narrow window.
    ``visible=False`` hides land, coastlines and the frame, which would need a world
    topojson (equity/plotly_chart.js registers an empty one).
    """
    west, south, east, north = (float(v) for v in _as_wgs84(gdf).total_bounds)
    pad_x, pad_y = (east - west) * MAP_PADDING, (north - south) * MAP_PADDING
    return {"visible": False,
            "projection": {"type": "mercator", "minscale": 1, "maxscale": MAP_MAX_ZOOM},
            "lonaxis": {"range": [round(west - pad_x, 5), round(east + pad_x, 5)]},
            "lataxis": {"range": [round(south - pad_y, 5), round(north + pad_y, 5)]}}

