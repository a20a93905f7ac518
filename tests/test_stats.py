"""Tests for the quintile gap and ward ranking added to equity.stats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equity.stats import (
    GROUP_COLUMNS,
    difference_interval,
    proportion_se,
    quintile_gap,
    rank_wards,
    wilson_interval,
)


@pytest.fixture
def ten_wards() -> pd.DataFrame:
    # Characteristic 1..10 in shuffled order; outcome counts chosen so pooled rates are easy:
    # Q1 = wards with characteristic 1, 2; ... Q5 = 9, 10.
    char = [3, 1, 10, 2, 5, 4, 9, 6, 8, 7]
    num = {1: 10, 2: 30, 3: 20, 4: 20, 5: 30, 6: 30, 7: 40, 8: 40, 9: 60, 10: 90}
    den = {1: 100, 2: 100, 3: 100, 4: 100, 5: 100, 6: 100, 7: 100, 8: 100, 9: 100, 10: 200}
    return pd.DataFrame({
        "ward_code": [f"W{c:02d}" for c in char],
        "char": [float(c) for c in char],
        "numerator": [num[c] for c in char],
        "denominator": [den[c] for c in char],
    })


def test_quintile_gap_pools_counts(ten_wards):
    groups, _ = quintile_gap(ten_wards, "char")
    assert list(groups.columns) == GROUP_COLUMNS
    assert groups["group"].tolist() == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    assert groups["n_wards"].tolist() == [2, 2, 2, 2, 2]
    assert groups["characteristic_min"].tolist() == [1, 3, 5, 7, 9]
    assert groups["characteristic_max"].tolist() == [2, 4, 6, 8, 10]
    assert groups["numerator"].tolist() == [40, 40, 60, 80, 150]
    assert groups["denominator"].tolist() == [200, 200, 200, 200, 300]
    # Pooled, not averaged: Q5 is 150/300 = 50%, whereas the mean of 60% and 45% is 52.5%.
    np.testing.assert_allclose(groups["value"], [20, 20, 30, 40, 50])
    lo, hi = wilson_interval(np.array([40, 40, 60, 80, 150]), np.array([200, 200, 200, 200, 300]))
    np.testing.assert_allclose(groups["lower"], lo * 100)
    np.testing.assert_allclose(groups["upper"], hi * 100)


def test_quintile_gap_interval_is_difference_interval(ten_wards):
    _, gap = quintile_gap(ten_wards, "char")
    se = proportion_se(np.array([150, 40]), np.array([300, 200]))
    diff, lo, hi = difference_interval(0.5, se[0], 0.2, se[1])
    assert gap["high"] == "Q5" and gap["low"] == "Q1"
    assert gap["value"] == pytest.approx(30.0)
    assert gap["value"] == pytest.approx(float(diff) * 100)
    assert gap["lower"] == pytest.approx(float(lo) * 100)
    assert gap["upper"] == pytest.approx(float(hi) * 100)
    assert gap["n_wards"] == 10 and gap["n_excluded"] == 0


def test_quintile_gap_scale_one_gives_proportions(ten_wards):
    groups, gap = quintile_gap(ten_wards, "char", scale=1.0)
    assert groups["value"].iloc[-1] == pytest.approx(0.5)
    assert gap["value"] == pytest.approx(0.3)


def test_quintile_gap_mean_score_has_no_interval(ten_wards):
    frame = ten_wards.assign(numerator=ten_wards["numerator"] * 2.5)
    groups, gap = quintile_gap(frame, "char", kind="mean_score", scale=100.0)
    np.testing.assert_allclose(groups["value"], [0.5, 0.5, 0.75, 1.0, 1.25])
    assert groups["lower"].isna().all() and groups["upper"].isna().all()
    assert gap["value"] == pytest.approx(0.75)
    assert np.isnan(gap["lower"]) and np.isnan(gap["upper"])


def test_quintile_gap_drops_wards_without_data(ten_wards):
    frame = pd.concat([ten_wards, pd.DataFrame({
        "ward_code": ["X1", "X2", "X3"], "char": [np.nan, 4.5, 4.5],
        "numerator": [5, np.nan, 1], "denominator": [10, 10, 0]})], ignore_index=True)
    groups, gap = quintile_gap(frame, "char")
    assert gap["n_wards"] == 10 and gap["n_excluded"] == 3
    assert groups["numerator"].sum() == ten_wards["numerator"].sum()


@pytest.mark.parametrize(
    "frame, match",
    [
        (pd.DataFrame({"c": [1.0, 2, 3, 4], "numerator": [1] * 4, "denominator": [2] * 4}),
         "at least 5 wards"),
        (pd.DataFrame({"c": [1.0, 1, 2, 2, 3, 3, 4, 4], "numerator": [1] * 8,
                       "denominator": [2] * 8}), "distinct values"),
        (pd.DataFrame({"x": [1.0]}), "no column"),
    ],
)
def test_quintile_gap_rejects_too_little_data(frame, match):
    with pytest.raises(ValueError, match=match):
        quintile_gap(frame, "c")


def test_quintile_gap_rejects_deciles(ten_wards):
    with pytest.raises(ValueError, match="kind"):
        quintile_gap(ten_wards, "char", kind="rank_decile")


def test_rank_wards_worst_first():
    values = pd.Series([5.0, np.nan, 9.0, 5.0, 1.0], index=list("abcde"))
    worse = rank_wards(values, "higher_is_worse")
    assert worse.index.tolist() == list("abcde")
    np.testing.assert_array_equal(worse.to_numpy(), [2, np.nan, 1, 2, 4])
    better = rank_wards(values, "higher_is_better")
    np.testing.assert_array_equal(better.to_numpy(), [2, np.nan, 4, 2, 1])
    neither = rank_wards(values.to_numpy(), "neither")
    np.testing.assert_array_equal(neither.to_numpy(), [2, np.nan, 1, 2, 4])


def test_rank_wards_rejects_unknown_polarity():
    with pytest.raises(ValueError, match="polarity"):
        rank_wards([1.0, 2.0], "up")
