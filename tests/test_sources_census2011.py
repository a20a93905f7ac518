"""The Census 2011 MSOA reader: real values from the raw files, and malformed files refused."""

from __future__ import annotations

import csv
import shutil

import pytest

from equity.sources import census2011
from equity.sources._read import IngestError


def _raw_row(shared, relative: str, code_column: str, code: str) -> dict[str, str]:
    """One row of a raw file read with the csv module, independently of the reader."""
    with open(shared / relative, newline="", encoding="utf-8-sig") as handle:
        return next(r for r in csv.DictReader(handle) if r[code_column] == code)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_reads_every_2011_msoa_with_counts_as_the_files_give_them(shared):
    counts = census2011.read_census2011(shared)
    assert len(counts) == 356
    assert counts.residents.sum() == 2_736_460  # the sum PROVENANCE.md checks against ONS
    qual = _raw_row(shared, census2011.QUALIFICATION, "MSOA11CD", "E02001827")
    assert qual["All levels"] == "4,931"  # thousands separators in the file
    row = counts.loc["E02001827"]
    assert row.qual_total == 4931 and row.no_qualifications == _number(qual["No qualifications"])
    assert row.level4_plus == 1728
    nssec = _raw_row(shared, census2011.NSSEC, "MSOA11CD", "E02001827")
    assert row.nssec_l14 == 126 and row.nssec_total == int(nssec["total_usual_residents_16_74"])
    households = _raw_row(shared, census2011.HOUSEHOLD_DEPRIVATION, "MSOA11CD", "E02001827")
    assert row.households == 2578
    assert row.hh_deprived_1plus == 2578 - _number(households["No_dimension"])
    health = _raw_row(shared, census2011.HEALTH, "MSOA11CD", "E02001827")
    pct = float(health["Bad health"]) + float(health["Very bad health"])
    assert row.bad_health_pct == pytest.approx(pct)
    assert row.bad_health == pytest.approx(pct / 100 * row.residents)


def test_lsoa_link_places_each_2011_lsoa_in_its_msoa(shared, lsoas):
    names = census2011.read_msoa11_names(shared)
    link = census2011.read_lsoa11_lsoa21(shared, lsoas, names)
    assert set(link.lsoa21_code) == lsoas
    assert link.msoa11_code.nunique() == 356
    first = link[link.lsoa11_code == "E01008881"].iloc[0]
    assert names[first.msoa11_code] == "Birmingham 067"


def _copy_with(shared, tmp_path, relative: str, old: str, new: str):
    for name in census2011.FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared / name, tmp_path / name)
    path = tmp_path / relative
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("relative", "old", "new", "message"), [
    (census2011.QUALIFICATION, '"4,931",938', '"4,931",12.5', "No qualifications"),
    (census2011.HEALTH, "E02001827,Birmingham 001,2.9,3.9,51.6,48,",
     "E02001827,Birmingham 001,2.9,3.9,51.6,148,", "Very good health"),
    (census2011.NSSEC, "4231,703", "4231,1703", "add up"),
])
def test_a_malformed_2011_file_names_file_row_and_column(shared, tmp_path, relative, old, new,
                                                         message):
    raw = _copy_with(shared, tmp_path, relative, old, new)
    with pytest.raises(IngestError, match=message) as caught:
        census2011.read_census2011(raw)
    assert relative in str(caught.value) and "row 2" in str(caught.value)
