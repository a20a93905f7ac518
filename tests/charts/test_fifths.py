"""Tests for equity.charts.fifths: an outcome by fifths of wards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equity import charts
from equity.catalogue import CATALOGUE
from equity.stats import quintile_gap
from tests.charts.shared import AGED, IMD_SCORE


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
