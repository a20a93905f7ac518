"""Tests for equity.charts.trends: monthly series."""

from __future__ import annotations

import pandas as pd
import pytest

from equity import charts


def test_time_series_draws_one_line_per_name_in_order_of_first_appearance():
    series = pd.DataFrame({"month": ["2024-02", "2024-01", "2024-01", "2024-02"],
                           "value": [2.0, 1.0, 5.0, 6.0],
                           "name": ["Ward", "Ward", "Birmingham", "Birmingham"]})
    fig = charts.time_series(series, "Claimants", "Index")
    assert [t.name for t in fig.data] == ["Ward", "Birmingham"]
    assert list(fig.data[0].y) == [1.0, 2.0]  # by month
    assert (fig.data[0].line.dash, fig.data[1].line.dash) == ("solid", "dot")
    with pytest.raises(ValueError, match="no data"):
        charts.time_series(series.iloc[:0], "Claimants", "Index")
