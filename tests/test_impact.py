"""Differential-impact check: reading the uploaded ward list and the group table."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equity.bundle import read_bundle
from equity.impact import (
    GROUPS,
    IMPACT_COLUMNS,
    ImpactInputError,
    WardList,
    impact_table,
    read_ward_list,
)

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
        assert row.residents_in_group == sums.at[ind, "numerator"], ind
        assert row.base_in_chosen == sums.at[ind, "denominator"], ind
        assert row.wmca_in_group == wmca.at[ind, "numerator"], ind
        assert row.wmca_base == wmca.at[ind, "denominator"], ind
        # The WMCA row is the sum of all 192 wards, so "rest" really is the other wards.
        assert wmca.at[ind, "numerator"] == all_wards.at[ind, "numerator"], ind
        assert wmca.at[ind, "denominator"] == all_wards.at[ind, "denominator"], ind
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
    assert set(table.drop(index="hh_deprived").counted) == {"residents"}
    # Households are a much smaller base than residents.
    assert table.loc["hh_deprived", "base_in_chosen"] < 0.6 * table.loc["eth_asian", "base_in_chosen"]


def test_columns_and_groups(bundle):
    table = impact_table(bundle, FIXED)
    assert list(table.columns) == IMPACT_COLUMNS
    assert len(table) == 10
    assert set(table.flag) <= {"over-represented", "under-represented", "similar"}
    eth = table[table.indicator.str.startswith("eth_")]
    assert eth.residents_in_group.sum() == pytest.approx(eth.base_in_chosen.iloc[0], rel=0.01)


def test_order_and_repeats_of_codes_do_not_matter(bundle):
    a = impact_table(bundle, FIXED)
    b = impact_table(bundle, list(reversed(FIXED)) + FIXED[:2])
    pd.testing.assert_frame_equal(a, b)


def test_all_wards_is_all_of_wmca(bundle):
    table = impact_table(bundle, list(bundle.wards.ward_code))
    assert (table.flag == "all of WMCA").all()
    assert (table.difference == 0).all()
    assert table.lower.isna().all() and table.upper.isna().all()
    assert (table.residents_in_group == table.wmca_in_group).all()


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


# --- read_ward_list -----------------------------------------------------------------------


def test_reads_codes_in_file_order(bundle):
    data = b"ward_code\nE05001302\nE05011121\r\nE05001225\n"
    result = read_ward_list(data, bundle, "wards.csv")
    assert isinstance(result, WardList)
    assert result.codes == ("E05001302", "E05011121", "E05001225")
    assert result.unknown == () and result.duplicates == () and result.notices == ()


def test_names_case_insensitive_and_trimmed(bundle):
    name = ward_name(bundle, "E05011121")  # Aston
    data = f"Ward_Name\n  {name.upper()}  \n{ward_name(bundle, 'E05001225').lower()}\n".encode()
    assert read_ward_list(data, bundle, "x.csv").codes == ("E05011121", "E05001225")


def test_ampersand_and_curly_apostrophe(bundle):
    codes = bundle.wards.set_index("ward_name").ward_code
    data = "name\nbordesley and highgate\nSt Michael\u2019s\n".encode()
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes == (codes["Bordesley & Highgate"], codes["St Michael's"])


def test_codes_and_names_mixed_with_bom_and_lowercase_code(bundle):
    data = "\ufeffward\ne05011121\nFoleshill\n".encode()
    assert read_ward_list(data, bundle, "x.CSV").codes == ("E05011121", "E05001222")


def test_duplicates_removed_with_notice(bundle):
    data = b"ward\nAston\nE05011121\naston\nFoleshill\n"
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes == ("E05011121", "E05001222")
    assert result.duplicates == ("E05011121", "aston")
    assert ("2 repeated entries removed, so each ward is counted once: 'E05011121', 'aston'."
            in result.notices)


def test_unknown_codes_and_names_listed(bundle):
    data = b"code\nAston\nNowhere Ward\nE05999999\nWalsall\n"
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == ("Nowhere Ward", "E05999999", "Walsall")
    notices = "\n".join(result.notices)
    assert "'Nowhere Ward' matches no WMCA ward code or name" in notices
    assert "'E05999999' is not the code of a WMCA ward (2024 boundaries)" in notices
    assert "'Walsall' is a local authority, not a ward" in notices


def test_2022_ward_code_reported_unknown(bundle):
    assert RETIRED_2022 not in set(bundle.wards.ward_code)
    result = read_ward_list(f"ward_code\nE05011121\n{RETIRED_2022}\n".encode(), bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == (RETIRED_2022,)
    assert result.notices == (
        f"1 entry not used: '{RETIRED_2022}' (Amblecote, Dudley) is a 2022 ward code retired "
        "in the Dudley and Wolverhampton boundary changes. Use the 2024 ward code or the ward "
        "name.",
    )


def test_ambiguous_name_reported_and_qualified_form_accepted(tiny_bundle):
    tiny_bundle.wards.loc[5, "ward_name"] = "Ward 1"  # E05000006, Coventry
    result = read_ward_list(b"name\nWard 1\nWard 2\n", tiny_bundle, "x.csv")
    assert result.codes == ("E05000002",)
    assert result.unknown == ("Ward 1",)
    assert result.notices == (
        "1 entry not used: 'Ward 1' (Ward 1 (Birmingham) or Ward 1 (Coventry)) names wards in "
        "more than one authority. Write it as 'Name (Authority)' or use the ward code.",
    )
    result = read_ward_list(b"name\nward 1 (coventry)\nWard 1 (Birmingham)\n", tiny_bundle)
    assert result.codes == ("E05000006", "E05000001")
    assert result.notices == ()


def test_real_bundle_has_no_ambiguous_names(bundle):
    # Ambiguity is handled, but no ward name is shared across authorities today.
    names = bundle.wards.ward_name.str.casefold()
    assert not names.duplicated().any()


def test_qualified_form_accepted_on_real_bundle(bundle):
    result = read_ward_list(b"name\nAston (Birmingham)\nAston (Coventry)\n", bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == ("Aston (Coventry)",)


def test_single_column_without_heading(bundle):
    assert read_ward_list(b"E05011121\nE05001225\n", bundle, "x.csv").codes == (
        "E05011121", "E05001225")


def test_single_column_unrecognised_first_row_is_heading_with_notice(bundle):
    result = read_ward_list(b"Wards in scope\nAston\n", bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == ()
    assert result.notices == (
        "The first row, 'Wards in scope', was read as a column heading, not a ward.",)


def test_named_column_picked_from_several(bundle):
    data = b"programme,WD24CD,WD24NM\nA,E05011121,Aston\nB,E05001225,Longford\n"
    assert read_ward_list(data, bundle, "x.csv").codes == ("E05011121", "E05001225")


def test_semicolon_and_tab_delimited(bundle):
    assert read_ward_list(b"id;ward\n1;Aston\n", bundle, "x.csv").codes == ("E05011121",)
    assert read_ward_list(b"id\tward\n1\tAston\n", bundle, "x.csv").codes == ("E05011121",)


# --- read_ward_list: errors ---------------------------------------------------------------


@pytest.mark.parametrize("filename", ["wards.xlsx", "wards.txt", "wards.csv.xlsx", "wards"])
def test_non_csv_name_rejected(bundle, filename):
    with pytest.raises(ImpactInputError, match=f"^'{filename}' is not a .csv file"):
        read_ward_list(b"ward\nAston\n", bundle, filename)


def test_too_large(bundle):
    data = b"ward\n" + b"Aston\n" * 20
    with pytest.raises(ImpactInputError,
                       match=r"^The file is 125 bytes; the largest accepted is 100 bytes"):
        read_ward_list(data, bundle, "x.csv", max_bytes=100)
    assert read_ward_list(data, bundle, "x.csv", max_bytes=125).codes == ("E05011121",)


def test_default_limit_is_one_megabyte(bundle):
    with pytest.raises(ImpactInputError, match="largest accepted is 1,000,000 bytes"):
        read_ward_list(b"ward\n" + b"x" * 1_000_000, bundle, "x.csv")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n", "\ufeff".encode(), b",,\n,\n"])
def test_empty(bundle, data):
    with pytest.raises(ImpactInputError, match=r"^The file is empty\.$"):
        read_ward_list(data, bundle, "x.csv")


@pytest.mark.parametrize("data", [b"ward_code\n", b"ward_code\n\n  \n", b"id,name\n1,\n2,  \n"])
def test_header_only(bundle, data):
    with pytest.raises(ImpactInputError,
                       match=r"^The file is empty: it has a heading row but no wards\.$"):
        read_ward_list(data, bundle, "x.csv")


def test_latin1_accented_name_rejected(bundle):
    data = "ward\nAston\nCafé Quarter\n".encode("latin-1")
    with pytest.raises(ImpactInputError) as err:
        read_ward_list(data, bundle, "x.csv")
    message = str(err.value)
    assert message.startswith("The file is not UTF-8 text (byte 15 cannot be read)")
    assert "save" in message.lower() and "CSV UTF-8" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_rejected(bundle, encoding):
    data = "ward\nAston\n".encode(encoding)
    with pytest.raises(ImpactInputError, match=r"^The file is not UTF-8 text \(it looks like "
                                               r"UTF-16.*CSV UTF-8"):
        read_ward_list(data, bundle, "x.csv")


def test_excel_workbook_renamed_csv_rejected(bundle):
    with pytest.raises(ImpactInputError, match="looks like an Excel workbook, not a CSV file"):
        read_ward_list(b"PK\x03\x04\x14\x00\x06\x00binary", bundle, "wards.csv")


def test_utf8_accented_entry_is_just_unknown(bundle):
    result = read_ward_list("ward\nAston\nCafé Quarter\n".encode(), bundle, "x.csv")
    assert result.unknown == ("Café Quarter",)


def test_several_columns_without_recognised_heading(bundle):
    with pytest.raises(ImpactInputError, match=r"^The file has 2 columns \('area', 'count'\) and "
                                               r"none is headed ward_code"):
        read_ward_list(b"area,count\nAston,3\n", bundle, "x.csv")


def test_nothing_recognised(bundle):
    with pytest.raises(ImpactInputError, match=r"^None of the 2 entries in the file is a WMCA "
                                               r"ward: 'Foo', 'E05001236'\."):
        read_ward_list(b"ward\nFoo\nE05001236\n", bundle, "x.csv")


def test_upload_is_not_written(bundle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    read_ward_list(b"ward\nAston\n", bundle, "x.csv")
    assert list(tmp_path.iterdir()) == []
