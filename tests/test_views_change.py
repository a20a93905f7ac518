"""What the pages, the ward pack and the command line say about 2011 to 2021 change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from equity import views
from equity.bundle import read_bundle
from equity.report import ward_pack_html

REPO = Path(__file__).resolve().parents[1]
ACOCKS_GREEN = "E05011118"
CLI_COLUMNS = ["msoa_code", "msoa_name", "authority", "indicator", "value_2011", "value_2021",
               "change", "change_lower", "change_upper"]


@pytest.fixture(scope="module")
def bundle():
    return read_bundle()


def test_every_measure_has_a_gap_statement_and_a_row_in_the_sii_table(bundle):
    measures = views.change_indicators(bundle)
    assert [m.id for m in measures] == ["bad_health", "no_qualifications", "level4_plus",
                                        "never_worked", "hh_deprived"]
    table = views.gap_table(bundle).set_index("Measure")
    sii = bundle.change_sii.set_index("indicator")
    for ind in measures:
        row = table.loc[ind.short_title]
        assert row["SII 2011 (points)"] == pytest.approx(sii.loc[ind.id, "sii_2011"], abs=0.005)
        assert row["2011 lower"] < row["SII 2011 (points)"] < row["2011 upper"]
        assert row["Change lower"] < row["Change (points)"] < row["Change upper"]
        sentence = views.gap_statement(bundle, ind)
        assert sentence.startswith("The gap in ") and "95% CI" in sentence
    assert "IMD 2019" in views.ranking_note() and "IMD 2025" in views.ranking_note()


def test_change_table_marks_what_the_interval_says(bundle):
    ind = bundle.catalogue["no_qualifications"]
    rows = views.change_frame(bundle, ind)
    unclear = rows[(rows.change_lower <= 0) & (rows.change_upper >= 0)]
    assert set(unclear.status) <= {"no clear change"}
    assert set(rows[rows.change_upper < 0].status) == {"fall"}
    table = views.change_table(rows)
    assert len(table) == 355 and table["Change (points)"].is_monotonic_decreasing
    joined = table[table.Geography != "unchanged"]
    assert len(joined) == 3 and joined.Geography.str.startswith("joined:").all()
    with pytest.raises(ValueError, match="not compared"):
        views.change_frame(bundle, bundle.catalogue["imd_score"])


def test_map_frame_gives_each_2021_msoa_its_areas_figures(bundle):
    frame = views.change_map_frame(bundle, bundle.catalogue["bad_health"])
    assert len(frame) == 357 and frame.msoa_code.is_unique
    split = frame[frame.msoa_code.isin(["E02006943", "E02006944"])]
    assert split.change.nunique() == 1 and "Boundaries changed" in split.detail.iloc[0]
    assert split.name.iloc[0] == "Sandwell 040 + Sandwell 041"


def test_ward_change_is_labelled_as_neighbourhood_figures(bundle):
    table = views.ward_change(bundle, ACOCKS_GREEN)
    assert list(table.columns)[:2] == ["MSOA (neighbourhood)", "Share of ward's residents (%)"]
    shares = table.drop_duplicates("MSOA (neighbourhood)")["Share of ward's residents (%)"]
    assert shares.sum() == pytest.approx(100, abs=0.05)
    assert len(table) == 5 * len(shares)
    html = ward_pack_html(bundle, ACOCKS_GREEN)
    assert "Neighbourhood change, Census 2011 to 2021 (MSOA figures)" in html
    assert "neighbourhood figures, not ward figures" in html
    with pytest.raises(ValueError, match="unknown ward"):
        views.ward_change(bundle, "E05999999")


def _run(*args):
    return subprocess.run([sys.executable, "-m", "equity", "change", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_cli_prints_one_row_per_msoa_and_measure_then_the_sii(bundle):
    result = _run("--indicator", "no_qualifications")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split(",")[:9] == CLI_COLUMNS
    assert len([line for line in lines[1:] if line.startswith("E02")]) == 355
    row = next(line for line in lines if line.startswith("E02001827,")).split(",")
    expected = bundle.msoa_change[(bundle.msoa_change.area_code == "E02001827")
                                  & (bundle.msoa_change.indicator == "no_qualifications")].iloc[0]
    assert float(row[6]) == pytest.approx(expected.change, abs=0.005)
    assert any(line.startswith("no_qualifications: 2011 22.87") for line in lines)
    assert any("narrowed from" in line for line in lines)


def test_cli_json_and_an_unknown_measure():
    record = json.loads(_run("--json").stdout)
    assert len(record["rows"]) == 5 * 355 and len(record["sii"]) == 5
    assert set(CLI_COLUMNS) <= set(record["rows"][0])
    assert {"sii_2011", "sii_lower_2011", "sii_change_upper", "sentence"} <= set(record["sii"][0])
    bad = _run("--indicator", "imd_score")
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
