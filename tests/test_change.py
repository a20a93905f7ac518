"""Census 2011 to 2021 by neighbourhood: areas, values and changes recomputed from the raw files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equity.bundle import read_bundle
from equity.change import CHANGE_MEASURES, comparison_areas
from equity.stats import newcombe_difference, wilson_interval

# An unchanged MSOA, one 2011 MSOA split into two (Sandwell 026 -> Sandwell 040 and 041), and
# two 2011 MSOAs merged into one (Birmingham 028 and 038 -> Birmingham 141).
CASES = {
    "E02001827": (["E02001827"], ["E02001827"]),
    "E02006943+E02006944": (["E02002068"], ["E02006943", "E02006944"]),
    "E02007038": (["E02001854", "E02001864"], ["E02007038"]),
}


@pytest.fixture(scope="module")
def bundle():
    return read_bundle()


def _pairs(*rows):
    return pd.DataFrame(rows, columns=["msoa11_code", "msoa21_code"])


def test_comparison_areas_keep_unchanged_msoas_and_join_split_and_merged_ones():
    names11 = pd.Series({"A": "X 001", "B": "X 002", "C": "X 003", "D": "X 004"})
    names21 = pd.Series({"A": "X 001", "B1": "X 005", "B2": "X 006", "E": "X 007"})
    authority = pd.Series("E08000025", index=names21.index)
    areas = comparison_areas(_pairs(("A", "A"), ("B", "B1"), ("B", "B2"), ("C", "E"),
                                    ("D", "E"), ("A", "A")), names11, names21, authority)
    by = areas.set_index("msoa21_code")
    assert by.loc["A", "area_code"] == "A" and by.loc["A", "geography"] == "unchanged"
    assert by.loc["B1", "area_code"] == by.loc["B2", "area_code"] == "B1+B2"
    assert "was split into" in by.loc["B1", "geography"]
    assert by.loc["E", "area_code"] == "E" and "were merged into" in by.loc["E", "geography"]
    assert by.loc["E", "msoa11_codes"] == "C D"


def test_a_joined_area_across_authorities_is_refused():
    names = pd.Series({"A": "a", "B": "b"})
    with pytest.raises(ValueError, match="more than one authority"):
        comparison_areas(_pairs(("A", "A"), ("A", "B")), pd.Series({"A": "a"}), names,
                         pd.Series({"A": "E08000025", "B": "E08000026"}))


def test_newcombe_interval_matches_newcombes_worked_example():
    # Newcombe (1998), example (a): 56/70 against 48/80, difference 0.2000, 0.0524 to 0.3339.
    diff, lower, upper = newcombe_difference(48, 80, 56, 70)
    assert (float(diff), float(lower), float(upper)) == pytest.approx((0.2, 0.0524, 0.3339),
                                                                      abs=5e-5)


def _raw_2011(shared, codes: list[str]) -> dict[str, tuple[float, float]]:
    """Each measure's 2011 numerator and denominator over ``codes``, straight from the files."""
    def read(name, code_column):
        frame = pd.read_csv(shared / "census2011" / name, thousands=",")
        return frame[frame[code_column].isin(codes)]

    health = read("census2011_msoa11_health_limitation_unpaidcare_pct_wmca.csv", "MSOA11CD")
    age = read("census2011_msoa11_age_single_year_counts_wmca.csv", "msoa11cd")
    residents = age.set_index("msoa11cd").Total
    bad = (health.set_index("MSOA11CD")[["Bad health", "Very bad health"]].sum(axis=1) / 100
           * residents)
    qual = read("census2011_msoa11_highest_qualification_counts_wmca.csv", "MSOA11CD")
    nssec = read("census2011_msoa11_nssec_16_74_counts_wmca.csv", "MSOA11CD")
    dep = read("census2011_msoa11_household_deprivation_dimensions_counts_wmca.csv", "MSOA11CD")
    return {
        "bad_health": (bad.sum(), residents.sum()),
        "no_qualifications": (qual["No qualifications"].sum(), qual["All levels"].sum()),
        "level4_plus": (qual["Level 4 qualifications and above"].sum(),
                        qual["All levels"].sum()),
        "never_worked": (nssec.Never_worked_and_long_term_unemployed.sum(),
                         nssec.total_usual_residents_16_74.sum()),
        "hh_deprived": (dep.Total.sum() - dep.No_dimension.sum(), dep.Total.sum()),
    }


def _raw_2021(shared, codes: list[str]) -> dict[str, tuple[float, float]]:
    """Each measure's 2021 numerator and denominator over 2021 MSOAs ``codes``, from OA files.

    LSOAs are placed in MSOAs with ``DERIVED_lookup_lsoa21_msoa21_wmca.csv`` (a cross-check
    the ingest does not read: it uses ONS's naming rule itself).
    """
    lookup = pd.read_csv(shared / "lookups" / "DERIVED_lookup_lsoa21_msoa21_wmca.csv")
    lsoas = set(lookup[lookup.MSOA21CD.isin(codes)].LSOA21CD)

    def oa(name):
        frame = pd.read_csv(shared / "census2021" / name)
        return frame[frame.LSOA21CD.isin(lsoas)]

    health = oa("ts037_general_health_oa21_wmca.csv")
    p = "General health: "
    qual = oa("ts067_qualification_oa21_wmca.csv")
    q = "Highest level of qualification: "
    nssec = oa("ts062_nssec_oa21_wmca.csv")
    n = "National Statistics Socio-economic Classification (NS-SEC): "
    dep = pd.read_csv(shared / "census2021" / "ts011_household_deprivation_lsoa21_wmca.csv")
    dep = dep[dep.lsoa21_code.isin(lsoas)]
    not_deprived = dep[dep.deprivation_dimensions
                       == "Household is not deprived in any dimension"]
    households = dep.groupby("lsoa21_code").n.sum().sum()
    return {
        "bad_health": ((health[f"{p}Bad health"] + health[f"{p}Very bad health"]).sum(),
                       health[f"{p}Total: All usual residents"].sum()),
        "no_qualifications": (qual[f"{q}No qualifications"].sum(),
                              qual[f"{q}Total: All usual residents aged 16 years and over"].sum()),
        "level4_plus": (qual[f"{q}Level 4 qualifications and above"].sum(),
                        qual[f"{q}Total: All usual residents aged 16 years and over"].sum()),
        "never_worked": (nssec[f"{n}L14.1 and L14.2 Never worked and long-term unemployed"].sum(),
                         nssec[f"{n}Total: All usual residents aged 16 years and over"].sum()),
        "hh_deprived": (households - not_deprived.n.sum(), households),
    }


@pytest.mark.parametrize("area", list(CASES))
def test_values_and_change_recomputed_from_the_raw_files(shared, bundle, area):
    old, new = CASES[area]
    before, after = _raw_2011(shared, old), _raw_2021(shared, new)
    rows = bundle.msoa_change[(bundle.msoa_change.level == "msoa")
                              & (bundle.msoa_change.area_code == area)].set_index("indicator")
    assert sorted(rows.index) == sorted(CHANGE_MEASURES)
    for measure in CHANGE_MEASURES:
        row = rows.loc[measure]
        (n11, d11), (n21, d21) = before[measure], after[measure]
        assert row.value_2011 == pytest.approx(100 * n11 / d11, abs=1e-6), measure
        assert row.value_2021 == pytest.approx(100 * n21 / d21, abs=1e-6), measure
        assert row.change == pytest.approx(100 * (n21 / d21 - n11 / d11), abs=1e-6), measure
        _, low, high = newcombe_difference(n11, d11, n21, d21)
        assert (row.change_lower, row.change_upper) == pytest.approx((100 * low, 100 * high),
                                                                      abs=1e-6)
        assert row.change_lower < row.change < row.change_upper
        lower, _ = wilson_interval(n21, d21)
        assert row.lower_2021 == pytest.approx(100 * float(lower), abs=1e-6)
    joined = rows.geography.iloc[0]
    assert (joined == "unchanged") == (len(old) == len(new) == 1)


def test_every_msoa_is_compared_once_and_authorities_add_up(bundle):
    rows = bundle.msoa_change[bundle.msoa_change.indicator == "no_qualifications"]
    areas = rows[rows.level == "msoa"]
    assert len(areas) == 355 and areas.area_code.is_unique
    assert sorted(" ".join(areas.msoa21_codes).split()) == sorted(bundle.msoas.msoa_code)
    assert len(bundle.msoas) == 357
    wmca = rows[rows.level == "wmca"].iloc[0]
    assert wmca.denominator_2011 == areas.denominator_2011.sum()
    # PROVENANCE.md: 2011 no qualifications Birmingham 28.2%, Sandwell 35.2%, Solihull 22.7%.
    by_name = rows[rows.level == "authority"].set_index("area_name").value_2011
    assert by_name[["Birmingham", "Sandwell", "Solihull"]].round(1).tolist() == [28.2, 35.2,
                                                                                  22.7]


def test_each_ward_overlap_adds_up_to_the_whole_ward(bundle):
    shares = bundle.ward_msoa.groupby("ward_code").share_of_ward.sum()
    assert len(shares) == 192 and np.allclose(shares, 100)
    assert set(bundle.ward_msoa.area_code) <= set(bundle.msoa_change.area_code)
