"""Geography operations for the ward bundle.

LSOA best-fit aggregation, 2022 to 2024 ward apportionment and topology-preserving
simplification of the ward shapes.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

BRITISH_NATIONAL_GRID = 27700
# coverage_simplify drops vertices whose triangle is smaller than tolerance squared. At 80 m the
# source's 10,520 vertices fall to about 6,800 (GeoJSON ~165 KB instead of ~240 KB) while every
# ward stays recognisable at street zoom; bench/ reports the payload this gives.
DEFAULT_TOLERANCE_M = 80.0


def aggregate_bestfit(lsoa_counts: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Sum LSOA counts to wards with a best-fit lookup.

    Parameters
    ----------
    lsoa_counts : DataFrame
        Indexed by LSOA code; numeric count columns.
    lookup : DataFrame
        ``lsoa_code, ward_code``: each LSOA assigned wholly to one ward.

    Returns
    -------
    DataFrame
        Indexed by ward code, the same columns summed. NaN counts stay NaN (``min_count=1``).

    Raises
    ------
    ValueError
        If an LSOA is in the counts but not the lookup or the other way round, or appears twice
        in the lookup.
    """
    for col in ("lsoa_code", "ward_code"):
        if col not in lookup.columns:
            raise ValueError(f"aggregate_bestfit: lookup has no column {col!r}")
    if lookup.lsoa_code.duplicated().any():
        code = lookup.lsoa_code[lookup.lsoa_code.duplicated()].iloc[0]
        raise ValueError(f"aggregate_bestfit: LSOA {code} appears twice in the lookup")
    missing = sorted(set(lookup.lsoa_code) - set(lsoa_counts.index))
    extra = sorted(set(lsoa_counts.index) - set(lookup.lsoa_code))
    if missing:
        raise ValueError(f"aggregate_bestfit: no counts for LSOA {missing[0]}")
    if extra:
        raise ValueError(f"aggregate_bestfit: LSOA {extra[0]} is not in the lookup")
    ward_of = lookup.set_index("lsoa_code").ward_code
    grouped = lsoa_counts.groupby(ward_of.reindex(lsoa_counts.index).to_numpy())
    out = grouped.sum(min_count=1)
    out.index.name = "ward_code"
    return out


def apportionment_weights(old_lookup: pd.DataFrame, new_lookup: pd.DataFrame,
                          population: pd.Series) -> pd.DataFrame:
    """Population weights that carry old-ward counts onto new wards through shared LSOAs.

    The weight of (old ward *o*, new ward *n*) is the population of the LSOAs that are best-fit
    to both *o* and *n*, divided by the population of all LSOAs best-fit to *o*. The weights of
    each old ward add up to 1, so totals are preserved.

    Parameters
    ----------
    old_lookup, new_lookup : DataFrame
        ``lsoa_code, ward_code`` for the old and new ward vintages, covering the same LSOAs.
    population : Series
        Population per LSOA (indexed by LSOA code).

    Returns
    -------
    DataFrame
        ``old_ward, new_ward, weight``.

    Raises
    ------
    ValueError
        If the lookups cover different LSOAs, a population is missing, or an old ward has no
        population.
    """
    old = old_lookup.set_index("lsoa_code").ward_code
    new = new_lookup.set_index("lsoa_code").ward_code
    if set(old.index) != set(new.index):
        diff = sorted(set(old.index) ^ set(new.index))
        raise ValueError(f"apportionment_weights: lookups differ on LSOA {diff[0]}")
    pop = population.reindex(old.index)
    if pop.isna().any():
        raise ValueError(f"apportionment_weights: no population for LSOA {pop.index[pop.isna()][0]}")
    pairs = pd.DataFrame({"old_ward": old, "new_ward": new.reindex(old.index), "pop": pop})
    shared = pairs.groupby(["old_ward", "new_ward"], as_index=False)["pop"].sum()
    totals = shared.groupby("old_ward")["pop"].transform("sum")
    if (totals <= 0).any():
        ward = shared.old_ward[totals <= 0].iloc[0]
        raise ValueError(f"apportionment_weights: old ward {ward} has no population")
    shared["weight"] = shared["pop"] / totals
    return shared[["old_ward", "new_ward", "weight"]]


def apportion(old_counts: pd.DataFrame, weights: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Carry counts from old wards to new wards.

    A new ward that has the same code as an old ward, takes all of that ward and nothing from
    any other, keeps the published count and is labelled ``ward_published``; every other new
    ward is labelled ``wd22_apportioned``.

    Returns
    -------
    tuple
        (counts indexed by new ward code, method per new ward).
    """
    missing = sorted(set(weights.old_ward) - set(old_counts.index))
    if missing:
        raise ValueError(f"apportion: no counts for old ward {missing[0]}")
    joined = weights.merge(old_counts, left_on="old_ward", right_index=True)
    cols = list(old_counts.columns)
    joined[cols] = joined[cols].mul(joined["weight"], axis=0)
    counts = joined.groupby("new_ward")[cols].sum(min_count=1)
    counts.index.name = "ward_code"
    exact = weights.assign(
        same=(weights.old_ward == weights.new_ward) & np.isclose(weights.weight, 1.0)
    )
    sources = exact.groupby("new_ward").agg(n=("old_ward", "size"), same=("same", "all"))
    published = (sources.n == 1) & sources.same
    method = pd.Series(np.where(published, "ward_published", "wd22_apportioned"),
                       index=sources.index, name="method")
    return counts, method.reindex(counts.index)


def simplify_wards(wards: gpd.GeoDataFrame, tolerance_m: float = DEFAULT_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Simplify ward shapes as one coverage, so neighbours keep shared edges (no gaps, no slivers).

    Parameters
    ----------
    wards : GeoDataFrame
        Polygons that tile without overlaps (a coverage), in any CRS.
    tolerance_m : float
        Simplification tolerance in metres (British National Grid).

    Returns
    -------
    GeoDataFrame
        A copy in EPSG:4326 with simplified, valid geometries.
    """
    if tolerance_m < 0:
        raise ValueError("simplify_wards: tolerance must not be negative")
    if wards.crs is None:
        raise ValueError("simplify_wards: wards have no CRS")
    projected = wards.to_crs(BRITISH_NATIONAL_GRID)
    simplified = shapely.coverage_simplify(projected.geometry.to_numpy(), tolerance_m)
    out = projected.copy()
    out["geometry"] = simplified
    out = out.to_crs(4326)
    # Rounding to 5 decimal places (about 1 m) is what the GeoJSON writer does; round first
    # so validity is checked on the coordinates that will be stored.
    out["geometry"] = shapely.set_precision(out.geometry.to_numpy(), 1e-5, mode="pointwise")
    invalid = ~out.geometry.is_valid
    if invalid.any():
        out.loc[invalid, "geometry"] = shapely.make_valid(out.geometry[invalid].to_numpy())
    return out


def dissolve_coverage(wards: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """Union a coverage of wards by a column (e.g. authority) with exact shared edges."""
    if by not in wards.columns:
        raise ValueError(f"dissolve_coverage: no column {by!r}")
    groups = []
    for key, part in wards.groupby(by, sort=True):
        groups.append({by: key, "geometry": shapely.union_all(part.geometry.to_numpy())})
    return gpd.GeoDataFrame(groups, geometry="geometry", crs=wards.crs)
