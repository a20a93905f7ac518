"""Each reader check stops a malformed raw file with an IngestError naming file, row and column.

Every test copies the one or two real files a reader needs from ../shared/data into
``tmp_path``, breaks one thing, and calls the reader directly.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from equity.sources import census, deprivation, labour_market, lookups
from equity.sources._read import IngestError

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

pytestmark = pytest.mark.rawdata


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "lookups").is_dir():
        pytest.skip(f"raw published data not found at {SHARED.resolve()}")
    return SHARED


@pytest.fixture(scope="module")
def wards24(lookup24) -> set[str]:
    return set(lookup24.ward_code)


@pytest.fixture(scope="module")
def wards22(shared) -> set[str]:
    return set(lookups.read_lsoa_ward(shared, "22").ward_code)


@pytest.fixture(scope="module")
def oa_lookup(shared, lsoas) -> pd.DataFrame:
    return lookups.read_oa_lsoa(shared, lsoas)


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def copy(shared: Path, raw: Path, relative: str) -> Path:
    target = raw / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared / relative, target)
    return target


def load(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def save(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False)


def set_cell(shared: Path, raw: Path, relative: str, line: int, column: str, value: str) -> str:
    """Copy ``relative`` into ``raw`` with one cell (file line, header = 1) replaced."""
    path = copy(shared, raw, relative)
    frame = load(path)
    old = frame.loc[line - 2, column]
    frame.loc[line - 2, column] = value
    save(frame, path)
    return old


def assert_names(exc: pytest.ExceptionInfo, relative: str, line: int | None,
                 column: str | None) -> str:
    message = str(exc.value)
    assert message.startswith(f"{relative}:"), message
    if line is not None:
        assert re.search(rf"\brow {line}\b", message), message
    if column is not None:
        assert repr(column) in message, message
    return message


# ------------------------------------------------------------------ missing file / column


def test_missing_file_is_named(raw, lsoas):
    with pytest.raises(IngestError) as exc:
        census.read_ts021(raw, lsoas)
    message = assert_names(exc, census.TS021, None, None)
    assert "file not found" in message


def test_missing_oa_file_is_named(raw, oa_lookup):
    with pytest.raises(IngestError) as exc:
        census.read_ts037_oa(raw, oa_lookup)
    assert "file not found" in assert_names(exc, census.TS037_OA, None, None)


def test_missing_column_is_named(shared, raw, lsoas):
    path = copy(shared, raw, census.TS021)
    save(load(path).drop(columns=["n"]), path)
    with pytest.raises(IngestError) as exc:
        census.read_ts021(raw, lsoas)
    assert "missing column" in assert_names(exc, census.TS021, None, "n")


def test_missing_column_in_lookup_is_named(shared, raw):
    path = copy(shared, raw, lookups.LSOA_WD24)
    save(load(path).drop(columns=["WD24CD"]), path)
    with pytest.raises(IngestError) as exc:
        lookups.read_lsoa_ward(raw, "24")
    assert "missing column" in assert_names(exc, lookups.LSOA_WD24, None, "WD24CD")


def test_missing_column_in_ward_table_is_named(shared, raw, wards22):
    copy(shared, raw, census.EMPLOYMENT_WD22)
    path = copy(shared, raw, census.TS067_WD22)
    save(load(path).drop(columns=["total_16plus"]), path)
    with pytest.raises(IngestError) as exc:
        census.read_ward22_counts(raw, wards22)
    assert_names(exc, census.TS067_WD22, None, "total_16plus")


# ------------------------------------------------------------------ unknown codes


def test_unknown_lsoa_code_names_row_and_column(shared, raw, lsoas):
    set_cell(shared, raw, census.TS021, 40, "lsoa21_code", "E01999999")
    with pytest.raises(IngestError) as exc:
        census.read_ts021(raw, lsoas)
    message = assert_names(exc, census.TS021, 40, "lsoa21_code")
    assert "unknown LSOA 2021 code 'E01999999'" in message


def test_unknown_lsoa_code_in_deprivation(shared, raw, lsoas):
    copy(shared, raw, deprivation.IMD2025_SUBDOMAINS)
    set_cell(shared, raw, deprivation.IMD2025, 1000, "lsoa21_code", "W01000001")
    with pytest.raises(IngestError) as exc:
        deprivation.read_imd2025(raw, lsoas)
    assert "W01000001" in assert_names(exc, deprivation.IMD2025, 1000, "lsoa21_code")


def test_unknown_output_area_code(shared, raw, oa_lookup):
    set_cell(shared, raw, census.TS037_OA, 777, "OA21CD", "E00999999")
    with pytest.raises(IngestError) as exc:
        census.read_ts037_oa(raw, oa_lookup)
    message = assert_names(exc, census.TS037_OA, 777, "OA21CD")
    assert "unknown output area 2021 code 'E00999999'" in message


def test_unknown_ward_code_in_claimants(shared, raw, wards24):
    set_cell(shared, raw, labour_market.CLAIMANTS_WARD, 5, "ward_code", "E05999999")
    with pytest.raises(IngestError) as exc:
        labour_market.read_claimants_ward(raw, wards24)
    message = assert_names(exc, labour_market.CLAIMANTS_WARD, 5, "ward_code")
    assert "unknown 2024 ward code 'E05999999'" in message


def test_unknown_ward_code_in_2022_ward_table(shared, raw, wards22):
    column = "Electoral wards and divisions Code"
    set_cell(shared, raw, census.EMPLOYMENT_WD22, 30, column, "E05000000")
    copy(shared, raw, census.TS067_WD22)
    with pytest.raises(IngestError) as exc:
        census.read_ward22_counts(raw, wards22)
    message = assert_names(exc, census.EMPLOYMENT_WD22, 30, column)
    assert "unknown 2022 ward code 'E05000000'" in message


def test_unknown_authority_in_lookup(shared, raw):
    set_cell(shared, raw, lookups.LSOA_WD24, 12, "LAD24CD", "E06000001")
    with pytest.raises(IngestError) as exc:
        lookups.read_lsoa_ward(raw, "24")
    assert "unknown local authority" in assert_names(exc, lookups.LSOA_WD24, 12, "LAD24CD")


def test_lsoa_with_no_rows_is_reported(shared, raw, lsoas):
    path = copy(shared, raw, census.AGE6)
    frame = load(path)
    gone = frame.lsoa21_code.iloc[0]
    save(frame[frame.lsoa21_code != gone], path)
    with pytest.raises(IngestError) as exc:
        census.read_age6(raw, lsoas)
    message = assert_names(exc, census.AGE6, None, "lsoa21_code")
    assert f"no rows for LSOA {gone}" in message


# ------------------------------------------------------------------ numbers


def test_non_numeric_count_names_row_and_column(shared, raw, lsoas):
    set_cell(shared, raw, census.TS021, 123, "n", "12a")
    with pytest.raises(IngestError) as exc:
        census.read_ts021(raw, lsoas)
    message = assert_names(exc, census.TS021, 123, "n")
    assert "'12a'" in message


def test_empty_count_is_not_a_number(shared, raw, lsoas):
    set_cell(shared, raw, census.AGE6, 9, "usual_residents", "")
    with pytest.raises(IngestError) as exc:
        census.read_age6(raw, lsoas)
    assert_names(exc, census.AGE6, 9, "usual_residents")


def test_negative_count_names_row_and_column(shared, raw, lsoas):
    set_cell(shared, raw, census.AGE6, 250, "usual_residents", "-5")
    with pytest.raises(IngestError) as exc:
        census.read_age6(raw, lsoas)
    message = assert_names(exc, census.AGE6, 250, "usual_residents")
    assert "from 0 to 20,000" in message and "'-5'" in message


def test_non_numeric_count_in_output_area_table(shared, raw, oa_lookup):
    column = "General health: Bad health"
    set_cell(shared, raw, census.TS037_OA, 4321, column, "n/a")
    with pytest.raises(IngestError) as exc:
        census.read_ts037_oa(raw, oa_lookup)
    assert_names(exc, census.TS037_OA, 4321, column)


def test_negative_deprivation_score_is_allowed_but_text_is_not(shared, raw, lsoas):
    copy(shared, raw, deprivation.IMD2025_SUBDOMAINS)
    set_cell(shared, raw, deprivation.IMD2025, 20, "Health_score", "-1.5")
    code = load(raw / deprivation.IMD2025).lsoa21_code.iloc[18]
    assert deprivation.read_imd2025(raw, lsoas).loc[code, "Health_score"] == -1.5
    set_cell(shared, raw, deprivation.IMD2025, 20, "Health_score", "high")
    with pytest.raises(IngestError) as exc:
        deprivation.read_imd2025(raw, lsoas)
    assert_names(exc, deprivation.IMD2025, 20, "Health_score")


def test_deprivation_decile_out_of_range(shared, raw, lsoas):
    copy(shared, raw, deprivation.IMD2025_SUBDOMAINS)
    set_cell(shared, raw, deprivation.IMD2025, 66, "IMD_decile", "11")
    with pytest.raises(IngestError) as exc:
        deprivation.read_imd2025(raw, lsoas)
    message = assert_names(exc, deprivation.IMD2025, 66, "IMD_decile")
    assert "a whole number from 1 to 10" in message and "'11'" in message


def test_bad_month_in_monthly_claimants(shared, raw, wards24):
    set_cell(shared, raw, labour_market.CLAIMANTS_MONTHLY, 17, "month", "May 2021")
    with pytest.raises(IngestError) as exc:
        labour_market.read_claimants_monthly(raw, wards24)
    assert_names(exc, labour_market.CLAIMANTS_MONTHLY, 17, "month")


def test_more_young_claimants_than_claimants(shared, raw, wards24):
    set_cell(shared, raw, labour_market.CLAIMANTS_WARD, 8, "age_16_24", "99999")
    with pytest.raises(IngestError) as exc:
        labour_market.read_claimants_ward(raw, wards24)
    assert_names(exc, labour_market.CLAIMANTS_WARD, 8, "age_16_24")


# ------------------------------------------------------------------ categories add up


def test_long_table_categories_not_adding_up_name_first_row_of_the_lsoa(shared, raw, lsoas):
    path = copy(shared, raw, census.TS021)
    frame = load(path)
    # lines 52-56 are the five ethnic groups of one LSOA; its total is repeated on each
    code = frame.lsoa21_code.iloc[50]
    rows = frame.lsoa21_code == code
    assert rows.sum() == 5 and frame.index[rows][0] == 50
    total = int(frame.loc[50, "total_residents"])
    frame.loc[rows, "total_residents"] = str(total + 500)
    save(frame, path)
    with pytest.raises(IngestError) as exc:
        census.read_ts021(raw, lsoas)
    message = assert_names(exc, census.TS021, 52, "total_residents")
    assert "perturbation tolerance" in message


def test_small_perturbation_within_tolerance_is_accepted(shared, raw, lsoas):
    path = copy(shared, raw, census.TS021)
    frame = load(path)
    frame.loc[50, "n"] = str(int(frame.loc[50, "n"]) + 15)  # under the 20-person floor
    save(frame, path)
    wide = census.read_ts021(raw, lsoas)
    assert len(wide) == len(lsoas)


def test_household_categories_not_adding_up(shared, raw, lsoas):
    path = copy(shared, raw, census.TS011)
    frame = load(path)
    code = frame.lsoa21_code.iloc[-1]
    first = int(frame.index[frame.lsoa21_code == code][0])
    rows = frame.index[frame.lsoa21_code == code]
    # Take 100 households from the largest category: each row stays within the total, but
    # the categories no longer add up to it.
    largest = max(rows, key=lambda i: int(frame.loc[i, "n"]))
    assert int(frame.loc[largest, "n"]) >= 100
    frame.loc[largest, "n"] = str(int(frame.loc[largest, "n"]) - 100)
    save(frame, path)
    with pytest.raises(IngestError) as exc:
        census.read_ts011(raw, lsoas)
    assert_names(exc, census.TS011, first + 2, "total_households")


def test_output_area_categories_not_adding_up(shared, raw, oa_lookup):
    total = "General health: Total: All usual residents"
    old = set_cell(shared, raw, census.TS037_OA, 2000, total, "5000")
    assert int(old) < 1000
    with pytest.raises(IngestError) as exc:
        census.read_ts037_oa(raw, oa_lookup)
    assert "add up to" in assert_names(exc, census.TS037_OA, 2000, total)


def test_ward_qualifications_not_adding_up(shared, raw, wards22):
    copy(shared, raw, census.EMPLOYMENT_WD22)
    set_cell(shared, raw, census.TS067_WD22, 100, "level3", "25000")
    with pytest.raises(IngestError) as exc:
        census.read_ward22_counts(raw, wards22)
    assert_names(exc, census.TS067_WD22, 100, "total_16plus")


def test_output_area_percentages_not_adding_up(shared, raw, oa_lookup):
    copy(shared, raw, census.TS067_OA)
    set_cell(shared, raw, census.TS066_OA_PCT, 300,
             "pct_16plus_unemployed_incl_ft_students", "40.0")
    with pytest.raises(IngestError) as exc:
        census.read_unemployment_oa(raw, oa_lookup)
    assert "not 100" in assert_names(exc, census.TS066_OA_PCT, 300, None)


# ------------------------------------------------------------------ duplicates


def test_duplicate_row_names_row_and_key(shared, raw, lsoas):
    path = copy(shared, raw, census.TS021)
    frame = load(path)
    # repeat line 31 right after itself: line 32 is the duplicate
    frame = pd.concat([frame.iloc[:30], frame.iloc[[29]], frame.iloc[30:]], ignore_index=True)
    save(frame, path)
    with pytest.raises(IngestError) as exc:
        census.read_ts021(raw, lsoas)
    message = assert_names(exc, census.TS021, 32, None)
    assert "duplicate row" in message
    assert f"lsoa21_code={frame.lsoa21_code.iloc[30]}" in message
    assert "ethnic_group=" in message


def test_duplicate_output_area(shared, raw, oa_lookup):
    path = copy(shared, raw, census.TS039_OA)
    frame = load(path)
    frame = pd.concat([frame, frame.iloc[[10]]], ignore_index=True)
    save(frame, path)
    with pytest.raises(IngestError) as exc:
        census.read_ts039_oa(raw, oa_lookup)
    message = assert_names(exc, census.TS039_OA, len(frame) + 1, None)
    assert f"OA21CD={frame.OA21CD.iloc[10]}" in message


def test_duplicate_lsoa_in_lookup(shared, raw):
    path = copy(shared, raw, lookups.LSOA_WD22)
    frame = load(path)
    frame.loc[7, "LSOA21CD"] = frame.loc[6, "LSOA21CD"]
    save(frame, path)
    with pytest.raises(IngestError) as exc:
        lookups.read_lsoa_ward(raw, "22")
    assert "LSOA21CD=" in assert_names(exc, lookups.LSOA_WD22, 9, None)


# ------------------------------------------------------------------ unreadable files


def test_not_utf8_is_reported(shared, raw, lsoas):
    path = copy(shared, raw, census.AGE6)
    path.write_bytes(path.read_bytes() + "\n\"E01008881\",\"x\",\"caf\xe9\",1\n".encode("latin-1"))
    with pytest.raises(IngestError) as exc:
        census.read_age6(raw, lsoas)
    assert "UTF-8" in assert_names(exc, census.AGE6, None, None)


def test_empty_file_is_reported(raw, lsoas):
    path = raw / census.AGE6
    path.parent.mkdir(parents=True)
    path.write_text("")
    with pytest.raises(IngestError) as exc:
        census.read_age6(raw, lsoas)
    assert "not a readable CSV" in assert_names(exc, census.AGE6, None, None)
