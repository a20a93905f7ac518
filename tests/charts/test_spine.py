"""Tests for equity.charts.spine: one ward across indicators."""

from __future__ import annotations

import numpy as np
import pytest

from equity import charts
from tests.charts.shared import spine_profile


def _floats(values):
    return np.asarray(values, dtype=float)


def test_spine_chart_normalises_with_worse_on_left():
    fig = charts.spine_chart(spine_profile())
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
    wide = charts.spine_chart(spine_profile())
    phone = charts.spine_chart(spine_profile(), compact=True)
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
        charts.spine_chart(spine_profile().assign(significance="great"))
    with pytest.raises(ValueError, match="polarity"):
        charts.spine_chart(spine_profile().assign(polarity="up"))
    with pytest.raises(ValueError, match="no column"):
        charts.spine_chart(spine_profile().drop(columns="q25"))


def test_spine_chart_accepts_missing_ward_values():
    profile = spine_profile()
    profile.loc[0, ["value", "lower", "upper"]] = np.nan
    profile.loc[0, "significance"] = "no data"
    profile.loc[2, "significance"] = "not tested"
    fig = charts.spine_chart(profile)
    names = [t.name for t in fig.data]
    assert "Ward: Worse than WMCA" not in names  # row a has no ward value now
    assert "Ward: Not tested (no interval)" in names
    assert list(fig.layout.yaxis.tickvals) == ["a", "b", "c"]  # the row is still listed
