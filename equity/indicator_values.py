"""Ward counts to the bundle's values table: rates with Wilson intervals, scores, deciles.

Every indicator's ward, authority, WMCA and England rows are computed here from the ward
tables the ingest builds (numerators, denominators and the method of each ward's figures);
authority and WMCA figures are sums of the same counts, never averages of ward rates.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from equity.bundle import VALUE_COLUMNS
from equity.catalogue import AUTHORITIES, ENGLAND_CODE, ENGLAND_OA_COUNTS, INDICATORS, WMCA_CODE, Indicator
from equity.stats import wilson_interval


def rate_rows(counts: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
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


def ward_counts(ind: Indicator, tables: dict[str, tuple[pd.DataFrame, pd.Series]]) -> pd.DataFrame:
    """Ward numerator, denominator and method for one indicator from its table."""
    table, method = tables[ind.table]
    if ind.kind == "mean_score":
        num = table[f"{ind.numerator_column}__x_{ind.denominator_column}"]
    else:
        num = table[ind.numerator_column]
    return pd.DataFrame({"numerator": num, "denominator": table[ind.denominator_column],
                         "method": method.reindex(table.index)})


def indicator_values(ind: Indicator, ward_counts: pd.DataFrame, wards: pd.DataFrame,
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
    computed = rate_rows(pd.concat(frames, ignore_index=True), ind)
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
        eng_frame = rate_rows(eng_frame, ind)
        if np.isnan(row.numerator):
            eng_frame["value"] = row.value
        computed = pd.concat([computed, eng_frame], ignore_index=True)
    computed["indicator"] = ind.id
    return computed[VALUE_COLUMNS]


def rank_decile_values(ind: Indicator, score_values: pd.DataFrame) -> pd.DataFrame:
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


def all_indicator_values(tables: dict, wards: gpd.GeoDataFrame,
                          england: pd.DataFrame) -> pd.DataFrame:
    """Every indicator's ward, authority, WMCA and England rows, sorted."""
    frames = []
    computed: dict[str, pd.DataFrame] = {}
    for ind in INDICATORS:
        if ind.kind == "rank_decile":
            continue
        table_key = ("lsoa_score" if ind.kind == "mean_score" and ind.table == "lsoa"
                     else ind.table)
        counts = ward_counts(ind, {**tables, ind.table: tables[table_key]})
        computed[ind.id] = indicator_values(ind, counts, wards, england)
        frames.append(computed[ind.id])
    for ind in INDICATORS:
        if ind.kind == "rank_decile":
            source = next(i for i in INDICATORS if i.kind == "mean_score"
                          and i.numerator_column == ind.numerator_column)
            frames.append(rank_decile_values(ind, computed[source.id]))
    values = pd.concat(frames, ignore_index=True)
    values = values.sort_values(["indicator", "level", "area_code"], kind="stable")
    return values.reset_index(drop=True)


def published_wd22_values(ward22: pd.DataFrame, lookup22: pd.DataFrame) -> pd.DataFrame:
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
        rows = rate_rows(rows, ind)
        rows["indicator"] = ind.id
        frames.append(rows[VALUE_COLUMNS])
    return pd.concat(frames, ignore_index=True)
