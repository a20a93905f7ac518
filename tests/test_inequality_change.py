"""The slope index of inequality in two years and its change, against hand-worked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equity.inequality.change import gap_sentence, sii_change, year_groups
from equity.inequality.slope import simulated_sii, slope_index

BIG = 1_000_000  # residents per area: intervals narrow enough to pin the point estimate


def _rows(rates_2011, rates_2021, percentiles_2011, percentiles_2021, population=BIG):
    pop = np.broadcast_to(np.asarray(population, dtype=float), len(rates_2011))
    return pd.DataFrame({
        "numerator_2011": np.asarray(rates_2011) / 100 * pop, "denominator_2011": pop,
        "numerator_2021": np.asarray(rates_2021) / 100 * pop, "denominator_2021": pop,
        "imd_percentile_2011": percentiles_2011, "imd_percentile_2021": percentiles_2021})


def test_sii_of_three_equal_areas_is_worked_by_hand():
    # Equal thirds sit at relative ranks 1/6, 1/2, 5/6. Rates 30, 20, 10 (most deprived
    # first) lie on y = 35 - 30x, so SII = y(0) - y(1) = 35 - 5 = 30 points. In 2021 the
    # rates 25, 20, 15 lie on y = 27.5 - 15x: SII 15, so the gap narrowed by 15 points.
    rows = _rows([10, 30, 20], [15, 25, 20], [90, 5, 50], [90, 5, 50])
    result = sii_change(rows)
    assert result["sii_2011"] == pytest.approx(30)
    assert result["sii_2021"] == pytest.approx(15)
    assert result["sii_change"] == pytest.approx(-15)
    assert result["sii_lower_2011"] < 30 < result["sii_upper_2011"]
    assert result["sii_change_lower"] < -15 < result["sii_change_upper"]
    assert result["sii_change_upper"] - result["sii_change_lower"] < 0.5
    assert result["areas"] == 3


def test_unequal_populations_weight_the_ranks_by_hand():
    # Populations 1, 1, 2 (shares 1/4, 1/4, 1/2) sit at ranks 1/8, 3/8, 3/4; weighted mean
    # rank 1/2 and rate 17.5. Weighted Sxy = -2.1875 and Sxx = 0.0703125, so the slope is
    # -280/9 and SII = 280/9 = 31.11 points.
    rows = _rows([30, 20, 10], [30, 20, 10], [1, 2, 3], [1, 2, 3], [BIG, BIG, 2 * BIG])
    groups = year_groups(rows, 2011)
    assert groups.order.tolist() == [1, 2, 3]
    sii, draws = simulated_sii(groups, decile_col="order", n_sim=2000)
    assert sii == pytest.approx(280 / 9)
    assert draws.shape == (2000,) and abs(float(np.median(draws)) - 280 / 9) < 0.05
    assert slope_index(groups, decile_col="order", n_sim=2000)["sii"] == pytest.approx(sii)


def test_each_year_is_ordered_by_its_own_ranking():
    # The same rates, but the 2021 ranking reverses the areas: the gap changes sign.
    rows = _rows([30, 20, 10], [30, 20, 10], [5, 50, 90], [90, 50, 5])
    result = sii_change(rows)
    assert result["sii_2011"] == pytest.approx(30) and result["sii_2021"] == pytest.approx(-30)


def test_gap_sentence_says_narrowed_widened_or_no_clear_change():
    narrowed = {"sii_2011": 22.87, "sii_2021": 19.82, "sii_change": -3.05,
                "sii_change_lower": -3.33, "sii_change_upper": -2.77}
    assert gap_sentence("no qualifications", narrowed) == (
        "The gap in no qualifications between the most and least deprived neighbourhoods "
        "narrowed from 22.9 to 19.8 points (change -3.0 points, 95% CI -3.3 to -2.8).")
    # A measure higher among the less deprived (Level 4+): the gap is the SII's size.
    negative = {"sii_2011": -22.5, "sii_2021": -20.4, "sii_change": 2.1,
                "sii_change_lower": 1.8, "sii_change_upper": 2.4}
    assert "narrowed from 22.5 to 20.4 points (change -2.1 points, 95% CI -2.4 to -1.8)" in (
        gap_sentence("Level 4", negative))
    unclear = {"sii_2011": 5.0, "sii_2021": 5.2, "sii_change": 0.2,
               "sii_change_lower": -0.1, "sii_change_upper": 0.5}
    assert "no clear change" in gap_sentence("x", unclear)
    widened = dict(unclear, sii_change_lower=0.1)
    assert "widened from 5.0 to 5.2" in gap_sentence("x", widened)
