"""Postcodes to wards: normalising, placing in ward shapes, the bundle's table and ward-of."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from equity import postcodes
from equity.bundle import read_bundle
from equity.sources.postcodes import normalise

REPO = Path(__file__).resolve().parents[1]
ACOCKS_GREEN = "E05011118"


@pytest.mark.parametrize("text, expected", [
    ("b27 6aa", "B27 6AA"), ("B276AA", "B27 6AA"), (" b27  6AA ", "B27 6AA"),
    ("cv1 1aa", "CV1 1AA"), ("SW1A1AA", "SW1A 1AA"), ("hello", None), ("B27 6A", None),
    ("", None), ("12345", None), ("B27 6AAA", None),
])
def test_postcodes_are_read_in_any_case_and_spacing(text, expected):
    assert normalise(text) == expected


def test_points_are_placed_in_their_ward_with_the_neighbour_near_a_boundary():
    # two 1 km squares side by side in British National Grid, given back in WGS 84
    wards = gpd.GeoDataFrame({"ward_code": ["W1", "W2"]},
                             geometry=[box(400000, 300000, 401000, 301000),
                                       box(401000, 300000, 402000, 301000)],
                             crs=27700).to_crs(4326)
    points = gpd.GeoSeries.from_xy([400500, 400980, 401500, 405000],
                                   [300500, 300500, 300500, 300500], crs=27700).to_crs(4326)
    centroids = pd.DataFrame({"postcode": ["A1 1AA", "A1 1AB", "A1 1AD", "A1 1AE"],
                              "lat": points.y, "lon": points.x})
    placed = postcodes.place(centroids, wards)
    assert placed.postcode.tolist() == ["A1 1AA", "A1 1AB", "A1 1AD"]  # the last is outside
    assert placed.ward_code.tolist() == ["W1", "W1", "W2"]
    assert placed.near_ward_code.tolist() == ["", "W2", ""]  # 20 m from W2
    table = postcodes.to_bundle(placed, ["W1", "W2"])
    index = postcodes.PostcodeIndex(table, ["W1", "W2"])
    assert index.find("a11ab") == postcodes.Found("A1 1AB", "W1", "W2")
    assert index.find("A1 1AE").error and index.find("nonsense").error == "not a postcode"


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(REPO / "geodata")


def test_the_bundle_keeps_postcodes_compactly(bundle):
    manifest = bundle.manifest["postcodes"]
    assert manifest["placed_in_wmca"] == len(bundle.postcodes) > 80_000
    assert manifest["without_coordinates"] > 0  # counted, not placed
    assert (REPO / "geodata" / "postcodes.csv").stat().st_size <= 2_000_000
    assert set(bundle.postcodes.ward.dropna()) == set(range(192))  # every ward has postcodes


@pytest.mark.rawdata
def test_authorities_agree_with_ons_for_at_least_999_in_1000_postcodes(bundle, shared):
    """ONS's own assignment (November 2020, through the postcode's 2011 MSOA) as the check."""
    ons = pd.read_csv(shared / "lookups/postcodes/ons_postcode_msoa11_lad_nov2020_B_CV_DY_WS_WV.csv")
    msoa = pd.read_csv(shared / "census2011/census2011_msoa11_age_single_year_counts_wmca.csv",
                       usecols=["msoa11nm", "msoa11cd"])
    msoa_authority = msoa.set_index("msoa11cd").msoa11nm.str.rsplit(" ", n=1).str[0]
    ons = ons[ons.msoa11cd.isin(msoa_authority.index)]
    ons = ons.assign(postcode=ons.pcds.map(normalise),
                     ons_authority=ons.msoa11cd.map(msoa_authority))
    wards = bundle.wards.reset_index(drop=True)
    ours = bundle.postcodes.assign(authority=wards.authority.to_numpy()[
        bundle.postcodes.ward.to_numpy(dtype=int)])
    both = ons.merge(ours, on="postcode")
    assert len(both) > 75_000
    disagree = both[both.authority != both.ons_authority]
    agreement = 1 - len(disagree) / len(both)
    print(f"{len(disagree)} of {len(both)} postcodes disagree with ONS's authority: "
          f"{disagree[['postcode', 'authority', 'ons_authority']].to_dict('records')}")
    assert agreement >= 0.999


def test_ward_of_prints_each_postcode_in_order_and_fails_if_one_is_not_found():
    run = subprocess.run([sys.executable, "-m", "equity", "ward-of", "--json", "b27 6aa",
                          "SW1A1AA", "hello"], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["postcode"] for r in records] == ["B27 6AA", "SW1A 1AA", "hello"]
    assert records[0]["ward_code"] == ACOCKS_GREEN and records[0]["error"] is None
    assert set(records[0]) == {"postcode", "ward_code", "ward_name", "authority",
                               "near_boundary", "error"}
    assert records[1]["error"] and records[2]["error"] == "not a postcode"
    assert run.returncode == 1
    ok = subprocess.run([sys.executable, "-m", "equity", "ward-of", "B276AA"], cwd=REPO,
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and ok.stdout.startswith("B27 6AA: Acocks Green (E05011118)")


def test_a_postcode_resolves_quickly(bundle):
    index = postcodes.PostcodeIndex(bundle.postcodes, list(bundle.wards.ward_code))
    start = time.perf_counter()
    for _ in range(1000):
        found = index.find("b27 6aa")
    per_lookup = (time.perf_counter() - start) / 1000
    assert found.ward_code == ACOCKS_GREEN
    print(f"postcode look-up: {per_lookup * 1e6:.1f} µs")
