"""Tests for equity.charts.map: classes, palettes, the choropleth and the selected ward."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from equity import charts
from equity.catalogue import CATALOGUE
from tests.charts.shared import (
    AGED,
    HEX,
    IMD_SCORE,
    contrast_with_white,
    hover_text,
    luminance,
    ranked,
)


def test_quantile_breaks_on_ten_values():
    values = pd.Series([float(v) for v in range(1, 11)] + [np.nan], index=list("abcdefghijk"))
    bins, classes = charts.class_breaks(values, "quantiles", 5)
    np.testing.assert_allclose(bins, [2.8, 4.6, 6.4, 8.2, 10.0])
    assert classes.index.tolist() == list("abcdefghijk")
    assert classes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1]


def test_natural_breaks_are_fisher_jenks_and_deterministic():
    values = np.array([1.0, 1.1, 1.2, 5.0, 5.1, 5.2, 9.0, 9.1, 9.2, np.nan])
    bins, classes = charts.class_breaks(values, "natural_breaks", 3)
    np.testing.assert_allclose(bins, [1.2, 5.2, 9.2])
    assert classes.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, -1]
    again, _ = charts.class_breaks(values, "natural_breaks", 3)
    np.testing.assert_array_equal(bins, again)


def test_fewer_distinct_values_than_classes():
    values = [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0]
    for scheme in ("quantiles", "natural_breaks", "equal_interval"):
        bins, classes = charts.class_breaks(values, scheme, 5)
        assert len(bins) <= 3
        # No empty classes, every class index used.
        assert sorted(set(classes)) == list(range(len(bins)))
        assert bins[-1] == 3.0
    bins, classes = charts.class_breaks([4.0, 4.0, np.nan], "quantiles", 5)
    assert bins.tolist() == [4.0] and classes.tolist() == [0, 0, -1]
    bins, classes = charts.class_breaks([np.nan, np.nan], "quantiles", 5)
    assert bins.size == 0 and classes.tolist() == [-1, -1]


@pytest.mark.parametrize("scheme, k", [("jenks", 5), ("quantiles", 0), ("quantiles", 10),
                                       ("quantiles", 2.5)])
def test_class_breaks_rejects_bad_arguments(scheme, k):
    with pytest.raises(ValueError):
        charts.class_breaks([1.0, 2.0, 3.0], scheme, k)


def test_palette_directions():
    worse = charts.palette("higher_is_worse", 5)
    better = charts.palette("higher_is_better", 5)
    neither = charts.palette("neither", 5)
    assert all(HEX.match(c) for c in worse + better + neither)
    assert len(worse) == 5 and len(set(worse)) == 5
    lum = [luminance(c) for c in worse]
    assert lum == sorted(lum, reverse=True)  # light to dark: highest class darkest (worst)
    assert better == worse[::-1]  # lowest class darkest (worst)
    assert set(neither).isdisjoint(worse)
    assert charts.NO_DATA_COLOUR not in worse + neither
    assert len(charts.palette("neither", 1)) == 1


def test_palette_rejects_bad_arguments():
    with pytest.raises(ValueError, match="polarity"):
        charts.palette("up", 5)
    with pytest.raises(ValueError, match="k must"):
        charts.palette("neither", 12)


def _ward_traces(fig):
    """The filled ward traces (outlines are choropleths too, but skip the hover)."""
    return [t for t in fig.data if t.type == "choropleth" and t.hoverinfo != "skip"]


def _outlines(fig):
    """Each outline as (its unfilled choropleth, its legend entry)."""
    fills = [t for t in fig.data if t.type == "choropleth" and t.hoverinfo == "skip"]
    legend = {t.legendgroup: t for t in fig.data if t.type == "scattergeo"}
    return [(t, legend[t.legendgroup]) for t in fills]


def _hover_rows(fig):
    """Ward code -> [value text, rank] as its hover shows them, over every ward trace."""
    rows = {}
    for t in _ward_traces(fig):
        for code, row in zip(t.locations, t.customdata, strict=True):
            shown = hover_text(t.hovertemplate, row).split("<br>")
            rank = re.match(r"Rank: (\d+) of |Rank: no data", shown[3]).group(1)
            rows[code] = [shown[2].split(": ", 1)[1], rank or ""]
    return rows


def test_choropleth_classes_colours_and_layout(tiny_bundle):
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    fig = charts.choropleth(tiny_bundle.wards, values, AGED, "quantiles", 5,
                            authorities_gdf=tiny_bundle.authorities)
    bins, classes = charts.class_breaks(values["value"], "quantiles", 5)
    colours = charts.palette("neither", len(bins))
    traces = _ward_traces(fig)
    assert len(traces) == len(bins) + 1  # one per class plus "No data"
    for i, trace in enumerate(traces[:-1]):
        expected = values.loc[classes == i, "ward_code"].tolist()
        assert list(trace.locations) == expected
        assert trace.colorscale[0][1] == colours[i]
        assert set(trace.z) == {0}
        assert [f["id"] for f in trace.geojson["features"]] == expected
    assert traces[0].name == "10.0% – 20.0%"
    no_data = traces[-1]
    assert no_data.name == "No data"
    assert list(no_data.locations) == ["E05000008"]
    assert no_data.colorscale[0][1] == charts.NO_DATA_COLOUR
    # Geometry is sent once across the ward traces.
    assert sum(len(t.geojson["features"]) for t in traces) == 8
    # The authority outline draws from the same kind of shapes, unfilled, with a line legend.
    [(outline, legend)] = _outlines(fig)
    assert legend.name == outline.name == "Local authority boundary"
    assert list(outline.locations) == tiny_bundle.authorities.authority_code.tolist()
    assert [f["id"] for f in outline.geojson["features"]] == list(outline.locations)
    assert {c for _, c in outline.colorscale} == {"rgba(0,0,0,0)"}
    assert legend.line.color == outline.marker.line.color and legend.showlegend
    assert outline.showlegend is False
    layout = fig.layout
    assert layout.uirevision == charts.MAP_UIREVISION
    assert layout.clickmode == "event+select"
    assert (layout.margin.l, layout.margin.r, layout.margin.t, layout.margin.b) == (0, 0, 30, 0)
    assert "Residents aged 16-24" in layout.title.text
    assert layout.meta["title"] == layout.title.text


def test_choropleth_hover_shows_value_ci_and_rank(tiny_bundle):
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    fig = charts.choropleth(tiny_bundle.wards, values, AGED)
    rows = _hover_rows(fig)
    assert rows["E05000007"][0].startswith("70.0% (95% CI 60.4% to 78.1%)")
    assert rows["E05000007"][1] == "1" and rows["E05000001"][1] == "7"
    assert rows["E05000008"] == ["no data", ""]
    ranked_template, no_data_template = (_ward_traces(fig)[0].hovertemplate,
                                         _ward_traces(fig)[-1].hovertemplate)
    # Name and authority come from the shape's properties, the rest from customdata.
    assert "%{properties.name}" in ranked_template and "%{properties.authority}" in ranked_template
    assert re.search(r"Rank: %\{customdata\[\d\]\} of 7 \(1 = highest\)", ranked_template)
    # value, interval and rank go as numbers, rounded to the places shown
    assert _ward_traces(fig)[-2].customdata[-1] == [70.0, 60.4, 78.1, 1]
    assert "Rank: no data" in no_data_template and "customdata[1]" not in no_data_template
    feature = _ward_traces(fig)[0].geojson["features"][0]
    assert feature["properties"] == {"name": "Ward 1", "authority": "Birmingham"}
    # With a direction, rank 1 is the worst.
    scores = ranked(tiny_bundle.ward_values("imd_score"), CATALOGUE["imd_score"])
    fig = charts.choropleth(tiny_bundle.wards, scores, IMD_SCORE)
    assert _hover_rows(fig)["E05000001"] == ["50.0", "1"]
    assert "of 8 (1 = worst)" in _ward_traces(fig)[0].hovertemplate


def test_choropleth_highlight_and_selection(tiny_bundle):
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    highlight = {"E05000001", "E05000006"}
    fig = charts.choropleth(tiny_bundle.wards, values, AGED, highlight=highlight,
                            selected="E05000003")
    for trace in _ward_traces(fig):
        for code, z in zip(trace.locations, trace.z, strict=True):
            assert z == (0 if code in highlight else 1)
        faded = trace.colorscale[-1][1]
        assert faded != trace.colorscale[0][1] and luminance(faded) > luminance(
            trace.colorscale[0][1])
        # The legend swatch is the whole scale: it must read as the class colour.
        full_until = max(stop for stop, colour in trace.colorscale
                         if colour == trace.colorscale[0][1])
        assert full_until >= 0.99
    # A faded no-data ward stays visibly grey on the white map, not near-white.
    no_data = next(t for t in _ward_traces(fig) if t.name == "No data")
    assert set(no_data.z) == {1}
    assert contrast_with_white(no_data.colorscale[-1][1]) >= 1.2
    assert contrast_with_white(charts._fade(charts.NO_DATA_COLOUR)) < 1.2  # why it differs
    selected, legend = _outlines(fig)[-1]
    assert legend.name == "Selected: Ward 3" and list(selected.locations) == ["E05000003"]
    assert selected.marker.line.width >= 3 and selected.marker.line.color == charts.SELECTED_COLOUR
    lon = np.asarray(selected.geojson["features"][0]["geometry"]["coordinates"][0])[:, 0]
    assert min(lon) == pytest.approx(-1.91) and max(lon) == pytest.approx(-1.89)
    with pytest.raises(ValueError, match="not on the map"):
        charts.choropleth(tiny_bundle.wards, values, AGED, selected="E05999999")


def test_choropleth_rejects_bad_frame(tiny_bundle):
    with pytest.raises(ValueError, match="no column"):
        charts.choropleth(tiny_bundle.wards, pd.DataFrame({"ward_code": []}), AGED)


def test_choropleth_hover_names_wards_outside_coverage():
    from equity import views
    from equity.bundle import read_bundle

    bundle = read_bundle()
    frame = views.ward_frame(bundle, bundle.indicator("claimant_rate"))
    fig = charts.choropleth(bundle.wards, frame, bundle.indicator("claimant_rate"))
    texts = {code: row[0] for code, row in _hover_rows(fig).items()}
    coventry = bundle.wards.ward_code[bundle.wards.authority == "Coventry"].iloc[0]
    assert texts[coventry] == "no data for this authority"
    brum = bundle.wards.ward_code[bundle.wards.authority == "Birmingham"].iloc[0]
    assert texts[brum].endswith("%") or " to " in texts[brum]


def test_with_selected_ward_matches_building_with_a_selection(tiny_bundle):
    wards = tiny_bundle.wards
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    ind = CATALOGUE["aged_16_24"]
    code = wards.ward_code.iloc[2]
    built = charts.choropleth(wards, values, ind, selected=code)
    base = charts.choropleth(wards, values, ind)
    copied = charts.with_selected_ward(base, wards, code)
    assert len(base.data) == len(built.data) - 2  # the source figure is untouched
    assert [t.name for t in copied.data] == [t.name for t in built.data]
    assert pio.to_json(copied.data[-2]) == pio.to_json(built.data[-2])
    # Given the shapes by URL, the outline names the same file as the map.
    url = "/app/static/geo/wards.0123456789abcdef.json"
    by_url = charts.with_selected_ward(charts.choropleth(wards, values, ind, geojson=url),
                                       wards, code, url)
    assert by_url.data[-2].geojson == url and list(by_url.data[-2].locations) == [code]
    with pytest.raises(ValueError, match="not on the map"):
        charts.with_selected_ward(base, wards, "E05999999")


def test_choropleth_spec_passes_full_plotly_validation(tiny_bundle):
    """The map is built with plotly's validation off for speed; the finished spec must
    still be valid, property by property."""

    wards = tiny_bundle.wards
    fig = charts.choropleth(wards, ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"]),
                            CATALOGUE["aged_16_24"], highlight={wards.ward_code.iloc[0]},
                            selected=wards.ward_code.iloc[1],
                            authorities_gdf=tiny_bundle.authorities)
    validated = go.Figure(fig.to_dict())  # raises on any invalid property
    assert len(validated.data) == len(fig.data)
    assert validated.layout.geo.visible is False


def test_every_scheme_has_one_legend_name(tiny_bundle):
    assert set(charts.SCHEME_LABELS) == set(charts.SCHEMES)
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    for scheme in charts.SCHEME_LABELS:
        for k in (4, 5):
            label = charts.scheme_label(scheme, k)
            fig = charts.choropleth(tiny_bundle.wards, values, AGED, scheme, k)
            assert fig.layout.legend.title.text == f"{AGED.short_title} ({label})"
            assert f" {label} classes;" in fig.layout.meta["description"]
    # five quantile classes are named as readers know them, in the sidebar as on the map
    assert charts.scheme_label("quantiles", 5) == "quintiles"
    assert charts.scheme_label("quantiles", 4) == "quantiles"
    assert charts.scheme_label("natural_breaks") == "natural breaks"
    assert set(charts.OFFERED_SCHEMES) <= set(charts.SCHEME_LABELS)


def test_a_map_given_its_shapes_by_url_carries_values_only(tiny_bundle):
    """The app publishes the shapes as one static file: the figure names it and holds no
    coordinates, so an interaction sends values only."""
    url = "/app/static/geo/wards.0123456789abcdef.json"
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    fig = charts.choropleth(tiny_bundle.wards, values, AGED, authorities_gdf=tiny_bundle.authorities,
                            selected="E05000002", geojson=url)
    spec = pio.to_json(fig)
    assert '"coordinates"' not in spec
    fills = [t for t in fig.data if t.type == "choropleth"]
    assert fills and all(t.geojson == url for t in fills)
    assert sorted(c for t in _ward_traces(fig) for c in t.locations) == sorted(
        tiny_bundle.wards.ward_code)
    inline = pio.to_json(charts.choropleth(tiny_bundle.wards, values, AGED,
                                           authorities_gdf=tiny_bundle.authorities,
                                           selected="E05000002"))
    assert '"coordinates"' in inline and len(spec) < len(inline)


def test_with_highlight_matches_building_with_a_highlight(tiny_bundle):
    values = ranked(tiny_bundle.ward_values("aged_16_24"), CATALOGUE["aged_16_24"])
    highlight = {"E05000001", "E05000006", "E05000008"}
    url = "/app/static/geo/wards.0123456789abcdef.json"
    built = charts.choropleth(tiny_bundle.wards, values, AGED, highlight=highlight,
                              authorities_gdf=tiny_bundle.authorities, geojson=url)
    base = charts.choropleth(tiny_bundle.wards, values, AGED,
                             authorities_gdf=tiny_bundle.authorities, geojson=url)
    before = pio.to_json(base)
    assert json.loads(pio.to_json(charts.with_highlight(base, highlight))) == json.loads(
        pio.to_json(built))
    assert pio.to_json(base) == before  # the shared map is left as it was
