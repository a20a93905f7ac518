"""The ward profile: one ward across every indicator of the four themes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import ENGLAND_CODE, THEMES, WMCA_CODE
from equity.formatting import NO_DATA, format_interval, format_value
from equity.views.wards import benchmark, benchmark_value, ward_frame

PROFILE_THEMES = ("health", "jobs", "skills", "youth_unemployment", "poverty")


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
        wards = ward_frame(bundle, ind)
        row = wards[wards.ward_code == ward_code].iloc[0]
        values = wards.value[np.isfinite(wards.value)]
        _, bench_name, bench_value = benchmark(bundle, ind)
        rows.append({
            "indicator": ind.id, "theme": THEMES[ind.theme], "title": ind.short_title,
            "unit": ind.unit, "polarity": ind.polarity,
            "value": row.value, "lower": row.lower, "upper": row.upper,
            "authority": benchmark_value(bundle, ind, authority_code),
            "wmca": benchmark_value(bundle, ind, WMCA_CODE),
            "england": benchmark_value(bundle, ind, ENGLAND_CODE),
            "min": values.min() if len(values) else np.nan,
            "q25": values.quantile(0.25) if len(values) else np.nan,
            "q75": values.quantile(0.75) if len(values) else np.nan,
            "max": values.max() if len(values) else np.nan,
            "significance": _versus(row.vs_benchmark, bench_name) if np.isfinite(row.value)
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


def spine_frame(profile: pd.DataFrame) -> pd.DataFrame:
    """The profile as :func:`equity.charts.spine_chart` draws it.

    Each significance becomes a plain comparison key: the benchmark's name is dropped (the
    row is centred on its benchmark already) and every kind of "no data" reads ``no data``.
    """
    significance = profile.significance.str.replace(r" \(vs .*\)$", "", regex=True)
    significance = significance.str.strip().str.lower()
    significance = significance.where(~significance.str.startswith(NO_DATA), NO_DATA)
    return profile.assign(significance=significance)


def population_table(bundle: Bundle, ward_code: str) -> pd.DataFrame:
    """Who lives in the ward: every characteristic by its group, against authority, WMCA, England.

    The ward profile's population section, as shown and downloaded.
    """
    from equity.catalogue import characteristics
    from equity.views.wards import ward_summary

    rows = []
    for ind in characteristics():
        summary = ward_summary(bundle, ind, ward_code)
        rows.append({"Group": ind.group, "Characteristic": ind.short_title,
                     "Ward": summary["value"], "95% CI": summary["interval"],
                     "Authority": summary["authority_value"], "WMCA": summary["wmca_value"],
                     "England": summary["england_value"], "Method": summary["method"]})
    table = pd.DataFrame(rows)
    first_seen = {group: i for i, group in enumerate(dict.fromkeys(table.Group))}
    return table.sort_values("Group", key=lambda g: g.map(first_seen),
                             kind="stable").reset_index(drop=True)


MAX_COMPARED_WARDS = 4


def compare_labels(bundle: Bundle, ward_codes: list[str]) -> dict[str, str]:
    """Each ward's name for a column or legend, with its authority where two names are alike."""
    names = bundle.wards.set_index("ward_code")
    plain = {code: str(names.ward_name[code]) for code in ward_codes}
    repeated = {n for n in plain.values() if list(plain.values()).count(n) > 1}
    return {code: f"{name} ({names.authority[code]})" if name in repeated else name
            for code, name in plain.items()}


def compare_frames(bundle: Bundle, ward_codes: list[str]) -> dict[str, pd.DataFrame]:
    """Each ward's profile for the side-by-side view, keyed by ward code, in the order given.

    Raises
    ------
    ValueError
        For fewer than two or more than :data:`MAX_COMPARED_WARDS` wards, a repeat, or an
        unknown ward.
    """
    codes = list(ward_codes)
    if not 2 <= len(codes) <= MAX_COMPARED_WARDS or len(set(codes)) != len(codes):
        raise ValueError(f"compare 2 to {MAX_COMPARED_WARDS} different wards, got {codes}")
    return {code: profile_frame(bundle, code) for code in codes}


def compare_table(bundle: Bundle, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The side-by-side table: one row per indicator, one column per ward.

    Each ward's cell holds its value, 95% interval and comparison with WMCA (or the one
    authority a partial indicator covers), as ``"12.3% (11.0% to 13.5%); worse"``; then the
    WMCA and England values and each ward's method where the wards' methods differ.
    """
    labels = compare_labels(bundle, list(frames))
    first = next(iter(frames.values()))
    table = pd.DataFrame({"Theme": first.theme, "Indicator": first.title})
    for code, frame in frames.items():
        cells = []
        for row in frame.itertuples():
            value = format_value(row.value, row.unit)
            interval = format_interval(row.lower, row.upper, row.unit)
            text = f"{value} ({interval})" if interval else value
            if np.isfinite(row.value):
                cells.append(f"{text}; {row.significance}")
            else:  # "no data", or why: "no data for this authority"
                missing = str(row.significance)
                cells.append(missing if missing.startswith(NO_DATA) else value)
        table[labels[code]] = cells
    table["WMCA"] = [format_value(v, u) for v, u in zip(first.wmca, first.unit, strict=True)]
    table["England"] = [format_value(v, u) for v, u in zip(first.england, first.unit,
                                                           strict=True)]
    methods = pd.DataFrame({code: f.method for code, f in frames.items()})
    table["Method"] = ["; ".join(dict.fromkeys(x for x in m if x != NO_DATA)) or NO_DATA
                       for m in methods.itertuples(index=False)]
    return table
