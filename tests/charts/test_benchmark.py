"""Tests for equity.charts.benchmark: the gap chart and spread_labels."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from equity import charts
from equity.catalogue import CATALOGUE
from tests.charts.shared import (
    AGED,
    AGED_WORSE,
    IMD_SCORE,
    compared,
    hover_text,
    spine_profile,
)


def _points(fig):
    """Ward code -> (x, trace name, colour, trace); the tiny bundle's "Ward n" is E0500000n."""
    out = {}
    for trace in fig.data:
        if trace.type == "scatter" and trace.name != "Local authority":
            for x, row in zip(trace.x, trace.customdata, strict=True):
                out["E0500000" + row[0].removeprefix("Ward ")] = (x, trace.name,
                                                                  trace.marker.color, trace)
    return out


def test_each_points_hover_names_the_ward_and_its_trace_the_outcome(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(compared(values, AGED_WORSE, 40.0), AGED_WORSE, 40.0, {}, None)
    worse = next(t for t in fig.data if t.name == charts.COMPARISON_LABELS["worse"])
    assert [list(row[:2]) for row in worse.customdata][0] == ["Ward 5", "Birmingham"]
    assert worse.hovertemplate.startswith("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>")
    assert "Worse than" in worse.hovertemplate
    # The value goes as numbers rounded to the places shown, and reads as format_value's text.
    ward = values.set_index("ward_code").loc["E05000005"]
    assert hover_text(worse.hovertemplate, worse.customdata[0]).split("<br>")[2] == (
        f"{charts.format_value(ward.value, '%', 1)} (95% CI "
        f"{charts.format_value(ward.lower, '%', 1)} to {charts.format_value(ward.upper, '%', 1)})")
    assert worse.customdata[0][2:] == [round(ward.value, 1), round(ward.lower, 1),
                                       round(ward.upper, 1)]


def test_a_trace_whose_wards_do_not_all_have_an_interval_keeps_its_text(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    values.loc[values.ward_code == "E05000005", ["lower", "upper"]] = float("nan")
    fig = charts.gap_to_benchmark(compared(values, AGED_WORSE, 40.0), AGED_WORSE, 40.0, {}, None)
    wards = [t for t in fig.data if t.name != "Local authority"]
    for trace in wards:
        texts = [hover_text(trace.hovertemplate, row).split("<br>")[2] for row in trace.customdata]
        assert all(t.endswith("%") or t.endswith("%)") for t in texts), texts
    traced = {row[0]: hover_text(t.hovertemplate, row).split("<br>")[2]
              for t in wards for row in t.customdata}
    assert "CI" not in traced["Ward 5"] and "95% CI" in traced["Ward 6"]


def test_gap_to_benchmark_significance_colours(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(compared(values, AGED_WORSE, 40.0), AGED_WORSE, 40.0, {"E08000025": 30.0,
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
    fig = charts.gap_to_benchmark(compared(values, AGED, 40.0), AGED, 40.0,
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
    assert charts.for_small_screen(charts.gap_to_benchmark(compared(values, AGED, 40.0), AGED, 40.0, {})
                                   ).layout.margin.r == 8
    assert charts.for_small_screen(charts.spine_chart(spine_profile(), compact=True)
                                   ).layout.margin.r == 8


def test_gap_to_benchmark_neutral_and_scores(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(compared(values, AGED, 40.0), AGED, 40.0, {})
    points = _points(fig)
    assert points["E05000001"][2] == charts.LOWER_COLOUR
    assert points["E05000004"][2] == charts.SIMILAR_COLOUR
    assert points["E05000007"][2] == charts.HIGHER_COLOUR
    assert len(fig.layout.shapes) == 1  # WMCA only, no England line

    scores = tiny_bundle.ward_values("imd_score")
    fig = charts.gap_to_benchmark(compared(scores, IMD_SCORE, 32.0), IMD_SCORE, 32.0, {"E08000025": 40.0})
    points = _points(fig)
    assert points["E05000001"][1] == charts.COMPARISON_LABELS["above"]
    assert points["E05000001"][2] == charts.HIGHER_COLOUR
    assert points["E05000008"][2] == charts.LOWER_COLOUR
    assert all(t.error_y.array is None for t in fig.data)
    assert "no confidence interval" in fig.layout.title.subtitle.text


def test_gap_to_benchmark_fades_outside_highlight(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(compared(values, AGED, 40.0), AGED, 40.0, {}, highlight={"E05000001"})
    points = _points(fig)
    assert points["E05000001"][3].opacity == 1.0
    assert points["E05000002"][3].opacity == charts.FADED_OPACITY
    # One legend entry per outcome: the faded "Lower" trace hides its entry because the
    # highlighted ward 1 already shows it; faded-only outcomes keep theirs.
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == ["Lower than WMCA", "Similar to WMCA (outside filter)",
                      "Higher than WMCA (outside filter)"]
    with pytest.raises(ValueError, match="benchmark_value"):
        charts.gap_to_benchmark(compared(values, AGED, float("nan")), AGED, float("nan"), {})


def test_gap_to_benchmark_names_another_benchmark(tiny_bundle):
    values = tiny_bundle.ward_values("aged_16_24")
    fig = charts.gap_to_benchmark(compared(values, AGED_WORSE, 40.0), AGED_WORSE, 40.0, {},
                                  benchmark_label="Birmingham")
    names = {t.name for t in fig.data}
    assert "Worse than Birmingham" in names and "Better than Birmingham" in names
    assert fig.layout.annotations[0].text == "Birmingham 40.0%"
    assert fig.layout.title.text.endswith("compared with Birmingham")


def test_gap_chart_spec_passes_full_plotly_validation(tiny_bundle):

    values = tiny_bundle.ward_values("aged_16_24")
    aged = CATALOGUE["aged_16_24"]
    fig = charts.gap_to_benchmark(compared(values, aged, 15.0), aged, 15.0,
                                  {"E08000025": 14.0}, 12.0)
    validated = go.Figure(fig.to_dict())
    assert len(validated.data) == len(fig.data)
    assert len(validated.layout.shapes) == 2
