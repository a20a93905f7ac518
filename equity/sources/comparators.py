"""England comparator values from ONS local-authority/region/country tables."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from equity.catalogue import ENGLAND_CODE, Indicator
from equity.sources._read import (
    AUTHORITY_PEOPLE_MAX,
    ENGLAND_PEOPLE_MAX,
    PERCENTAGE,
    IngestError,
    count,
    raw_path,
    read_table,
)

TS007 = "comparators/census2021_ts007_age_single_year_ltla_rgn_eng.csv"
_SINGLE_YEAR = re.compile(r"^Age: Aged (\d+) years?; measures: Value$")
_TOP = "Age: Aged 100 years and over; measures: Value"
_UNDER_ONE = "Age: Aged under 1 year; measures: Value"


def _england_age_counts(raw: Path) -> dict[str, tuple[float, float]]:
    """England residents aged 16-24 and 65+ with the total, summed from single years of age."""
    path_cols = pd.read_csv(Path(raw) / TS007, nrows=0).columns
    singles = {c: int(m.group(1)) for c in path_cols if (m := _SINGLE_YEAR.match(c))}
    for col, age in ((_UNDER_ONE, 0), (_TOP, 100)):
        if col in path_cols:
            singles[col] = age
    if len(singles) != 101:
        raise IngestError(f"{TS007}: expected 101 single-year age columns, found {len(singles)}")
    total = "Age: Total; measures: Value"
    # Rows are authorities, regions and England: each count at most England's population and
    # each single year at most the area's total.
    ranges = {total: count(ENGLAND_PEOPLE_MAX),
              **{c: count(ENGLAND_PEOPLE_MAX, within=total) for c in singles}}
    frame = read_table(raw, TS007, ["geography code"], numeric=ranges, key=["geography code"])
    row = frame[frame["geography code"] == ENGLAND_CODE]
    if row.empty:
        raise IngestError(f"{TS007}: no row for England ({ENGLAND_CODE})")
    row = row.iloc[0]
    age_sum = sum(row[c] for c in singles)
    if abs(age_sum - row[total]) > 50:
        raise IngestError(f"{TS007}: single years add up to {age_sum:g}, total is {row[total]:g}")
    young = sum(row[c] for c, age in singles.items() if 16 <= age <= 24)
    old = sum(row[c] for c, age in singles.items() if age >= 65)
    return {"age_16_24": (young, age_sum), "age_65_plus": (old, age_sum)}


def read_england(raw: Path, indicators: list[Indicator]) -> pd.DataFrame:
    """England values for the indicators that name an England source.

    Returns
    -------
    DataFrame
        ``indicator, numerator, denominator, value`` (percent). Published percentages have no
        counts, so their numerator and denominator are NaN.
    """
    rows = []
    age_counts = None
    england_counts = None
    for ind in indicators:
        if not ind.england_file:
            continue
        if ind.england_file == ENGLAND_OA_COUNTS:
            england_counts = (england_counts if england_counts is not None
                              else _england_oa_counts(raw))
            num, den = _england_share(england_counts, ind)
            rows.append({"indicator": ind.id, "numerator": num, "denominator": den,
                         "value": 100 * num / den})
            continue
        if ind.england_file == TS007:
            age_counts = age_counts or _england_age_counts(raw)
            num, den = age_counts[ind.england_column]
            rows.append({"indicator": ind.id, "numerator": num, "denominator": den,
                         "value": 100 * num / den})
            continue
        # Every England comparator other than TS007's counts is a published percentage.
        frame = read_table(raw, ind.england_file, ["areacd"],
                           numeric={ind.england_column: PERCENTAGE}, key=["areacd"])
        match = frame[frame.areacd == ENGLAND_CODE]
        if match.empty:
            raise IngestError(f"{ind.england_file}: no row for England ({ENGLAND_CODE})")
        rows.append({"indicator": ind.id, "numerator": np.nan, "denominator": np.nan,
                     "value": float(match.iloc[0][ind.england_column])})
    return pd.DataFrame(rows, columns=["indicator", "numerator", "denominator", "value"])


ENGLAND_OA_COUNTS = "comparators/DERIVED_census2021_england_counts_from_oa.csv"


def _england_oa_counts(raw: Path) -> pd.DataFrame:
    """England's count of each category of each Census table (a derived sum of its OAs)."""
    frame = read_table(raw, ENGLAND_OA_COUNTS, ["table", "category"],
                       numeric={"england_count": count(ENGLAND_PEOPLE_MAX)},
                       key=["table", "category"])
    return frame.set_index(["table", "category"]).england_count


def _england_share(counts: pd.Series, ind: Indicator) -> tuple[float, float]:
    """England's numerator and denominator for a share of an output-area table."""
    share = ind.england_share or ind.oa_share
    if share is None:
        raise ValueError(f"indicator {ind.id!r} names England's output-area counts but no "
                         "categories")
    needed = [share.total, *share.numerator]
    missing = [c for c in needed if (share.table, c) not in counts.index]
    if missing:
        raise IngestError(f"{ENGLAND_OA_COUNTS}: no England count for {share.table} "
                          f"{missing[0]!r}")
    num = float(sum(counts[(share.table, c)] for c in share.numerator))
    den = float(counts[(share.table, share.total)])
    if num > den:
        raise IngestError(f"{ENGLAND_OA_COUNTS}: {share.table} {ind.id}: the numerator "
                          f"{num:g} exceeds the total {den:g}")
    return num, den


QUAL_BY_ETHNICITY = "comparators/census2021_highest_qualification_by_ethnic_group_5cat_ltla23_england.csv"
UNEMPLOYMENT_BY_ETHNICITY = (
    "comparators/census2021_unemployment_rate_by_ethnic_group_and_disability_ew_ons_article.csv"
)
YOUTH_EMPLOYMENT_BY_ETHNICITY = "labour_market/yff_gap_mapping_2022_empl_region_ethn.csv"
ETHNIC_GROUPS_QUAL = {
    "total": "All residents aged 16+",
    "asian": "Asian, Asian British or Asian Welsh",
    "black_british": "Black, Black British, Black Welsh, Caribbean or African",
    "mixed_multiple": "Mixed or Multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
}
QUAL_LEVELS = ("no_qualification", "level_1", "level_2", "apprenticeship", "level_3", "level_4",
               "other")
# One row per English authority: each group's total at most an authority's population, each
# qualification level at most its group's total.
QUAL_BY_ETHNICITY_RANGES = {
    **{f"{g}__total": count(AUTHORITY_PEOPLE_MAX) for g in ETHNIC_GROUPS_QUAL},
    **{f"{g}__{lvl}": count(AUTHORITY_PEOPLE_MAX, within=f"{g}__total")
       for g in ETHNIC_GROUPS_QUAL for lvl in QUAL_LEVELS},
}
GAP_COLUMNS = ["measure", "title", "area_code", "area_name", "level", "group", "is_total",
               "numerator", "denominator", "value", "lower", "upper", "unit", "source", "basis"]


def read_qualification_by_ethnicity(raw: Path) -> pd.DataFrame:
    """Counts of residents 16+ by ethnic group and highest qualification, per authority.

    Returns
    -------
    DataFrame
        ``measure`` (``no_qualifications`` / ``level4_plus``), ``area_code``, ``area_name``,
        ``level`` (authority / wmca / england), ``group``, ``is_total``, ``numerator``,
        ``denominator``. WMCA and England are sums of the authority rows (England = all 296
        English authorities in the table).
    """
    from equity.catalogue import AUTHORITIES, WMCA_CODE

    cols = [f"{g}__{lvl}" for g in ETHNIC_GROUPS_QUAL for lvl in ("total", *QUAL_LEVELS)]
    frame = read_table(raw, QUAL_BY_ETHNICITY, ["ltla23_code", "ltla23_name"],
                       numeric=QUAL_BY_ETHNICITY_RANGES, key=["ltla23_code"])
    for group in ETHNIC_GROUPS_QUAL:
        parts = frame[[f"{group}__{lvl}" for lvl in QUAL_LEVELS]].sum(axis=1)
        bad = (parts - frame[f"{group}__total"]).abs() > 0.5
        if bad.any():
            idx = int(bad.to_numpy().nonzero()[0][0])
            raise IngestError(f"{QUAL_BY_ETHNICITY}: row {idx + 2}, column '{group}__total': "
                              f"levels add up to {parts.iloc[idx]:g}, not "
                              f"{frame[f'{group}__total'].iloc[idx]:g}")
    missing = sorted(set(AUTHORITIES) - set(frame.ltla23_code))
    if missing:
        raise IngestError(f"{QUAL_BY_ETHNICITY}: no row for authority {missing[0]}")
    areas = frame[frame.ltla23_code.isin(AUTHORITIES)].assign(level="authority")
    areas = areas.rename(columns={"ltla23_code": "area_code", "ltla23_name": "area_name"})
    sums = [("WMCA", WMCA_CODE, "wmca", areas[cols].sum()),
            ("England", ENGLAND_CODE, "england", frame[cols].sum())]
    extra = pd.DataFrame([{"area_name": n, "area_code": c, "level": lv, **s.to_dict()}
                          for n, c, lv, s in sums])
    areas = pd.concat([areas[["area_code", "area_name", "level", *cols]], extra],
                      ignore_index=True)
    rows = []
    for measure, level in (("no_qualifications", "no_qualification"), ("level4_plus", "level_4")):
        for group in ETHNIC_GROUPS_QUAL:
            rows.append(pd.DataFrame({
                "measure": measure, "area_code": areas.area_code, "area_name": areas.area_name,
                "level": areas.level, "group": ETHNIC_GROUPS_QUAL[group],
                "is_total": group == "total", "numerator": areas[f"{group}__{level}"],
                "denominator": areas[f"{group}__total"]}))
    return pd.concat(rows, ignore_index=True)


def read_unemployment_by_ethnicity(raw: Path) -> pd.DataFrame:
    """ONS unemployment rates by detailed ethnic group (England and Wales), unadjusted.

    Returns
    -------
    DataFrame
        ``group``, ``value`` (% of economically active 16+), ``breakdown`` ("All" or
        "Disabled adults" / "Non-disabled adults"). Published as rates without counts or
        intervals.
    """
    frame = read_table(raw, UNEMPLOYMENT_BY_ETHNICITY, ["name", "category", "cat"],
                       numeric={"value": PERCENTAGE}, key=["name", "category", "cat"])
    rates = frame[frame.category == "Unemployment"].assign(breakdown="All")
    by_disability = frame[frame.category == "model1"].assign(breakdown=lambda f: f["cat"])
    if rates.empty or by_disability.empty:
        raise IngestError(f"{UNEMPLOYMENT_BY_ETHNICITY}: no 'Unemployment' or 'model1' rows")
    out = pd.concat([rates, by_disability], ignore_index=True)
    return out.rename(columns={"name": "group"})[["group", "breakdown", "value"]]


def read_youth_employment_by_ethnicity(raw: Path, region: str = "West Midlands") -> pd.DataFrame:
    """Youth (16-24) employment rate by ethnic group for one region, with published margins.

    The file has group names on line 1, ``Value (%)``, ``- (%)``, ``+ (%)`` on line 2 and a
    ``---`` separator on line 3.

    Returns
    -------
    DataFrame
        ``group``, ``value``, ``lower``, ``upper`` (percent).
    """
    path = raw_path(raw, YOUTH_EMPLOYMENT_BY_ETHNICITY)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise IngestError(f"{YOUTH_EMPLOYMENT_BY_ETHNICITY}: not UTF-8 text") from exc
    table = [line.split(",") for line in lines]
    if len(table) < 4 or table[2][0] != "---" or table[1][1] != "Value (%)":
        raise IngestError(f"{YOUTH_EMPLOYMENT_BY_ETHNICITY}: unexpected layout in lines 1-3")
    header = table[0]
    rows = [r for r in table[3:] if r and r[0] == region]
    if not rows:
        raise IngestError(f"{YOUTH_EMPLOYMENT_BY_ETHNICITY}: no row for {region}")
    row = rows[0]
    line = table.index(row) + 1
    out = []
    for start in range(1, len(header), 3):
        try:
            value, minus, plus = (float(x) for x in row[start:start + 3])
        except ValueError:
            continue
        # A survey rate and its interval are percentages: the interval stays within 0-100.
        if not (0 <= value - minus <= value <= value + plus <= 100):
            raise IngestError(
                f"{YOUTH_EMPLOYMENT_BY_ETHNICITY}: row {line}, column {header[start]!r}: "
                f"expected a rate and margins within 0 to 100, found "
                f"{', '.join(x[:20] for x in row[start:start + 3])}")
        out.append({"group": header[start], "value": value, "lower": value - minus,
                    "upper": value + plus})
    return pd.DataFrame(out)
