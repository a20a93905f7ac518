"""Tests for equity.charts.small_screen: any chart laid out for a phone."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from equity import charts


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
