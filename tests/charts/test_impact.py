"""Tests for equity.charts.impact: the chosen wards against WMCA, group by group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity import charts


def test_impact_differences_one_trace_per_flag_with_intervals():
    table = pd.DataFrame({"group": ["White", "Asian", "Black"],
                          "difference": [-3.0, 4.0, 0.5], "lower": [-4.0, 3.0, -1.0],
                          "upper": [-2.0, 5.5, 2.0],
                          "flag": ["under-represented", "over-represented", "similar"]})
    fig = charts.impact_differences(table)
    by_name = {t.name: t for t in fig.data}
    assert list(by_name) == ["Under-represented", "Over-represented", "Similar"]
    over = by_name["Over-represented"]
    assert over.marker.color == charts.IMPACT_FLAG_COLOURS["over-represented"]
    assert over.marker.symbol == "diamond"
    np.testing.assert_allclose(over.error_x.array, [1.5])
    np.testing.assert_allclose(over.error_x.arrayminus, [1.0])
    assert fig.layout.shapes[0].x0 == 0
