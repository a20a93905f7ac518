"""Tests for equity.charts.style: how values are written."""

from __future__ import annotations

import numpy as np

from equity import charts
from equity.charts.style import _error_bars


def test_decimals_follow_the_spread():
    assert charts.decimals_for([0.02, 0.31, 0.4], "score") == 2
    assert charts.decimals_for([10.0, 60.0], "%") == 1
    assert charts.decimals_for([1.0, 10.0], "decile") == 0
    assert charts.decimals_for([0.0, 1.0, 3.0], "themes") == 0  # counts: "2", never "2.0"
    assert charts.format_value(0.1234, "score", charts.decimals_for([0.0, 0.4], "score")) == "0.12"
    assert charts.format_value(float("nan"), "%") == "no data"


def test_error_bars_run_from_each_value_to_its_bounds_with_no_bar_where_one_is_missing():
    bars = _error_bars(np.array([5.0, 7.0]), np.array([4.0, np.nan]), np.array([6.5, np.nan]),
                       "#252525", symmetric=False, width=0)
    assert (bars["type"], bars["color"], bars["symmetric"], bars["width"]) == (
        "data", "#252525", False, 0)
    np.testing.assert_allclose(bars["array"], [1.5, 0.0])
    np.testing.assert_allclose(bars["arrayminus"], [1.0, 0.0])
    assert set(_error_bars(np.ones(1), np.ones(1), np.ones(1), "#4d4d4d")) == {
        "type", "array", "arrayminus", "color"}
