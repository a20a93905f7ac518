"""Ward and authority shapes made ready for plotly's ``geo`` subplot.

Shapes are taken to longitude and latitude (EPSG:4326) by :func:`_as_wgs84`, written as slim
GeoJSON keyed by code (:func:`wards_geojson`), which the maps' fills and outlines all draw
from, and framed by :func:`_geo_view`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely

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


def wards_geojson(wards_gdf, authorities_gdf=None, precision: int = 5) -> dict:
    """Build the slim GeoJSON FeatureCollection a map's traces draw from.

    Each ward is a feature whose ``id`` is its code, with its name and authority as
    properties (a map's hover text reads them, so figures need not carry them). With
    ``authorities_gdf``, the authorities follow as features whose ``id`` is their code, for
    the outline trace. Coordinates are rounded, so the file sent to the browser stays small.
    Build it once: the app publishes it as one static file (``equity.shapes``) that every map
    refers to by URL, and :func:`choropleth` also takes it inline.

    Parameters
    ----------
    wards_gdf : geopandas.GeoDataFrame
        Wards with a ``ward_code`` column (and optionally ``ward_name``, ``authority``), in
        (or convertible to) EPSG:4326.
    authorities_gdf : geopandas.GeoDataFrame or None
        Local authorities with ``authority_code`` (and optionally ``authority``).
    precision : int
        Decimal places kept in coordinates (5 is about a metre).

    Returns
    -------
    dict
        A GeoJSON FeatureCollection: wards first, then authorities.

    Raises
    ------
    ValueError
        If a code column is missing, or a ward and an authority share a code.
    """
    if "ward_code" not in getattr(wards_gdf, "columns", ()):
        raise ValueError("wards_geojson: wards_gdf has no 'ward_code' column")
    features = _features(wards_gdf, "ward_code", "ward_name", "authority", precision)
    if authorities_gdf is not None:
        if "authority_code" not in getattr(authorities_gdf, "columns", ()):
            raise ValueError("wards_geojson: authorities_gdf has no 'authority_code' column")
        outlines = _features(authorities_gdf, "authority_code", "authority", None, precision)
        clash = {f["id"] for f in features} & {f["id"] for f in outlines}
        if clash:
            raise ValueError(f"wards_geojson: codes used by both a ward and an authority: "
                             f"{sorted(clash)[:3]}")
        features += outlines
    return {"type": "FeatureCollection", "features": features}


def _features(gdf, code: str, name: str, authority: str | None, precision: int) -> list[dict]:
    """One GeoJSON feature per row: ``id`` the code, its name (and authority) as properties."""
    gdf = _as_wgs84(gdf)
    codes = gdf[code].astype(str).tolist()
    names = gdf[name].astype(str).tolist() if name in gdf.columns else codes
    groups = (gdf[authority].astype(str).tolist() if authority and authority in gdf.columns
              else None)
    # Outer rings clockwise, holes anticlockwise: the winding d3-geo (plotly's geo subplot)
    # reads as "inside". The source files wind wards anticlockwise (GeoJSON's rule); plotly
    # turned most such rings round, but drew Meriden constituency inside out, flooding the map.
    oriented = shapely.orient_polygons(np.asarray(gdf.geometry.values), exterior_cw=True)
    features = []
    for i, geometry in enumerate(oriented):
        properties = {"name": names[i]}
        if groups is not None:
            properties["authority"] = groups[i]
        features.append({"type": "Feature", "id": codes[i], "properties": properties,
                         "geometry": _array_geometry(geometry.__geo_interface__, precision)})
    return features


def _array_geometry(geometry: dict, precision: int) -> dict:
    """Hold each ring as one rounded NumPy array instead of nested tuples of floats.

    plotly deep-copies a trace's GeoJSON whenever a figure is built or marshalled; a copy of an
    array is one memory copy, where nested tuples cost a Python object per coordinate.
    plotly's JSON encoder writes arrays as plain lists. Rounding (rather than snapping to a
    grid) keeps each number's text short.
    """
    def rings(polygon):
        return [np.round(np.asarray(ring, dtype=float)[:, :2], precision) for ring in polygon]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": rings(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [rings(polygon) for polygon in geometry["coordinates"]]}
    return dict(geometry)


def _subset(geojson: dict, codes: Iterable[str]) -> dict:
    """The features of ``geojson`` whose ``id`` is in ``codes``."""
    wanted = set(codes)
    return {"type": "FeatureCollection",
            "features": [f for f in geojson["features"] if f["id"] in wanted]}


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

