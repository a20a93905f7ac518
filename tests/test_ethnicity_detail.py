"""Detailed ethnic group in every ward: an estimate split from MSOAs (issue 15).

Tiny in-memory frames test the split itself; the rest read the real files in ../shared/data
(skipped, saying why, without them): the naming rule against the derived LSOA-MSOA lookup, the
sum-back checks, and implausible values put into a copy of the MSOA file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equity import ethnicity_detail as ed
from equity import geography
from equity.sources import census, lookups
from equity.sources import ethnicity_detail as source
from equity.sources._read import PERTURBATION_FLOOR, PERTURBATION_TOLERANCE, IngestError

DETAILED = list(ed.DETAILED_COLUMNS)
BROAD = list(ed.BROAD_GROUPS)

# ------------------------------------------------------------------------- the groups


def test_nineteen_detailed_groups_nest_in_the_five_high_level_groups_as_ons_publishes():
    assert len(DETAILED) == 19 == len(set(DETAILED))
    assert {g: len(p) for g, p in ed.BROAD_GROUPS.items()} == {
        "eth_asian": 5, "eth_black": 3, "eth_mixed": 4, "eth_white": 5, "eth_other": 2}
    assert list(source.DETAILED.values()) == DETAILED
    assert list(source.BROAD.values()) == BROAD == list(census.ETHNIC_GROUPS.values())
    for column, name in source.DETAILED.items():  # each file column sits under its group's
        group_column = next(c for c, g in source.BROAD.items() if g == ed.GROUP_OF[name])
        assert column.startswith(group_column + ": ")


# ------------------------------------------------------------------------- naming rule


@pytest.mark.parametrize("lsoa, msoa", [("Birmingham 078D", "Birmingham 078"),
                                        ("Newcastle upon Tyne 001A", "Newcastle upon Tyne 001"),
                                        ("Sandwell 012Z", "Sandwell 012")])
def test_msoa_name_drops_the_final_letter(lsoa, msoa):
    assert ed.msoa_name(lsoa) == msoa


@pytest.mark.parametrize("bad", ["Birmingham 078", "Birmingham 78D", "Birmingham 078d",
                                 "Birmingham 078DD", "078D", ""])
def test_msoa_name_refuses_a_name_that_breaks_the_rule(bad):
    with pytest.raises(ValueError, match="three-digit MSOA number"):
        ed.msoa_name(bad)


MSOA_NAMES = pd.Series(["Ashby 001", "Ashby 002"], index=["E02000001", "E02000002"])
LSOA_NAMES = pd.Series(["Ashby 001A", "Ashby 001B", "Ashby 002A"],
                       index=["E01000001", "E01000002", "E01000003"])


def test_assign_msoas_by_name():
    out = ed.assign_msoas(LSOA_NAMES, MSOA_NAMES)
    assert out.to_dict() == {"E01000001": "E02000001", "E01000002": "E02000001",
                             "E01000003": "E02000002"}
    assert out.name == "msoa_code"


@pytest.mark.parametrize("lsoa_names, msoa_names, message", [
    (LSOA_NAMES.set_axis(["E01000001"] * 3), MSOA_NAMES, "LSOA E01000001 appears twice"),
    (LSOA_NAMES, MSOA_NAMES.set_axis(["E02000001"] * 2), "MSOA code E02000001 appears twice"),
    (LSOA_NAMES, pd.Series(["Ashby 001"] * 2, index=MSOA_NAMES.index), "name 'Ashby 001'"),
    (LSOA_NAMES.replace("Ashby 002A", "Ashby 003A"), MSOA_NAMES, "'Ashby 003', which is not"),
    (LSOA_NAMES.iloc[:2], MSOA_NAMES, "MSOA E02000002 \\(Ashby 002\\) has no LSOA"),
    (LSOA_NAMES.replace("Ashby 002A", "Ashby 002"), MSOA_NAMES, "three-digit"),
])
def test_assign_msoas_refuses_inconsistent_names(lsoa_names, msoa_names, message):
    with pytest.raises(ValueError, match=message):
        ed.assign_msoas(lsoa_names, msoa_names)


# ------------------------------------------------------------------- the split, tiny frames


def _msoas() -> pd.DataFrame:
    """Two MSOAs. M1: Asian 100 = 10 Bangladeshi, 20 Chinese, 30 Indian, 40 Pakistani, 0 Other
    Asian; Other ethnic group empty. M2: the same mix except every detailed group 1, so Other
    is split half Arab, half any other."""
    m1 = dict.fromkeys(DETAILED, 5.0)
    m1.update(eth_bangladeshi=10, eth_chinese=20, eth_indian=30, eth_pakistani=40,
              eth_other_asian=0, eth_arab=0, eth_any_other=0)
    m2 = dict.fromkeys(DETAILED, 1.0)
    return pd.DataFrame([m1, m2], index=["M1", "M2"])


def _lsoas(**change) -> pd.DataFrame:
    rows = {"L1": dict(eth_asian=50, eth_black=30, eth_mixed=8, eth_white=500, eth_other=0),
            "L2": dict(eth_asian=7, eth_black=0, eth_mixed=4, eth_white=900, eth_other=0),
            "L3": dict(eth_asian=9, eth_black=3, eth_mixed=2, eth_white=100, eth_other=6)}
    for key, value in change.items():
        lsoa, column = key.split("__")
        rows[lsoa][column] = value
    return pd.DataFrame.from_dict(rows, orient="index", dtype=float)


LSOA_MSOA = pd.Series({"L1": "M1", "L2": "M1", "L3": "M2"})


def test_split_uses_the_msoa_proportions_within_each_group():
    out = ed.split_to_lsoas(_lsoas(), LSOA_MSOA, _msoas())
    assert list(out.columns) == DETAILED and list(out.index) == ["L1", "L2", "L3"]
    assert out.loc["L1", ["eth_bangladeshi", "eth_chinese", "eth_indian", "eth_pakistani",
                          "eth_other_asian"]].tolist() == [5, 10, 15, 20, 0]
    assert out.loc["L1", "eth_black_african"] == pytest.approx(10)  # 30 split 5:5:5
    assert out.loc["L2", "eth_pakistani"] == pytest.approx(2.8)  # 7 x 40/100: not whole
    assert out.loc["L3", ["eth_arab", "eth_any_other"]].tolist() == [3, 3]


def test_each_lsoa_detailed_groups_add_up_exactly_to_its_high_level_groups():
    broad = _lsoas()
    out = ed.split_to_lsoas(broad, LSOA_MSOA, _msoas())
    for group, parts in ed.BROAD_GROUPS.items():
        np.testing.assert_allclose(out[list(parts)].sum(axis=1), broad[group], rtol=1e-12)


def test_msoa_with_nobody_in_a_group_gives_0_where_the_lsoa_has_nobody_and_nan_where_it_has():
    # M1 has no one in "Other ethnic group". L1 and L2 have no one either, so 0 is exact.
    out = ed.split_to_lsoas(_lsoas(), LSOA_MSOA, _msoas())
    assert out.loc[["L1", "L2"], ["eth_arab", "eth_any_other"]].to_numpy().tolist() == [[0, 0]] * 2
    # If L2 had 3 (possible only through separate perturbation), the split is unknown: NaN, not
    # an invented mix, and only for that group of that LSOA.
    out = ed.split_to_lsoas(_lsoas(L2__eth_other=3), LSOA_MSOA, _msoas())
    assert out.loc["L2", ["eth_arab", "eth_any_other"]].isna().all()
    assert out.loc["L1", ["eth_arab", "eth_any_other"]].tolist() == [0, 0]
    assert out.drop(columns=["eth_arab", "eth_any_other"]).notna().all().all()


def test_split_ignores_other_columns_and_keeps_the_index_name():
    broad = _lsoas().assign(residents=1000.0)
    broad.index.name = "lsoa_code"
    out = ed.split_to_lsoas(broad, LSOA_MSOA, _msoas().assign(residents=1.0, msoa_name="x"))
    assert out.index.name == "lsoa_code" and "residents" not in out


@pytest.mark.parametrize("broad, lsoa_msoa, msoas, message", [
    (_lsoas().drop(columns="eth_white"), LSOA_MSOA, _msoas(), "LSOA has no column 'eth_white'"),
    (_lsoas(), LSOA_MSOA, _msoas().drop(columns="eth_roma"), "MSOA has no column 'eth_roma'"),
    (_lsoas(L2__eth_asian=-1), LSOA_MSOA, _msoas(), "LSOA L2, column 'eth_asian'.*-1"),
    (_lsoas(L3__eth_mixed=np.nan), LSOA_MSOA, _msoas(), "LSOA L3, column 'eth_mixed'.*nan"),
    (_lsoas(L1__eth_white=np.inf), LSOA_MSOA, _msoas(), "LSOA L1, column 'eth_white'.*inf"),
    (_lsoas(), LSOA_MSOA, _msoas().assign(eth_irish=[1.0, -2.0]), "MSOA M2, column 'eth_irish'"),
    (_lsoas(), LSOA_MSOA.drop("L3"), _msoas(), "LSOA L3 has no MSOA"),
    (_lsoas(), LSOA_MSOA, _msoas().drop("M2"), "LSOA L3 is in MSOA M2, which has no detailed"),
    (pd.concat([_lsoas(), _lsoas().iloc[:1]]), LSOA_MSOA, _msoas(), "LSOA L1 appears twice"),
    (_lsoas(), pd.concat([LSOA_MSOA, LSOA_MSOA.iloc[:1]]), _msoas(), "more than one MSOA"),
])
def test_split_refuses_bad_input(broad, lsoa_msoa, msoas, message):
    with pytest.raises(ValueError, match=message):
        ed.split_to_lsoas(broad, lsoa_msoa, msoas)


def test_sum_back_gap_is_each_groups_share_of_the_high_level_gap():
    msoas = _msoas()
    out = ed.split_to_lsoas(_lsoas(), LSOA_MSOA, msoas)
    gaps = ed.sum_back_gaps(out, LSOA_MSOA, msoas)
    # M1's LSOAs have 57 Asian residents, its detailed Asian groups 100: each is 57% of itself.
    assert gaps.loc["M1", "eth_pakistani"] == pytest.approx(40 * 0.57 - 40)
    assert gaps.loc["M2", "eth_arab"] == pytest.approx(3 - 1)
    with pytest.raises(ValueError, match="M2 is in one of the tables only"):
        ed.sum_back_gaps(out.drop("L3"), LSOA_MSOA, msoas)


# ------------------------------------------------------------------------- real files

MSOA_COUNT, LSOA_COUNT = 357, 1719


@pytest.fixture(scope="module")
def lsoa_names(lookup24) -> pd.Series:
    return lookup24.set_index("lsoa_code").lsoa_name


@pytest.fixture(scope="module")
def msoas(shared, lsoa_names) -> pd.DataFrame:
    return source.read_ts021_msoa(shared, lsoa_names)


@pytest.fixture(scope="module")
def lsoa_msoa(lsoa_names, msoas) -> pd.Series:
    return ed.assign_msoas(lsoa_names, msoas.msoa_name)


@pytest.fixture(scope="module")
def broad(shared, lookup24) -> pd.DataFrame:
    return census.read_ts021(shared, set(lookup24.lsoa_code))


@pytest.fixture(scope="module")
def estimates(broad, lsoa_msoa, msoas) -> pd.DataFrame:
    return ed.split_to_lsoas(broad, lsoa_msoa, msoas)


@pytest.mark.rawdata
def test_reader_gives_every_msoa_its_groups(msoas):
    assert len(msoas) == MSOA_COUNT and msoas.index.name == "msoa_code"
    assert list(msoas.columns) == ["msoa_name", "residents", *BROAD, *DETAILED]
    assert msoas.loc["E02001827", ["msoa_name", "residents", "eth_pakistani"]].tolist() == [
        "Birmingham 001", 6450, 126]
    assert msoas.residents.sum() == 2_919_654  # PROVENANCE.md


@pytest.mark.rawdata
def test_naming_rule_agrees_with_the_derived_lookup_for_every_lsoa(shared, lsoa_msoa):
    derived = pd.read_csv(shared / "lookups" / "DERIVED_lookup_lsoa21_msoa21_wmca.csv",
                          dtype=str).set_index("LSOA21CD").MSOA21CD
    assert len(lsoa_msoa) == len(derived) == LSOA_COUNT
    assert lsoa_msoa.nunique() == MSOA_COUNT
    pd.testing.assert_series_equal(lsoa_msoa.sort_index(), derived.sort_index(),
                                   check_names=False, check_dtype=False)


@pytest.mark.rawdata
def test_no_msoa_has_an_empty_high_level_group_so_no_estimate_is_missing(msoas, estimates):
    assert (msoas[BROAD] > 0).all().all()
    assert len(estimates) == LSOA_COUNT and estimates.notna().all().all()
    assert (estimates >= 0).all().all()


@pytest.mark.rawdata
def test_estimates_sum_back_to_each_msoas_published_counts_within_perturbation(
        broad, lsoa_msoa, msoas, estimates):
    """Tolerance: the same as for categories against their total in every reader, the larger
    of 20 people and 2% of the MSOA's high-level group. The LSOA high-level counts and the MSOA
    detailed counts are perturbed by ONS separately, so the MSOA's LSOAs do not add up exactly
    to its published high-level group (by at most 10 people here, PROVENANCE.md), and each
    detailed group's gap is its share of that gap, so never larger."""
    gaps = ed.sum_back_gaps(estimates, lsoa_msoa, msoas)
    assert gaps.shape == (MSOA_COUNT, 19)
    lsoa_group = ed.sum_to_msoas(broad[BROAD], lsoa_msoa)
    for group, parts in ed.BROAD_GROUPS.items():
        published = msoas[group]
        allowed = np.maximum(PERTURBATION_FLOOR, PERTURBATION_TOLERANCE * published)
        group_gap = lsoa_group[group] - published
        assert (group_gap.abs() <= allowed).all(), group
        for part in parts:
            assert (gaps[part].abs() <= allowed).all(), part
            # exactly the group's gap times the detailed group's share of it
            expected = group_gap * msoas[part] / published
            np.testing.assert_allclose(gaps[part], expected, atol=1e-9)
    assert gaps.abs().max().max() < 10  # 8.6 people (White British) in the 2021 files


@pytest.mark.rawdata
def test_each_wards_detailed_estimates_add_up_to_its_high_level_groups(broad, estimates,
                                                                       lookup24):
    wards = geography.aggregate_bestfit(pd.concat([broad[BROAD], estimates], axis=1), lookup24)
    assert len(wards) == 192
    for group, parts in ed.BROAD_GROUPS.items():
        np.testing.assert_allclose(wards[list(parts)].sum(axis=1), wards[group], rtol=1e-12)
        # and so for every LSOA
        np.testing.assert_allclose(estimates[list(parts)].sum(axis=1), broad[group],
                                   rtol=1e-12)


# ------------------------------------------------------------- implausible values refused


@pytest.fixture
def raw(tmp_path) -> Path:
    return tmp_path / "raw"


def _copy_with(shared: Path, raw: Path, edit) -> None:
    target = raw / source.TS021_MSOA
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared / source.TS021_MSOA, target)
    frame = pd.read_csv(target, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(target, index=False)


def _set(row: int, column: str, value: str):
    """Set one cell; ``row`` is the file line (header = line 1)."""
    def edit(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row - 2, column] = value
        return frame
    return edit


PAKISTANI = "Ethnic group: Asian, Asian British or Asian Welsh: Pakistani"
ASIAN = "Ethnic group: Asian, Asian British or Asian Welsh"
WHITE = "Ethnic group: White"  # row 2 (Birmingham 001): 5,078, of them 4,884 White British


@pytest.mark.rawdata
@pytest.mark.parametrize("column, value, message", [
    (PAKISTANI, "12.5", "expected a whole number from 0 to 50,000, at most column "
                        "'Ethnic group: Asian, Asian British or Asian Welsh', found '12.5'"),
    (PAKISTANI, "-1", "found '-1'"),
    (PAKISTANI, "1e308", "found '1e308'"),
    (PAKISTANI, "inf", "found 'inf'"),
    (PAKISTANI, "", "found ''"),
    (PAKISTANI, "900", "at most column 'Ethnic group: Asian, Asian British or Asian Welsh', "
                       "found '900'"),  # more Pakistani than Asian residents (850)
    (ASIAN, "7000", "at most column 'Ethnic group: Total: All usual residents', found '7000'"),
    (source.TOTAL, "50001", "expected a whole number from 0 to 50,000, found '50001'"),
])
def test_implausible_count_is_refused_naming_file_row_and_column(shared, raw, lsoa_names,
                                                                 column, value, message):
    _copy_with(shared, raw, _set(2, column, value))
    with pytest.raises(IngestError) as exc:
        source.read_ts021_msoa(raw, lsoa_names)
    text = str(exc.value)
    assert text.startswith(f"{source.TS021_MSOA}: row 2, column {column!r}: "), text
    assert message in text and "\n" not in text


@pytest.mark.rawdata
@pytest.mark.parametrize("edit, message", [
    (_set(5, PAKISTANI, "0"), r"row 5, column 'Ethnic group: Asian, Asian British or Asian "
                              r"Welsh': categories add up to"),
    (_set(2, WHITE, "4900"), r"row 2, column 'Ethnic group: Total: All usual residents': "
                             r"categories add up to 6272 but the total is 6450"),
    (_set(9, "geography", "Birmingham 999"), r"row 9, column 'geography': unknown MSOA 2021"),
    (_set(9, "geography code", "E01008881"), r"row 9, column 'geography code': expected an "
                                             r"MSOA 2021 code"),
    (_set(9, "geography code", "E02001827"), r"row 9: duplicate row for geography code="),
    (_set(9, "geography", "Birmingham 001"), r"row 9, column 'geography': duplicate row for "
                                             r"MSOA 'Birmingham 001'"),
    (_set(3, "date", "2011"), r"row 3, column 'date': expected 2021, found '2011'"),
    (lambda f: f.drop(index=100), r"column 'geography': no rows for MSOA "),
    (lambda f: f.drop(columns=[PAKISTANI]), r"missing column\(s\) 'Ethnic group: Asian, "
                                            r"Asian British or Asian Welsh: Pakistani'"),
])
def test_malformed_file_is_refused_naming_file_row_and_column(shared, raw, lsoa_names, edit,
                                                              message):
    _copy_with(shared, raw, edit)
    with pytest.raises(IngestError, match=f"^{source.TS021_MSOA}: .*{message}"):
        source.read_ts021_msoa(raw, lsoa_names)


@pytest.mark.rawdata
def test_missing_file_is_named(raw, lsoa_names):
    with pytest.raises(IngestError, match=f"{source.TS021_MSOA}: file not found"):
        source.read_ts021_msoa(raw, lsoa_names)


@pytest.mark.rawdata
def test_lsoa_name_breaking_the_naming_rule_names_the_lookup(shared, lsoa_names):
    names = lsoa_names.copy()
    names.iloc[0] = "Birmingham"
    with pytest.raises(IngestError, match=f"^{lookups.LSOA_WD24}: column 'LSOA21NM'"):
        source.read_ts021_msoa(shared, names)


@pytest.mark.rawdata
@pytest.mark.parametrize("column", list(source.RANGES[source.TS021_MSOA]))
def test_astronomic_value_in_any_ranged_column_is_refused(shared, raw, lsoa_names, column):
    line = 2 + MSOA_COUNT // 2
    _copy_with(shared, raw, _set(line, column, "1e308"))
    with pytest.raises(IngestError) as exc:
        source.read_ts021_msoa(raw, lsoa_names)
    text = str(exc.value)
    assert text.startswith(f"{source.TS021_MSOA}: row {line}, column {column!r}: expected a "
                           "whole number from 0 to 50,000"), text
    assert "'1e308'" in text


def test_every_column_read_has_a_range():
    assert set(source.RANGES[source.TS021_MSOA]) == {source.TOTAL, *source.BROAD,
                                                      *source.DETAILED}
