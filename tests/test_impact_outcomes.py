"""Outcomes in the chosen wards against WMCA, recomputed from the bundle's counts; who is left out."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equity.bundle import read_bundle
from equity.catalogue import HEADLINES, THEMES
from equity.impact_outcomes import (
    OUTCOME_COLUMNS,
    left_out_wards,
    outcome_indicators,
    outcomes_summary,
    outcomes_table,
)
from equity.inequality import worst_fifth_counts
from equity.stats import Z95

REPO = Path(__file__).resolve().parents[1]
WMCA = "E47000007"
BIRMINGHAM = "E08000025"
# Six Sandwell wards and Acocks Green (Birmingham).
SANDWELL_SIX = ["E05001260", "E05001261", "E05001262", "E05001263", "E05001264", "E05001265"]
ACOCKS_GREEN = "E05011118"
CHOSEN = [*SANDWELL_SIX, ACOCKS_GREEN]


@pytest.fixture(scope="module")
def bundle():
    return read_bundle()


@pytest.fixture(scope="module")
def raw_values() -> pd.DataFrame:
    return pd.read_csv(REPO / "geodata" / "values.csv", dtype={"area_code": str})


@pytest.fixture(scope="module")
def table(bundle) -> pd.DataFrame:
    return outcomes_table(bundle, CHOSEN).set_index("indicator")


def test_the_chosen_wards_are_the_ones_named(bundle):
    names = bundle.wards.set_index("ward_code")
    assert set(names.authority[SANDWELL_SIX]) == {"Sandwell"}
    assert names.ward_name[ACOCKS_GREEN] == "Acocks Green"


def test_every_outcome_indicator_once_with_the_columns(bundle, table):
    assert list(table.reset_index().columns) == OUTCOME_COLUMNS
    assert list(table.index) == [ind.id for ind in outcome_indicators(bundle)]
    assert {bundle.indicator(i).theme for i in table.index} == {
        "health", "jobs", "skills", "youth_unemployment", "poverty"}


def test_rates_pooled_from_summed_numerators_and_denominators(bundle, table, raw_values):
    wards = raw_values[(raw_values.level == "ward") & raw_values.area_code.isin(CHOSEN)]
    wmca = raw_values[raw_values.area_code == WMCA].set_index("indicator")
    checked = 0
    for ident, row in table.iterrows():
        ind = bundle.indicator(ident)
        if not ind.has_interval or ind.modelled or len(ind.coverage) < 7:
            continue
        mine = wards[wards.indicator == ident]
        assert len(mine) == len(CHOSEN), ident
        num, den = mine.numerator.sum(), mine.denominator.sum()
        assert row.value_chosen == pytest.approx(100 * num / den, rel=1e-9), ident
        # Never the mean of ward rates (which differs here).
        assert row.value_chosen != pytest.approx(mine.value.mean(), rel=1e-6), ident
        assert row.value_wmca == pytest.approx(wmca.at[ident, "value"], rel=1e-9), ident
        # The interval, by hand: chosen against the rest of WMCA, scaled by the rest's share.
        x_all, n_all = wmca.at[ident, "numerator"], wmca.at[ident, "denominator"]
        p_c, p_r = num / den, (x_all - num) / (n_all - den)
        se = math.sqrt(p_c * (1 - p_c) / den + p_r * (1 - p_r) / (n_all - den))
        scale = 100 * (n_all - den) / n_all
        assert row.lower == pytest.approx((p_c - p_r - Z95 * se) * scale, rel=1e-9), ident
        assert row.upper == pytest.approx((p_c - p_r + Z95 * se) * scale, rel=1e-9), ident
        assert row.difference == pytest.approx(row.value_chosen - row.value_wmca), ident
        checked += 1
    assert checked >= 12


def test_flags_follow_each_indicator_direction(table):
    # Sandwell's six have more people without qualifications (worse), fewer with level 4+
    # (also worse: higher is better), more in work (better) and fewer aged 16-24 (no direction).
    assert table.at["no_qualifications", "difference"] > 0
    assert table.at["no_qualifications", "flag"] == "worse"
    assert table.at["level4_plus", "difference"] < 0
    assert table.at["level4_plus", "flag"] == "worse"
    assert table.at["employed", "difference"] > 0
    assert table.at["employed", "flag"] == "better"
    assert table.at["aged_16_24", "upper"] < 0
    assert table.at["aged_16_24", "flag"] == "lower"
    assert table.at["no_car", "lower"] < 0 < table.at["no_car", "upper"]
    assert table.at["no_car", "flag"] == "similar"


def test_scores_are_population_weighted_means_without_interval(bundle, table, raw_values):
    scores = [i for i in table.index if not bundle.indicator(i).has_interval]
    assert "imd_health" in scores and "emergency_admissions" in scores
    wards = raw_values[(raw_values.level == "ward") & raw_values.area_code.isin(CHOSEN)]
    for ident in scores:
        mine = wards[wards.indicator == ident]
        weighted = np.average(mine.value, weights=mine.denominator)
        assert table.at[ident, "value_chosen"] == pytest.approx(weighted, rel=1e-6), ident
        assert math.isnan(table.at[ident, "lower"]) and math.isnan(table.at[ident, "upper"])
        assert table.at[ident, "flag"] == "not tested"
        assert "no interval" in table.at[ident, "note"]


def test_modelled_estimate_interval_from_the_validation_error(bundle, table, raw_values):
    row = table.loc["youth_unemployed_modelled"]
    assert row.kind == "modelled" and "Estimate (modelled)" in row.note
    wards = raw_values[(raw_values.level == "ward") & raw_values.area_code.isin(CHOSEN)
                       & (raw_values.indicator == "youth_unemployed_modelled")]
    den = wards.denominator.sum()
    assert row.value_chosen == pytest.approx(100 * wards.numerator.sum() / den, rel=1e-9)
    wmca_den = raw_values[(raw_values.area_code == WMCA) & (
        raw_values.indicator == "youth_unemployed_modelled")].denominator.iloc[0]
    reference = bundle.youth_validation.residents_16_24.median()
    half = Z95 * 0.566 * math.sqrt(reference / den) * (wmca_den - den) / wmca_den
    assert row.upper - row.difference == pytest.approx(half, rel=1e-9)
    assert row.difference - row.lower == pytest.approx(half, rel=1e-9)


def test_partial_coverage_pools_covered_wards_against_their_authority(bundle, table, raw_values):
    row = table.loc["claimant_rate"]
    assert row.wards_used == 1 and row.wards_chosen == len(CHOSEN)
    assert row.benchmark_name == "Birmingham"
    acocks = raw_values[(raw_values.area_code == ACOCKS_GREEN)
                        & (raw_values.indicator == "claimant_rate")].iloc[0]
    assert row.value_chosen == pytest.approx(acocks.value, rel=1e-9)
    bham = raw_values[(raw_values.area_code == BIRMINGHAM)
                      & (raw_values.indicator == "claimant_rate")].iloc[0]
    assert row.value_wmca == pytest.approx(bham.value, rel=1e-9)
    assert "Birmingham only: 1 of the 7 chosen wards" in row.note


def test_partial_coverage_with_no_covered_ward_is_no_data(bundle):
    row = outcomes_table(bundle, SANDWELL_SIX).set_index("indicator").loc["claimant_rate"]
    assert row.flag == "no data" and row.wards_used == 0 and math.isnan(row.value_chosen)


def test_all_wards_chosen_is_wmca_itself(bundle):
    every = outcomes_table(bundle, bundle.wards.ward_code)
    assert set(every.flag) == {"all of WMCA", "all of Birmingham"}
    assert (every.difference == 0).all()
    assert "nothing to compare" in outcomes_summary(every)


def test_summary_sentence_counts_worse_outcomes(table):
    flags = table.flag
    tested = flags.isin(["worse", "better", "higher", "lower", "similar"]).sum()
    sentence = outcomes_summary(table.reset_index())
    assert sentence.startswith(f"{(flags == 'worse').sum()} of the {tested} outcomes tested ")
    assert f"{(flags == 'better').sum()} significantly better" in sentence
    assert f"{(flags == 'not tested').sum()} scores without counts" in sentence


def test_unknown_or_no_wards_refused(bundle):
    with pytest.raises(ValueError, match="unknown ward"):
        outcomes_table(bundle, ["E05999999"])
    with pytest.raises(ValueError, match="no wards"):
        left_out_wards(bundle, [])


def test_left_out_are_unchosen_wards_in_the_worst_fifth_on_two_themes(bundle):
    missed = left_out_wards(bundle, CHOSEN)
    headline = {THEMES[t]: i for t, i in HEADLINES.items() if i}
    counts = worst_fifth_counts(bundle, headline).set_index("ward_code")
    expected = counts[(counts.worst_fifth_count >= 2) & ~counts.index.isin(CHOSEN)]
    assert set(missed.ward_code) == set(expected.index)
    assert len(missed) > 10
    assert list(missed.worst_fifth_count) == sorted(missed.worst_fifth_count, reverse=True)
    for row in missed.itertuples():
        named = row.themes.split("; ")
        assert len(named) == row.worst_fifth_count
        assert all(counts.at[row.ward_code, t] for t in named)


def test_choosing_the_missed_wards_leaves_nothing_out(bundle):
    missed = left_out_wards(bundle, CHOSEN)
    assert left_out_wards(bundle, [*CHOSEN, *missed.ward_code]).empty
