"""Tests for equity.charts.geometry: ward GeoJSON, the map's view, coordinates."""

from __future__ import annotations

import numpy as np
import pytest

from equity import charts
from equity.catalogue import CATALOGUE
from equity.charts.geometry import _as_wgs84, _geo_view
from tests.charts.shared import AGED, ranked


def test_choropleth_view_is_the_wards_extent_with_no_base_layers(tiny_bundle):
    """Plotly fits the view's longitude and latitude ranges to the drawn size; they are the
    wards' own extent in degrees, padded by MAP_PADDING on each side."""
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    geo = charts.choropleth(tiny_bundle.wards, values, AGED).layout.geo
    west, south, east, north = tiny_bundle.wards.to_crs(4326).total_bounds
    pad_x, pad_y = (east - west) * charts.MAP_PADDING, (north - south) * charts.MAP_PADDING
    assert list(geo.lonaxis.range) == pytest.approx([west - pad_x, east + pad_x], abs=1e-5)
    assert list(geo.lataxis.range) == pytest.approx([south - pad_y, north + pad_y], abs=1e-5)
    assert geo.lonaxis.range[0] < west < east < geo.lonaxis.range[1]
    assert geo.projection.type == "mercator"
    # Zoom from the whole area (never smaller) to MAP_MAX_ZOOM times it.
    assert (geo.projection.minscale, geo.projection.maxscale) == (1, charts.MAP_MAX_ZOOM)
    # Land, coastlines and the frame would need a world topojson, which is never fetched.
    assert geo.visible is False
    assert geo.scope is None and geo.resolution is None  # the names the element registers


def test_shapes_are_keyed_by_code_with_names_for_the_hover(tiny_bundle):
    geojson = charts.wards_geojson(tiny_bundle.wards, tiny_bundle.authorities)
    wards = geojson["features"][:8]
    assert [f["id"] for f in wards] == tiny_bundle.wards.ward_code.tolist()
    assert wards[0]["properties"] == {"name": "Ward 1", "authority": "Birmingham"}
    outlines = geojson["features"][8:]
    assert [f["id"] for f in outlines] == tiny_bundle.authorities.authority_code.tolist()
    assert outlines[0]["properties"] == {"name": tiny_bundle.authorities.authority.iloc[0]}
    # Coordinates are rounded to the precision asked for.
    ring = np.asarray(wards[0]["geometry"]["coordinates"][0])
    np.testing.assert_array_equal(ring, np.round(ring, 5))


def test_a_code_used_by_a_ward_and_an_authority_is_refused(tiny_bundle):
    clashing = tiny_bundle.authorities.assign(
        authority_code=tiny_bundle.wards.ward_code.iloc[: len(tiny_bundle.authorities)].values)
    with pytest.raises(ValueError, match="both a ward and an authority"):
        charts.wards_geojson(tiny_bundle.wards, clashing)


def test_choropleth_reuses_prebuilt_geojson(tiny_bundle):
    geojson = charts.wards_geojson(tiny_bundle.wards)
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    fig = charts.choropleth(tiny_bundle.wards, values, AGED, geojson=geojson)
    traces = [t for t in fig.data if t.type == "choropleth"]
    assert len(traces) >= 2
    # Inline, each trace carries only its own wards' shapes, taken from the one given.
    for trace in traces:
        assert [f["id"] for f in trace.geojson["features"]] == list(trace.locations)
        given = {f["id"]: f["properties"] for f in geojson["features"]}
        assert all(f["properties"] == given[f["id"]] for f in trace.geojson["features"])


def test_shapes_are_taken_to_longitude_and_latitude_only_when_they_are_not(tiny_bundle):
    in_degrees = tiny_bundle.wards
    assert in_degrees.crs.equals("EPSG:4326")
    assert _as_wgs84(in_degrees) is in_degrees
    no_crs = in_degrees.set_crs(None, allow_override=True)
    assert _as_wgs84(no_crs) is no_crs
    british = in_degrees.to_crs(27700)
    back = _as_wgs84(british)
    assert back.crs.equals("EPSG:4326")
    np.testing.assert_allclose(back.total_bounds, in_degrees.total_bounds, atol=1e-6)
    # every map input goes through it: geojson, outlines and the view agree in any CRS
    assert charts.wards_geojson(british)["features"][0]["geometry"]["coordinates"][0][0] == \
        pytest.approx(charts.wards_geojson(in_degrees)["features"][0]["geometry"][
            "coordinates"][0][0], abs=1e-5)
    for axis in ("lonaxis", "lataxis"):
        assert _geo_view(british)[axis]["range"] == pytest.approx(
            _geo_view(in_degrees)[axis]["range"], abs=1e-5)


def test_outer_rings_are_wound_clockwise_and_holes_anticlockwise():
    """d3-geo, which plotly's geo subplot draws with, reads a clockwise outer ring as the
    inside; an anticlockwise one (GeoJSON's own rule) drew Meriden constituency inside out."""
    import geopandas as gpd
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import LinearRing

    anticlockwise = [(-1.9, 52.4), (-1.8, 52.4), (-1.8, 52.5), (-1.9, 52.5)]
    hole = [(-1.86, 52.44), (-1.86, 52.46), (-1.84, 52.46), (-1.84, 52.44)]  # clockwise
    with_hole = Polygon(anticlockwise, [hole])
    two_parts = MultiPolygon([Polygon(anticlockwise),
                              Polygon([(x + 0.2, y) for x, y in anticlockwise])])
    assert LinearRing(anticlockwise).is_ccw and not LinearRing(hole).is_ccw
    wards = gpd.GeoDataFrame({"ward_code": ["A", "B"]}, geometry=[with_hole, two_parts],
                             crs=4326)
    features = charts.wards_geojson(wards)["features"]
    rings = [features[0]["geometry"]["coordinates"]] + list(
        features[1]["geometry"]["coordinates"])
    for polygon in rings:
        outer, *holes = polygon
        assert not LinearRing(outer).is_ccw
        assert all(LinearRing(h).is_ccw for h in holes)
    assert len(rings[0]) == 2  # the hole is kept
