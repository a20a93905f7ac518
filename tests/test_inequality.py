"""Tests for equity.inequality: SII/RII by deprivation decile, correlations and worst fifths."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from equity.bundle import VALUE_COLUMNS, Bundle, read_bundle
from equity.catalogue import INDICATORS
from equity.inequality import (
    CORRELATION_COLUMNS,
    DECILE_GROUP_COLUMNS,
    INEQUALITY_COLUMNS,
    SLOPE_INDEX_KEYS,
    correlations,
    decile_groups,
    inequality_table,
    slope_index,
    worst_fifth_counts,
)
from equity.stats import Z95, fisher_z_interval, quintile_gap

# --------------------------------------------------------------------------------------------
# Constructed groups
# --------------------------------------------------------------------------------------------


def ten_equal_deciles(kind: str = "proportion", den: float = 1000.0) -> pd.DataFrame:
    """Ten deciles of equal population with values 10%, 9%, ..., 1% (most to least deprived)."""
    share = np.arange(10, 0, -1) / 100  # 0.10 ... 0.01
    groups = pd.DataFrame({"decile": np.arange(1, 11), "numerator": share * den, "denominator": den})
    return decile_groups(groups, kind=kind)


def test_sii_ten_equal_deciles_hand_worked():
    # Equal populations: a_i = 0.1, so the midpoints are x_i = 0.05, 0.15, ..., 0.95.
    # Values (percent) y_i = 10, 9, ..., 1 lie exactly on y = 10.5 - 10 x
    # (x = 0.05 -> 10, x = 0.95 -> 1). Fitted at x = 0 (most deprived end): 10.5; at x = 1: 0.5.
    # SII = 10.5 - 0.5 = 10 percentage points, positive because the more deprived end is higher.
    # Population-weighted mean = (10 + 9 + ... + 1) / 10 = 5.5, so RII = 10 / 5.5 = 20 / 11.
    result = slope_index(ten_equal_deciles())
    assert set(result) == set(SLOPE_INDEX_KEYS)
    assert result["sii"] == pytest.approx(10.0)
    assert result["mean"] == pytest.approx(5.5)
    assert result["rii"] == pytest.approx(20 / 11)
    assert result["rii"] == pytest.approx(result["sii"] / result["mean"])
    assert result["n_groups"] == 10


def test_sii_sign_flips_when_the_gradient_reverses():
    groups = ten_equal_deciles()
    groups["value"] = groups["value"].to_numpy()[::-1]  # 1%, ..., 10%: least deprived highest
    groups["se"] = groups["se"].to_numpy()[::-1]
    result = slope_index(groups)
    assert result["sii"] == pytest.approx(-10.0)
    assert result["sii_upper"] < 0


def test_sii_unequal_populations_hand_worked():
    # Populations 200, 100, 100 -> shares a = 0.5, 0.25, 0.25 and midpoints
    # x = 0.25, 0.5 + 0.125 = 0.625, 0.75 + 0.125 = 0.875 (weighted mean of x = 0.5).
    # Values 30%, 20%, 10%. Centred x: -0.25, 0.125, 0.375.
    # Sxx = 0.5*0.0625 + 0.25*0.015625 + 0.25*0.140625 = 0.0703125
    # Sxy = 0.5*(-0.25)*30 + 0.25*0.125*20 + 0.25*0.375*10 = -3.75 + 0.625 + 0.9375 = -2.1875
    # slope = -2.1875 / 0.0703125 = -280/9, so SII = 280/9 = 31.11 percentage points.
    # Weighted mean = 0.5*30 + 0.25*20 + 0.25*10 = 22.5 (= pooled 90 / 400); RII = 112/81.
    wards = pd.DataFrame(
        {
            "decile": [3, 1, 2, 1, 2],
            "numerator": [10, 25, 20, 35, np.nan],  # decile 1 pools 25/100 and 35/100 -> 30%
            "denominator": [100, 100, 100, 100, 50],  # the decile-2 ward without data is ignored
        }
    )
    groups = decile_groups(wards)
    result = slope_index(groups)
    assert result["sii"] == pytest.approx(280 / 9)
    assert result["mean"] == pytest.approx(22.5)
    assert result["rii"] == pytest.approx(112 / 81)
    assert result["n_groups"] == 3


def test_sii_matches_ohid_regression_form():
    # OHID (phe_sii) fits y*sqrt(a) ~ sqrt(a) + x*sqrt(a) with no intercept; the slope is the
    # coefficient of x*sqrt(a). Our SII is minus that slope.
    rng = np.random.default_rng(1)
    den = rng.integers(500, 5000, size=10).astype(float)
    num = np.round(den * rng.uniform(0.05, 0.4, size=10))
    groups = decile_groups(pd.DataFrame({"decile": range(1, 11), "numerator": num, "denominator": den}))
    a = den / den.sum()
    x = np.cumsum(a) - a / 2
    y = 100 * num / den
    design = np.column_stack([np.sqrt(a), x * np.sqrt(a)])
    coef, *_ = np.linalg.lstsq(design, y * np.sqrt(a), rcond=None)
    result = slope_index(groups)
    assert result["sii"] == pytest.approx(-coef[1])
    assert result["mean"] == pytest.approx(100 * num.sum() / den.sum())


def test_monte_carlo_interval_contains_estimate_and_matches_normal_theory():
    groups = ten_equal_deciles()
    result = slope_index(groups, n_sim=200_000, seed=7)
    assert result["sii_lower"] < result["sii"] < result["sii_upper"]
    assert result["rii_lower"] < result["rii"] < result["rii_upper"]
    # The SII is linear in the group values, so its simulated distribution is normal with
    # sd = sqrt(sum(w_i^2 se_i^2)), w_i = a_i (x_i - 0.5) / Sxx; Sxx = 0.0825 for ten equal deciles.
    a = np.full(10, 0.1)
    x = np.arange(0.05, 1, 0.1)
    w = a * (x - 0.5) / 0.0825
    se = groups["se"].to_numpy() * 100
    sd = math.sqrt(np.sum(w**2 * se**2))
    assert result["sii_lower"] == pytest.approx(10 - Z95 * sd, rel=0.01)
    assert result["sii_upper"] == pytest.approx(10 + Z95 * sd, rel=0.01)


def test_monte_carlo_is_seeded_and_narrows_with_bigger_denominators():
    small = slope_index(ten_equal_deciles(den=1_000))
    again = slope_index(ten_equal_deciles(den=1_000))
    big = slope_index(ten_equal_deciles(den=100_000))
    assert small == again
    assert big["sii"] == pytest.approx(small["sii"])
    width_small = small["sii_upper"] - small["sii_lower"]
    width_big = big["sii_upper"] - big["sii_lower"]
    # 100 times the denominator -> standard errors (and the width) about 10 times smaller.
    assert width_big == pytest.approx(width_small / 10, rel=0.05)
    assert big["rii_upper"] - big["rii_lower"] < small["rii_upper"] - small["rii_lower"]


def test_mean_score_gives_point_estimates_and_nan_intervals():
    # Scores 10, 9, ..., 1 with population 1000 each: numerator = score x population.
    frame = pd.DataFrame({"decile": range(1, 11), "numerator": np.arange(10, 0, -1) * 1000.0,
                          "denominator": 1000.0})
    groups = decile_groups(frame, kind="mean_score")
    assert groups["se"].isna().all()
    result = slope_index(groups, kind="mean_score", scale=100)  # scale ignored for scores
    assert result["sii"] == pytest.approx(10.0)
    assert result["rii"] == pytest.approx(20 / 11)
    for key in ("sii_lower", "sii_upper", "rii_lower", "rii_upper"):
        assert math.isnan(result[key])


def test_decile_groups_pools_and_keeps_empty_deciles():
    frame = pd.DataFrame(
        {
            "decile": [2, 1, 1, 4, 3, np.nan],
            "numerator": [30, 10, 60, np.nan, 5, 50],
            "denominator": [100, 100, 300, np.nan, 100, 100],
        }
    )
    groups = decile_groups(frame)
    assert list(groups.columns) == DECILE_GROUP_COLUMNS
    assert groups["decile"].tolist() == [1, 2, 3, 4]
    assert groups["n_wards"].tolist() == [2, 1, 1, 0]
    np.testing.assert_allclose(groups["numerator"][:3], [70, 30, 5])
    np.testing.assert_allclose(groups["denominator"][:3], [400, 100, 100])
    # Pooled: decile 1 is 70/400 = 0.175, not the mean of the ward rates 0.1 and 0.2 (0.15).
    np.testing.assert_allclose(groups["value"][:3], [0.175, 0.3, 0.05])
    np.testing.assert_allclose(groups["se"][:3], np.sqrt([0.175 * 0.825 / 400, 0.3 * 0.7 / 100,
                                                          0.05 * 0.95 / 100]))
    np.testing.assert_allclose(groups["population_share"][:3], [400 / 600, 100 / 600, 100 / 600])
    assert groups.iloc[3][["numerator", "denominator", "value", "se", "population_share"]].isna().all()
    # The empty decile is skipped by the fit.
    assert slope_index(groups)["n_groups"] == 3


def test_decile_groups_does_not_modify_input():
    frame = pd.DataFrame({"decile": [1, 2], "numerator": [1, 2], "denominator": [10, 10]})
    before = frame.copy()
    decile_groups(frame)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (pd.DataFrame({"decile": [1], "numerator": [1]}), {}, "no column"),
        (pd.DataFrame({"decile": [1.5], "numerator": [1], "denominator": [2]}), {}, "whole numbers"),
        (pd.DataFrame({"decile": [0], "numerator": [1], "denominator": [2]}), {}, "whole numbers"),
        (pd.DataFrame({"decile": [1], "numerator": [3], "denominator": [2]}), {}, "exceed"),
        (pd.DataFrame({"decile": [1], "numerator": [-1], "denominator": [2]}), {}, "negative"),
        (pd.DataFrame({"decile": [1], "numerator": [1], "denominator": [2]}), {"kind": "rank_decile"},
         "kind"),
    ],
)
def test_decile_groups_input_checks(frame, kwargs, message):
    with pytest.raises(ValueError, match=message):
        decile_groups(frame, **kwargs)


def test_decile_groups_allows_negative_scores():
    frame = pd.DataFrame({"decile": [1, 2, 3], "numerator": [-50.0, 0.0, 50.0], "denominator": 100.0})
    groups = decile_groups(frame, kind="mean_score")
    np.testing.assert_allclose(groups["value"], [-0.5, 0.0, 0.5])
    result = slope_index(groups, kind="mean_score")
    # x = 1/6, 1/2, 5/6 and y = -0.5, 0, 0.5 lie on y = 1.5 x - 0.75: SII = -0.75 - 0.75.
    assert result["sii"] == pytest.approx(-1.5)
    assert math.isnan(result["rii"])  # mean 0: no ratio


def test_slope_index_input_checks():
    groups = ten_equal_deciles()
    with pytest.raises(ValueError, match="at least 3 groups"):
        slope_index(groups.iloc[:2])
    two_with_data = groups.copy()
    two_with_data.loc[2:, "value"] = np.nan
    with pytest.raises(ValueError, match="at least 3 groups"):
        slope_index(two_with_data)
    with pytest.raises(ValueError, match="kind"):
        slope_index(groups, kind="rank_decile")
    with pytest.raises(ValueError, match="n_sim"):
        slope_index(groups, n_sim=10)
    with pytest.raises(ValueError, match="scale"):
        slope_index(groups, scale=0)
    with pytest.raises(ValueError, match="no column"):
        slope_index(groups.drop(columns="se"))
    with pytest.raises(ValueError, match="more than once"):
        slope_index(pd.concat([groups, groups.iloc[[0]]]))


# --------------------------------------------------------------------------------------------
# A tiny bundle (tests/conftest.py: 8 wards, 1-5 Birmingham, 6-8 Coventry, imd_decile 1..8,
# imd_score 50, 45, ..., 15) with extra indicators added here.
# --------------------------------------------------------------------------------------------

NO_QUALS = [40, 35, 30, 25, 20, 15, 10, 5]  # per 100 residents, wards 1..8
BAD_HEALTH = [5, 40, 10, 30, 40, 1, 2, 3]
LEVEL4 = [50, 10, 20, 60, 70, 15, 80, np.nan]
UNEMPLOYED = [9, 9, 9, 1, 2, 3, 4, 5]
CLAIMANT = [12, 10, 8, 6, 4, np.nan, np.nan, np.nan]  # Birmingham only
IMD_HEALTH = [1.5, 1.0, 0.5, 0.2, 0.0, -0.3, -0.6, -1.0]


def _rows(bundle: Bundle, indicator: str, values: list[float], den: float = 100.0,
          kind: str = "proportion") -> list[dict]:
    rows = []
    for ward, value in zip(bundle.wards.itertuples(), values, strict=True):
        if not np.isfinite(value):
            continue
        rows.append(dict(zip(VALUE_COLUMNS, [
            ward.ward_code, ward.ward_name, "ward", ward.authority_code, indicator,
            value * den if kind == "mean_score" else value, den,
            value if kind == "mean_score" else 100 * value / den, np.nan, np.nan, "test",
        ], strict=True)))
    return rows


@pytest.fixture
def bundle(tiny_bundle) -> Bundle:
    extra = (
        _rows(tiny_bundle, "no_qualifications", NO_QUALS)
        + _rows(tiny_bundle, "bad_health", BAD_HEALTH)
        + _rows(tiny_bundle, "level4_plus", LEVEL4)
        + _rows(tiny_bundle, "unemployed", UNEMPLOYED)
        + _rows(tiny_bundle, "claimant_rate", CLAIMANT)
        + _rows(tiny_bundle, "imd_health", IMD_HEALTH, den=1000.0, kind="mean_score")
        + _rows(tiny_bundle, "never_worked", [1, 2, 3, np.nan, np.nan, np.nan, np.nan, np.nan])
    )
    values = pd.concat([tiny_bundle.values, pd.DataFrame(extra, columns=VALUE_COLUMNS)],
                       ignore_index=True)
    return dataclasses.replace(tiny_bundle, values=values)


def test_inequality_table_hand_worked(bundle):
    table = inequality_table(bundle, ["no_qualifications"], n_sim=2000)
    assert list(table.columns) == INEQUALITY_COLUMNS
    row = table.iloc[0]
    # One ward per decile, equal populations: x = (i - 0.5) / 8 and y = 40 - 5 (i - 1)
    # = 42.5 - 40 x, so SII = 40 points, mean = 22.5 and RII = 40 / 22.5 = 16/9.
    assert row["sii"] == pytest.approx(40.0)
    assert row["mean"] == pytest.approx(22.5)
    assert row["rii"] == pytest.approx(16 / 9)
    assert row["sii_lower"] < 40 < row["sii_upper"]
    assert row["n_wards"] == 8 and row["n_deciles"] == 8
    assert row["gap_by"] == "imd_score" and row["note"] == ""
    frame = bundle.ward_values("no_qualifications")
    frame["score"] = bundle.ward_values("imd_score")["value"]
    _, gap = quintile_gap(frame, "score")
    assert row["gap"] == pytest.approx(gap["value"])
    assert row["gap_lower"] == pytest.approx(gap["lower"])
    assert row["gap_upper"] == pytest.approx(gap["upper"])
    assert row["gap"] > 0  # Q5 = highest IMD score = most deprived


def test_inequality_table_matches_decile_groups_and_slope_index(bundle):
    table = inequality_table(bundle, ["level4_plus"], n_sim=2000, seed=3)
    frame = bundle.ward_values("level4_plus")
    frame["decile"] = bundle.ward_values("imd_decile")["value"]
    expected = slope_index(decile_groups(frame.dropna(subset=["numerator"])), n_sim=2000, seed=3)
    row = table.iloc[0]
    for key in ("sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper", "mean"):
        assert row[key] == pytest.approx(expected[key])
    assert row["n_wards"] == 7
    assert row["note"] == "1 ward(s) without data excluded"


def test_inequality_table_partial_coverage_and_notes(bundle):
    table = inequality_table(bundle, ["claimant_rate", "imd_health", "never_worked"], n_sim=2000)
    claimant, health, never = (table.iloc[i] for i in range(3))
    assert claimant["n_wards"] == 5
    assert "Covers Birmingham only" in claimant["note"]
    # Only Birmingham's wards (deciles 1-5) are used.
    assert claimant["n_deciles"] == 5
    assert np.isfinite(claimant["sii"]) and claimant["sii"] > 0
    # A score with negative values: point SII, no intervals and no RII.
    assert np.isfinite(health["sii"]) and health["sii"] > 0
    assert np.isnan(health[["sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper"]].astype(float)).all()
    assert "RII not given" in health["note"] and "part of the IMD" in health["note"]
    # Three wards: enough for an SII, too few for quintiles.
    assert np.isfinite(never["sii"]) and np.isnan(never["gap"])
    assert "quintile gap not calculated" in never["note"]


def test_inequality_table_input_checks(bundle):
    with pytest.raises(ValueError, match="at least one"):
        inequality_table(bundle, [])
    with pytest.raises(ValueError, match="unknown indicator"):
        inequality_table(bundle, ["nope"])
    with pytest.raises(ValueError, match="kind"):
        inequality_table(bundle, ["imd_decile"])


def test_correlations_perfect_line(bundle):
    # no_qualifications = 40..5 and imd_score = 50..15 in steps of 5: an exact line, r = 1.
    out = correlations(bundle, ["no_qualifications"], ["imd_score"])
    assert list(out.columns) == CORRELATION_COLUMNS
    row = out.iloc[0]
    assert row["n"] == 8
    assert row["r"] == pytest.approx(1.0)
    assert row["lower"] == pytest.approx(1.0) and row["upper"] == pytest.approx(1.0)
    assert row["p_value"] < 1e-6
    # aged_16_24 rises 10..70 as imd_score falls 50..20 (ward 8 has no aged_16_24): r = -1, n = 7.
    neg = correlations(bundle, ["aged_16_24"], ["imd_score"]).iloc[0]
    assert neg["n"] == 7 and neg["r"] == pytest.approx(-1.0)


def test_correlations_fisher_interval_by_hand(bundle):
    out = correlations(bundle, ["bad_health", "level4_plus"], ["imd_score", "imd_decile"])
    assert out[["outcome", "characteristic"]].values.tolist() == [
        ["bad_health", "imd_score"], ["bad_health", "imd_decile"],
        ["level4_plus", "imd_score"], ["level4_plus", "imd_decile"],
    ]
    row = out.iloc[2]  # level4_plus has no ward 8
    x = np.array([50.0, 45, 40, 35, 30, 25, 20])
    y = np.array(LEVEL4[:7], dtype=float)
    r = np.corrcoef(x, y)[0, 1]
    half = 1.959963984540054 / math.sqrt(7 - 3)
    assert row["n"] == 7
    assert row["r"] == pytest.approx(r)
    assert row["lower"] == pytest.approx(math.tanh(math.atanh(r) - half))
    assert row["upper"] == pytest.approx(math.tanh(math.atanh(r) + half))
    # p-value of the t test with n - 2 degrees of freedom.
    t = r * math.sqrt(5 / (1 - r * r))
    assert row["p_value"] == pytest.approx(2 * sps.t.sf(abs(t), 5))


def test_correlations_input_checks(bundle):
    with pytest.raises(ValueError, match="need at least 4"):
        correlations(bundle, ["never_worked"], ["imd_score"])  # 3 wards
    with pytest.raises(ValueError, match="at least one"):
        correlations(bundle, [], ["imd_score"])
    with pytest.raises(ValueError, match="unknown indicator"):
        correlations(bundle, ["no_qualifications"], ["nope"])


def test_fisher_z_interval_helper():
    lo, hi = fisher_z_interval(0.5, 20)
    half = Z95 / math.sqrt(17)
    assert float(lo) == pytest.approx(math.tanh(math.atanh(0.5) - half))
    assert float(hi) == pytest.approx(math.tanh(math.atanh(0.5) + half))
    assert np.isnan(fisher_z_interval(0.5, 3)[0])
    with pytest.raises(ValueError):
        fisher_z_interval(1.5, 10)


def test_worst_fifth_counts_tiny(bundle):
    headline = {"health": "bad_health", "skills": "level4_plus", "jobs": "unemployed",
                "claims": "claimant_rate"}
    out = worst_fifth_counts(bundle, headline)
    assert list(out.columns) == ["ward_code", "ward_name", "authority", "health", "skills", "jobs",
                                 "claims", "themes_assessed", "worst_fifth_count"]
    assert out["ward_code"].tolist() == bundle.wards["ward_code"].tolist()
    # health: 8 wards, ceil(8/5) = 2; the two 40s share rank 1 -> wards 2 and 5.
    assert out["health"].tolist() == [False, True, False, False, True, False, False, False]
    # skills (higher is better): ward 8 has no data, ceil(7/5) = 2 -> lowest 10 (w2), 15 (w6).
    assert out["skills"].tolist() == [False, True, False, False, False, True, False, False]
    # jobs: three wards tie at 9 with rank 1 <= 2, so all three are in (tie rule: min rank).
    assert out["jobs"].tolist() == [True, True, True, False, False, False, False, False]
    # claimant_rate covers Birmingham only: never assessed.
    assert not out["claims"].any()
    assert out["themes_assessed"].tolist() == [3, 3, 3, 3, 3, 3, 3, 2]
    assert out["worst_fifth_count"].tolist() == [1, 3, 1, 0, 1, 1, 0, 0]
    assert out[["health", "skills", "jobs", "claims"]].dtypes.eq(bool).all()


def test_worst_fifth_counts_input_checks(bundle):
    with pytest.raises(ValueError, match="no better or worse"):
        worst_fifth_counts(bundle, {"youth": "aged_16_24"})
    with pytest.raises(ValueError, match="non-empty"):
        worst_fifth_counts(bundle, {})
    with pytest.raises(ValueError, match="column name"):
        worst_fifth_counts(bundle, {"ward_code": "bad_health"})
    with pytest.raises(ValueError, match="unknown indicator"):
        worst_fifth_counts(bundle, {"health": "nope"})


# --------------------------------------------------------------------------------------------
# The real bundle
# --------------------------------------------------------------------------------------------

OUTCOME_THEMES = ("health", "jobs", "skills", "youth_unemployment")


@pytest.fixture(scope="module")
def real_bundle() -> Bundle:
    return read_bundle()


def test_real_bundle_inequality_table_for_every_proportion_outcome(real_bundle):
    ids = [i.id for i in INDICATORS if i.theme in OUTCOME_THEMES and i.kind == "proportion"
           and not i.modelled]
    table = inequality_table(real_bundle, ids)
    assert table["indicator"].tolist() == ids
    assert table[["sii", "sii_lower", "sii_upper", "rii", "gap"]].notna().all().all()
    assert (table["sii_lower"] <= table["sii"]).all() and (table["sii"] <= table["sii_upper"]).all()
    assert (table["n_deciles"] == 10).all()
    partial = table["indicator"].isin(["claimant_rate", "youth_claimant_share"])
    assert table.loc[partial, "note"].str.contains("Birmingham only").all()
    row = table.set_index("indicator").loc["no_qualifications"]
    # More deprived wards have more residents without qualifications.
    assert row["sii"] > 0 and row["sii_lower"] > 0
    assert row["rii"] == pytest.approx(row["sii"] / row["mean"])


def test_a_modelled_outcome_gets_no_slope_index_or_gap_and_says_why(real_bundle):
    modelled = [i.id for i in INDICATORS if i.modelled]
    assert modelled
    table = inequality_table(real_bundle, modelled)
    assert table[["sii", "sii_lower", "sii_upper", "rii", "gap"]].isna().all().all()
    assert table["note"].str.contains("Estimate (modelled)", regex=False).all()


def test_real_bundle_correlations_and_worst_fifths(real_bundle):
    corr = correlations(real_bundle, ["no_qualifications"], ["imd_score"])
    assert corr.iloc[0]["n"] == 192 and corr.iloc[0]["r"] > 0.5
    headline = {"health": "bad_health", "jobs": "unemployed", "skills": "no_qualifications"}
    out = worst_fifth_counts(real_bundle, headline)
    assert len(out) == 192
    for theme in headline:
        assert out[theme].sum() >= math.ceil(192 / 5)
    assert out["worst_fifth_count"].between(0, 3).all()
