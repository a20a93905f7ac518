"""Census 2011 to 2021 by neighbourhood: comparable areas, the five measures and their change.

**Areas.** 352 of WMCA's 357 2021 MSOAs kept their 2011 code and their LSOAs; the others were
split or merged. :func:`comparison_areas` joins 2011 and 2021 MSOAs into the smallest areas
that are the same in both years (connected groups of the ONS LSOA 2011 to 2021 lookup): an
unchanged MSOA is its own area, and a split or merged one is compared as one joined area (a
2011 MSOA with the 2021 MSOAs made from it, or several 2011 MSOAs with the one they became).
Never is one year's MSOA compared with a different area of the other year.

**Measures.** :data:`CHANGE_MEASURES` gives, for each of five catalogue indicators, the
counts that make it in each year and how the two definitions differ. The change is the 2021
rate minus the 2011 rate in percentage points, with Newcombe's hybrid score interval for a
difference of two independent proportions (:func:`equity.stats.newcombe_difference`): the
interval counts random variation in each census's count, as the Wilson intervals elsewhere do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from equity.catalogue import AUTHORITIES, WMCA_CODE
from equity.stats import newcombe_difference, wilson_interval

YEARS = (2011, 2021)


@dataclass(frozen=True)
class ChangeMeasure:
    """One measure compared between the 2011 and 2021 censuses.

    Attributes
    ----------
    indicator : str
        The catalogue indicator it matches (its title and polarity are used).
    numerator, denominator : str
        The count columns, the same names in both years' MSOA tables.
    definition_2011, definition_2021 : str
        What each year's figure counts.
    difference : str
        How the two years' definitions or figures differ, shown wherever the change is.
    """

    indicator: str
    numerator: str
    denominator: str
    definition_2011: str
    definition_2021: str
    difference: str


CHANGE_MEASURES: dict[str, ChangeMeasure] = {m.indicator: m for m in (
    ChangeMeasure(
        "bad_health", "bad_health", "residents",
        "Usual residents in bad or very bad health, % of all usual residents (Census 2011 "
        "KS301, published as percentages by MSOA).",
        "Usual residents in bad or very bad health, % of all usual residents (Census 2021 "
        "TS037, output-area counts summed to MSOAs).",
        "2011 health is published only as percentages (1 decimal place), so 2011 counts are "
        "rebuilt as percentage x residents and are approximate (about +-0.05 points); the "
        "2011 interval treats them as counts. Self-reported and not age-standardised: an "
        "ageing population raises it."),
    ChangeMeasure(
        "no_qualifications", "no_qualifications", "qual_total",
        "Usual residents aged 16+ with no qualifications, % of residents aged 16+ (Census "
        "2011 QS501).",
        "Usual residents aged 16+ with no qualifications, % of residents aged 16+ (Census "
        "2021 TS067, output-area counts).",
        "Same definition and age base in both years; 2021 adds apprenticeships as a category "
        "of its own, which does not change who has no qualifications."),
    ChangeMeasure(
        "level4_plus", "level4_plus", "qual_total",
        "Usual residents aged 16+ whose highest qualification is Level 4 or above, % of "
        "residents aged 16+ (Census 2011 QS501).",
        "Usual residents aged 16+ whose highest qualification is Level 4 or above, % of "
        "residents aged 16+ (Census 2021 TS067, output-area counts).",
        "Same definition and age base in both years."),
    ChangeMeasure(
        "never_worked", "nssec_l14", "nssec_total",
        "Usual residents aged 16-74 who have never worked or are long-term unemployed "
        "(NS-SeC L14), % of residents aged 16-74 (Census 2011).",
        "Usual residents aged 16 and over who have never worked or are long-term unemployed "
        "(NS-SeC L14), % of residents aged 16 and over (Census 2021 TS062, output-area "
        "counts).",
        "Different age bases: 2011 counts residents aged 16-74, 2021 residents aged 16 and "
        "over (no 2021 table gives NS-SeC for 16-74 by small area). Residents aged 75+, in "
        "the 2021 base only, are mostly classed by their past occupation, so the wider base "
        "is expected to lower the 2021 rate rather than raise it; how much cannot be measured "
        "from these tables, so compare with care."),
    ChangeMeasure(
        "hh_deprived", "hh_deprived_1plus", "households",
        "Households deprived in one or more of four dimensions (employment, education, health "
        "and disability, housing), % of households (Census 2011 QS119).",
        "Households deprived in one or more of four dimensions, % of households (Census 2021 "
        "TS011, LSOA counts summed to MSOAs).",
        "ONS defines the four dimensions the same way in both years; the housing dimension "
        "(overcrowding or no central heating) uses each census's own occupancy rating."),
)}
PLAIN_NAMES = {
    "bad_health": "bad or very bad health",
    "no_qualifications": "no qualifications",
    "level4_plus": "Level 4 qualifications or above",
    "never_worked": "never worked or long-term unemployed",
    "hh_deprived": "households deprived in one or more dimensions",
}
"""How a sentence names each measure."""
RANKING = {
    2011: "IMD 2019, the oldest edition in the raw files (its indicators mostly date from "
          "2015-2017); 2011 LSOAs are carried onto 2021 LSOAs with the ONS lookup and averaged "
          "to each area as national percentiles weighted by Census 2021 residents (2011 LSOA "
          "populations are not in the raw files)",
    2021: "IMD 2025 (2021 LSOAs), the edition nearest to and built on the 2021 geography, "
          "averaged to each area as national percentiles weighted by Census 2021 residents",
}
CHANGE_COLUMNS = [
    "area_code", "area_name", "level", "authority_code", "authority", "indicator",
    "numerator_2011", "denominator_2011", "value_2011", "lower_2011", "upper_2011",
    "numerator_2021", "denominator_2021", "value_2021", "lower_2021", "upper_2021",
    "change", "change_lower", "change_upper", "geography", "msoa21_codes", "msoa11_codes",
    "imd_percentile_2011", "imd_percentile_2021",
]


def comparison_areas(pairs: pd.DataFrame, names11: pd.Series, names21: pd.Series,
                     authority21: pd.Series) -> pd.DataFrame:
    """The areas that are the same in 2011 and 2021, one row per 2021 MSOA.

    Parameters
    ----------
    pairs : DataFrame
        ``msoa11_code, msoa21_code``: every pair that shares an LSOA (through the ONS LSOA
        2011 to 2021 lookup), repeats allowed.
    names11, names21 : Series
        MSOA names, indexed by code, for each year.
    authority21 : Series
        The authority code of each 2021 MSOA.

    Returns
    -------
    DataFrame
        ``msoa21_code, area_code, area_name, authority_code, geography, msoa11_codes,
        msoa21_codes``. ``geography`` is ``"unchanged"`` or a sentence saying which MSOAs
        were joined and why; a joined area's code is its 2021 codes joined by ``+``.

    Raises
    ------
    ValueError
        If a column is missing, a code has no name, or a joined area crosses authorities.
    """
    for col in ("msoa11_code", "msoa21_code"):
        if col not in pairs.columns:
            raise ValueError(f"comparison_areas: pairs has no column {col!r}")
    pairs = pairs[["msoa11_code", "msoa21_code"]].drop_duplicates()
    unnamed = sorted((set(pairs.msoa11_code) - set(names11.index))
                     | (set(pairs.msoa21_code) - set(names21.index)))
    if unnamed:
        raise ValueError(f"comparison_areas: MSOA {unnamed[0]} has no name")
    group = _connected_groups(pairs)
    rows = []
    for members in group:
        old = sorted(c for kind, c in members if kind == 11)
        new = sorted(c for kind, c in members if kind == 21)
        authorities = {authority21[c] for c in new}
        if len(authorities) != 1:
            raise ValueError(f"comparison_areas: MSOAs {new} lie in more than one authority")
        unchanged = old == new and len(new) == 1
        code = new[0] if unchanged else "+".join(new)
        name = names21[new[0]] if unchanged else " + ".join(names21[c] for c in new)
        note = "unchanged" if unchanged else _joined_note(old, new, names11, names21)
        authority = next(iter(authorities))
        for msoa in new:
            rows.append({"msoa21_code": msoa, "area_code": code, "area_name": name,
                         "authority_code": authority, "geography": note,
                         "msoa11_codes": " ".join(old), "msoa21_codes": " ".join(new)})
    return pd.DataFrame(rows).sort_values("msoa21_code").reset_index(drop=True)


def _connected_groups(pairs: pd.DataFrame) -> list[set[tuple[int, str]]]:
    """Connected groups of the 2011-2021 MSOA pairs (nodes ``(11, code)`` and ``(21, code)``)."""
    parent: dict[tuple[int, str], tuple[int, str]] = {}

    def find(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for old, new in pairs.itertuples(index=False):
        a, b = find((11, old)), find((21, new))
        if a != b:
            parent[a] = b
    groups: dict[tuple[int, str], set] = {}
    for node in list(parent):
        groups.setdefault(find(node), set()).add(node)
    return list(groups.values())


def _joined_note(old: list[str], new: list[str], names11: pd.Series, names21: pd.Series
                 ) -> str:
    """Why an area joins MSOAs: what 2011 MSOAs became which 2021 MSOAs."""
    def named(codes, names):
        return ", ".join(f"{names[c]} ({c})" for c in codes)

    if len(old) == 1 and len(new) > 1:
        how = "was split into"
    elif len(old) > 1 and len(new) == 1:
        how = "were merged into"
    else:
        how = "were redrawn as"
    return (f"joined: 2011 {named(old, names11)} {how} 2021 {named(new, names21)}, so "
            "they are compared as one area")


def area_counts(counts: pd.DataFrame, area_of: pd.Series) -> pd.DataFrame:
    """Sum one year's MSOA counts to comparison areas (``area_of``: area code by MSOA code)."""
    missing = sorted(set(counts.index) - set(area_of.index))
    if missing:
        raise ValueError(f"area_counts: MSOA {missing[0]} is in no comparison area")
    return counts.groupby(area_of.reindex(counts.index).to_numpy()).sum(numeric_only=True)


def change_rows(counts11: pd.DataFrame, counts21: pd.DataFrame, areas: pd.DataFrame,
                deprivation: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every area, authority and WMCA with the five measures in 2011 and 2021 and the change.

    Parameters
    ----------
    counts11, counts21 : DataFrame
        Counts per comparison area (:func:`area_counts`), with each measure's numerator and
        denominator column (:data:`CHANGE_MEASURES`).
    areas : DataFrame
        :func:`comparison_areas`.
    deprivation : DataFrame, optional
        ``imd_percentile_2011, imd_percentile_2021`` by area code.

    Returns
    -------
    DataFrame
        Columns :data:`CHANGE_COLUMNS`; values, limits and the change in percent and
        percentage points. Authority and WMCA rows add up the areas' counts.
    """
    needed = {c for m in CHANGE_MEASURES.values() for c in (m.numerator, m.denominator)}
    for year, counts in ((2011, counts11), (2021, counts21)):
        absent = sorted(needed - set(counts.columns))
        if absent:
            raise ValueError(f"change_rows: {year} counts have no column {absent[0]!r}")
    info = areas.drop_duplicates("area_code").set_index("area_code")
    codes = sorted(info.index)
    levels = [("msoa", codes, counts11.reindex(codes), counts21.reindex(codes))]
    by_authority = info.authority_code.reindex(codes).to_numpy()
    levels.append(("authority", sorted(AUTHORITIES),
                   counts11.reindex(codes).groupby(by_authority).sum().reindex(sorted(AUTHORITIES)),
                   counts21.reindex(codes).groupby(by_authority).sum().reindex(sorted(AUTHORITIES))))
    levels.append(("wmca", [WMCA_CODE], counts11.reindex(codes).sum().to_frame(WMCA_CODE).T,
                   counts21.reindex(codes).sum().to_frame(WMCA_CODE).T))
    frames = []
    for level, index, c11, c21 in levels:
        for measure in CHANGE_MEASURES.values():
            frames.append(_measure_rows(level, index, c11, c21, measure, info, deprivation))
    return pd.concat(frames, ignore_index=True)[CHANGE_COLUMNS]


def _measure_rows(level: str, index: list[str], c11: pd.DataFrame, c21: pd.DataFrame,
                  measure: ChangeMeasure, info: pd.DataFrame,
                  deprivation: pd.DataFrame | None) -> pd.DataFrame:
    """One measure's rows at one level, with each year's rate and interval and the change."""
    out = pd.DataFrame({"area_code": index, "level": level, "indicator": measure.indicator})
    for year, counts in ((2011, c11), (2021, c21)):
        num = counts[measure.numerator].to_numpy(dtype=float)
        den = counts[measure.denominator].to_numpy(dtype=float)
        lower, upper = wilson_interval(num, den)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"value_{year}"] = np.where(den > 0, 100 * num / den, np.nan)
        out[f"numerator_{year}"], out[f"denominator_{year}"] = num, den
        out[f"lower_{year}"], out[f"upper_{year}"] = 100 * lower, 100 * upper
    diff, lower, upper = newcombe_difference(out.numerator_2011, out.denominator_2011,
                                             out.numerator_2021, out.denominator_2021)
    out["change"], out["change_lower"], out["change_upper"] = 100 * diff, 100 * lower, 100 * upper
    if level == "msoa":
        rows = info.reindex(index)
        out["area_name"] = rows.area_name.to_numpy()
        out["authority_code"] = rows.authority_code.to_numpy()
        for col in ("geography", "msoa21_codes", "msoa11_codes"):
            out[col] = rows[col].to_numpy()
        if deprivation is not None:
            for col in ("imd_percentile_2011", "imd_percentile_2021"):
                out[col] = deprivation[col].reindex(index).to_numpy()
    else:
        out["area_name"] = [AUTHORITIES.get(c, "WMCA") for c in index]
        out["authority_code"] = [c if c in AUTHORITIES else "" for c in index]
        out["geography"] = "sum of the areas"
        out["msoa21_codes"] = out["msoa11_codes"] = ""
    out["authority"] = out.authority_code.map(AUTHORITIES).fillna("")
    for col in ("imd_percentile_2011", "imd_percentile_2021"):
        if col not in out:
            out[col] = np.nan
    return out


def area_deprivation(lsoa: pd.DataFrame, area_of_lsoa: pd.Series) -> pd.DataFrame:
    """Each area's residents-weighted mean national IMD percentile in each edition.

    Parameters
    ----------
    lsoa : DataFrame
        By 2021 LSOA: ``residents``, ``percentile_2019`` and ``percentile_2025`` (national rank
        over LSOAs ranked, 0-1; small = more deprived).
    area_of_lsoa : Series
        Comparison area code by 2021 LSOA code.

    Returns
    -------
    DataFrame
        ``imd_percentile_2011`` (IMD 2019) and ``imd_percentile_2021`` (IMD 2025), 0-100,
        indexed by area code.
    """
    frame = lsoa[["residents", "percentile_2019", "percentile_2025"]].copy()
    frame["area"] = area_of_lsoa.reindex(frame.index)
    if frame.area.isna().any():
        raise ValueError(f"area_deprivation: LSOA {frame.index[frame.area.isna()][0]} is in "
                         "no comparison area")
    for col in ("percentile_2019", "percentile_2025"):
        frame[col] = frame[col] * frame.residents
    sums = frame.groupby("area")[["residents", "percentile_2019", "percentile_2025"]].sum()
    return pd.DataFrame({"imd_percentile_2011": 100 * sums.percentile_2019 / sums.residents,
                         "imd_percentile_2021": 100 * sums.percentile_2025 / sums.residents})
