"""Tables and summaries the pages show, built from the bundle without Streamlit.

Every table here is exactly what a page displays and what its CSV download contains, so the
numbers a user sees and the numbers they download cannot drift apart.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES, ENGLAND_CODE, THEMES, WMCA_CODE, Indicator
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
NO_DATA = "no data"
NO_DATA_AUTHORITY = "no data for this authority"
PROFILE_THEMES = ("health", "jobs", "skills", "youth_unemployment")


def method_label(method: str) -> str:
    """Plain-English label for a method code (or a ``+``-joined mix of them)."""
    return "; ".join(METHOD_LABELS.get(part, part) for part in str(method).split("+"))


def format_value(value: float, unit: str, digits: int = 1) -> str:
    """Format a value for display; missing values read "no data", never zero."""
    if value is None or not np.isfinite(value):
        return NO_DATA
    if unit == "%":
        return f"{value:.{digits}f}%"
    if unit == "decile":
        return f"{value:.0f}"
    if unit == "score":
        return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"
    return f"{value:,.{digits}f}"


def format_interval(lower: float, upper: float, unit: str) -> str:
    """Format a 95% interval as "a to b", or an empty string where there is none."""
    if lower is None or upper is None or not (np.isfinite(lower) and np.isfinite(upper)):
        return ""
    return f"{format_value(lower, unit)} to {format_value(upper, unit)}"


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


def _count(value: float) -> str:
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
            "Numerator": _count(row["numerator"]) if row is not None else "",
            "Denominator": _count(row["denominator"]) if row is not None else "",
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


def profile_frame(bundle: Bundle, ward_code: str) -> pd.DataFrame:
    """One row per indicator of the four themes for one ward, for the spine chart and table.

    Columns: ``indicator, theme, title, unit, polarity, value, lower, upper, authority, wmca,
    england, min, q25, q75, max, significance, method, benchmark, benchmark_name`` (as
    :func:`equity.charts.spine_chart` expects; ``benchmark`` is WMCA, or the one authority an
    indicator covers, and is what the spine is centred on).
    """
    if ward_code not in set(bundle.wards.ward_code):
        raise ValueError(f"unknown ward {ward_code!r}")
    authority_code = bundle.wards.set_index("ward_code").authority_code[ward_code]
    rows = []
    for ind in bundle.catalogue.values():
        if ind.theme not in PROFILE_THEMES:
            continue
        wards = ward_frame(bundle, ind.id)
        row = wards[wards.ward_code == ward_code].iloc[0]
        values = wards.value[np.isfinite(wards.value)]
        _, bench_name, bench_value = benchmark(bundle, ind.id)
        rows.append({
            "indicator": ind.id, "theme": THEMES[ind.theme], "title": ind.short_title,
            "unit": ind.unit, "polarity": ind.polarity,
            "value": row.value, "lower": row.lower, "upper": row.upper,
            "authority": benchmark_value(bundle, ind.id, authority_code),
            "wmca": benchmark_value(bundle, ind.id, WMCA_CODE),
            "england": benchmark_value(bundle, ind.id, ENGLAND_CODE),
            "min": values.min() if len(values) else np.nan,
            "q25": values.quantile(0.25) if len(values) else np.nan,
            "q75": values.quantile(0.75) if len(values) else np.nan,
            "max": values.max() if len(values) else np.nan,
            "significance": _versus(row.vs_wmca, bench_name) if np.isfinite(row.value)
            else row.status,
            "method": row.method_label,
            "benchmark": bench_value,
            "benchmark_name": bench_name,
        })
    return pd.DataFrame(rows)


def _versus(outcome: str, benchmark_name: str) -> str:
    """A comparison word, naming the benchmark where it is not WMCA."""
    if benchmark_name == "WMCA" or outcome in ("not tested", NO_DATA):
        return outcome
    return f"{outcome} (vs {benchmark_name})"


def profile_table(profile: pd.DataFrame) -> pd.DataFrame:
    """The readable table shown beside the spine chart (and downloaded as CSV)."""
    def fmt(col: str) -> list[str]:
        return [format_value(v, u) for v, u in zip(profile[col], profile.unit, strict=True)]

    return pd.DataFrame({
        "Theme": profile.theme,
        "Indicator": profile.title,
        "Ward": fmt("value"),
        "95% CI": [format_interval(lo, hi, u) for lo, hi, u in
                   zip(profile.lower, profile.upper, profile.unit, strict=True)],
        "Authority": fmt("authority"),
        "WMCA": fmt("wmca"),
        "England": fmt("england"),
        "Compared with WMCA": profile.significance,
        "Method": profile.method,
    })


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


def headline_table(bundle: Bundle) -> pd.DataFrame:
    """One row per outcome indicator: WMCA against England, and the spread across wards."""
    rows = []
    for ind in bundle.catalogue.values():
        if ind.theme not in PROFILE_THEMES:
            continue
        wards = ward_frame(bundle, ind.id)
        values = wards.value[np.isfinite(wards.value)]
        worse = int((wards.vs_wmca == "worse").sum())
        rows.append({
            "Theme": THEMES[ind.theme],
            "Indicator": ind.title,
            "WMCA": format_value(benchmark_value(bundle, ind.id, WMCA_CODE), ind.unit),
            "England": format_value(benchmark_value(bundle, ind.id, ENGLAND_CODE), ind.unit),
            "Lowest ward": format_value(values.min(), ind.unit) if len(values) else NO_DATA,
            "Highest ward": format_value(values.max(), ind.unit) if len(values) else NO_DATA,
            "Wards significantly worse than WMCA": str(worse) if ind.has_interval and
            ind.polarity != "neither" and benchmark(bundle, ind.id)[1] == "WMCA" else "",
            "Wards with data": len(values),
        })
    return pd.DataFrame(rows)


def catalogue_table(bundle: Bundle) -> pd.DataFrame:
    """The catalogue as a readable table for the About page."""
    rows = []
    for ind in bundle.catalogue.values():
        methods = sorted(set(bundle.ward_values(ind.id).method) - {"no data"})
        rows.append({
            "Id": ind.id, "Theme": THEMES[ind.theme], "Title": ind.title,
            "Definition": ind.definition, "Unit": ind.unit,
            "Polarity": ind.polarity.replace("_", " "),
            "Source": f"{ind.source} ({ind.publisher})", "Vintage": ind.vintage,
            "Ward method": "; ".join(method_label(m) for m in methods),
            "Coverage": coverage_text(ind), "Caveats": ind.caveats, "Licence": ind.licence,
        })
    return pd.DataFrame(rows)


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
        "People in group": [_count(d) for d in groups.denominator],
        "Gap to all residents (pp)": groups.difference.round(1),
        "Gap 95% CI": [format_interval(lo, hi, "") for lo, hi in
                       zip(groups.diff_lower, groups.diff_upper, strict=True)],
        "Compared with all residents": groups.compared,
        "All residents": format_value(everyone, "%"),
    })


def claimant_series(bundle: Bundle, ward_code: str | None) -> pd.DataFrame:
    """Monthly claimants: the ward (if it has a series) and its authority, as an index.

    Both lines are shown as counts relative to their own first month (first month = 100), so a
    ward and its authority can be read on one axis.

    Returns
    -------
    DataFrame
        ``month, name, value, claimants``.
    """
    monthly = bundle.claimant_monthly
    wards = bundle.wards.set_index("ward_code")
    covered = set(monthly.ward_code)
    frames = []
    authority_name = "Birmingham"
    if ward_code and ward_code in covered:
        own = monthly[monthly.ward_code == ward_code].sort_values("month")
        frames.append(own.assign(name=wards.ward_name[ward_code]))
        authority_name = wards.authority[ward_code]
    total = monthly.groupby("month", as_index=False).claimants.sum()
    frames.append(total.assign(name=f"{authority_name} (all covered wards)"))
    out = pd.concat(frames, ignore_index=True)
    first = out.sort_values("month").groupby("name").claimants.transform("first")
    out["value"] = 100 * out.claimants / first
    return out[["month", "name", "value", "claimants"]]


def imd_change_frame(bundle: Bundle) -> pd.DataFrame:
    """Ward rows of the IMD 2019 to 2025 comparison, with names and authorities."""
    change = bundle.imd_change
    wards = change[change.level == "ward"].merge(
        bundle.wards[["ward_code", "authority"]], left_on="area_code", right_on="ward_code")
    return wards.rename(columns={"area_name": "ward_name"})


IMD_CHANGE_COLUMNS = {
    "ward_code": "Ward code", "ward_name": "Ward", "authority": "Authority",
    "pct_most_deprived_2019": "Residents in England's most deprived 10%, 2019 (%)",
    "pct_most_deprived_2025": "Residents in England's most deprived 10%, 2025 (%)",
    "change_pp": "Change (percentage points)",
    "percentile_2019": "Average national percentile, 2019",
    "percentile_2025": "Average national percentile, 2025",
    "percentile_change": "Change in percentile",
}


def imd_change_table(change: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The IMD 2019 to 2025 table the Trends page shows and downloads, sorted by ``measure``.

    ``change`` is :func:`imd_change_frame`; ``measure`` is one of its columns. Values are
    rounded to two places and the columns carry readable headings.
    """
    if measure not in IMD_CHANGE_COLUMNS:
        raise ValueError(f"imd_change_table: unknown measure {measure!r}")
    return (change.sort_values(measure)[list(IMD_CHANGE_COLUMNS)].round(2)
            .rename(columns=IMD_CHANGE_COLUMNS).reset_index(drop=True))


def imd_change_indicator(measure: str) -> Indicator:
    """An indicator record describing one IMD 2019 to 2025 change measure, for the map."""
    from equity.catalogue import IMD_ATTRIBUTION

    titles = {
        "change_pp": ("Change in residents in England's most deprived 10%, 2019 to 2025",
                      "Change (pp)", "higher_is_worse"),
        "percentile_change": ("Change in average national deprivation percentile, 2019 to "
                              "2025", "Percentile change", "higher_is_better"),
    }
    if measure not in titles:
        raise ValueError(f"unknown IMD change measure {measure!r}")
    title, short, polarity = titles[measure]
    return Indicator(
        id=f"imd_{measure}", theme="characteristic", title=title, short_title=short,
        definition=title, unit="pp", polarity=polarity, kind="mean_score", table="",
        numerator_column="", denominator_column="", numerator="", denominator="",
        publisher="MHCLG", source="English Indices of Deprivation 2019 and 2025",
        source_files=(), vintage="IoD 2019 and IoD 2025", attribution=IMD_ATTRIBUTION)


def impact_display(table: pd.DataFrame) -> pd.DataFrame:
    """The impact-check table as shown and downloaded."""
    return pd.DataFrame({
        "Group": table.group,
        "Counted": table.counted,
        "In chosen wards": table.residents_in_group.round(0),
        "Base in chosen wards": table.base_in_chosen.round(0),
        "Share in chosen wards (%)": table.share_chosen.round(2),
        "Share across WMCA (%)": table.share_wmca.round(2),
        "Difference (points)": table.difference.round(2),
        "Lower 95% CI": table.lower.round(2),
        "Upper 95% CI": table.upper.round(2),
        "Flag": table.flag,
    })


OUTCOME_THEMES = PROFILE_THEMES


def outcome_ids(bundle: Bundle, interval_only: bool = False) -> list[str]:
    """Outcome indicators of the four themes (not characteristics, not ranks)."""
    return [ind.id for ind in bundle.catalogue.values()
            if ind.theme in OUTCOME_THEMES and ind.kind != "rank_decile"
            and (ind.has_interval or not interval_only)]


def inequality_display(table: pd.DataFrame) -> pd.DataFrame:
    """The inequality table as shown and downloaded (SII, RII and the quintile gap)."""
    def ci(lo: pd.Series, hi: pd.Series) -> list[str]:
        return ["" if not (np.isfinite(a) and np.isfinite(b)) else f"{a:.2f} to {b:.2f}"
                for a, b in zip(lo, hi, strict=True)]

    return pd.DataFrame({
        "Theme": [THEMES[t] for t in table.theme],
        "Indicator": table.title,
        "SII": table.sii.round(2),
        "SII 95% CI": ci(table.sii_lower, table.sii_upper),
        "RII": table.rii.round(3),
        "RII 95% CI": ci(table.rii_lower, table.rii_upper),
        "Most minus least deprived fifth": table.gap.round(2),
        "Gap 95% CI": ci(table.gap_lower, table.gap_upper),
        "Wards": table.n_wards,
        "Note": table.note.fillna(""),
    })


def sii_sentence(row: pd.Series, ind: Indicator) -> str:
    """A plain sentence on the slope index of inequality for one indicator."""
    if not np.isfinite(row.sii):
        return f"The slope index of inequality could not be computed: {row.note}"
    unit = "percentage points" if ind.unit == "%" else "points"
    direction = "higher" if row.sii > 0 else "lower"
    text = (f"Across WMCA's deprivation deciles, {ind.short_title} is {abs(row.sii):.1f} "
            f"{unit} {direction} at the most deprived end than at the least deprived "
            "(slope index of inequality")
    if np.isfinite(row.sii_lower):
        significant = row.sii_lower > 0 or row.sii_upper < 0
        text += (f", 95% CI {row.sii_lower:.1f} to {row.sii_upper:.1f})"
                 + ("." if significant else ": similar — not statistically significant."))
    else:
        text += "; a score, so no interval)."
    if np.isfinite(row.rii):
        text += f" Relative index of inequality {row.rii:.2f}."
    return text


def correlation_display(frame: pd.DataFrame, bundle: Bundle) -> pd.DataFrame:
    """Correlations across wards as a readable table."""
    def title(i: str) -> str:
        return bundle.catalogue[i].short_title

    return pd.DataFrame({
        "Outcome": frame.outcome.map(title),
        "Characteristic": frame.characteristic.map(title),
        "Wards": frame.n,
        "r": frame.r.round(2),
        "95% CI": [f"{a:.2f} to {b:.2f}" for a, b in zip(frame.lower, frame.upper, strict=True)],
        "Association": np.where(frame.lower > 0, "positive",
                                np.where(frame.upper < 0, "negative", "none detected")),
    })


def worst_fifth_indicator(n_themes: int) -> Indicator:
    """An indicator record for the worst-fifth count map."""
    return Indicator(
        id="worst_fifth_count", theme="characteristic",
        title=f"Themes (of {n_themes}) on which the ward is in WMCA's worst fifth",
        short_title="Themes in worst fifth", definition="", unit="themes",
        polarity="higher_is_worse", kind="mean_score", table="", numerator_column="",
        denominator_column="", numerator="", denominator="", publisher="", source="",
        source_files=(), vintage="")


def worst_fifth_display(counts: pd.DataFrame, bundle: Bundle) -> pd.DataFrame:
    """The worst-fifth list: wards by how many themes they are in the worst fifth on."""
    from equity.catalogue import HEADLINES

    # The counts come straight after the ward: the list sits in a narrow column beside the map.
    out = pd.DataFrame({"Ward": counts.ward_name,
                        "Themes in worst fifth": counts.worst_fifth_count,
                        "Themes assessed": counts.themes_assessed,
                        "Authority": counts.authority})
    for theme, ind_id in HEADLINES.items():
        if ind_id and theme in counts.columns:
            out[bundle.catalogue[ind_id].short_title] = np.where(counts[theme], "worst fifth", "")
    return out.sort_values(["Themes in worst fifth", "Ward"],
                           ascending=[False, True]).reset_index(drop=True)


MAX_TABLE_DECIMALS = 4


def _decimals(values: np.ndarray) -> int:
    """The fewest decimal places (at most MAX_TABLE_DECIMALS) that show every value exactly."""
    for places in range(MAX_TABLE_DECIMALS):
        if np.allclose(np.round(values, places), values, rtol=0, atol=1e-9):
            return places
    return MAX_TABLE_DECIMALS


def table_payload(frame: pd.DataFrame) -> dict:
    """A table as the app's table element draws it: display text and sort keys by column.

    Numeric columns are shown with one number of decimal places each (the fewest that show
    every value, at most four) and thousands separators, and sorted by value; a missing value
    has no text and no sort key, and the element marks it "no data". A text column whose every
    cell is a formatted number ("20.5%", "1,144,902") or a no-data text is sorted by those
    numbers, no-data last, and keeps its text. Other columns are shown and sorted as text;
    True and False read "Yes" and "No".

    Parameters
    ----------
    frame : pandas.DataFrame
        The table exactly as the page's CSV download has it. Its index is not shown.

    Returns
    -------
    dict
        ``{"rows": n, "columns": [{"name", "numeric", "text", "value"}, ...]}`` where
        ``numeric`` says the column holds numbers, ``text`` has a string for each row and
        ``value`` a float or None for each row (columns sorted by number, including text
        columns of formatted numbers), or is None (columns sorted as text).

    Raises
    ------
    ValueError
        If ``frame`` is not a DataFrame or its column names are not unique.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"table_payload needs a pandas DataFrame, not {type(frame).__name__}")
    if frame.columns.duplicated().any():
        repeated = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise ValueError(f"table column names must be unique; repeated: {', '.join(repeated)}")
    columns = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column):
            columns.append({"name": str(name), "numeric": False, "value": None,
                            "text": ["Yes" if v else "No" for v in column]})
        elif pd.api.types.is_numeric_dtype(column):
            values = column.to_numpy(dtype=float, na_value=np.nan)
            finite = np.isfinite(values)
            places = _decimals(values[finite]) if finite.any() else 0
            columns.append({"name": str(name), "numeric": True,
                            "text": [f"{v:,.{places}f}" if ok else ""
                                     for v, ok in zip(values, finite, strict=True)],
                            "value": [float(v) if ok else None
                                      for v, ok in zip(values, finite, strict=True)]})
        else:
            text = ["" if _missing(v) else str(v) for v in column]
            numbers = _numbers_in_text(text)
            columns.append({"name": str(name), "numeric": False, "value": numbers,
                            "text": text})
    return {"rows": len(frame), "columns": columns}


# Text cells that stand for a number, as views.format_value and _count write them: "20.5%",
# "1,144,902", "-0.42". Such a column sorts by number; "no data" and blanks sort last.
NUMBER_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
NO_DATA_TEXTS = {"", NO_DATA, NO_DATA_AUTHORITY}


def _numbers_in_text(texts: list[str]) -> list[float | None] | None:
    """The numbers a column of text cells shows, or None if it is not such a column."""
    numbers: list[float | None] = []
    for text in texts:
        if text in NO_DATA_TEXTS:
            numbers.append(None)
        elif NUMBER_TEXT.fullmatch(text):
            numbers.append(float(text.rstrip("%").replace(",", "")))
        else:
            return None
    return numbers if any(n is not None for n in numbers) else None


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False
