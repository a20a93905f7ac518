"""Census 2011 to 2021 by neighbourhood: what the Trends page, ward profile and ward pack show.

Every figure comes from the bundle's ``msoa_change.csv`` and ``change_sii.csv`` (built by
:mod:`equity.change_ingest`); these functions select, label and word them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import Indicator
from equity.change import CHANGE_MEASURES, PLAIN_NAMES, RANKING
from equity.formatting import format_value
from equity.inequality.change import gap_sentence

NEIGHBOURHOOD_LABEL = "Neighbourhood (MSOA) figures"
STATUS_RISE, STATUS_FALL, STATUS_UNCLEAR = "rise", "fall", "no clear change"
CHANGE_TABLE_COLUMNS = {
    "area_code": "MSOA code", "area_name": "MSOA", "authority": "Authority",
    "value_2011": "2011 (%)", "value_2021": "2021 (%)", "change": "Change (points)",
    "change_lower": "95% CI lower", "change_upper": "95% CI upper", "status": "Change",
    "geography": "Geography",
}
SUMMARY_COLUMNS = {
    "area_name": "Area", "value_2011": "2011 (%)", "lower_2011": "2011 lower",
    "upper_2011": "2011 upper", "value_2021": "2021 (%)", "lower_2021": "2021 lower",
    "upper_2021": "2021 upper", "change": "Change (points)", "change_lower": "95% CI lower",
    "change_upper": "95% CI upper",
}


def change_indicators(bundle: Bundle) -> list[Indicator]:
    """The catalogue indicators compared between 2011 and 2021 that the bundle holds."""
    held = set(bundle.msoa_change.get("indicator", pd.Series(dtype=str)))
    return [bundle.catalogue[i] for i in CHANGE_MEASURES if i in held and i in bundle.catalogue]


def _status(rows: pd.DataFrame) -> np.ndarray:
    """Rise, fall, or no clear change where the change's 95% interval includes zero."""
    return np.select([rows.change_lower > 0, rows.change_upper < 0],
                     [STATUS_RISE, STATUS_FALL], STATUS_UNCLEAR)


def change_frame(bundle: Bundle, ind: Indicator) -> pd.DataFrame:
    """One row per comparison area (MSOA, or joined MSOAs) for one measure, with ``status``.

    Raises
    ------
    ValueError
        If ``ind`` is not one of the measures compared.
    """
    if ind.id not in CHANGE_MEASURES:
        raise ValueError(f"change_frame: {ind.id!r} is not compared between 2011 and 2021")
    data = bundle.msoa_change
    rows = data[(data.level == "msoa") & (data.indicator == ind.id)].copy()
    rows["status"] = _status(rows)
    return rows.reset_index(drop=True)


def change_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The table behind the change map (and its CSV): readable headings, largest rise first."""
    shown = rows.sort_values("change", ascending=False)[list(CHANGE_TABLE_COLUMNS)]
    return shown.round(2).rename(columns=CHANGE_TABLE_COLUMNS).reset_index(drop=True)


def change_summary(bundle: Bundle, ind: Indicator) -> pd.DataFrame:
    """2011 and 2021 values for each authority and WMCA, with the change and its interval."""
    data = bundle.msoa_change
    rows = data[(data.level != "msoa") & (data.indicator == ind.id)]
    order = rows.level.map({"authority": 0, "wmca": 1})
    rows = rows.assign(_order=order).sort_values(["_order", "area_name"])
    return (rows[list(SUMMARY_COLUMNS)].round(2).rename(columns=SUMMARY_COLUMNS)
            .reset_index(drop=True))


def measure_notes(ind: Indicator) -> dict[str, str]:
    """Each year's definition and how they differ, as the page and pack state them."""
    measure = CHANGE_MEASURES[ind.id]
    return {"2011": measure.definition_2011, "2021": measure.definition_2021,
            "difference": measure.difference}


def gap_result(bundle: Bundle, ind: Indicator) -> dict | None:
    """The SII in each year and its change for one measure, or None where there is none."""
    sii = bundle.change_sii
    if sii.empty or ind.id not in set(sii.indicator):
        return None
    return sii[sii.indicator == ind.id].iloc[0].to_dict()


def gap_statement(bundle: Bundle, ind: Indicator) -> str:
    """"Is the gap closing?" for one measure as a plain sentence (or why it cannot be said)."""
    result = gap_result(bundle, ind)
    if result is None:
        return f"No slope index of inequality is available for {ind.short_title}."
    return gap_sentence(PLAIN_NAMES[ind.id], result)


def gap_table(bundle: Bundle) -> pd.DataFrame:
    """Every measure's SII in 2011 and 2021 with intervals, and the change with its interval."""
    rows = []
    for ind in change_indicators(bundle):
        result = gap_result(bundle, ind)
        if result is None:
            continue
        rows.append({"Measure": ind.short_title,
                     "SII 2011 (points)": result["sii_2011"],
                     "2011 lower": result["sii_lower_2011"],
                     "2011 upper": result["sii_upper_2011"],
                     "SII 2021 (points)": result["sii_2021"],
                     "2021 lower": result["sii_lower_2021"],
                     "2021 upper": result["sii_upper_2021"],
                     "Change (points)": result["sii_change"],
                     "Change lower": result["sii_change_lower"],
                     "Change upper": result["sii_change_upper"],
                     "Areas": int(result["areas"])})
    return pd.DataFrame(rows).round(2)


def ranking_note() -> str:
    """Which deprivation ranking orders the areas in each year, and why."""
    return (f"Areas are ranked in 2011 by {RANKING[2011]}; in 2021 by {RANKING[2021]}. Each "
            "year uses the ranking nearest to it, so the SII describes the gap between the "
            "most and least deprived areas of that time; an area can change places.")


def ward_change(bundle: Bundle, ward_code: str) -> pd.DataFrame:
    """The change in the comparison areas that share LSOAs with a ward: neighbourhood figures.

    Returns
    -------
    DataFrame
        One row per overlapping area and measure: the area, the share of the ward's residents
        living in it, the measure, the 2011 and 2021 values and the change with its interval.
        Empty where the bundle has no change data.
    """
    if bundle.ward_msoa.empty or bundle.msoa_change.empty:
        return pd.DataFrame()
    if ward_code not in set(bundle.wards.ward_code):
        raise ValueError(f"ward_change: unknown ward {ward_code!r}")
    overlap = bundle.ward_msoa[bundle.ward_msoa.ward_code == ward_code]
    data = bundle.msoa_change
    rows = data[(data.level == "msoa") & data.area_code.isin(set(overlap.area_code))].merge(
        overlap[["area_code", "share_of_ward"]], on="area_code")
    rows["status"] = _status(rows)
    titles = {i: bundle.catalogue[i].short_title for i in CHANGE_MEASURES if i in bundle.catalogue}
    rows["measure"] = rows.indicator.map(titles)
    rows["_order"] = rows.indicator.map({i: n for n, i in enumerate(CHANGE_MEASURES)})
    rows = rows.sort_values(["share_of_ward", "area_code", "_order"],
                            ascending=[False, True, True])
    out = pd.DataFrame({
        "MSOA (neighbourhood)": rows.area_name, "Share of ward's residents (%)":
        rows.share_of_ward, "Measure": rows.measure, "2011 (%)": rows.value_2011,
        "2021 (%)": rows.value_2021, "Change (points)": rows.change,
        "95% CI lower": rows.change_lower, "95% CI upper": rows.change_upper,
        "Change": rows.status})
    return out.round(2).reset_index(drop=True)


def change_map_frame(bundle: Bundle, ind: Indicator) -> pd.DataFrame:
    """What the MSOA change map draws: one row per 2021 MSOA with its area's change.

    A 2021 MSOA of a joined area carries the joined area's figures, and its hover says so.

    Returns
    -------
    DataFrame
        ``msoa_code, change, clear, name, authority, detail``.
    """
    rows = change_frame(bundle, ind).set_index("area_code")
    shapes = pd.DataFrame(bundle.msoas.drop(columns=bundle.msoas.geometry.name))
    area = rows.reindex(shapes.area_code)
    detail = [_detail(r) for r in area.itertuples()]
    return pd.DataFrame({
        "msoa_code": shapes.msoa_code.to_numpy(), "change": area.change.to_numpy(),
        "clear": (area.status != STATUS_UNCLEAR).to_numpy(),
        "name": np.where(area.geography.fillna("unchanged").to_numpy() == "unchanged",
                         shapes.msoa_name.to_numpy(), area.area_name.fillna("").to_numpy()),
        "authority": area.authority.fillna("").to_numpy(), "detail": detail})


def _detail(row) -> str:
    """One area's hover text: both years, the change with its interval, and any joining."""
    if not np.isfinite(row.change):
        return "no data"
    text = (f"2011 {format_value(row.value_2011, '%')} → 2021 {format_value(row.value_2021, '%')}"
            f"<br>Change {row.change:+.1f} points (95% CI {row.change_lower:+.1f} to "
            f"{row.change_upper:+.1f}): {row.status}")
    if row.geography != "unchanged":
        text += "<br>Boundaries changed: MSOAs joined to compare like with like"
    return text
