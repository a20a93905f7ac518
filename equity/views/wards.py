"""The figures of a theme page: every ward of one indicator against its benchmark."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES, ENGLAND_CODE, WMCA_CODE, Indicator
from equity.formatting import NO_DATA, NO_DATA_AUTHORITY, format_interval, format_value
from equity.stats import compare_to_benchmark, rank_wards

METHOD_LABELS = {
    "lsoa_bestfit": "LSOA best-fit sum",
    "ward_published": "Published ward total",
    "wd22_apportioned": "Estimate: apportioned from 2022 wards",
    "lsoa_popweighted": "Population-weighted LSOA score",
    "ward_rank": "Rank within WMCA",
    "published_percentage": "Published percentage",
    "published_counts": "Published counts",
    "no data": "no data",
}


def method_label(method: str) -> str:
    """Plain-English label for a method code (or a ``+``-joined mix of them)."""
    return "; ".join(METHOD_LABELS.get(part, part) for part in str(method).split("+"))


def benchmark_value(bundle: Bundle, indicator_id: str, area_code: str) -> float:
    """Value of an authority, WMCA or England row, NaN where there is none."""
    row = bundle.area_value(indicator_id, area_code)
    return float(row["value"]) if row is not None else math.nan


def benchmark(bundle: Bundle, indicator_id: str) -> tuple[str, str, float]:
    """The area wards are compared with: WMCA, or the one authority a partial indicator covers.

    Returns
    -------
    tuple
        (area code, area name, value); the value is NaN where no benchmark exists.
    """
    ind = bundle.indicator(indicator_id)
    value = benchmark_value(bundle, indicator_id, WMCA_CODE)
    if np.isfinite(value) or len(ind.coverage) != 1:
        return WMCA_CODE, "WMCA", value
    code = ind.coverage[0]
    return code, AUTHORITIES[code], benchmark_value(bundle, indicator_id, code)


def ward_frame(bundle: Bundle, indicator_id: str) -> pd.DataFrame:
    """All 192 wards for one indicator with ranks, comparisons and labels (memoised).

    See :func:`_ward_frame` for the columns.
    """
    return bundle.memo(("ward_frame", indicator_id),
                       lambda: _ward_frame(bundle, indicator_id)).copy()


def _ward_frame(bundle: Bundle, indicator_id: str) -> pd.DataFrame:
    """All 192 wards for one indicator with rank, significance against WMCA and labels.

    Columns: ``ward_code, ward_name, authority_code, authority, value, lower, upper,
    numerator, denominator, method, method_label, rank, vs_wmca, vs_authority, status``.
    ``status`` is the text shown for a ward without a value: "no data", or "no data for this
    authority" where the indicator does not cover the ward's authority.
    """
    ind = bundle.indicator(indicator_id)
    wards = bundle.ward_values(indicator_id)
    wards["rank"] = rank_wards(wards["value"], ind.polarity).to_numpy()
    wmca = benchmark(bundle, indicator_id)[2]
    if ind.has_interval:
        wards["vs_wmca"] = compare_to_benchmark(wards.lower, wards.upper, wmca, ind.polarity)
        la_lookup = {code: benchmark_value(bundle, indicator_id, code) for code in AUTHORITIES}
        vs_authority = np.full(len(wards), NO_DATA, dtype=object)
        for code, la in la_lookup.items():
            rows = (wards.authority_code == code).to_numpy()
            vs_authority[rows] = compare_to_benchmark(wards.lower[rows], wards.upper[rows], la,
                                                      ind.polarity)
        wards["vs_authority"] = vs_authority
    else:
        wards["vs_wmca"] = np.where(np.isfinite(wards.value), "not tested", NO_DATA)
        wards["vs_authority"] = wards["vs_wmca"]
    covered = wards.authority_code.isin(ind.coverage)
    has_value = np.isfinite(wards.value)
    wards["status"] = np.where(has_value, "", np.where(covered, NO_DATA, NO_DATA_AUTHORITY))
    wards["method_label"] = wards.method.map(method_label)
    return wards


def indicator_table(bundle: Bundle, indicator_id: str, matches: pd.Series | None = None) -> pd.DataFrame:
    """The table behind a theme page: one row per ward that matches the filter.

    Parameters
    ----------
    bundle : Bundle
    indicator_id : str
    matches : Series of bool, optional
        Indexed by ward code; wards where it is False are left out.

    Returns
    -------
    DataFrame
        Human-readable columns, sorted by rank (wards without data last). Values stay numeric
        (NaN where there is no data) so the table sorts correctly; the ``Note`` column says
        "no data" where a value is missing.
    """
    ind = bundle.indicator(indicator_id)
    wards = ward_frame(bundle, indicator_id)
    if matches is not None:
        keep = wards.ward_code.map(matches).fillna(False).astype(bool)
        wards = wards[keep.to_numpy()]
    unit = "" if ind.unit in ("score", "decile") else f" ({ind.unit})"
    versus = f"Compared with {benchmark(bundle, indicator_id)[1]}"
    table = pd.DataFrame({
        "Ward code": wards.ward_code,
        "Ward": wards.ward_name,
        "Authority": wards.authority,
        f"Value{unit}": wards.value.round(2),
        "Lower 95% CI": wards.lower.round(2),
        "Upper 95% CI": wards.upper.round(2),
        "Numerator": wards.numerator.round(1),
        "Denominator": wards.denominator.round(1),
        "Rank of 192": wards["rank"],
        versus: wards.vs_wmca,
        "Method": wards.method_label,
        "Note": wards.status,
    })
    return table.sort_values(["Rank of 192", "Ward"], na_position="last").reset_index(drop=True)


def count_text(value: float) -> str:
    """A count for display: whole numbers with separators, one decimal for estimates."""
    if value is None or not np.isfinite(value):
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def comparator_table(bundle: Bundle, indicator_id: str) -> pd.DataFrame:
    """Authority, WMCA and England values for one indicator, in a fixed order."""
    ind = bundle.indicator(indicator_id)
    rows = []
    for code, name in [*AUTHORITIES.items(), (WMCA_CODE, "WMCA"), (ENGLAND_CODE, "England")]:
        row = bundle.area_value(indicator_id, code)
        covered = code in ind.coverage or code in (WMCA_CODE, ENGLAND_CODE)
        rows.append({
            "Area": name,
            "Value": format_value(row["value"], ind.unit) if row is not None else
            (NO_DATA if covered else NO_DATA_AUTHORITY),
            "95% CI": format_interval(row["lower"], row["upper"], ind.unit) if row is not None
            else "",
            "Numerator": count_text(row["numerator"]) if row is not None else "",
            "Denominator": count_text(row["denominator"]) if row is not None else "",
            "Method": method_label(row["method"]) if row is not None else "",
        })
    return pd.DataFrame(rows)


def ward_summary(bundle: Bundle, indicator_id: str, ward_code: str) -> dict:
    """Everything the side panel says about one ward for one indicator.

    Raises
    ------
    ValueError
        If the ward code is not one of the 192 wards.
    """
    wards = ward_frame(bundle, indicator_id)
    match = wards[wards.ward_code == ward_code]
    if match.empty:
        raise ValueError(f"unknown ward {ward_code!r}")
    row = match.iloc[0]
    ind = bundle.indicator(indicator_id)
    return {
        "ward_code": ward_code,
        "ward_name": row.ward_name,
        "authority": row.authority,
        "value": format_value(row.value, ind.unit) if np.isfinite(row.value) else row.status,
        "interval": format_interval(row.lower, row.upper, ind.unit),
        "rank": "" if not np.isfinite(row["rank"]) else
        f"{int(row['rank'])} of {int(np.isfinite(wards['rank']).sum())}",
        "vs_wmca": row.vs_wmca,
        "benchmark_name": benchmark(bundle, indicator_id)[1],
        "vs_authority": row.vs_authority,
        "authority_value": format_value(benchmark_value(bundle, indicator_id,
                                                        row.authority_code), ind.unit),
        "wmca_value": format_value(benchmark_value(bundle, indicator_id, WMCA_CODE), ind.unit),
        "england_value": format_value(benchmark_value(bundle, indicator_id, ENGLAND_CODE),
                                      ind.unit),
        "method": row.method_label,
    }


def context_table(bundle: Bundle, measures: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Latest authority, WMCA, region and England figures for context measures."""
    ctx = bundle.context[bundle.context.measure.isin(list(measures))].copy()
    if ctx.empty:
        return pd.DataFrame(columns=["Measure", "Area", "Period", "Value", "95% CI", "Source"])
    ctx["period"] = ctx.period.astype(str)
    latest = ctx.groupby("measure").period.transform("max")
    ctx = ctx[ctx.period == latest]
    order = {"authority": 1, "constituency": 2, "wmca": 3, "region": 4, "england": 5}
    ctx = ctx.assign(_order=ctx.level.map(order).fillna(9))
    ctx = ctx.sort_values(["measure", "_order", "area_name"])
    return pd.DataFrame({
        "Measure": ctx.title,
        "Area": ctx.area_name,
        "Period": ctx.period,
        "Value": [format_value(v, "%") for v in ctx.value],
        "95% CI": [format_interval(lo, hi, "%") for lo, hi in zip(ctx.lower, ctx.upper,
                                                                  strict=True)],
        "Source": ctx.source,
    }).reset_index(drop=True)


def coverage_text(ind: Indicator) -> str:
    """"All seven authorities" or the names of the authorities an indicator covers."""
    if set(ind.coverage) == set(AUTHORITIES):
        return "All seven WMCA authorities (192 wards)"
    return ", ".join(AUTHORITIES[c] for c in ind.coverage) + " only"


def gap_sentence(groups: pd.DataFrame, gap: dict, ind: Indicator, by: Indicator) -> str:
    """A plain sentence on the gap between the top and bottom fifth of wards.

    "Similar" is said wherever the gap's own 95% interval includes zero.
    """
    low, high = groups.iloc[0], groups.iloc[-1]
    unit = "percentage points" if ind.unit == "%" else "points"
    text = (
        f"In the fifth of wards with the highest {by.short_title} "
        f"({format_value(high.characteristic_min, by.unit)} to "
        f"{format_value(high.characteristic_max, by.unit)}), {ind.short_title} is "
        f"{format_value(high.value, ind.unit)}, against {format_value(low.value, ind.unit)} in "
        f"the fifth with the lowest. The gap is {gap['value']:+.1f} {unit}"
    )
    if np.isfinite(gap.get("lower", np.nan)):
        significant = gap["lower"] > 0 or gap["upper"] < 0
        text += (f" (95% CI {gap['lower']:+.1f} to {gap['upper']:+.1f}): "
                 + ("a significant difference." if significant else
                    "similar — the difference is not statistically significant."))
    else:
        text += " (a score: no confidence interval)."
    return text + " These are gaps between areas, not between individual people."
