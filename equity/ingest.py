"""Build the ward data bundle from a folder of raw published files.

``build_bundle`` reads and checks every raw file, computes every indicator of the catalogue for
the 192 wards, the seven authorities, WMCA and (where published) England, and returns a
:class:`equity.bundle.Bundle`; ``ingest`` writes it atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from equity import ethnicity_detail, geography, postcodes, youth_model
from equity.bundle import VALUE_COLUMNS, Bundle, write_bundle
from equity.catalogue import (
    AUTHORITIES,
    CATALOGUE,
    DWP_ATTRIBUTION,
    ENGLAND_CODE,
    ENGLAND_OA_COUNTS,
    FUEL_POVERTY_ATTRIBUTION,
    IMD_ATTRIBUTION,
    INDICATORS,
    METHODS,
    ONS_ATTRIBUTION,
    WMCA_CODE,
    Indicator,
)
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


def _rate_rows(counts: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Value and interval columns from ``numerator``/``denominator`` for one indicator."""
    out = counts.copy()
    num, den = out["numerator"].to_numpy(float), out["denominator"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(den > 0, num / den, np.nan)
    if ind.kind == "proportion":
        lower, upper = wilson_interval(num, den)
        out["value"], out["lower"], out["upper"] = 100 * ratio, 100 * lower, 100 * upper
    else:
        out["value"], out["lower"], out["upper"] = ratio, np.nan, np.nan
    return out


def _ward_counts(ind: Indicator, tables: dict[str, tuple[pd.DataFrame, pd.Series]]) -> pd.DataFrame:
    """Ward numerator, denominator and method for one indicator from its table."""
    table, method = tables[ind.table]
    if ind.kind == "mean_score":
        num = table[f"{ind.numerator_column}__x_{ind.denominator_column}"]
    else:
        num = table[ind.numerator_column]
    return pd.DataFrame({"numerator": num, "denominator": table[ind.denominator_column],
                         "method": method.reindex(table.index)})


def _indicator_values(ind: Indicator, ward_counts: pd.DataFrame, wards: pd.DataFrame,
                      england: pd.DataFrame) -> pd.DataFrame:
    """Ward, authority, WMCA and England rows for one proportion or score indicator."""
    wc = ward_counts.join(wards.set_index("ward_code")[["ward_name", "authority_code"]],
                          how="inner")
    wc = wc[wc.authority_code.isin(ind.coverage) & wc.denominator.notna()]
    ward_rows = pd.DataFrame({
        "area_code": wc.index, "area_name": wc.ward_name, "level": "ward",
        "authority_code": wc.authority_code, "numerator": wc.numerator,
        "denominator": wc.denominator, "method": wc.method,
    })
    la = wc.groupby("authority_code")[["numerator", "denominator"]].sum(min_count=1)
    methods = wc.groupby("authority_code").method.agg(lambda m: "+".join(sorted(set(m))))
    la_rows = pd.DataFrame({
        "area_code": la.index, "area_name": [AUTHORITIES[c] for c in la.index],
        "level": "authority", "authority_code": la.index, "numerator": la.numerator,
        "denominator": la.denominator, "method": methods.reindex(la.index),
    })
    frames = [ward_rows, la_rows]
    if set(ind.coverage) == set(AUTHORITIES):
        frames.append(pd.DataFrame([{
            "area_code": WMCA_CODE, "area_name": "WMCA", "level": "wmca", "authority_code": "",
            "numerator": la.numerator.sum(), "denominator": la.denominator.sum(),
            "method": "+".join(sorted(set(wc.method))),
        }]))
    computed = _rate_rows(pd.concat(frames, ignore_index=True), ind)
    eng = england[england.indicator == ind.id]
    if not eng.empty:
        row = eng.iloc[0]
        eng_frame = pd.DataFrame([{
            "area_code": ENGLAND_CODE, "area_name": "England", "level": "england",
            "authority_code": "", "numerator": row.numerator, "denominator": row.denominator,
            "method": ("published_percentage" if np.isnan(row.numerator)
                       else "derived_oa_sum" if ind.england_file == ENGLAND_OA_COUNTS
                       else "published_counts"),
        }])
        eng_frame = _rate_rows(eng_frame, ind)
        if np.isnan(row.numerator):
            eng_frame["value"] = row.value
        computed = pd.concat([computed, eng_frame], ignore_index=True)
    computed["indicator"] = ind.id
    return computed[VALUE_COLUMNS]


def _rank_decile_values(ind: Indicator, score_values: pd.DataFrame) -> pd.DataFrame:
    """Ward deciles within WMCA from the population-weighted score (1 = most deprived)."""
    wards = score_values[score_values.level == "ward"].copy()
    order = wards.value.rank(ascending=False, method="first")
    wards["value"] = np.ceil(order * 10 / len(wards)).astype(float)
    wards["numerator"] = np.nan
    wards["denominator"] = np.nan
    wards["lower"] = np.nan
    wards["upper"] = np.nan
    wards["method"] = "ward_rank"
    wards["indicator"] = ind.id
    return wards[VALUE_COLUMNS]


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
    youth = _youth_estimate(raw, lsoa, lookup22, lookup24, tables["ward24"][0])
    tables["modelled"] = (youth.wards, pd.Series("modelled", index=youth.wards.index))
    step("placing postcodes in the full-resolution ward shapes",
         *src_postcodes.CENTROIDS.values())
    centroids, no_coordinates = src_postcodes.read_centroids(raw)
    placed = postcodes.place(centroids, wards_full)
    step("reading England comparators")
    england = comparators.read_england(raw, list(INDICATORS))
    used.update(ind.england_file for ind in INDICATORS if ind.england_file)
    step("computing indicators with Wilson 95% intervals")
    values = _with_modelled_intervals(_all_indicator_values(tables, wards, england), youth)
    values_wd22 = _published_wd22_values(ward22, lookup22)
    step("reading IMD 2019 and carrying it onto 2021 LSOAs", deprivation.IMD2019,
         deprivation.LSOA11_LSOA21)
    imd_change = _imd_change(deprivation.read_imd2019_on_lsoa21(raw, lsoas), lsoa, lookup24)
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
                  "postcodes": {"placed_in_wmca": len(placed),
                                "read": len(centroids) + no_coordinates,
                                "without_coordinates": no_coordinates,
                                "near_boundary_m": postcodes.NEAR_M,
                                "near_boundary": int((placed.near_ward_code != "").sum())}},
        postcodes=postcodes.to_bundle(placed, list(wards.ward_code)),
        constituencies=youth.constituencies,
        youth_validation=youth.validation.constituencies,
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


@dataclass(frozen=True)
class _YouthEstimate:
    """The modelled youth unemployment figures and what the bundle keeps of their validation."""

    wards: pd.DataFrame
    interval: pd.DataFrame
    authorities: pd.DataFrame
    validation: youth_model.Validation
    constituencies: gpd.GeoDataFrame
    summary: dict


def _youth_estimate(raw: Path, lsoa: pd.DataFrame, lookup22: pd.DataFrame,
                    lookup24: pd.DataFrame, claimants: pd.DataFrame) -> _YouthEstimate:
    """Estimate youth unemployment for every ward (equity.youth_model) and validate it."""
    rm024 = labour_market.read_rm024(raw)
    published = labour_market.read_census_youth_pcon(raw)
    parts = lookups.read_ward_constituencies(raw, set(lookup22.ward_code))
    shapes = boundaries.read_constituencies(raw, set(published.index))
    points = boundaries.read_lsoa_points(raw, set(lsoa.index))
    authority_of = lookup24.set_index("lsoa_code").authority_code.reindex(lsoa.index)
    ward_of = lookup24.set_index("lsoa_code").ward_code.reindex(lsoa.index)
    table = lsoa[youth_model.LSOA_COLUMNS].assign(authority_code=authority_of)
    authority_rates = rm024.unemployed / rm024.total
    placement = youth_model.place_in_constituencies(
        lookup22.set_index("lsoa_code").ward_code.reindex(lsoa.index), parts, points, shapes)
    claimants_16_24 = claimants.claimants_16_24
    rates = youth_model.lsoa_rates(table, authority_rates)
    validation = youth_model.validate(rates, table.age_16_24, placement, published, ward_of,
                                      claimants_16_24)
    estimates = youth_model.ward_estimates(rates, table.age_16_24, ward_of, validation)
    wards = pd.DataFrame({"youth_unemployed_modelled": estimates.numerator,
                          "age_16_24": estimates.denominator})
    compared = youth_model.compare_estimators(table, authority_rates, placement, published,
                                              ward_of, claimants_16_24)
    summary = {
        "measure": "residents aged 16-24 unemployed (economically active, not full-time "
                   "students), % of all residents aged 16-24, Census 2021",
        "estimator": youth_model.ESTIMATOR_LABELS[youth_model.CHOSEN],
        "constituencies": len(validation.constituencies),
        "mae_pp": round(validation.mae, 3), "rmse_pp": round(validation.rmse, 3),
        "max_error_pp": round(validation.max_error, 3),
        "birmingham_spearman": round(validation.spearman, 3),
        "birmingham_same_fifth": validation.same_fifth,
        "birmingham_wards": validation.n_birmingham,
        "interval": "estimate +- 1.96 x constituency RMSE x sqrt(median constituency residents "
                    "aged 16-24 / ward residents aged 16-24), clipped to 0-100",
        "estimators_compared": compared.round(3).to_dict(orient="records"),
    }
    return _YouthEstimate(wards=wards, interval=estimates[["lower", "upper"]],
                          authorities=rm024, validation=validation,
                          constituencies=shapes.merge(published[["name"]], left_on="pcon_code",
                                                      right_index=True)[
                              ["pcon_code", "pcon_name", "geometry"]],
                          summary=summary)


def _with_modelled_intervals(values: pd.DataFrame, youth: _YouthEstimate) -> pd.DataFrame:
    """Give modelled ward rows their validation intervals and authorities their published counts.

    Wilson intervals count sampling error, which a model's error is not; and an authority's
    modelled wards add up, by calibration, to its published rate, so the published counts
    themselves are shown for authorities and WMCA.
    """
    out = values.copy()
    for ind in INDICATORS:
        if not ind.modelled:
            continue
        rows = out.indicator == ind.id
        wards = rows & (out.level == "ward")
        interval = youth.interval.reindex(out.area_code[wards])
        out.loc[wards, "lower"] = interval.lower.to_numpy()
        out.loc[wards, "upper"] = interval.upper.to_numpy()
        published = youth.authorities
        counts = pd.concat([published[["unemployed", "total"]],
                            pd.DataFrame({"unemployed": [published.unemployed.sum()],
                                          "total": [published.total.sum()]},
                                         index=[WMCA_CODE])])
        for level in ("authority", "wmca"):
            at = rows & (out.level == level)
            frame = pd.DataFrame({"numerator": counts.unemployed.reindex(out.area_code[at]).to_numpy(),
                                  "denominator": counts.total.reindex(out.area_code[at]).to_numpy()},
                                 index=out.index[at])
            rated = _rate_rows(frame, ind)
            out.loc[at, ["numerator", "denominator", "value", "lower", "upper"]] = rated[
                ["numerator", "denominator", "value", "lower", "upper"]].to_numpy()
            out.loc[at, "method"] = "published_counts"
    return out


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


def _all_indicator_values(tables: dict, wards: gpd.GeoDataFrame,
                          england: pd.DataFrame) -> pd.DataFrame:
    """Every indicator's ward, authority, WMCA and England rows, sorted."""
    frames = []
    computed: dict[str, pd.DataFrame] = {}
    for ind in INDICATORS:
        if ind.kind == "rank_decile":
            continue
        table_key = ("lsoa_score" if ind.kind == "mean_score" and ind.table == "lsoa"
                     else ind.table)
        counts = _ward_counts(ind, {**tables, ind.table: tables[table_key]})
        computed[ind.id] = _indicator_values(ind, counts, wards, england)
        frames.append(computed[ind.id])
    for ind in INDICATORS:
        if ind.kind == "rank_decile":
            source = next(i for i in INDICATORS if i.kind == "mean_score"
                          and i.numerator_column == ind.numerator_column)
            frames.append(_rank_decile_values(ind, computed[source.id]))
    values = pd.concat(frames, ignore_index=True)
    values = values.sort_values(["indicator", "level", "area_code"], kind="stable")
    return values.reset_index(drop=True)


def _published_wd22_values(ward22: pd.DataFrame, lookup22: pd.DataFrame) -> pd.DataFrame:
    """The published 2022-ward figures behind the apportioned indicators."""
    wd22_names = lookup22.drop_duplicates("ward_code").set_index("ward_code")
    frames = []
    for ind in INDICATORS:
        if ind.table != "ward22":
            continue
        rows = pd.DataFrame({
            "area_code": ward22.index, "area_name": wd22_names.ward_name.reindex(ward22.index),
            "level": "ward", "authority_code": wd22_names.authority_code.reindex(ward22.index),
            "numerator": ward22[ind.numerator_column], "denominator": ward22[ind.denominator_column],
            "method": "ward_published",
        })
        rows = _rate_rows(rows, ind)
        rows["indicator"] = ind.id
        frames.append(rows[VALUE_COLUMNS])
    return pd.concat(frames, ignore_index=True)


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
