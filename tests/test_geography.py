"""Geography operations on tiny hand-worked fixtures.

The fixture is a 4 x 2 grid of 1 km square LSOAs (L1..L8, in British National Grid) grouped
into four square wards of two LSOAs each::

    L5 L6 | L7 L8        ward W3 = L5+L6, ward W4 = L7+L8
    ------+------
    L1 L2 | L3 L4        ward W1 = L1+L2, ward W2 = L3+L4
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, box

from equity import geography

LSOAS = [f"L{i}" for i in range(1, 9)]
WARD_OF = {"L1": "W1", "L2": "W1", "L3": "W2", "L4": "W2",
           "L5": "W3", "L6": "W3", "L7": "W4", "L8": "W4"}
PEOPLE = [100, 200, 300, 100, 200, 400, 50, 150]
DISABLED = [10, 30, 60, 0, 25, 75, 5, 15]


@pytest.fixture
def lookup() -> pd.DataFrame:
    return pd.DataFrame({"lsoa_code": LSOAS, "ward_code": [WARD_OF[c] for c in LSOAS]})


@pytest.fixture
def counts() -> pd.DataFrame:
    return pd.DataFrame({"people": PEOPLE, "disabled": DISABLED},
                        index=pd.Index(LSOAS, name="lsoa_code"), dtype=float)


def lsoa_squares() -> gpd.GeoDataFrame:
    geoms = [box(1000 * (i % 4), 1000 * (i // 4), 1000 * (i % 4 + 1), 1000 * (i // 4 + 1))
             for i in range(8)]
    return gpd.GeoDataFrame({"lsoa_code": LSOAS}, geometry=geoms, crs=27700)


# ---------------------------------------------------------------- aggregate_bestfit


def test_aggregate_bestfit_sums_lsoas_to_wards(counts, lookup):
    wards = geography.aggregate_bestfit(counts, lookup)
    assert list(wards.index) == ["W1", "W2", "W3", "W4"]
    assert wards.index.name == "ward_code"
    assert wards.people.tolist() == [300, 400, 600, 200]
    assert wards.disabled.tolist() == [40, 60, 100, 20]
    assert wards.people.sum() == sum(PEOPLE)


def test_aggregate_bestfit_ignores_lsoa_order(counts, lookup):
    shuffled = counts.iloc[[7, 2, 5, 0, 1, 6, 3, 4]]
    wards = geography.aggregate_bestfit(shuffled, lookup.iloc[::-1])
    assert wards.loc["W3", "people"] == 600
    assert wards.loc["W2", "disabled"] == 60


def test_aggregate_bestfit_keeps_missing_as_nan(counts, lookup):
    counts.loc[["L3", "L4"], "disabled"] = np.nan
    counts.loc["L5", "disabled"] = np.nan
    wards = geography.aggregate_bestfit(counts, lookup)
    assert np.isnan(wards.loc["W2", "disabled"])  # every LSOA missing: no data, not 0
    assert wards.loc["W3", "disabled"] == 75  # one of two missing: the sum of what is known
    assert wards.loc["W1", "disabled"] == 40


def test_aggregate_bestfit_rejects_lsoa_missing_from_lookup(counts, lookup):
    with pytest.raises(ValueError, match="LSOA L8 is not in the lookup"):
        geography.aggregate_bestfit(counts, lookup[lookup.lsoa_code != "L8"])


def test_aggregate_bestfit_rejects_lookup_lsoa_without_counts(counts, lookup):
    with pytest.raises(ValueError, match="no counts for LSOA L2"):
        geography.aggregate_bestfit(counts.drop(index="L2"), lookup)


def test_aggregate_bestfit_rejects_duplicate_lsoa(counts, lookup):
    doubled = pd.concat([lookup, pd.DataFrame({"lsoa_code": ["L3"], "ward_code": ["W4"]})])
    with pytest.raises(ValueError, match="LSOA L3 appears twice"):
        geography.aggregate_bestfit(counts, doubled)


def test_aggregate_bestfit_rejects_lookup_without_ward_column(counts, lookup):
    with pytest.raises(ValueError, match="ward_code"):
        geography.aggregate_bestfit(counts, lookup.rename(columns={"ward_code": "ward"}))


# ---------------------------------------------------------------- apportionment
#
# Old (2022) wards:  A = L1+L2,  B = L3+L4+L5+L6,  C = L7+L8
# New (2024) wards:  A = L1+L2 (unchanged),  D = L3+L4,  E = L5+L6+L7,  C = L8 (same code, smaller)
# Populations L1..L8 = 100, 200, 300, 100, 200, 400, 50, 150, so
#   A->A = 300/300 = 1;  B->D = 400/1000 = 0.4;  B->E = 600/1000 = 0.6;
#   C->E = 50/200 = 0.25;  C->C = 150/200 = 0.75.

OLD = {"L1": "A", "L2": "A", "L3": "B", "L4": "B", "L5": "B", "L6": "B", "L7": "C", "L8": "C"}
NEW = {"L1": "A", "L2": "A", "L3": "D", "L4": "D", "L5": "E", "L6": "E", "L7": "E", "L8": "C"}


@pytest.fixture
def old_lookup() -> pd.DataFrame:
    return pd.DataFrame({"lsoa_code": LSOAS, "ward_code": [OLD[c] for c in LSOAS]})


@pytest.fixture
def new_lookup() -> pd.DataFrame:
    return pd.DataFrame({"lsoa_code": LSOAS, "ward_code": [NEW[c] for c in LSOAS]})


@pytest.fixture
def population() -> pd.Series:
    return pd.Series(PEOPLE, index=LSOAS, dtype=float)


@pytest.fixture
def old_counts() -> pd.DataFrame:
    return pd.DataFrame({"employed": [10.0, 100.0, 40.0], "aged_16_plus": [20.0, 500.0, 80.0]},
                        index=pd.Index(["A", "B", "C"], name="ward_code"))


def test_apportionment_weights_are_population_shares(old_lookup, new_lookup, population):
    weights = geography.apportionment_weights(old_lookup, new_lookup, population)
    got = {(r.old_ward, r.new_ward): r.weight for r in weights.itertuples()}
    assert got == pytest.approx({("A", "A"): 1.0, ("B", "D"): 0.4, ("B", "E"): 0.6,
                                 ("C", "C"): 0.75, ("C", "E"): 0.25})
    assert list(weights.columns) == ["old_ward", "new_ward", "weight"]


def test_apportionment_weights_of_each_old_ward_sum_to_one(old_lookup, new_lookup, population):
    weights = geography.apportionment_weights(old_lookup, new_lookup, population)
    sums = weights.groupby("old_ward").weight.sum()
    assert sums.to_numpy() == pytest.approx([1.0, 1.0, 1.0])


def test_apportionment_weights_reject_different_lsoas(old_lookup, new_lookup, population):
    with pytest.raises(ValueError, match="lookups differ on LSOA L8"):
        geography.apportionment_weights(old_lookup, new_lookup.iloc[:-1], population)


def test_apportionment_weights_reject_missing_population(old_lookup, new_lookup, population):
    with pytest.raises(ValueError, match="no population for LSOA L4"):
        geography.apportionment_weights(old_lookup, new_lookup, population.drop("L4"))


def test_apportionment_weights_reject_old_ward_without_people(old_lookup, new_lookup,
                                                              population):
    population[["L7", "L8"]] = 0.0
    with pytest.raises(ValueError, match="old ward C has no population"):
        geography.apportionment_weights(old_lookup, new_lookup, population)


def test_apportion_preserves_totals_and_splits_by_weight(old_lookup, new_lookup, population,
                                                         old_counts):
    weights = geography.apportionment_weights(old_lookup, new_lookup, population)
    counts, method = geography.apportion(old_counts, weights)
    assert sorted(counts.index) == ["A", "C", "D", "E"]
    # employed: A 10; D 0.4*100 = 40; E 0.6*100 + 0.25*40 = 70; C 0.75*40 = 30
    assert counts.employed.to_dict() == pytest.approx({"A": 10, "C": 30, "D": 40, "E": 70})
    # aged 16+: A 20; D 200; E 300 + 20 = 320; C 60
    assert counts.aged_16_plus.to_dict() == pytest.approx(
        {"A": 20, "C": 60, "D": 200, "E": 320})
    assert counts.sum().to_dict() == pytest.approx(old_counts.sum().to_dict())


def test_apportion_labels_unchanged_and_split_wards(old_lookup, new_lookup, population,
                                                    old_counts):
    weights = geography.apportionment_weights(old_lookup, new_lookup, population)
    counts, method = geography.apportion(old_counts, weights)
    assert method.reindex(counts.index).to_dict() == {
        "A": "ward_published",  # same code, all of the old ward, nothing else
        "C": "wd22_apportioned",  # same code but only 75% of the old ward
        "D": "wd22_apportioned",
        "E": "wd22_apportioned",  # pieces of two old wards
    }


def test_apportion_keeps_published_count_exactly(old_lookup, new_lookup, population,
                                                 old_counts):
    old_counts.loc["A", "employed"] = 7.0
    weights = geography.apportionment_weights(old_lookup, new_lookup, population)
    counts, _ = geography.apportion(old_counts, weights)
    assert counts.loc["A", "employed"] == 7.0


def test_apportion_rejects_missing_old_ward(old_lookup, new_lookup, population, old_counts):
    weights = geography.apportionment_weights(old_lookup, new_lookup, population)
    with pytest.raises(ValueError, match="no counts for old ward B"):
        geography.apportion(old_counts.drop(index="B"), weights)


# ---------------------------------------------------------------- simplify / dissolve


def _wiggle(n: int, amplitude: float) -> np.ndarray:
    """Deterministic small zig-zags (every 25 m) that an 80 m simplification should remove."""
    steps = np.arange(n)
    return amplitude * np.sin(steps * 1.7) * np.cos(steps * 0.45)


def wiggly_wards() -> gpd.GeoDataFrame:
    """Four wards tiling a 4 km square (British National Grid, in Birmingham)::

        W3 (x < 1500) | W4
        ~~~~~~~~~~~~~~~~~~~~   a wavy line bulging 30 m north, with 12 m zig-zags
        W1 (x < 2000) | W2

    The two dividing lines meet the wavy line at T-junctions 1500 m and 2000 m along it. Each
    junction is a corner for two wards but an ordinary vertex, 28-30 m off the straight line,
    for the ward across the line, so simplifying each ward on its own at 80 m opens slivers of
    tens of thousands of square metres; simplifying them as one coverage must not.
    Returned in EPSG:4326, as the ingest reads them.
    """
    xs = np.linspace(0, 4000, 161)
    wavy = LineString(np.column_stack([xs, 2000 + 30 * np.sin(np.pi * xs / 4000)
                                       + _wiggle(161, 12.0)]))
    # the dividing lines overshoot the wavy line; polygonize drops the dangling ends
    lower_ys = np.linspace(0, 2100, 85)
    lower = LineString(np.column_stack([2000 + _wiggle(85, 10.0), lower_ys]))
    upper_ys = np.linspace(1900, 4000, 85)
    upper = LineString(np.column_stack([1500 + _wiggle(85, 10.0)[::-1], upper_ys]))
    outer = LineString([(0, 0), (4000, 0), (4000, 4000), (0, 4000), (0, 0)])
    noded = shapely.union_all([wavy, lower, upper, outer])
    noded = shapely.transform(noded, lambda xy: xy + [406000.0, 286000.0])
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    assert len(faces) == 4
    faces.sort(key=lambda g: (round(g.centroid.y, -3), g.centroid.x))
    return gpd.GeoDataFrame(
        {"ward_code": ["W1", "W2", "W3", "W4"], "authority_code": ["X", "X", "Y", "Y"]},
        geometry=faces, crs=27700,
    ).to_crs(4326)


def _overlap_and_gap(frame: gpd.GeoDataFrame) -> tuple[float, float]:
    """Overlap (sum of areas minus union area) and gap (holes plus shortfall on the square)."""
    projected = frame.to_crs(27700)
    union = projected.union_all()
    overlap = projected.area.sum() - union.area
    holes = sum(shapely.Polygon(ring).area for ring in getattr(union, "interiors", []))
    return overlap, holes


def _vertices(frame: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum())


def test_wiggly_fixture_is_a_coverage():
    wards = wiggly_wards().to_crs(27700)
    assert wards.geometry.is_valid.all()
    assert wards.area.sum() == pytest.approx(16e6, rel=1e-7)
    assert wards.union_all().area == pytest.approx(wards.area.sum(), rel=1e-7)


def test_simplify_wards_removes_vertices_and_returns_wgs84():
    wards = wiggly_wards()
    simple = geography.simplify_wards(wards, tolerance_m=80)
    assert simple.crs.to_epsg() == 4326
    assert list(simple.ward_code) == ["W1", "W2", "W3", "W4"]
    assert _vertices(simple) < _vertices(wards) / 2


def test_fixture_catches_ward_by_ward_simplification():
    # the check below is only worth something if simplifying each ward alone fails it
    wards = wiggly_wards().to_crs(27700)
    alone = wards.set_geometry(shapely.simplify(wards.geometry.to_numpy(), 80))
    overlap, holes = _overlap_and_gap(alone)
    assert overlap > 1000
    assert holes > 100


def test_simplify_wards_leaves_no_gaps_or_overlaps():
    simple = geography.simplify_wards(wiggly_wards(), tolerance_m=80)
    overlap, holes = _overlap_and_gap(simple)
    # union area equals the sum of the areas (EPSG:27700), to well under a square metre
    assert abs(overlap) < 1.0
    assert holes == 0
    union = simple.to_crs(27700).union_all()
    assert union.geom_type == "Polygon"
    assert union.area == pytest.approx(16e6, rel=1e-3)
    projected = simple.to_crs(27700).geometry
    for i in range(4):
        for j in range(i + 1, 4):
            assert projected.iloc[i].intersection(projected.iloc[j]).area < 0.5


def test_simplify_wards_geometries_are_valid_and_keep_their_size():
    wards = wiggly_wards()
    simple = geography.simplify_wards(wards, tolerance_m=80)
    assert simple.geometry.is_valid.all()
    before = wards.to_crs(27700).area.to_numpy()
    after = simple.to_crs(27700).area.to_numpy()
    assert after == pytest.approx(before, rel=0.01)


def test_simplify_wards_rounds_coordinates_to_five_places():
    simple = geography.simplify_wards(wiggly_wards(), tolerance_m=80)
    coords = shapely.get_coordinates(simple.geometry.to_numpy())
    assert np.allclose(coords, np.round(coords, 5), atol=1e-9)


def test_simplify_wards_does_not_change_input():
    wards = wiggly_wards()
    before = wards.geometry.copy()
    geography.simplify_wards(wards, tolerance_m=80)
    assert wards.geometry.geom_equals_exact(before, tolerance=0).all()


def test_simplify_wards_rejects_negative_tolerance_and_missing_crs():
    wards = wiggly_wards()
    with pytest.raises(ValueError, match="tolerance"):
        geography.simplify_wards(wards, tolerance_m=-1)
    with pytest.raises(ValueError, match="no CRS"):
        geography.simplify_wards(wards.set_crs(None, allow_override=True))


def test_dissolve_coverage_unions_by_column():
    squares = lsoa_squares()
    squares["ward_code"] = squares.lsoa_code.map(WARD_OF)
    wards = geography.dissolve_coverage(squares, "ward_code")
    assert list(wards.ward_code) == ["W1", "W2", "W3", "W4"]
    assert wards.crs.to_epsg() == 27700
    assert wards.area.tolist() == pytest.approx([2e6] * 4)
    # each ward is one 2 km x 1 km rectangle: the internal edge between its LSOAs is gone
    for geom in wards.geometry:
        assert geom.geom_type == "Polygon"
        assert geom.equals(geom.envelope)
    assert wards.geometry.iloc[0].equals(box(0, 0, 2000, 1000))
    assert wards.geometry.iloc[3].equals(box(2000, 1000, 4000, 2000))


def test_dissolve_coverage_of_simplified_wards_has_exact_shared_edges():
    simple = geography.simplify_wards(wiggly_wards(), tolerance_m=80)
    parts = geography.dissolve_coverage(simple, "authority_code")
    assert list(parts.authority_code) == ["X", "Y"]
    assert (parts.geom_type == "Polygon").all()
    projected = parts.to_crs(27700)
    assert projected.area.sum() == pytest.approx(projected.union_all().area, rel=1e-7)
    assert math.isclose(projected.area.sum(), simple.to_crs(27700).area.sum(), rel_tol=1e-9)


def test_dissolve_coverage_rejects_unknown_column():
    with pytest.raises(ValueError, match="no column 'authority'"):
        geography.dissolve_coverage(lsoa_squares(), "authority")
