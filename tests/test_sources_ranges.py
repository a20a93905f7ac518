"""Every numeric column the ingest reads has a plausible range, and a value outside it stops
the ingest with a one-line message naming file, row, column and the allowed range.

The first tests use tiny CSV files made here; the rest copy one real file from
``../shared/data``, put an implausible value in one cell and call the reader.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from equity.sources import census, comparators, deprivation, labour_market, lookups
from equity.sources._read import (
    LSOA_PEOPLE_MAX,
    PERCENTAGE,
    IngestError,
    Plausible,
    count,
    read_table,
)

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _write(folder: Path, text: str) -> str:
    (folder / "t.csv").write_text(text)
    return "t.csv"


# ------------------------------------------------------------------ read_table on tiny files


@pytest.mark.parametrize("cell, why", [
    ("1e308", "astronomic"), ("inf", "infinite"), ("-1", "negative"), ("12.5", "fractional"),
    ("20001", "above the ceiling"), ("", "empty"), ("nan", "not a number"),
])
def test_count_outside_its_range_is_refused(tmp_path, cell, why):
    name = _write(tmp_path, f"code,total,n\nA,100,10\nB,100,{cell}\n")
    with pytest.raises(IngestError) as exc:
        read_table(tmp_path, name, ["code"], numeric={"total": count(LSOA_PEOPLE_MAX),
                                                      "n": count(LSOA_PEOPLE_MAX)})
    message = str(exc.value)
    assert message.startswith("t.csv: row 3, column 'n': expected a whole number from 0 to "
                              "20,000"), (why, message)
    assert "\n" not in message


def test_count_above_the_population_it_counts_is_refused(tmp_path):
    name = _write(tmp_path, "code,total,n\nA,100,100\nB,100,101\n")
    with pytest.raises(IngestError, match=r"row 3, column 'n'.*at most column 'total'.*'101'"):
        read_table(tmp_path, name, ["code"],
                   numeric={"total": count(LSOA_PEOPLE_MAX),
                            "n": count(LSOA_PEOPLE_MAX, within="total")})


def test_values_inside_their_ranges_are_read_as_numbers(tmp_path):
    name = _write(tmp_path, "code,total,n,pct,score\nA,100,100,0,-3.5\nB, 2000 ,0,100,9.99\n")
    frame = read_table(tmp_path, name, ["code"],
                       numeric={"total": count(LSOA_PEOPLE_MAX),
                                "n": count(LSOA_PEOPLE_MAX, within="total"),
                                "pct": PERCENTAGE, "score": Plausible(-10, 10)})
    assert frame.total.tolist() == [100.0, 2000.0]
    assert frame.score.tolist() == [-3.5, 9.99]


@pytest.mark.parametrize("cell", ["100.01", "-0.1", "1e308"])
def test_percentage_outside_0_to_100_is_refused(tmp_path, cell):
    name = _write(tmp_path, f"code,pct\nA,{cell}\n")
    with pytest.raises(IngestError, match=r"row 2, column 'pct': expected a number from 0 to "
                                          r"100, found"):
        read_table(tmp_path, name, ["code"], numeric={"pct": PERCENTAGE})


def test_a_huge_cell_is_quoted_back_short(tmp_path):
    name = _write(tmp_path, "code,pct\nA," + "9" * 5000 + "\n")
    with pytest.raises(IngestError) as exc:
        read_table(tmp_path, name, ["code"], numeric={"pct": PERCENTAGE})
    assert len(str(exc.value)) < 200


def test_a_bound_that_is_not_read_is_a_programming_error(tmp_path):
    name = _write(tmp_path, "code,n\nA,1\n")
    with pytest.raises(ValueError, match="not declared numeric"):
        read_table(tmp_path, name, ["code"], numeric={"n": count(10, within="total")})


# ------------------------------------------------------------------ every reader's ranges


@pytest.fixture(scope="module")
def context(shared):
    lookup24 = lookups.read_lsoa_ward(shared, "24")
    lsoas = set(lookup24.lsoa_code)
    return {"lsoas": lsoas, "wards24": set(lookup24.ward_code),
            "wards22": set(lookups.read_lsoa_ward(shared, "22").ward_code),
            "oa_lookup": lookups.read_oa_lsoa(shared, lsoas)}


def _copy(shared: Path, raw: Path, relative: str) -> Path:
    target = raw / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared / relative, target)
    return target


# file, column, how to call its reader, a row (file line) to break
READERS = {
    census.TS021: lambda raw, c: census.read_ts021(raw, c["lsoas"]),
    census.TS038: lambda raw, c: census.read_ts038(raw, c["lsoas"]),
    census.TS011: lambda raw, c: census.read_ts011(raw, c["lsoas"]),
    census.AGE6: lambda raw, c: census.read_age6(raw, c["lsoas"]),
    census.TS066_OA_PCT: lambda raw, c: census.read_unemployment_oa(raw, c["oa_lookup"]),
    census.EMPLOYMENT_WD22: lambda raw, c: census.read_ward22_counts(raw, c["wards22"]),
    census.TS067_WD22: lambda raw, c: census.read_ward22_counts(raw, c["wards22"]),
    deprivation.IMD2025: lambda raw, c: deprivation.read_imd2025(raw, c["lsoas"]),
    deprivation.IMD2025_SUBDOMAINS: lambda raw, c: deprivation.read_imd2025(raw, c["lsoas"]),
    deprivation.IMD2019: lambda raw, c: deprivation.read_imd2019_on_lsoa21(raw, c["lsoas"]),
    labour_market.CLAIMANTS_WARD:
        lambda raw, c: labour_market.read_claimants_ward(raw, c["wards24"]),
    labour_market.CLAIMANTS_MONTHLY:
        lambda raw, c: labour_market.read_claimants_monthly(raw, c["wards24"]),
    labour_market.RM024_LA: lambda raw, c: labour_market.read_youth_context(raw),
    labour_market.NEET_LA: lambda raw, c: labour_market.read_youth_context(raw),
    labour_market.YOUTH_CLAIMANTS_PCON: lambda raw, c: labour_market.read_youth_context(raw),
    labour_market.ELS_LA: lambda raw, c: labour_market.read_youth_context(raw),
    labour_market.YOUTH_CENSUS_PCON: lambda raw, c: labour_market.read_census_youth_pcon(raw),
}
# The files labour_market.read_youth_context reads.
YOUTH_CONTEXT_FILES = (labour_market.RM024_LA, labour_market.NEET_LA,
                       labour_market.YOUTH_CLAIMANTS_PCON, labour_market.ELS_LA,
                       labour_market.YOUTH_CENSUS_PCON)
# Files a reader needs besides the one broken.
COMPANIONS = {
    census.TS066_OA_PCT: [census.TS067_OA],
    census.EMPLOYMENT_WD22: [census.TS067_WD22],
    census.TS067_WD22: [census.EMPLOYMENT_WD22],
    deprivation.IMD2025: [deprivation.IMD2025_SUBDOMAINS],
    deprivation.IMD2025_SUBDOMAINS: [deprivation.IMD2025],
    deprivation.IMD2019: [deprivation.LSOA11_LSOA21],
    **{f: [g for g in YOUTH_CONTEXT_FILES if g != f] for f in YOUTH_CONTEXT_FILES},
}
RANGED = [(relative, column) for module in (census, deprivation, labour_market)
          for relative, columns in module.RANGES.items() for column in columns]


def _break(shared: Path, raw: Path, relative: str, column: str, value: str) -> int:
    """Copy ``relative`` (and what its reader needs) with ``value`` in one used row."""
    for other in COMPANIONS.get(relative, []):
        _copy(shared, raw, other)
    path = _copy(shared, raw, relative)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = frame.index
    if relative == labour_market.ELS_LA:
        rows = frame.index[frame.els_dataset == "claimant-count"]
    elif relative == labour_market.RM024_LA:
        rows = frame.index[frame.row_type == "source row"]
    elif relative == labour_market.YOUTH_CLAIMANTS_PCON:
        rows = frame.index[frame.age == "Aged 16-24"]
    elif relative == labour_market.YOUTH_CENSUS_PCON:
        rows = frame.index[(frame.age == "Aged 16 to 24 years")
                           & frame.variable_name.str.startswith("Economically active")]
    row = int(rows[len(rows) // 2])
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)
    return row + 2


def test_every_reader_declares_a_range_for_every_file_it_reads_numbers_from():
    assert {relative for relative, _ in RANGED} == set(READERS)


@pytest.mark.rawdata
@pytest.mark.parametrize("relative, column", RANGED, ids=[f"{r.split('/')[-1]}:{c}"
                                                          for r, c in RANGED])
def test_astronomic_value_in_any_column_is_refused(shared, context, tmp_path, relative, column):
    line = _break(shared, tmp_path, relative, column, "1e308")
    with pytest.raises(IngestError) as exc:
        READERS[relative](tmp_path, context)
    message = str(exc.value)
    assert message.startswith(f"{relative}: row {line}, column {column!r}: expected "), message
    assert re.search(r"from -?[\d,.]+ to [\d,.]+", message), message
    assert "'1e308'" in message


@pytest.mark.rawdata
@pytest.mark.parametrize("relative, column, value, allowed", [
    (census.TS021, "n", "10.5", "a whole number from 0 to 20,000"),
    (census.TS038, "n", "6000", "at most column 'total_residents'"),
    (census.TS066_OA_PCT, "pct_16plus_unemployed_incl_ft_students", "150",
     "a number from 0 to 100"),
    (deprivation.IMD2025, "Income_score", "1.5", "a number from 0 to 1"),
    (deprivation.IMD2025, "Health_score", "-11", "a number from -10 to 10"),
    (deprivation.IMD2025, "IMD_rank", "40000", "a whole number from 1 to 33,755"),
    (deprivation.IMD2019, "IMD_rank", "32845", "a whole number from 1 to 32,844"),
    (labour_market.CLAIMANTS_WARD, "claimant_count", "1e308", "from 0 to 100,000"),
    (labour_market.YOUTH_CLAIMANTS_PCON, "Claimant count", "200000",
     "at most column 'Population estimate'"),
    (labour_market.NEET_LA, "NEET_percent", "101", "a number from 0 to 100"),
])
def test_implausible_values_name_the_allowed_range(shared, context, tmp_path, relative, column,
                                                   value, allowed):
    line = _break(shared, tmp_path, relative, column, value)
    with pytest.raises(IngestError) as exc:
        READERS[relative](tmp_path, context)
    message = str(exc.value)
    assert message.startswith(f"{relative}: row {line}, column {column!r}"), message
    assert allowed in message and repr(value) in message


@pytest.mark.rawdata
def test_authority_row_of_rm024_is_within_an_authority(shared, context, tmp_path):
    line = _break(shared, tmp_path, labour_market.RM024_LA, "Unemployed_2021", "3000000")
    with pytest.raises(IngestError, match=rf"row {line}, column 'Unemployed_2021': expected a "
                                          r"whole number from 0 to 2,000,000"):
        READERS[labour_market.RM024_LA](tmp_path, context)


@pytest.mark.rawdata
@pytest.mark.parametrize("column, value", [("age_16_24", "1e308"), ("age_16_24", "-5")])
def test_england_age_counts_are_within_england(shared, tmp_path, column, value):
    path = _copy(shared, tmp_path, comparators.TS007)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    single = "Age: Aged 20 years; measures: Value"
    frame.loc[0, single] = value
    frame.to_csv(path, index=False)
    with pytest.raises(IngestError, match=rf"{re.escape(comparators.TS007)}: row 2, column "
                                          rf"{re.escape(repr(single))}: expected a whole number"):
        comparators._england_age_counts(tmp_path)


@pytest.mark.rawdata
def test_youth_employment_rate_outside_0_to_100_is_refused(shared, tmp_path):
    path = _copy(shared, tmp_path, comparators.YOUTH_EMPLOYMENT_BY_ETHNICITY)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    line = next(i for i, text in enumerate(lines) if text.startswith("West Midlands,"))
    cells = lines[line].split(",")
    cells[1] = "1e308"
    lines[line] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(IngestError, match=rf"row {line + 1}, column .*within 0 to 100"):
        comparators.read_youth_employment_by_ethnicity(tmp_path)


@pytest.mark.rawdata
def test_real_files_are_within_every_declared_range(shared, context):
    for reader in READERS.values():
        reader(shared, context)


@pytest.mark.rawdata
@pytest.mark.parametrize("shift", [(0.0, 10.0), (1e6, 0.0)])
def test_a_ward_shape_outside_wmca_is_refused(shared, context, tmp_path, shift):
    import geopandas as gpd
    from shapely import affinity

    from equity.sources import boundaries

    path = _copy(shared, tmp_path, boundaries.WARDS_WD24)
    frame = gpd.read_file(path)
    frame.loc[5, "geometry"] = affinity.translate(frame.geometry.iloc[5], *shift)
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(IngestError, match=rf"feature 6 \({frame.WD24CD.iloc[5]}\): the shape "
                                          r"is empty or lies outside WMCA"):
        boundaries.read_wards(tmp_path, lookups.read_lsoa_ward(shared, "24"))
