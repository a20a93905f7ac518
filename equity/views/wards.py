"""The figures of a theme page: every ward of one indicator against its benchmark."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES, ENGLAND_CODE, WMCA_CODE, Indicator, characteristics
from equity.formatting import NO_DATA, NO_DATA_AUTHORITY, format_interval, format_value
from equity.stats import compare_to_benchmark, quintile_gap, rank_wards

METHOD_LABELS = {
    "lsoa_bestfit": "LSOA best-fit sum",
    "ward_published": "Published ward total",
    "wd22_apportioned": "Estimate: apportioned from 2022 wards",
    "lsoa_popweighted": "Population-weighted LSOA score",
    "ward_rank": "Rank within WMCA",
    "published_percentage": "Published percentage",
    "published_counts": "Published counts",
    "modelled": "Estimate (modelled)",
    "msoa_split": "Estimate: detailed groups split from MSOA",
    "ward_published_pct": "Published ward percentage",
    "derived_oa_sum": "Derived sum of England's output areas",
    "no data": "no data",
}


def method_label(method: str) -> str:
    """Plain-English label for a method code (or a ``+``-joined mix of them)."""
    return "; ".join(METHOD_LABELS.get(part, part) for part in str(method).split("+"))


def benchmark_value(bundle: Bundle, ind: Indicator, area_code: str) -> float:
    """Value of an authority, WMCA or England row, NaN where there is none."""
    row = bundle.area_value(ind.id, area_code)
    return float(row["value"]) if row is not None else math.nan


def benchmark(bundle: Bundle, ind: Indicator) -> tuple[str, str, float]:
    """The area wards are compared with: WMCA, or the one authority a partial indicator covers.

    Returns
    -------
    tuple
        (area code, area name, value); the value is NaN where no benchmark exists.
    """
    value = benchmark_value(bundle, ind, WMCA_CODE)
    if np.isfinite(value) or len(ind.coverage) != 1:
        return WMCA_CODE, "WMCA", value
    code = ind.coverage[0]
    return code, AUTHORITIES[code], benchmark_value(bundle, ind, code)


def ward_frame(bundle: Bundle, ind: Indicator) -> pd.DataFrame:
    """All 192 wards for one indicator with ranks, comparisons and labels (memoised).

    See :func:`_ward_frame` for the columns.
    """
    return bundle.memo(("ward_frame", ind.id), lambda: _ward_frame(bundle, ind)).copy()


def _ward_frame(bundle: Bundle, ind: Indicator) -> pd.DataFrame:
    """All 192 wards for one indicator with rank, comparisons and labels.

    Columns: ``ward_code, ward_name, authority_code, authority, value, lower, upper,
    numerator, denominator, method, method_label, rank, vs_benchmark, vs_authority,
    benchmark_outcome, status``.

    ``vs_benchmark`` and ``vs_authority`` are the significance tests tables show (``not
    tested`` for scores, which have no interval). ``benchmark_outcome`` is how the ward chart
    colours each ward against the benchmark: the test where there is one, otherwise
    ``above``, ``below`` or ``equal``. ``status`` is the text shown for a ward without a
    value: "no data", or "no data for this authority" where the indicator does not cover the
    ward's authority.
    """
    wards = bundle.ward_values(ind.id)
    wards["rank"] = rank_wards(wards["value"], ind.polarity).to_numpy()
    benchmark_level = benchmark(bundle, ind)[2]
    wards["benchmark_outcome"] = benchmark_outcomes(wards, ind, benchmark_level)
    if ind.has_interval:
        wards["vs_benchmark"] = wards["benchmark_outcome"]
        vs_authority = np.full(len(wards), NO_DATA, dtype=object)
        for code in AUTHORITIES:
            rows = (wards.authority_code == code).to_numpy()
            vs_authority[rows] = compare_to_benchmark(
                wards.lower[rows], wards.upper[rows], benchmark_value(bundle, ind, code),
                ind.polarity)
        wards["vs_authority"] = vs_authority
    else:
        wards["vs_benchmark"] = np.where(np.isfinite(wards.value), "not tested", NO_DATA)
        wards["vs_authority"] = wards["vs_benchmark"]
    covered = wards.authority_code.isin(ind.coverage)
    has_value = np.isfinite(wards.value)
    wards["status"] = np.where(has_value, "", np.where(covered, NO_DATA, NO_DATA_AUTHORITY))
    wards["method_label"] = wards.method.map(method_label)
    return wards


def benchmark_outcomes(wards: pd.DataFrame, ind: Indicator, level: float) -> np.ndarray:
    """Each ward against a benchmark ``level``, as the chart of each ward colours it.

    Where the indicator has intervals, the test of :func:`equity.stats.compare_to_benchmark`
    (better / similar / worse, or higher / similar / lower); scores have none, so they are
    only ``above``, ``below`` or ``equal``, and a ward without a value is ``no data``.
    """
    if ind.has_interval:
        return np.asarray(compare_to_benchmark(wards.lower, wards.upper, level, ind.polarity),
                          dtype=object)
    value = wards.value.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(value > level, "above", np.where(
            value < level, "below", np.where(value == level, "equal", NO_DATA))).astype(object)


@dataclass(frozen=True)
class BenchmarkComparison:
    """What the chart of each ward against its benchmark draws (``charts.gap_to_benchmark``).

    Attributes
    ----------
    wards : DataFrame
        The wards shown (with a value), as :func:`ward_frame` gives them.
    benchmark_name : str
        WMCA, or the one authority a partial indicator covers.
    benchmark_value : float
    authority_values : dict of str to float
        Each covered authority's value.
    england_value : float or None
        None where England has no value.
    """

    wards: pd.DataFrame
    benchmark_name: str
    benchmark_value: float
    authority_values: dict[str, float]
    england_value: float | None


def benchmark_comparison(bundle: Bundle, ind: Indicator,
                         ward_codes: Iterable[str]) -> BenchmarkComparison | None:
    """Every ward of ``ward_codes`` with a value against the benchmark, with the references.

    Returns
    -------
    BenchmarkComparison or None
        None where no ward of ``ward_codes`` has a value or there is no benchmark value.
    """
    values = ward_frame(bundle, ind)
    shown = values[values.ward_code.isin(set(ward_codes)) & np.isfinite(values.value)]
    _, name, level = benchmark(bundle, ind)
    if shown.empty or not np.isfinite(level):
        return None
    england = benchmark_value(bundle, ind, ENGLAND_CODE)
    return BenchmarkComparison(
        wards=shown, benchmark_name=name, benchmark_value=level,
        authority_values={code: benchmark_value(bundle, ind, code) for code in ind.coverage},
        england_value=england if np.isfinite(england) else None)


def wards_with_values(bundle: Bundle, ind: Indicator, ward_codes: Iterable[str]) -> frozenset[str]:
    """The wards of ``ward_codes`` that have a value for ``ind``."""
    values = ward_frame(bundle, ind)
    return frozenset(values.ward_code[values.ward_code.isin(set(ward_codes))
                                      & np.isfinite(values.value)])


def benchmark_summary(table: pd.DataFrame) -> str:
    """How many wards of an :func:`indicator_table` are better, similar or worse, in a sentence.

    Returns
    -------
    str
        For example "Wards against the WMCA value: 40 worse, 100 similar, 52 better.", or an
        empty string where no ward has data.
    """
    column = next(c for c in table.columns if c.startswith("Compared with "))
    counts = table[column].value_counts()
    parts = [f"{n} {label}" for label, n in counts.items() if label not in (NO_DATA,)]
    name = column.removeprefix("Compared with ")
    return f"Wards against the {name} value: " + ", ".join(parts) + "." if parts else ""


def characteristic_ranges(bundle: Bundle) -> dict[str, tuple[int, int]]:
    """Slider bounds per characteristic: the ward minimum and maximum, rounded outwards.

    A characteristic without any ward value (every figure blanked as implausible) has no
    range and is left out.
    """
    out = {}
    for ind in characteristics():
        values = bundle.ward_values(ind.id).value
        values = values[np.isfinite(values)]
        if not values.empty:
            out[ind.id] = (math.floor(values.min()), math.ceil(values.max()))
    return out


def gap_by_fifths(bundle: Bundle, ind: Indicator, by: Indicator,
                  ward_codes: Iterable[str]) -> tuple[pd.DataFrame, dict] | None:
    """The outcome in fifths of ``ward_codes`` ranked by characteristic ``by``, and the gap.

    Returns
    -------
    tuple or None
        ``(groups, gap)`` from :func:`equity.stats.quintile_gap`, or None where too few wards
        have data to form five groups.
    """
    frame = bundle.ward_values(ind.id)
    frame["characteristic"] = bundle.ward_values(by.id).value.to_numpy()
    frame = frame[frame.ward_code.isin(set(ward_codes))]
    try:
        return quintile_gap(frame, "characteristic", kind=ind.kind)
    except ValueError:
        return None


def ranked(frame: pd.DataFrame, polarity: str) -> pd.DataFrame:
    """``frame`` with a ``rank`` column (1 = worst, or highest where there is no direction)."""
    out = frame.copy()
    out["rank"] = rank_wards(out["value"], polarity).to_numpy()
    return out


def indicator_table(bundle: Bundle, ind: Indicator, matches: pd.Series | None = None) -> pd.DataFrame:
    """The table behind a theme page: one row per ward that matches the filter.

    Parameters
    ----------
    bundle : Bundle
    ind : Indicator
    matches : Series of bool, optional
        Indexed by ward code; wards where it is False are left out.

    Returns
    -------
    DataFrame
        Human-readable columns, sorted by rank (wards without data last). Values stay numeric
        (NaN where there is no data) so the table sorts correctly; the ``Note`` column says
        "no data" where a value is missing.
    """
    wards = ward_frame(bundle, ind)
    if matches is not None:
        keep = wards.ward_code.map(matches).fillna(False).astype(bool)
        wards = wards[keep.to_numpy()]
    unit = "" if ind.unit in ("score", "decile") else f" ({ind.unit})"
    interval = "95% interval (modelled)" if ind.modelled else "95% CI"
    versus = f"Compared with {benchmark(bundle, ind)[1]}"
    table = pd.DataFrame({
        "Ward code": wards.ward_code,
        "Ward": wards.ward_name,
        "Authority": wards.authority,
        f"Value{unit}": wards.value.round(2),
        f"Lower {interval}": wards.lower.round(2),
        f"Upper {interval}": wards.upper.round(2),
        "Numerator": wards.numerator.round(1),
        "Denominator": wards.denominator.round(1),
        "Rank of 192": wards["rank"],
        versus: wards.vs_benchmark,
        "Method": wards.method_label,
        "Note": wards.status,
    })
    return table.sort_values(["Rank of 192", "Ward"], na_position="last").reset_index(drop=True)


def count_text(value: float) -> str:
    """A count for display: whole numbers with separators, one decimal for estimates."""
    if value is None or not np.isfinite(value):
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def comparator_table(bundle: Bundle, ind: Indicator) -> pd.DataFrame:
    """Authority, WMCA and England values for one indicator, in a fixed order."""
    rows = []
    for code, name in [*AUTHORITIES.items(), (WMCA_CODE, "WMCA"), (ENGLAND_CODE, "England")]:
        row = bundle.area_value(ind.id, code)
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


def ward_summary(bundle: Bundle, ind: Indicator, ward_code: str) -> dict:
    """Everything the side panel says about one ward for one indicator.

    Raises
    ------
    ValueError
        If the ward code is not one of the 192 wards.
    """
    wards = ward_frame(bundle, ind)
    match = wards[wards.ward_code == ward_code]
    if match.empty:
        raise ValueError(f"unknown ward {ward_code!r}")
    row = match.iloc[0]
    return {
        "ward_code": ward_code,
        "ward_name": row.ward_name,
        "authority": row.authority,
        "value": format_value(row.value, ind.unit) if np.isfinite(row.value) else row.status,
        "interval": format_interval(row.lower, row.upper, ind.unit),
        "rank": "" if not np.isfinite(row["rank"]) else
        f"{int(row['rank'])} of {int(np.isfinite(wards['rank']).sum())}",
        "vs_benchmark": row.vs_benchmark,
        "benchmark_name": benchmark(bundle, ind)[1],
        "vs_authority": row.vs_authority,
        "authority_value": format_value(benchmark_value(bundle, ind,
                                                        row.authority_code), ind.unit),
        "wmca_value": format_value(benchmark_value(bundle, ind, WMCA_CODE), ind.unit),
        "england_value": format_value(benchmark_value(bundle, ind, ENGLAND_CODE),
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


@dataclass(frozen=True)
class ConstituencyMap:
    """A context measure published by 2010 constituency, ready for ``charts.choropleth``.

    The chart names its areas wards, so the shapes and rows carry ``ward_code`` and
    ``ward_name`` holding the constituency's code and name.
    """

    indicator: Indicator
    shapes: pd.DataFrame
    values: pd.DataFrame


def constituency_measures(bundle: Bundle, ind: Indicator) -> list[str]:
    """The indicator's context measures that are published by constituency (in its order)."""
    if bundle.constituencies.empty or bundle.context.empty:
        return []
    by_pcon = set(bundle.context.measure[bundle.context.level == "constituency"])
    return [m for m in ind.context if m in by_pcon]


def constituency_shapes(bundle: Bundle):
    """The 2010 constituencies, with the column names a map of areas takes."""
    return bundle.constituencies.rename(columns={"pcon_code": "ward_code",
                                                 "pcon_name": "ward_name"})


def constituency_map(bundle: Bundle, measure: str) -> ConstituencyMap:
    """A measure's constituency rows, ranked, with the constituency shapes, as measured."""
    rows = bundle.context[(bundle.context.measure == measure)
                          & (bundle.context.level == "constituency")]
    if rows.empty:
        raise ValueError(f"no constituency figures for {measure!r}")
    title = str(rows.title.iloc[0]).removesuffix(", by 2010 constituency")
    ind = Indicator(
        id=measure, theme="characteristic", title=f"{title}, measured",
        short_title="Measured rate (%)", definition=title, unit="%", polarity="higher_is_worse",
        kind="mean_score", table="", numerator_column="", denominator_column="",
        numerator="", denominator="", publisher="", source=str(rows.source.iloc[0]),
        source_files=(), vintage=str(rows.period.iloc[0]))
    shapes = constituency_shapes(bundle)
    values = ranked(pd.DataFrame({"ward_code": rows.area_code.to_numpy(),
                                  "ward_name": rows.area_name.to_numpy(),
                                  "value": rows.value.to_numpy(dtype=float),
                                  "lower": rows.lower.to_numpy(dtype=float),
                                  "upper": rows.upper.to_numpy(dtype=float)}), ind.polarity)
    return ConstituencyMap(indicator=ind, shapes=shapes, values=values)


def characteristic_groups(ranges: dict) -> dict[str, list[str]]:
    """Characteristics with a range, by their catalogue group, in catalogue order."""
    groups: dict[str, list[str]] = {}
    for ind in characteristics():
        if ind.id in ranges:
            groups.setdefault(ind.group or "Other", []).append(ind.id)
    return groups
