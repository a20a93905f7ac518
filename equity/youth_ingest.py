"""The ingest's step for youth unemployment in every ward: read, estimate, validate, label.

The estimator itself is :mod:`equity.youth_model`; this step reads its inputs from the raw
folder, runs and validates it, and gives the modelled rows their validation intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from equity import youth_model
from equity.catalogue import INDICATORS, WMCA_CODE
from equity.indicator_values import rate_rows
from equity.sources import boundaries, labour_market, lookups


@dataclass(frozen=True)
class YouthEstimate:
    """The modelled youth unemployment figures and what the bundle keeps of their validation."""

    wards: pd.DataFrame
    interval: pd.DataFrame
    authorities: pd.DataFrame
    validation: youth_model.Validation
    constituencies: gpd.GeoDataFrame
    summary: dict


def youth_estimate(raw: Path, lsoa: pd.DataFrame, lookup22: pd.DataFrame,
                    lookup24: pd.DataFrame, claimants: pd.DataFrame) -> YouthEstimate:
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
    return YouthEstimate(wards=wards, interval=estimates[["lower", "upper"]],
                          authorities=rm024, validation=validation,
                          constituencies=shapes.merge(published[["name"]], left_on="pcon_code",
                                                      right_index=True)[
                              ["pcon_code", "pcon_name", "geometry"]],
                          summary=summary)


def with_modelled_intervals(values: pd.DataFrame, youth: YouthEstimate) -> pd.DataFrame:
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
            rated = rate_rows(frame, ind)
            out.loc[at, ["numerator", "denominator", "value", "lower", "upper"]] = rated[
                ["numerator", "denominator", "value", "lower", "upper"]].to_numpy()
            out.loc[at, "method"] = "published_counts"
    return out
