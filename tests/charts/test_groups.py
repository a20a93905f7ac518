"""Tests for equity.charts.groups: each group of people's rate with its interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equity import charts


def test_group_rates_orders_groups_and_draws_intervals_only_where_published():
    frame = pd.DataFrame({"group": ["A", "B", "C"], "value": [30.0, 10.0, np.nan],
                          "lower": [25.0, np.nan, np.nan], "upper": [36.0, np.nan, np.nan]})
    fig = charts.group_rates(frame, "Rates", reference=20.0)
    trace = fig.data[0]
    assert list(trace.y) == ["B", "A"]  # in value order; the group with no value left out
    np.testing.assert_allclose(trace.error_x.array, [0.0, 6.0])
    np.testing.assert_allclose(trace.error_x.arrayminus, [0.0, 5.0])
    assert trace.error_x.visible is True
    assert fig.layout.shapes[0].x0 == 20.0
    no_intervals = charts.group_rates(frame.drop(columns=["lower", "upper"]), "Rates")
    assert no_intervals.data[0].error_x.visible is False
    with pytest.raises(ValueError, match="no group"):
        charts.group_rates(frame.iloc[2:], "Rates")
