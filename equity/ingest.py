"""Build the ward data bundle from a folder of raw published files.

``build_bundle`` reads and checks every raw file, builds the ward tables every indicator of the
catalogue draws on, has :mod:`equity.indicator_values` compute the ward, authority, WMCA and
(where published) England rows and :mod:`equity.youth_ingest` the modelled youth figures, and
returns a :class:`equity.bundle.Bundle`; ``ingest`` writes it atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from equity import ethnicity_detail, geography, postcodes
from equity.bundle import Bundle, write_bundle
from equity.catalogue import (
    AUTHORITIES,
    CATALOGUE,
    DWP_ATTRIBUTION,
    FUEL_POVERTY_ATTRIBUTION,
    IMD_ATTRIBUTION,
    INDICATORS,
    METHODS,
    ONS_ATTRIBUTION,
    WMCA_CODE,
)
from equity.change_ingest import FILES as CHANGE_FILES
from equity.change_ingest import neighbourhood_change
from equity.indicator_values import all_indicator_values, published_wd22_values
from equity.sources import (
    boundaries,
    census,
    comparators,
    deprivation,
    iod_indicators,
    labour_market,
    lookups,
)
from equity.sources import ethnicity_detail as ethnicity_source
from equity.sources import postcodes as src_postcodes
from equity.sources._read import IngestError
from equity.stats import wilson_interval
from equity.youth_ingest import with_modelled_intervals, youth_estimate

Progress = Callable[[str], None]
BUNDLE_VERSION = 1

ATTRIBUTION_TEXT = f"""Data attribution
================

The figures and boundaries in this folder are built from public sector information licensed
under the Open Government Licence v3.0:
https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/

- {ONS_ATTRIBUTION}
- {IMD_ATTRIBUTION}
- {DWP_ATTRIBUTION}
- {FUEL_POVERTY_ATTRIBUTION}
- Department for Education, Participation in education, training and NEET age 16 to 17 by
  local authority. Open Government Licence v3.0.

The files were built by `python -m equity ingest` from the raw files listed, with their
SHA-256 checksums, in manifest.json. Ward figures are computed, not published, where the
`method` column says so (LSOA best-fit sums, apportioned estimates, population-weighted scores).
"""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _imd_change(imd2019: pd.DataFrame, lsoa: pd.DataFrame, lookup24: pd.DataFrame) -> pd.DataFrame:
    """Residents in England's most deprived 10% and mean national percentile, 2019 and 2025.

    Both editions are put on 2021 LSOAs and weighted by Census 2021 residents, so the change
    reflects the indices, not population change.
    """
    frame = pd.DataFrame({"residents": lsoa.residents,
                          "in_decile1_2025": (lsoa.IMD_decile == 1).astype(float),
                          "percentile_2025": lsoa.percentile_2025}).join(imd2019)
    for col in ("in_decile1_2019", "in_decile1_2025", "percentile_2019", "percentile_2025"):
        frame[f"{col}__w"] = frame[col] * frame.residents
    ward_of = lookup24.set_index("lsoa_code")
    frame = frame.join(ward_of[["ward_code", "ward_name", "authority_code"]])
    weighted = [c for c in frame.columns if c.endswith("__w")] + ["residents"]
    levels = [
        ("ward", frame.groupby("ward_code")[weighted].sum(),
         frame.groupby("ward_code").ward_name.first(),
         frame.groupby("ward_code").authority_code.first()),
        ("authority", frame.groupby("authority_code")[weighted].sum(),
         pd.Series(AUTHORITIES), None),
    ]
    rows = []
    for level, sums, names, parents in levels:
        rows.append(pd.DataFrame({
            "area_code": sums.index, "area_name": names.reindex(sums.index).to_numpy(),
            "level": level,
            "authority_code": (parents.reindex(sums.index).to_numpy() if parents is not None
                               else sums.index),
            "residents": sums.residents,
            **{col.removesuffix("__w"): sums[col] / sums.residents for col in weighted[:-1]},
        }))
    total = frame[weighted].sum()
    rows.append(pd.DataFrame([{"area_code": WMCA_CODE, "area_name": "WMCA", "level": "wmca",
                               "authority_code": "", "residents": total.residents,
                               **{c.removesuffix("__w"): total[c] / total.residents
                                  for c in weighted[:-1]}}]))
    out = pd.concat(rows, ignore_index=True)
    out["pct_most_deprived_2019"] = 100 * out.pop("in_decile1_2019")
    out["pct_most_deprived_2025"] = 100 * out.pop("in_decile1_2025")
    out["change_pp"] = out.pct_most_deprived_2025 - out.pct_most_deprived_2019
    out["percentile_2019"] = 100 * out.percentile_2019
    out["percentile_2025"] = 100 * out.percentile_2025
    out["percentile_change"] = out.percentile_2025 - out.percentile_2019
    cols = ["area_code", "area_name", "level", "authority_code", "residents",
            "pct_most_deprived_2019", "pct_most_deprived_2025", "change_pp", "percentile_2019",
            "percentile_2025", "percentile_change"]
    return out[cols].reset_index(drop=True)


def _group_gaps(raw: Path) -> pd.DataFrame:
    """Rates for groups of people from published cross-tabulations, with Wilson intervals."""
    qual = comparators.read_qualification_by_ethnicity(raw)
    lower, upper = wilson_interval(qual.numerator, qual.denominator)
    titles = {"no_qualifications": "Residents aged 16+ with no qualifications (%)",
              "level4_plus": "Residents aged 16+ qualified to Level 4 or above (%)"}
    qual = qual.assign(
        title=qual.measure.map(titles), value=100 * qual.numerator / qual.denominator,
        lower=100 * lower, upper=100 * upper, unit="%",
        source="ONS Census 2021, highest level of qualification by ethnic group (5 groups), "
               "by local authority", basis="Census 2021 counts (all residents aged 16+)")
    unemp = comparators.read_unemployment_by_ethnicity(raw)
    unemp = pd.DataFrame({
        "measure": "unemployment_by_ethnicity",
        "title": "Unemployment rate (% of economically active residents 16+), England and Wales",
        "area_code": "K04000001", "area_name": "England and Wales",
        "level": "england_and_wales",
        "group": unemp.group.where(unemp.breakdown == "All",
                                   unemp.group + " — " + unemp.breakdown),
        "is_total": False, "numerator": np.nan, "denominator": np.nan, "value": unemp.value,
        "lower": np.nan, "upper": np.nan, "unit": "%",
        "source": "ONS, Understanding unemployment at the intersection of disability and "
                  "ethnicity (Census 2021); unadjusted rates",
        "basis": "Published rates, no intervals"})
    youth = comparators.read_youth_employment_by_ethnicity(raw)
    youth = youth.assign(
        measure="youth_employment_by_ethnicity",
        title="Employment rate of young people aged 16-24 (%), West Midlands region",
        area_code="E12000005", area_name="West Midlands region", level="region",
        is_total=False, numerator=np.nan, denominator=np.nan, unit="%",
        source="Youth Futures Foundation, Ethnic minority youth employment evidence gap "
               "analysis (2022); survey estimates (APS/LFS)",
        basis="Survey estimates with published 95% margins")
    out = pd.concat([qual, unemp, youth], ignore_index=True)
    return out[comparators.GAP_COLUMNS]


def build_bundle(raw: Path | str, progress: Progress = lambda _: None,
                 tolerance_m: float = geography.DEFAULT_TOLERANCE_M) -> Bundle:
    """Read, check and combine every raw file into a bundle.

    Parameters
    ----------
    raw : Path
        Folder laid out like ``../shared/data``.
    progress : callable
        Called with a short message at each step.
    tolerance_m : float
        Ward simplification tolerance in metres.

    Raises
    ------
    IngestError
        If any input is missing or malformed (the message names file, row and column).
    """
    raw = Path(raw)
    if not raw.is_dir():
        raise IngestError(f"raw data folder {raw} does not exist")
    used: set[str] = set()

    def step(message: str, *files: str) -> None:
        used.update(files)
        progress(message)

    step("reading lookups", lookups.LSOA_WD24, lookups.LSOA_WD22, lookups.OA_LSOA)
    lookup24 = lookups.read_lsoa_ward(raw, "24")
    lookup22 = lookups.read_lsoa_ward(raw, "22")
    lsoas = set(lookup24.lsoa_code)
    if set(lookup22.lsoa_code) != lsoas:
        raise IngestError(f"{lookups.LSOA_WD22}: covers different LSOAs from {lookups.LSOA_WD24}")
    oa_lookup = lookups.read_oa_lsoa(raw, lsoas)
    wards, authorities, region, wards_full = _ward_shapes(raw, lookup24, tolerance_m, step)
    lsoa = _lsoa_table(raw, lsoas, oa_lookup, step, progress)
    step("reading Census 2021 detailed ethnic group (MSOA) and splitting it to LSOAs",
         ethnicity_source.TS021_MSOA)
    lsoa = lsoa.join(_detailed_ethnic_groups(raw, lsoa, lookup24))
    tables, ward22 = _ward_tables(raw, lsoa, lookup22, lookup24, step)
    step("estimating youth unemployment in every ward (modelled) and validating it",
         labour_market.RM024_LA, labour_market.YOUTH_CENSUS_PCON, lookups.WARD_PCON,
         boundaries.CONSTITUENCIES, boundaries.LSOA_SHAPES)
    youth = youth_estimate(raw, lsoa, lookup22, lookup24, tables["ward24"][0])
    tables["modelled"] = (youth.wards, pd.Series("modelled", index=youth.wards.index))
    step("placing postcodes in the full-resolution ward shapes",
         *src_postcodes.CENTROIDS.values())
    centroids, no_coordinates = src_postcodes.read_centroids(raw)
    placed = postcodes.place(centroids, wards_full)
    step("reading England comparators")
    england = comparators.read_england(raw, list(INDICATORS))
    used.update(ind.england_file for ind in INDICATORS if ind.england_file)
    step("computing indicators with Wilson 95% intervals")
    values = with_modelled_intervals(all_indicator_values(tables, wards, england), youth)
    values_wd22 = published_wd22_values(ward22, lookup22)
    step("reading IMD 2019 and carrying it onto 2021 LSOAs", deprivation.IMD2019,
         deprivation.LSOA11_LSOA21)
    imd_change = _imd_change(deprivation.read_imd2019_on_lsoa21(raw, lsoas), lsoa, lookup24)
    step("comparing Census 2011 and 2021 by neighbourhood (MSOA)", *CHANGE_FILES)
    change = neighbourhood_change(raw, lsoa, lookup24, oa_lookup)
    step("reading group cross-tabulations", comparators.QUAL_BY_ETHNICITY,
         comparators.UNEMPLOYMENT_BY_ETHNICITY, comparators.YOUTH_EMPLOYMENT_BY_ETHNICITY)
    group_gaps = _group_gaps(raw)
    step("reading youth labour-market context", labour_market.RM024_LA, labour_market.NEET_LA,
         labour_market.YOUTH_CLAIMANTS_PCON, labour_market.ELS_LA)
    context = labour_market.read_youth_context(raw)
    for ind in INDICATORS:
        used.update(ind.source_files)
    step("checksumming raw files")
    return Bundle(
        wards=wards[["ward_code", "ward_name", "authority_code", "authority", "geometry"]],
        authorities=authorities,
        region=region,
        values=values,
        values_wd22=values_wd22,
        claimant_monthly=tables["monthly"].reset_index(drop=True),
        context=context,
        group_gaps=group_gaps,
        imd_change=imd_change,
        catalogue=dict(CATALOGUE),
        manifest={**_manifest(raw, wards, used, tolerance_m),
                  "youth_unemployment_model": youth.summary,
                  "census_change_2011_2021": change.summary,
                  "postcodes": {"placed_in_wmca": len(placed),
                                "read": len(centroids) + no_coordinates,
                                "without_coordinates": no_coordinates,
                                "near_boundary_m": postcodes.NEAR_M,
                                "near_boundary": int((placed.near_ward_code != "").sum())}},
        postcodes=postcodes.to_bundle(placed, list(wards.ward_code)),
        constituencies=youth.constituencies,
        youth_validation=youth.validation.constituencies,
        msoa_change=change.rows,
        change_sii=change.sii,
        msoas=change.shapes,
        ward_msoa=change.ward_areas,
    )


def _ward_shapes(raw: Path, lookup24: pd.DataFrame, tolerance_m: float, step
                 ) -> tuple[gpd.GeoDataFrame, ...]:
    """The 192 simplified wards, the authority and WMCA outlines, and the full-resolution wards."""
    step("reading ward boundaries", boundaries.WARDS_WD24)
    wards_full = boundaries.read_wards(raw, lookup24)
    step(f"simplifying ward shapes (coverage-preserving, {tolerance_m:g} m)")
    wards = geography.simplify_wards(wards_full, tolerance_m)
    wards = wards.sort_values("ward_code").reset_index(drop=True)
    authorities = geography.dissolve_coverage(wards, "authority_code")
    authorities["authority"] = authorities.authority_code.map(AUTHORITIES)
    authorities = authorities[["authority_code", "authority", "geometry"]]
    region = gpd.GeoDataFrame({"area_code": [WMCA_CODE], "area_name": ["WMCA"]},
                              geometry=[wards.geometry.union_all()], crs=wards.crs)
    return wards, authorities, region, wards_full


def _lsoa_table(raw: Path, lsoas: set[str], oa_lookup: pd.DataFrame, step,
                progress: Progress) -> pd.DataFrame:
    """Census 2021 counts and IoD 2025 scores per LSOA, with each score x residents."""
    census_files = [census.TS021, census.TS038, census.TS011, census.AGE6, census.TS037_OA,
                    census.TS038_OA, census.TS039_OA, census.TS062_OA, census.TS066_OA_PCT,
                    census.TS067_OA]
    shares = [ind for ind in INDICATORS if ind.oa_share is not None]
    step("reading Census 2021 LSOA and output-area tables", *census_files,
         *{ind.oa_share.file for ind in shares})
    lsoa = census.read_lsoa_counts(raw, lsoas, oa_lookup, progress)
    lsoa = lsoa.join(census.read_oa_shares(raw, oa_lookup, shares))
    step("reading Indices of Deprivation 2025", deprivation.IMD2025,
         deprivation.IMD2025_SUBDOMAINS)
    lsoa = lsoa.join(deprivation.read_imd2025(raw, lsoas))
    step("reading IoD 2025 underlying indicators", iod_indicators.UNDERLYING,
         iod_indicators.RATES)
    lsoa = lsoa.join(iod_indicators.read_iod_indicators(raw, lsoas))
    lsoa["residents_imd_decile1"] = lsoa.residents.where(lsoa.IMD_decile == 1, 0.0)
    for ind in INDICATORS:
        if ind.kind == "mean_score" and ind.table == "lsoa":
            col = f"{ind.numerator_column}__x_{ind.denominator_column}"
            lsoa[col] = lsoa[ind.numerator_column] * lsoa[ind.denominator_column]
    return lsoa


def _detailed_ethnic_groups(raw: Path, lsoa: pd.DataFrame,
                            lookup24: pd.DataFrame) -> pd.DataFrame:
    """The 19 detailed ethnic groups per LSOA, split from MSOAs (equity.ethnicity_detail)."""
    lsoa_names = lookup24.set_index("lsoa_code").lsoa_name.reindex(lsoa.index)
    msoa = ethnicity_source.read_ts021_msoa(raw, lsoa_names)
    lsoa_msoa = ethnicity_detail.assign_msoas(lsoa_names, msoa.msoa_name)
    detail = ethnicity_detail.split_to_lsoas(lsoa[list(ethnicity_detail.BROAD_GROUPS)],
                                             lsoa_msoa, msoa)
    # A NaN LSOA would drop out of its ward's best-fit sum silently; it cannot be split.
    if detail.isna().any().any():
        code = detail.index[detail.isna().any(axis=1)][0]
        raise IngestError(f"{ethnicity_source.TS021_MSOA}: LSOA {code} has residents in a "
                          "high-level group its MSOA has none of, so it cannot be split")
    return detail


def _ward_tables(raw: Path, lsoa: pd.DataFrame, lookup22: pd.DataFrame,
                 lookup24: pd.DataFrame, step) -> tuple[dict, pd.DataFrame]:
    """Each ward table an indicator draws on, with the method of its figures.

    Returns
    -------
    tuple
        A dict of ``table key -> (ward counts, method per ward)`` (plus ``"monthly"``, the
        monthly claimant counts), and the published 2022-ward counts.
    """
    step("summing LSOAs to 2024 wards (best fit)")
    # Scores and ratios are averaged (through their "__x_residents" products), never summed.
    lsoa_numeric = lsoa.drop(columns=[c for c in lsoa.columns if c.endswith("_score")] +
                             ["IMD_decile", *iod_indicators.HEALTH_COLUMNS])
    ward_lsoa = geography.aggregate_bestfit(lsoa_numeric, lookup24)
    step("reading 2022-ward tables and apportioning to 2024 wards", census.EMPLOYMENT_WD22,
         census.TS067_WD22)
    ward22 = census.read_ward22_counts(raw, set(lookup22.ward_code))
    weights = geography.apportionment_weights(lookup22, lookup24, lsoa.residents)
    ward22_on_24, ward22_method = geography.apportion(ward22, weights)
    step("reading claimant counts", labour_market.CLAIMANTS_WARD, labour_market.CLAIMANTS_MONTHLY)
    claimants = labour_market.read_claimants_ward(raw, set(lookup24.ward_code))
    tables = {
        "lsoa": (ward_lsoa, pd.Series("lsoa_bestfit", index=ward_lsoa.index)),
        "lsoa_score": (ward_lsoa, pd.Series("lsoa_popweighted", index=ward_lsoa.index)),
        "msoa_split": (ward_lsoa, pd.Series("msoa_split", index=ward_lsoa.index)),
        "ward22": (ward22_on_24, ward22_method),
        "ward24": (claimants, pd.Series("ward_published", index=claimants.index)),
        "monthly": labour_market.read_claimants_monthly(raw, set(lookup24.ward_code)),
        "fuel_poverty": _fuel_poverty_table(raw, ward_lsoa, lookup24, step),
    }
    return tables, ward22


def _fuel_poverty_table(raw: Path, ward_lsoa: pd.DataFrame, lookup24: pd.DataFrame,
                        step) -> tuple[pd.DataFrame, pd.Series]:
    """Published ward fuel poverty percentages, weighted by Census 2021 households.

    The file has no counts: a ward's value is its published percentage, and authority and
    WMCA values are ward percentages weighted by households (said in the catalogue).
    """
    step("reading fuel poverty by ward", iod_indicators.FUEL_POVERTY)
    fuel = iod_indicators.read_fuel_poverty(raw, set(lookup24.ward_code))
    fuel["households"] = ward_lsoa.households.reindex(fuel.index)
    fuel["fuel_poverty_pct__x_households"] = fuel.fuel_poverty_pct * fuel.households
    return fuel, pd.Series("ward_published_pct", index=fuel.index)


def _manifest(raw: Path, wards: gpd.GeoDataFrame, used: set[str], tolerance_m: float) -> dict:
    """Sources, vintages, methods, geometry and the SHA-256 of every raw file used."""
    return {
        "bundle_version": BUNDLE_VERSION,
        "built_by": "python -m equity ingest",
        "ward_vintage": "2024 electoral wards (WD24)",
        "wards": int(len(wards)),
        "wards_per_authority": {AUTHORITIES[k]: int(v) for k, v in
                                wards.authority_code.value_counts().sort_index().items()},
        "geometry": {
            "source": boundaries.WARDS_WD24,
            "simplification": f"shapely.coverage_simplify, tolerance {tolerance_m:g} m in "
                              "EPSG:27700, coordinates rounded to 5 decimal places",
            "vertices": int(sum(len(g.exterior.coords) if g.geom_type == "Polygon" else
                                sum(len(p.exterior.coords) for p in g.geoms)
                                for g in wards.geometry)),
        },
        "methods": METHODS,
        "licence": "Open Government Licence v3.0",
        "attribution": [ONS_ATTRIBUTION, IMD_ATTRIBUTION, DWP_ATTRIBUTION,
                        FUEL_POVERTY_ATTRIBUTION],
        "indicators": {ind.id: {"source": ind.source, "vintage": ind.vintage,
                                "coverage": list(ind.coverage)} for ind in INDICATORS},
        "raw_files": {name: _sha256(raw / name) for name in sorted(used) if name},
    }


def ingest(raw: Path | str, out: Path | str, progress: Progress = lambda _: None) -> Bundle:
    """Build the bundle from ``raw`` and write it atomically to ``out``.

    On any error the existing bundle at ``out`` is left exactly as it was.
    """
    bundle = build_bundle(raw, progress)
    progress(f"writing bundle to {out}")
    write_bundle(bundle, out, extra_files={"ATTRIBUTION.md": ATTRIBUTION_TEXT})
    progress("done")
    return bundle


__all__ = ["IngestError", "build_bundle", "ingest"]
