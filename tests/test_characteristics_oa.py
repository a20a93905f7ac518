"""Characteristics summed from Census 2021 output-area tables: the bundle against the raw files.

A ward's figure is the sum of its best-fit LSOAs' output areas, so it can be recomputed here
straight from the output-area file and the two ONS lookups, without the ingest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equity.bundle import read_bundle
from equity.catalogue import INDICATORS, characteristics

REPO = Path(__file__).resolve().parents[1]
ACOCKS_GREEN, ASTON, ROWLEY = "E05011118", "E05011121", "E05001275"
pytestmark = pytest.mark.rawdata


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(REPO / "geodata")


def _ward_share(shared: Path, relative: str, numerator: list[str], total: str,
                ward: str) -> tuple[float, float]:
    oa = pd.read_csv(shared / relative)
    oa_lsoa = pd.read_csv(shared / "lookups/lookup_oa21_lsoa21_wmca.csv")[["OA21CD", "LSOA21CD"]]
    lsoa_ward = pd.read_csv(shared / "lookups/lookup_lsoa21_wd24_lad24_wmca.csv")
    frame = oa.drop(columns=["LSOA21CD"], errors="ignore").merge(oa_lsoa, on="OA21CD").merge(
        lsoa_ward[["LSOA21CD", "WD24CD"]], on="LSOA21CD")
    mine = frame[frame.WD24CD == ward]
    return float(mine[numerator].sum(axis=1).sum()), float(mine[total].sum())


@pytest.mark.parametrize("ward", [ACOCKS_GREEN, ASTON, ROWLEY])
def test_percent_muslim_is_the_output_areas_summed(bundle, shared, ward):
    num, den = _ward_share(shared, "census2021/ts030_religion_oa21_wmca.csv",
                           ["Religion: Muslim"], "Religion: Total: All usual residents", ward)
    row = bundle.ward_values("rel_muslim").set_index("ward_code").loc[ward]
    assert (row.numerator, row.denominator) == (num, den)
    assert row.value == pytest.approx(100 * num / den)
    assert row.lower < row.value < row.upper and row.method == "lsoa_bestfit"


@pytest.mark.parametrize("ward", [ACOCKS_GREEN, ASTON, ROWLEY])
def test_percent_households_without_a_car_is_the_output_areas_summed(bundle, shared, ward):
    num, den = _ward_share(shared, "census2021/ts045_car_availability_oa21_wmca.csv",
                           ["Number of cars or vans: No cars or vans in household"],
                           "Number of cars or vans: Total: All households", ward)
    row = bundle.ward_values("no_car").set_index("ward_code").loc[ward]
    assert (row.numerator, row.denominator) == (num, den)
    assert row.value == pytest.approx(100 * num / den)


def test_england_comparators_are_labelled_derived_sums_with_intervals(bundle, shared):
    counts = pd.read_csv(shared / "comparators/DERIVED_census2021_england_counts_from_oa.csv")
    counts = counts.set_index(["table", "category"]).england_count
    row = bundle.area_value("rel_muslim", "E92000001")
    assert row.numerator == counts[("TS030", "Religion: Muslim")]
    assert row.denominator == counts[("TS030", "Religion: Total: All usual residents")]
    assert row.method == "derived_oa_sum" and row.lower < row.value < row.upper


def test_every_new_characteristic_has_192_wards_in_info(bundle):
    result = subprocess.run([sys.executable, "-m", "equity", "info", "--json"], cwd=REPO,
                            capture_output=True, text=True, timeout=120, check=True)
    info = {ind["id"]: ind for ind in json.loads(result.stdout)["indicators"]}
    new = [ind for ind in characteristics()
           if ind.oa_share is not None or ind.table == "msoa_split"]
    assert len(new) >= 25
    for ind in new:
        assert info[ind.id]["wards_with_data"] == 192, ind.id
    assert info["eth_pakistani"]["geography_methods"] == ["msoa_split"]


def test_every_characteristic_has_a_group_and_the_impact_check_counts_the_new_ones():
    from equity.impact import GROUPS

    assert all(ind.group for ind in characteristics())
    in_impact = {g[0] for g in GROUPS}
    for ind in INDICATORS:
        if ind.characteristic and (ind.oa_share is not None or ind.table == "msoa_split"):
            assert ind.id in in_impact, ind.id


def test_detailed_groups_are_labelled_estimates_wherever_shown(bundle):
    from equity import views

    ind = bundle.indicator("eth_pakistani")
    table = views.indicator_table(bundle, ind)
    assert set(table.Method) == {"Estimate: detailed groups split from MSOA"}
    assert "Estimate: detailed groups split from MSOA" in ind.caveats
    assert "estimate" in ind.short_title
    values = bundle.ward_values("eth_pakistani")
    assert np.isfinite(values.value).all()


def test_youth_unemployment_by_sex_comes_from_rm024_counts(bundle, shared):
    from equity import views

    rm = pd.read_csv(shared / "census2021/census2021_rm024_age16_24_economic_activity_lad_wmca.csv")
    brum = rm[rm.area_name == "Birmingham"].iloc[0]
    women = 100 * brum["Unemployed: Female_2021"] / sum(
        brum[c] for c in rm.columns if c.endswith(": Female_2021"))
    table = views.youth_unemployment_by_sex(bundle).set_index("Area")
    assert table.loc["Birmingham", "Women (%)"] == f"{women:.1f}%"
    lo, hi = (float(x) for x in table.loc["Birmingham", "95% CI of the gap"].split(" to "))
    assert lo < table.loc["Birmingham", "Gap, men minus women (pp)"] < hi
    constituencies = table[table.Level == "Constituency"]
    assert len(constituencies) == 28
    assert set(constituencies["95% CI of the gap"]) == {"none (rates only)"}


def test_the_ward_profile_lists_who_lives_there_by_group(bundle):
    from equity import views

    table = views.population_table(bundle, ASTON)
    assert len(table) == len(characteristics())
    groups = list(dict.fromkeys(table.Group))
    assert table.Group.tolist() == sorted(table.Group, key=groups.index)  # grouped together
    muslim = table[table.Characteristic == "Muslim (%)"].iloc[0]
    row = bundle.ward_values("rel_muslim").set_index("ward_code").loc[ASTON]
    assert muslim.Ward == f"{row.value:.1f}%"


@pytest.mark.parametrize("indicator, table, numerator", [
    ("bad_health", "TS037", ["General health: Bad health", "General health: Very bad health"]),
    ("disabled", "TS038", ["Disability: Disabled under the Equality Act"]),
    ("unpaid_care_50h", "TS039",
     ["Provision of unpaid care: Provides 50 or more hours unpaid care a week"]),
    ("no_qualifications", "TS067", ["Highest level of qualification: No qualifications"]),
])
def test_england_comparators_of_census_tables_carry_counts(bundle, shared, indicator, table,
                                                           numerator):
    counts = pd.read_csv(shared / "comparators/DERIVED_census2021_england_counts_from_oa.csv")
    counts = counts[counts.table == table].set_index("category").england_count
    row = bundle.area_value(indicator, "E92000001")
    assert row.numerator == counts[numerator].sum()
    assert row.denominator == counts[[c for c in counts.index if ": Total:" in c][0]]
    assert row.method == "derived_oa_sum" and row.lower < row.value < row.upper
