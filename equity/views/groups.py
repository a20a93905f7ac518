"""Gaps between groups of people, from published cross-tabulations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.formatting import format_interval, format_value
from equity.views.wards import count_text

GROUP_MEASURES = {
    "no_qualifications": "Residents aged 16+ with no qualifications, by ethnic group",
    "level4_plus": "Residents aged 16+ qualified to Level 4 or above, by ethnic group",
}


def group_gap_frame(bundle: Bundle, measure: str, area_code: str) -> tuple[pd.DataFrame, float]:
    """Each group's rate for one measure and area, and the rate for everyone.

    Returns
    -------
    tuple
        (groups with ``group, value, lower, upper, numerator, denominator, difference,
        diff_lower, diff_upper, compared``, the all-residents rate). The difference between a
        group and everyone has its own interval (the group is part of everyone, so the gap is
        computed against everyone else and scaled, as in the impact check).
    """
    gaps = bundle.group_gaps
    rows = gaps[(gaps.measure == measure) & (gaps.area_code == area_code)]
    if rows.empty:
        raise ValueError(f"no group figures for {measure!r} in {area_code!r}")
    total = rows[rows.is_total.astype(str).str.lower() == "true"]
    groups = rows[rows.is_total.astype(str).str.lower() != "true"].copy()
    everyone = float(total.value.iloc[0]) if not total.empty else math.nan
    if not total.empty and np.isfinite(total.denominator.iloc[0]):
        from equity.stats import difference_interval, proportion_se

        n_all = float(total.denominator.iloc[0])
        x_all = float(total.numerator.iloc[0])
        n_rest = n_all - groups.denominator
        p_grp = groups.numerator / groups.denominator
        p_rest = (x_all - groups.numerator) / n_rest
        diff, lo, hi = difference_interval(p_grp, proportion_se(groups.numerator,
                                                                groups.denominator),
                                           p_rest, proportion_se(x_all - groups.numerator,
                                                                 n_rest))
        scale = 100 * n_rest / n_all
        groups["difference"] = diff * scale
        groups["diff_lower"] = lo * scale
        groups["diff_upper"] = hi * scale
        groups["compared"] = np.where(groups.diff_lower > 0, "higher",
                                      np.where(groups.diff_upper < 0, "lower", "similar"))
    else:
        groups["difference"] = groups.value - everyone
        groups["diff_lower"] = np.nan
        groups["diff_upper"] = np.nan
        groups["compared"] = "not tested"
    return groups.reset_index(drop=True), everyone


def group_gap_table(groups: pd.DataFrame, everyone: float) -> pd.DataFrame:
    """The readable table behind a group-gap chart."""
    return pd.DataFrame({
        "Group": groups.group,
        "Rate": [format_value(v, "%") for v in groups.value],
        "95% CI": [format_interval(lo, hi, "%") for lo, hi in zip(groups.lower, groups.upper,
                                                                  strict=True)],
        "People in group": [count_text(d) for d in groups.denominator],
        "Gap to all residents (pp)": groups.difference.round(1),
        "Gap 95% CI": [format_interval(lo, hi, "") for lo, hi in
                       zip(groups.diff_lower, groups.diff_upper, strict=True)],
        "Compared with all residents": groups.compared,
        "All residents": format_value(everyone, "%"),
    })


UNEMPLOYMENT_BREAKDOWNS = ("All adults", "Disabled adults", "Non-disabled adults")


def unemployment_rates(bundle: Bundle, breakdown: str) -> pd.DataFrame:
    """Published unemployment rates by ethnic group for one of :data:`UNEMPLOYMENT_BREAKDOWNS`.

    Group names lose the breakdown they carry in the bundle ("Pakistani — Disabled adults").
    """
    if breakdown not in UNEMPLOYMENT_BREAKDOWNS:
        raise ValueError(f"unknown breakdown {breakdown!r}")
    rates = bundle.group_gaps[bundle.group_gaps.measure == "unemployment_by_ethnicity"]
    if breakdown == "All adults":
        return rates[~rates.group.str.contains(" — ")]
    shown = rates[rates.group.str.endswith(breakdown)]
    return shown.assign(group=shown.group.str.replace(f" — {breakdown}", "", regex=False))


def youth_employment(bundle: Bundle) -> pd.DataFrame:
    """Youth employment rates by ethnic group (West Midlands region), as published."""
    return bundle.group_gaps[bundle.group_gaps.measure == "youth_employment_by_ethnicity"]


def youth_employment_table(youth: pd.DataFrame) -> pd.DataFrame:
    """The youth employment rates as the page's table shows them."""
    return pd.DataFrame({"Group": youth.group, "Rate": youth.value.round(1),
                         "Lower 95%": youth.lower.round(1), "Upper 95%": youth.upper.round(1)})


def youth_unemployment_by_sex(bundle: Bundle) -> pd.DataFrame:
    """Census 2021 youth unemployment of women and men, by authority, WMCA and constituency.

    Authorities and WMCA have counts, so each rate and the gap (men minus women, women and
    men being separate people) carry 95% intervals; constituencies are published as rates
    only, so theirs do not.
    """
    context = bundle.context
    if context.empty:
        return pd.DataFrame()
    rows = []
    for suffix, level_name in (("", "authority"), ("_pcon", "constituency")):
        women = context[context.measure == f"census_16_24_unemployed{suffix}_female"]
        men = context[context.measure == f"census_16_24_unemployed{suffix}_male"]
        merged = women.merge(men, on=["area_code", "area_name", "level"],
                             suffixes=("_f", "_m"))
        for row in merged.itertuples():
            gap, lower, upper = row.value_m - row.value_f, math.nan, math.nan
            if np.isfinite(row.denominator_f) and np.isfinite(row.denominator_m):
                from equity.stats import difference_interval, proportion_se

                p_m, p_f = row.numerator_m / row.denominator_m, row.numerator_f / row.denominator_f
                diff, lo, hi = difference_interval(p_m, proportion_se(row.numerator_m,
                                                                      row.denominator_m),
                                                   p_f, proportion_se(row.numerator_f,
                                                                      row.denominator_f))
                gap, lower, upper = 100 * float(diff), 100 * float(lo), 100 * float(hi)
            rows.append({"Area": row.area_name, "Level": "WMCA" if row.level == "wmca"
                         else level_name.capitalize(),
                         "Women (%)": format_value(row.value_f, "%"),
                         "Men (%)": format_value(row.value_m, "%"),
                         "Gap, men minus women (pp)": round(gap, 1),
                         "95% CI of the gap": (format_interval(lower, upper, "pp")
                                               if np.isfinite(lower) else "none (rates only)")})
    return pd.DataFrame(rows)
