"""Differential-impact check: the table of groups in the chosen wards against WMCA."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equity.bundle import read_bundle
from equity.impact import GROUPS, IMPACT_COLUMNS, impact_table

REPO = Path(__file__).resolve().parents[1]
VALUES_CSV = REPO / "geodata" / "values.csv"
WMCA = "E47000007"
GROUP_IDS = [g[0] for g in GROUPS]
# Aston, Kingstanding (Birmingham); Longford (Coventry); two Walsall wards; Bilston North
# (Wolverhampton).
FIXED = ["E05011121", "E05011150", "E05001225", "E05001301", "E05001302", "E05014838"]
RETIRED_2022 = "E05001236"  # Amblecote, Dudley: a 2022 code replaced in 2024


@pytest.fixture(scope="module")
def bundle():
    return read_bundle()


@pytest.fixture(scope="module")
def raw_values() -> pd.DataFrame:
    return pd.read_csv(VALUES_CSV, dtype={"area_code": str, "indicator": str, "level": str})


def ward_name(bundle, code: str) -> str:
    return bundle.wards.set_index("ward_code").at[code, "ward_name"]


# --- impact_table -------------------------------------------------------------------------


def test_counts_match_values_csv_summed_directly(bundle, raw_values):
    table = impact_table(bundle, FIXED).set_index("indicator")
    assert list(table.index) == GROUP_IDS
    wards = raw_values[(raw_values.level == "ward") & raw_values.area_code.isin(FIXED)]
    assert wards.area_code.nunique() == len(FIXED)
    sums = wards.groupby("indicator")[["numerator", "denominator"]].sum()
    wmca = raw_values[(raw_values.level == "wmca") & (raw_values.area_code == WMCA)]
    wmca = wmca.set_index("indicator")
    all_wards = raw_values[raw_values.level == "ward"].groupby("indicator")[
        ["numerator", "denominator"]].sum()
    for ind in GROUP_IDS:
        row = table.loc[ind]
        assert row.residents_in_group == pytest.approx(sums.at[ind, "numerator"], rel=1e-12), ind
        assert row.base_in_chosen == sums.at[ind, "denominator"], ind
        assert row.wmca_in_group == wmca.at[ind, "numerator"], ind
        assert row.wmca_base == wmca.at[ind, "denominator"], ind
        # The WMCA row is the sum of all 192 wards, so "rest" really is the other wards.
        # estimates split from MSOAs are fractional: the CSV keeps 10 significant figures
        assert wmca.at[ind, "numerator"] == pytest.approx(all_wards.at[ind, "numerator"],
                                                          rel=1e-9), ind
        assert wmca.at[ind, "denominator"] == pytest.approx(all_wards.at[ind, "denominator"],
                                                            rel=1e-9), ind
        share_c = 100 * sums.at[ind, "numerator"] / sums.at[ind, "denominator"]
        share_w = 100 * wmca.at[ind, "numerator"] / wmca.at[ind, "denominator"]
        assert row.share_chosen == pytest.approx(share_c, rel=1e-12)
        assert row.share_wmca == pytest.approx(share_w, rel=1e-12)
        assert row.difference == pytest.approx(share_c - share_w, abs=1e-9)
        # Interval from first principles, without equity.stats.
        x_c, n_c = sums.at[ind, "numerator"], sums.at[ind, "denominator"]
        x_w, n_w = wmca.at[ind, "numerator"], wmca.at[ind, "denominator"]
        x_r, n_r = x_w - x_c, n_w - n_c
        p_c, p_r = x_c / n_c, x_r / n_r
        se = math.sqrt(p_c * (1 - p_c) / n_c + p_r * (1 - p_r) / n_r)
        half = 100 * 1.959963984540054 * se * n_r / n_w
        assert row.lower == pytest.approx(share_c - share_w - half, abs=1e-9)
        assert row.upper == pytest.approx(share_c - share_w + half, abs=1e-9)
        expected = ("over-represented" if row.lower > 0 else
                    "under-represented" if row.upper < 0 else "similar")
        assert row.flag == expected
    assert table.loc["hh_deprived", "counted"] == "households"
    households = {"hh_deprived", "social_rented", "no_car", "overcrowded"}
    assert set(table.index[table.counted == "households"]) == households
    # Households are a much smaller base than residents.
    assert table.loc["hh_deprived", "base_in_chosen"] < 0.6 * table.loc["eth_asian", "base_in_chosen"]


def test_columns_and_groups(bundle):
    table = impact_table(bundle, FIXED)
    assert list(table.columns) == IMPACT_COLUMNS
    assert len(table) == len(GROUPS) >= 10
    assert set(table.flag) <= {"over-represented", "under-represented", "similar"}
    broad = table[table.indicator.isin(["eth_asian", "eth_black", "eth_mixed", "eth_white",
                                        "eth_other"])]
    assert broad.residents_in_group.sum() == pytest.approx(broad.base_in_chosen.iloc[0],
                                                           rel=0.01)
    # the detailed groups (estimates) add up to the broad groups they split
    detailed = table[table.group.str.startswith("Ethnic group: detailed")]
    assert len(detailed) == 15
    assert detailed.residents_in_group.sum() <= broad.residents_in_group.sum() + 1e-6


def test_order_and_repeats_of_codes_do_not_matter(bundle):
    a = impact_table(bundle, FIXED)
    b = impact_table(bundle, list(reversed(FIXED)) + FIXED[:2])
    pd.testing.assert_frame_equal(a, b)


def test_all_wards_is_all_of_wmca(bundle):
    table = impact_table(bundle, list(bundle.wards.ward_code))
    assert (table.flag == "all of WMCA").all()
    assert (table.difference == 0).all()
    assert table.lower.isna().all() and table.upper.isna().all()
    assert np.allclose(table.residents_in_group, table.wmca_in_group, rtol=1e-9)


def test_empty_or_unknown_codes_raise(bundle):
    with pytest.raises(ValueError, match="no wards chosen"):
        impact_table(bundle, [])
    with pytest.raises(ValueError, match="unknown ward code.*E05999999"):
        impact_table(bundle, ["E05011121", "E05999999"])
    with pytest.raises(ValueError, match="unknown ward code.*E05001236"):
        impact_table(bundle, [RETIRED_2022])


def test_interval_hand_checked(tiny_bundle):
    """Wards 1 and 2 of the tiny bundle: aged_16_24 10/100 and 20/100; WMCA 280/700.

    chosen 30/200 = 15%, WMCA 40%, rest 250/500 = 50%.
    p_c - p_r = -0.35, scaled by n_r/N = 500/700 gives -0.25 = 15% - 40%.
    se = sqrt(.15*.85/200 + .5*.5/500) = sqrt(0.0011375) = 0.0337268;
    half width = 1.959964 * 0.0337268 * 5/7 = 0.0472175 -> -25 +/- 4.7218 pp.
    """
    table = impact_table(tiny_bundle, ["E05000001", "E05000002"]).set_index("indicator")
    row = table.loc["aged_16_24"]
    assert (row.residents_in_group, row.base_in_chosen) == (30, 200)
    assert (row.wmca_in_group, row.wmca_base) == (280, 700)
    assert row.share_chosen == pytest.approx(15.0)
    assert row.share_wmca == pytest.approx(40.0)
    assert row.difference == pytest.approx(-25.0)
    assert row.lower == pytest.approx(-25 - 4.72175, abs=1e-4)
    assert row.upper == pytest.approx(-25 + 4.72175, abs=1e-4)
    assert row.flag == "under-represented"
    # Treating the two shares as independent would give a wider interval than the
    # part-versus-whole one used here.
    naive = 1.959964 * math.sqrt(.15 * .85 / 200 + .4 * .6 / 700) * 100
    assert row.upper - row.lower < 2 * naive
    # Groups the tiny bundle holds no counts for.
    assert (table.drop(index="aged_16_24").flag == "no data").all()


def test_similar_when_interval_spans_zero(tiny_bundle):
    # Wards 3 and 5: 30/100 and 50/100 -> 40%, exactly the WMCA share.
    row = impact_table(tiny_bundle, ["E05000003", "E05000005"]).set_index("indicator").loc[
        "aged_16_24"]
    assert row.difference == pytest.approx(0.0, abs=1e-12)
    assert row.lower < 0 < row.upper
    assert row.flag == "similar"


def test_ward_without_counts_gives_no_data(tiny_bundle):
    # Ward 8 has no aged_16_24 row: the total would be incomplete, so no figure is shown.
    row = impact_table(tiny_bundle, ["E05000001", "E05000008"]).set_index("indicator").loc[
        "aged_16_24"]
    assert row.flag == "no data"
    assert np.isnan(row.share_chosen) and np.isnan(row.difference)
