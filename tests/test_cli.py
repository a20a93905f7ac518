"""The command line, run as a user would: ``python -m equity ...`` from the repository."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "geodata"
THEMES = {"health", "jobs", "skills", "youth_unemployment", "poverty", "characteristic"}
EXPORT_COLUMNS = ["ward_code", "ward_name", "authority", "indicator", "value", "numerator",
                  "denominator", "lower", "upper"]
BIRMINGHAM = "E08000025"
MODELLED = "youth_unemployed_modelled"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "equity", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def info_json() -> dict:
    result = run("info", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    return pd.read_csv(BUNDLE / "values.csv", dtype={"area_code": str, "authority_code": str})


@pytest.fixture(scope="module")
def employed_csv() -> pd.DataFrame:
    result = run("export", "--indicator", "employed", "--format", "csv")
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"ward_code": str})


def test_info_json_counts_wards_per_authority(info_json):
    assert info_json["wards"] == {"Birmingham": 69, "Coventry": 18, "Dudley": 24,
                                  "Sandwell": 24, "Solihull": 17, "Walsall": 20,
                                  "Wolverhampton": 20}
    assert sum(info_json["wards"].values()) == 192


def test_info_json_describes_every_indicator(info_json, values):
    indicators = info_json["indicators"]
    ids = [ind["id"] for ind in indicators]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(values.indicator)
    for ind in indicators:
        for key in ("id", "theme", "title", "wards_with_data", "source", "vintage"):
            assert key in ind, (ind.get("id"), key)
        assert ind["theme"] in THEMES, ind["id"]
        assert ind["title"] and ind["source"] and ind["vintage"], ind["id"]
        assert isinstance(ind["wards_with_data"], int)
        assert 0 <= ind["wards_with_data"] <= 192


def test_info_json_wards_with_data(info_json, values):
    by_id = {ind["id"]: ind for ind in info_json["indicators"]}
    assert by_id["claimant_rate"]["wards_with_data"] == 69
    assert by_id["employed"]["wards_with_data"] == 192
    ward_rows = values[(values.level == "ward") & values.value.notna()]
    counts = ward_rows.groupby("indicator").size()
    for ind_id, ind in by_id.items():
        assert ind["wards_with_data"] == counts.get(ind_id, 0), ind_id


def test_info_text_mentions_every_indicator(info_json):
    result = run("info")
    assert result.returncode == 0, result.stderr
    assert "192" in result.stdout
    for ind in info_json["indicators"]:
        assert f"- {ind['id']} [" in result.stdout, ind["id"]
    for name in info_json["wards"]:
        assert name in result.stdout


def test_info_json_modelled_estimate_covers_every_ward(info_json):
    by_id = {ind["id"]: ind for ind in info_json["indicators"]}
    modelled = by_id[MODELLED]
    assert modelled["wards_with_data"] == 192
    assert modelled["geography_methods"] == ["modelled"]
    assert modelled["modelled"] is True
    assert all(isinstance(ind["modelled"], bool) for ind in by_id.values())
    assert [i for i, ind in by_id.items() if ind["modelled"]] == [MODELLED]
    assert by_id["employed"]["modelled"] is False


def test_info_text_says_modelled_estimate(info_json):
    result = run("info")
    assert result.returncode == 0, result.stderr
    blocks = {block.split(" [", 1)[0]: block
              for block in result.stdout.split("\n- ")[1:]}
    assert set(blocks) == {ind["id"] for ind in info_json["indicators"]}
    assert "modelled estimate; 192 of 192 wards have a value" in blocks[MODELLED]
    assert "geography: Estimate (modelled)" in blocks[MODELLED]
    assert all("modelled estimate" not in block
               for ind_id, block in blocks.items() if ind_id != MODELLED)


@pytest.fixture(scope="module")
def modelled_csv() -> pd.DataFrame:
    result = run("export", "--indicator", MODELLED, "--indicator", "employed",
                 "--indicator", "claimant_rate")
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"ward_code": str})


def test_export_labels_the_method_in_plain_words(modelled_csv):
    assert list(modelled_csv.columns) == [*EXPORT_COLUMNS, "method", "unit", "method_label"]
    labels = modelled_csv.groupby("indicator").method_label.agg(lambda s: sorted(set(s)))
    assert labels[MODELLED] == ["Estimate (modelled)"]
    plain = {"modelled": "Estimate (modelled)", "ward_published": "Published ward total",
             "wd22_apportioned": "Estimate: apportioned from 2022 wards", "no data": "no data"}
    pairs = set(zip(modelled_csv.method, modelled_csv.method_label, strict=True))
    assert pairs <= set(plain.items()), pairs
    assert "no data" in set(modelled_csv.method_label)  # claimant_rate outside Birmingham


def test_export_modelled_estimate_has_value_and_interval_for_every_ward(modelled_csv, values):
    rows = modelled_csv[modelled_csv.indicator == MODELLED].set_index("ward_code")
    assert len(rows) == 192 and rows.index.is_unique
    assert set(rows.method) == {"modelled"}
    for column in ("value", "lower", "upper"):
        assert rows[column].notna().all(), column
    assert (rows.lower <= rows.value).all() and (rows.value <= rows.upper).all()
    bundle = values[(values.level == "ward") & (values.indicator == MODELLED)]
    bundle = bundle.set_index("area_code").reindex(rows.index)
    for column in ("value", "lower", "upper"):
        np.testing.assert_allclose(rows[column], bundle[column], rtol=1e-9, err_msg=column)


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_export_json_and_geojson_say_estimate_modelled(fmt):
    result = run("export", "--indicator", MODELLED, "--format", fmt)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    records = ([f["properties"] for f in data["features"]] if fmt == "geojson" else data)
    assert len(records) == 192
    assert {r["method_label"] for r in records} == {"Estimate (modelled)"}
    assert all(r["value"] is not None and r["lower"] is not None and r["upper"] is not None
               for r in records)


def test_export_csv_has_one_row_per_ward(employed_csv):
    assert len(employed_csv) == 192
    assert employed_csv.ward_code.is_unique
    assert list(employed_csv.columns[:len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
    assert set(employed_csv.indicator) == {"employed"}
    assert employed_csv.value.notna().all()


def test_export_csv_values_match_bundle(employed_csv, values):
    bundle = values[(values.level == "ward") & (values.indicator == "employed")]
    bundle = bundle.set_index("area_code")
    exported = employed_csv.set_index("ward_code")
    assert set(exported.index) == set(bundle.index)
    for column in ("value", "numerator", "denominator", "lower", "upper"):
        pd.testing.assert_series_equal(exported[column].sort_index(),
                                       bundle[column].sort_index(), check_names=False,
                                       obj=column)
    assert (exported.ward_name.sort_index() == bundle.area_name.sort_index()).all()


def test_export_claimant_rate_is_empty_outside_birmingham(values):
    result = run("export", "--indicator", "claimant_rate")
    assert result.returncode == 0, result.stderr
    rows = list(pd.read_csv(io.StringIO(result.stdout), dtype=str,
                            keep_default_na=False).itertuples())
    assert len(rows) == 192
    bham_wards = set(values[(values.level == "ward")
                            & (values.authority_code == BIRMINGHAM)].area_code)
    for row in rows:
        if row.ward_code in bham_wards:
            assert float(row.value) > 0, row.ward_code
        else:
            assert row.value == "" and row.numerator == "" and row.lower == "", row.ward_code
            assert row.value != "0"
    assert sum(row.value != "" for row in rows) == 69


def test_export_json_parses():
    result = run("export", "--indicator", "employed", "--indicator", "aged_16_24",
                 "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == 2 * 192
    assert {r["indicator"] for r in records} == {"employed", "aged_16_24"}
    assert set(EXPORT_COLUMNS) <= set(records[0])


def test_export_geojson_parses():
    result = run("export", "--indicator", "claimant_rate", "--format", "geojson")
    assert result.returncode == 0, result.stderr
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == 192
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    missing = [f for f in features if f["properties"]["value"] is None]
    assert len(missing) == 123  # JSON null, not 0, where there is no data


def test_unknown_indicator_exits_2_with_one_line():
    result = run("export", "--indicator", "no_such_indicator")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no_such_indicator" in lines[0]
    assert "Traceback" not in result.stderr


def test_ingest_from_missing_folder_exits_2_without_traceback(tmp_path):
    out = tmp_path / "out"
    result = run("ingest", "--raw", "/nonexistent", "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "/nonexistent" in result.stderr and "does not exist" in result.stderr
    assert result.stderr.startswith("error: ")
    assert not out.exists()


def test_missing_bundle_exits_2_with_one_line(tmp_path):
    result = run("info", "--bundle", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "python -m equity ingest" in result.stderr
