"""Tests for the plotly figure builders in equity.charts."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from equity import charts
from equity.catalogue import CATALOGUE
from equity.stats import quintile_gap

AGED = CATALOGUE["aged_16_24"]  # polarity "neither", proportion
IMD_SCORE = CATALOGUE["imd_score"]  # higher_is_worse, mean_score
AGED_WORSE = dataclasses.replace(AGED, polarity="higher_is_worse")
HEX = re.compile(r"^#[0-9a-f]{6}$")


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``colour`` (``#rrggbb``) against white."""
    def linear(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


# ---------------------------------------------------------------- class_breaks
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


# ---------------------------------------------------------------- palette
def test_palette_directions():
    worse = charts.palette("higher_is_worse", 5)
    better = charts.palette("higher_is_better", 5)
    neither = charts.palette("neither", 5)
    assert all(HEX.match(c) for c in worse + better + neither)
    assert len(worse) == 5 and len(set(worse)) == 5
    lum = [_luminance(c) for c in worse]
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


# ---------------------------------------------------------------- choropleth
def _ward_traces(fig):
    return [t for t in fig.data if t.type == "choropleth"]


def test_choropleth_classes_colours_and_layout(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
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
        assert trace.featureidkey == "properties.ward_code"
        assert [f["properties"]["ward_code"] for f in trace.geojson["features"]] == expected
    assert traces[0].name == "10.0% – 20.0%"
    no_data = traces[-1]
    assert no_data.name == "No data"
    assert list(no_data.locations) == ["E05000008"]
    assert no_data.colorscale[0][1] == charts.NO_DATA_COLOUR
    # Geometry is sent once across the ward traces.
    assert sum(len(t.geojson["features"]) for t in traces) == 8
    outlines = [t for t in fig.data if t.type == "scattergeo"]
    assert [t.name for t in outlines] == ["Local authority boundary"]
    assert np.isnan(np.asarray(outlines[0].lon, dtype=float)).any()  # NaN breaks between rings
    layout = fig.layout
    assert layout.uirevision == charts.MAP_UIREVISION
    assert layout.clickmode == "event+select"
    assert (layout.margin.l, layout.margin.r, layout.margin.t, layout.margin.b) == (0, 0, 30, 0)
    assert "Residents aged 16-24" in layout.title.text
    assert layout.meta["title"] == layout.title.text


def test_choropleth_view_is_the_wards_extent_with_no_base_layers(tiny_bundle):
    """Plotly fits the view's longitude and latitude ranges to the drawn size; they are the
    wards' own extent in degrees, padded by MAP_PADDING on each side."""
    values = tiny_bundle.ward_values("aged_16_24")
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


def test_choropleth_hover_shows_value_ci_and_rank(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.choropleth(tiny_bundle.wards, values, AGED)
    rows = {row[0]: row for t in _ward_traces(fig) for row in t.customdata}
    ward7 = rows["E05000007"]
    assert ward7[1] == "Ward 7" and ward7[2] == "Coventry"
    assert ward7[3].startswith("70.0% (95% CI 60.4% to 78.1%)")
    assert ward7[4] == "1 of 7 (1 = highest)"
    assert rows["E05000001"][4] == "7 of 7 (1 = highest)"
    assert rows["E05000008"][3] == "no data" and rows["E05000008"][4] == "no data"
    assert "%{customdata[3]}" in _ward_traces(fig)[0].hovertemplate
    # With a direction, rank 1 is the worst.
    fig = charts.choropleth(tiny_bundle.wards, tiny_bundle.ward_values("imd_score"), IMD_SCORE)
    rows = {row[0]: row for t in _ward_traces(fig) for row in t.customdata}
    assert rows["E05000001"][3] == "50.0"
    assert rows["E05000001"][4] == "1 of 8 (1 = worst)"


def test_choropleth_highlight_and_selection(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    highlight = {"E05000001", "E05000006"}
    fig = charts.choropleth(tiny_bundle.wards, values, AGED, highlight=highlight,
                            selected="E05000003")
    for trace in _ward_traces(fig):
        for code, z in zip(trace.locations, trace.z, strict=True):
            assert z == (0 if code in highlight else 1)
        faded = trace.colorscale[-1][1]
        assert faded != trace.colorscale[0][1] and _luminance(faded) > _luminance(
            trace.colorscale[0][1])
        # The legend swatch is the whole scale: it must read as the class colour.
        full_until = max(stop for stop, colour in trace.colorscale
                         if colour == trace.colorscale[0][1])
        assert full_until >= 0.99
    # A faded no-data ward stays visibly grey on the white map, not near-white.
    no_data = next(t for t in _ward_traces(fig) if t.name == "No data")
    assert set(no_data.z) == {1}
    assert _contrast_with_white(no_data.colorscale[-1][1]) >= 1.2
    assert _contrast_with_white(charts._fade(charts.NO_DATA_COLOUR)) < 1.2  # why it differs
    selected = fig.data[-1]
    assert selected.type == "scattergeo" and selected.name == "Selected: Ward 3"
    assert selected.line.width >= 3 and selected.line.color == charts.SELECTED_COLOUR
    lon = [x for x in selected.lon if x is not None]
    assert min(lon) == pytest.approx(-1.91) and max(lon) == pytest.approx(-1.89)
    with pytest.raises(ValueError, match="not on the map"):
        charts.choropleth(tiny_bundle.wards, values, AGED, selected="E05999999")


def test_choropleth_reuses_prebuilt_geojson(tiny_bundle):
    geojson = charts.wards_geojson(tiny_bundle.wards)
    assert len(geojson["features"]) == 8
    assert geojson["features"][0]["properties"] == {"ward_code": "E05000001"}
    fig = charts.choropleth(tiny_bundle.wards, tiny_bundle.ward_values("aged_16_24"), AGED,
                            geojson=geojson)
    assert len(_ward_traces(fig)) >= 2


def test_choropleth_rejects_bad_frame(tiny_bundle):
    with pytest.raises(ValueError, match="no column"):
        charts.choropleth(tiny_bundle.wards, pd.DataFrame({"ward_code": []}), AGED)


# ---------------------------------------------------------------- gap_to_benchmark
def _points(fig):
    out = {}
    for trace in fig.data:
        if trace.type == "scatter" and trace.name != "Local authority":
            for x, row in zip(trace.x, trace.customdata, strict=True):
                out[row[0]] = (x, trace.name, trace.marker.color, trace)
    return out


def test_gap_to_benchmark_significance_colours(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(values, AGED_WORSE, 40.0, {"E08000025": 30.0,
                                                             "E08000026": 65.0}, 45.0)
    points = _points(fig)
    assert "E05000008" not in points  # no data
    assert [points[f"E0500000{i}"][0] for i in range(1, 8)] == list(range(1, 8))
    expected = {1: "better", 2: "better", 3: "better", 4: "similar", 5: "worse", 6: "worse",
                7: "worse"}
    for i, outcome in expected.items():
        _, name, colour, _ = points[f"E0500000{i}"]
        assert name == charts.COMPARISON_LABELS[outcome]
        assert colour == charts.COMPARISON_COLOURS[outcome]
    ward5 = points["E05000005"][3]
    idx = list(ward5.x).index(points["E05000005"][0])
    assert ward5.y[idx] - ward5.error_y.arrayminus[idx] == pytest.approx(values.lower[4])
    assert ward5.y[idx] + ward5.error_y.array[idx] == pytest.approx(values.upper[4])
    authority = next(t for t in fig.data if t.name == "Local authority")
    assert list(authority.y) == [30.0, 65.0] and list(authority.text) == ["Birmingham", "Coventry"]
    lines = sorted(shape.y0 for shape in fig.layout.shapes)
    assert lines == [40.0, 45.0]
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text == AGED.short_title
    assert "1 wards with no data" in fig.layout.title.subtitle.text


def test_spread_labels_keeps_order_and_gap_and_leaves_spaced_labels_alone():
    # the seven authorities on a disability chart sit within about 3 points of each other
    values = [17.3, 17.4, 17.6, 17.35, 19.2, 19.0, 16.5]
    placed = charts.spread_labels(values, min_gap=0.5)
    ranked = sorted(range(len(values)), key=lambda i: values[i])
    assert sorted(range(len(values)), key=lambda i: placed[i]) == ranked  # order kept
    ordered = sorted(placed)
    assert min(b - a for a, b in zip(ordered, ordered[1:], strict=False)) >= 0.5 - 1e-6
    assert max(abs(p - v) for p, v in zip(placed, values, strict=True)) < 1.5  # near its value
    assert charts.spread_labels([1.0, 5.0, 9.0], min_gap=1.0) == [1.0, 5.0, 9.0]
    same = charts.spread_labels([2.0] * 3, min_gap=1.0)
    assert sorted(same) == pytest.approx([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="finite"):
        charts.spread_labels([1.0, float("nan")], min_gap=1.0)
    with pytest.raises(ValueError, match="positive"):
        charts.spread_labels([1.0], min_gap=0)


def test_gap_to_benchmark_labels_close_authorities_apart(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(values, AGED, 40.0,
                                  {"E08000025": 41.0, "E08000026": 41.1})
    labels = {a.text: a.y for a in fig.layout.annotations if a.text in {"Birmingham", "Coventry"}}
    assert set(labels) == {"Birmingham", "Coventry"}
    assert labels["Coventry"] > labels["Birmingham"]
    span = max(values.value.max(), 41.1) - min(values.value.min(), 41.0)
    assert labels["Coventry"] - labels["Birmingham"] >= span * 12 / 290 - 1e-9
    authority = next(t for t in fig.data if t.name == "Local authority")
    assert list(authority.y) == [41.0, 41.1]  # the markers stay at the values
    # on a phone the names get room to the right of the plot instead of being cut off
    assert charts.for_small_screen(fig).layout.margin.r >= 50
    assert charts.for_small_screen(charts.gap_to_benchmark(values, AGED, 40.0, {})
                                   ).layout.margin.r == 8
    assert charts.for_small_screen(charts.spine_chart(_profile(), compact=True)
                                   ).layout.margin.r == 8


def test_gap_to_benchmark_neutral_and_scores(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(values, AGED, 40.0, {})
    points = _points(fig)
    assert points["E05000001"][2] == charts.LOWER_COLOUR
    assert points["E05000004"][2] == charts.SIMILAR_COLOUR
    assert points["E05000007"][2] == charts.HIGHER_COLOUR
    assert len(fig.layout.shapes) == 1  # WMCA only, no England line

    scores = tiny_bundle.ward_values("imd_score")
    fig = charts.gap_to_benchmark(scores, IMD_SCORE, 32.0, {"E08000025": 40.0})
    points = _points(fig)
    assert points["E05000001"][1] == charts.COMPARISON_LABELS["above"]
    assert points["E05000001"][2] == charts.HIGHER_COLOUR
    assert points["E05000008"][2] == charts.LOWER_COLOUR
    assert all(t.error_y.array is None for t in fig.data)
    assert "no confidence interval" in fig.layout.title.subtitle.text


def test_gap_to_benchmark_fades_outside_highlight(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(values, AGED, 40.0, {}, highlight={"E05000001"})
    points = _points(fig)
    assert points["E05000001"][3].opacity == 1.0
    assert points["E05000002"][3].opacity == charts.FADED_OPACITY
    # One legend entry per outcome: the faded "Lower" trace hides its entry because the
    # highlighted ward 1 already shows it; faded-only outcomes keep theirs.
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == ["Lower than WMCA", "Similar to WMCA (outside filter)",
                      "Higher than WMCA (outside filter)"]
    with pytest.raises(ValueError, match="wmca_value"):
        charts.gap_to_benchmark(values, AGED, float("nan"), {})


# ---------------------------------------------------------------- gap_by_characteristic
def test_gap_by_characteristic_bars_and_annotation():
    frame = pd.DataFrame({
        "char": [float(c) for c in range(1, 11)],
        "numerator": [10, 30, 20, 20, 30, 30, 40, 40, 60, 90],
        "denominator": [100] * 9 + [200],
    })
    groups, gap = quintile_gap(frame, "char")
    fig = charts.gap_by_characteristic(groups, gap, AGED, CATALOGUE["imd_score"])
    bar = fig.data[0]
    np.testing.assert_allclose(bar.y, [20, 20, 30, 40, 50])
    np.testing.assert_allclose(np.asarray(bar.y) - bar.error_y.arrayminus, groups["lower"])
    np.testing.assert_allclose(np.asarray(bar.y) + bar.error_y.array, groups["upper"])
    assert bar.x[0] == "Q1<br>1.0–2.0"
    text = fig.layout.annotations[0].text
    assert text == (f"Gap Q5 − Q1: +30.0 percentage points (95% CI {gap['lower']:+.1f} to "
                    f"{gap['upper']:+.1f})")
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text

    score_groups, score_gap = quintile_gap(frame, "char", kind="mean_score")
    fig = charts.gap_by_characteristic(score_groups, score_gap, IMD_SCORE, AGED)
    assert fig.data[0].error_y.array is None
    assert "no confidence interval" in fig.layout.annotations[0].text
    with pytest.raises(ValueError, match="no column"):
        charts.gap_by_characteristic(groups.drop(columns="value"), gap, AGED, AGED)


# ---------------------------------------------------------------- spine_chart
def _floats(values):
    return np.asarray(values, dtype=float)


def _profile():
    return pd.DataFrame({
        "indicator": ["a", "b", "c"],
        "title": ["Worse-high", "Better-high", "Score"],
        "value": [60.0, 60.0, 25.0],
        "lower": [55.0, 55.0, np.nan],
        "upper": [65.0, 65.0, np.nan],
        "wmca": [40.0, 40.0, 30.0],
        "authority": [50.0, 50.0, 35.0],
        "min": [10.0, 10.0, 20.0],
        "q25": [30.0, 30.0, 25.0],
        "q75": [50.0, 50.0, 35.0],
        "max": [70.0, 70.0, 40.0],
        "significance": ["worse", "better", "not compared"],
        "polarity": ["higher_is_worse", "higher_is_better", "higher_is_worse"],
        "unit": ["%", "%", "score"],
    })


def test_spine_chart_normalises_with_worse_on_left():
    fig = charts.spine_chart(_profile())
    by_name = {t.name: t for t in fig.data}
    rng = by_name["WMCA range"]
    # Row a: spread 30 around 40, higher is worse so flipped: max 70 -> -1, min 10 -> +1.
    np.testing.assert_allclose(_floats(rng.base), [-1.0, -1.0, -1.0])
    np.testing.assert_allclose(_floats(rng.x), [2.0, 2.0, 2.0])
    iqr = by_name["Middle 50% of wards"]
    np.testing.assert_allclose(_floats(iqr.base), [-1 / 3, -1 / 3, -0.5])
    np.testing.assert_allclose(_floats(by_name["Local authority"].x), [-1 / 3, 1 / 3, -0.5])
    worse = by_name["Ward: Worse than WMCA"]
    better = by_name["Ward: Better than WMCA"]
    score = by_name["Ward: Not compared"]
    assert list(worse.y) == ["a"] and worse.x[0] == pytest.approx(-2 / 3)
    assert list(better.y) == ["b"] and better.x[0] == pytest.approx(2 / 3)
    assert score.x[0] == pytest.approx(0.5)  # score 25 below WMCA 30, higher is worse
    assert worse.marker.color == charts.WORSE_COLOUR
    assert better.marker.color == charts.BETTER_COLOUR
    assert worse.error_x.array[0] == pytest.approx(1 / 6)  # CI 55-65 is 1/3 wide
    assert worse.error_x.arrayminus[0] == pytest.approx(1 / 6)
    assert score.error_x.array is None
    assert list(fig.layout.yaxis.ticktext) == ["Worse-high", "Better-high", "Score"]
    assert fig.layout.shapes[0].x0 == 0
    assert fig.layout.title.text and fig.layout.meta["description"]


def test_spine_chart_compact_writes_names_above_rows():
    wide = charts.spine_chart(_profile())
    phone = charts.spine_chart(_profile(), compact=True)
    assert wide.layout.yaxis.showticklabels is not False
    assert "WMCA" in [a.text for a in wide.layout.annotations]
    assert phone.layout.yaxis.showticklabels is False
    names = [(a.text, a.y) for a in phone.layout.annotations if a.yref == "y"]
    assert names == [("Worse-high", "a"), ("Better-high", "b"), ("Score", "c")]
    assert "WMCA" not in [a.text for a in phone.layout.annotations]
    assert phone.layout.height > wide.layout.height
    assert [t.name for t in phone.data] == [t.name for t in wide.data]


def test_spine_chart_rejects_bad_rows():
    with pytest.raises(ValueError, match="significance"):
        charts.spine_chart(_profile().assign(significance="great"))
    with pytest.raises(ValueError, match="polarity"):
        charts.spine_chart(_profile().assign(polarity="up"))
    with pytest.raises(ValueError, match="no column"):
        charts.spine_chart(_profile().drop(columns="q25"))


def test_decimals_follow_the_spread():
    assert charts.decimals_for([0.02, 0.31, 0.4], "score") == 2
    assert charts.decimals_for([10.0, 60.0], "%") == 1
    assert charts.decimals_for([1.0, 10.0], "decile") == 0
    assert charts.decimals_for([0.0, 1.0, 3.0], "themes") == 0  # counts: "2", never "2.0"
    assert charts.format_value(0.1234, "score", charts.decimals_for([0.0, 0.4], "score")) == "0.12"
    assert charts.format_value(float("nan"), "%") == "no data"


def test_gap_to_benchmark_names_another_benchmark(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(values, AGED_WORSE, 40.0, {}, benchmark_label="Birmingham")
    names = {t.name for t in fig.data}
    assert "Worse than Birmingham" in names and "Better than Birmingham" in names
    assert fig.layout.annotations[0].text == "Birmingham 40.0%"
    assert fig.layout.title.text.endswith("compared with Birmingham")


def test_spine_chart_accepts_missing_ward_values():
    profile = _profile()
    profile.loc[0, ["value", "lower", "upper"]] = np.nan
    profile.loc[0, "significance"] = "no data for this authority"
    profile.loc[2, "significance"] = "not tested"
    fig = charts.spine_chart(profile)
    names = [t.name for t in fig.data]
    assert "Ward: Worse than WMCA" not in names  # row a has no ward value now
    assert "Ward: Not tested (no interval)" in names
    assert list(fig.layout.yaxis.tickvals) == ["a", "b", "c"]  # the row is still listed


def test_choropleth_hover_names_wards_outside_coverage():
    from equity import views
    from equity.bundle import read_bundle

    bundle = read_bundle()
    frame = views.ward_frame(bundle, "claimant_rate")
    fig = charts.choropleth(bundle.wards, frame, bundle.indicator("claimant_rate"))
    texts = {}
    for trace in fig.data:
        if getattr(trace, "type", "") == "choropleth" and trace.customdata is not None:
            for row in trace.customdata:
                texts[row[0]] = row[3]
    coventry = bundle.wards.ward_code[bundle.wards.authority == "Coventry"].iloc[0]
    assert texts[coventry] == "no data for this authority"
    brum = bundle.wards.ward_code[bundle.wards.authority == "Birmingham"].iloc[0]
    assert texts[brum].endswith("%") or " to " in texts[brum]


def test_with_selected_ward_matches_building_with_a_selection(tiny_bundle):
    wards = tiny_bundle.wards
    values = tiny_bundle.ward_values("aged_16_24")
    ind = CATALOGUE["aged_16_24"]
    code = wards.ward_code.iloc[2]
    built = charts.choropleth(wards, values, ind, selected=code)
    base = charts.choropleth(wards, values, ind)
    copied = charts.with_selected_ward(base, wards, code)
    assert len(base.data) == len(built.data) - 1  # the source figure is untouched
    assert [t.name for t in copied.data] == [t.name for t in built.data]
    np.testing.assert_allclose(np.asarray(copied.data[-1].lon, dtype=float),
                               np.asarray(built.data[-1].lon, dtype=float), equal_nan=True)
    with pytest.raises(ValueError, match="not on the map"):
        charts.with_selected_ward(base, wards, "E05999999")


def test_choropleth_spec_passes_full_plotly_validation(tiny_bundle):
    """The map is built with plotly's validation off for speed; the finished spec must
    still be valid, property by property."""
    import plotly.graph_objects as go

    wards = tiny_bundle.wards
    fig = charts.choropleth(wards, tiny_bundle.ward_values("aged_16_24"),
                            CATALOGUE["aged_16_24"], highlight={wards.ward_code.iloc[0]},
                            selected=wards.ward_code.iloc[1],
                            authorities_gdf=tiny_bundle.authorities)
    validated = go.Figure(fig.to_dict())  # raises on any invalid property
    assert len(validated.data) == len(fig.data)
    assert validated.layout.geo.visible is False


def test_gap_chart_spec_passes_full_plotly_validation(tiny_bundle):
    import plotly.graph_objects as go

    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(values, CATALOGUE["aged_16_24"], 15.0,
                                  {"E08000025": 14.0}, 12.0)
    validated = go.Figure(fig.to_dict())
    assert len(validated.data) == len(fig.data)
    assert len(validated.layout.shapes) == 2


# ---------------------------------------------------------------- for_small_screen
def test_for_small_screen_wraps_titles_and_moves_a_side_legend_below():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="Worse than WMCA"))
    fig.add_trace(go.Scatter(x=[1], y=[2], name="Similar"))
    long_title = "Residents in bad or very bad general health (%): wards compared with WMCA"
    fig.update_layout(title={"text": long_title, "subtitle": {"text": "Short note."}},
                      meta={"title": long_title, "description": "Described."})
    small = charts.for_small_screen(fig, width_chars=40)
    lines = small.layout.title.text.split("<br>")
    assert len(lines) >= 2 and max(map(len, lines)) <= 40
    assert " ".join(lines) == long_title
    assert small.layout.title.subtitle.text == "Short note."
    assert small.layout.legend.orientation == "h"
    assert small.layout.meta == fig.layout.meta
    assert [list(t.y) for t in small.data] == [list(t.y) for t in fig.data]
    # The original (a cached figure, in the app) is untouched.
    assert fig.layout.title.text == long_title and fig.layout.legend.orientation is None


def test_for_small_screen_keeps_numeric_axes_and_room_for_title_and_legend():
    # Numbers held as numpy arrays become typed arrays in a copied figure; they are not
    # category names (that once gave the phone gap chart no y-axis labels at all).
    fig = go.Figure(go.Scatter(x=np.arange(3), y=np.array([12.5, 17.0, 25.1]), name="Worse"))
    fig.add_trace(go.Scatter(x=[1], y=[17.8], name="Similar"))
    fig.update_layout(title={"text": "A title long enough to need wrapping onto two or more "
                                     "lines on a phone", "subtitle": {"text": "A note."}},
                      legend={"title": {"text": "Compared with WMCA"}}, height=450,
                      margin={"b": 60})
    small = charts.for_small_screen(fig, width_chars=30)
    assert small.layout.yaxis.tickmode is None and small.layout.yaxis.tickvals is None
    lines = small.layout.title.text.count("<br>") + 1
    assert lines >= 2
    assert small.layout.margin.t >= 21 * lines + 16
    assert (small.layout.title.yref, small.layout.title.y, small.layout.title.yanchor) == (
        "container", 1, "top")
    legend = small.layout.legend
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")
    # one row of two entries plus the legend title, added below the old bottom margin
    assert small.layout.margin.b == 60 + 22 + 22
    assert small.layout.height == 450 + 22 + 22


def test_for_small_screen_keeps_a_horizontal_legend_and_rejects_bad_input():
    fig = go.Figure(go.Bar(x=[1], y=["a"]))
    fig.update_layout(legend={"orientation": "h", "y": 0, "yanchor": "top"})
    small = charts.for_small_screen(fig)
    assert (small.layout.legend.y, small.layout.legend.yanchor) == (0, "top")
    assert small.layout.title.text is None
    with pytest.raises(ValueError, match="Figure"):
        charts.for_small_screen({"data": []})
    with pytest.raises(ValueError, match="width_chars"):
        charts.for_small_screen(fig, width_chars=5)


def test_for_small_screen_wraps_long_category_names_but_keeps_categories():
    groups = ["Black, Black British, Black Welsh, Caribbean or African", "White"]
    fig = go.Figure(go.Scatter(x=[1.0, -2.0], y=groups, mode="markers"))
    fig.update_layout(xaxis={"title": {"text": "Share in chosen wards minus WMCA share "
                                               "(percentage points)"}})
    small = charts.for_small_screen(fig)
    assert list(small.layout.yaxis.tickvals) == groups
    assert list(small.data[0].y) == groups
    wrapped = small.layout.yaxis.ticktext[0].split("<br>")
    assert len(wrapped) > 1 and max(map(len, wrapped)) <= 22
    assert small.layout.yaxis.ticktext[1] == "White"
    assert "<br>" in small.layout.xaxis.title.text
    assert small.layout.height >= 450  # grows with the wrapped lines, never shrinks
