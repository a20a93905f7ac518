"""England comparator values from ONS local-authority/region/country tables."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from equity.catalogue import ENGLAND_CODE, Indicator
from equity.sources._read import IngestError, read_table

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
    frame = read_table(raw, TS007, ["geography code", total, *singles],
                       numeric=[total, *singles], key=["geography code"])
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
    for ind in indicators:
        if not ind.england_file:
            continue
        if ind.england_file == TS007:
            age_counts = age_counts or _england_age_counts(raw)
            num, den = age_counts[ind.england_column]
            rows.append({"indicator": ind.id, "numerator": num, "denominator": den,
                         "value": 100 * num / den})
            continue
        frame = read_table(raw, ind.england_file, ["areacd", ind.england_column],
                           numeric=[ind.england_column], key=["areacd"])
        match = frame[frame.areacd == ENGLAND_CODE]
        if match.empty:
            raise IngestError(f"{ind.england_file}: no row for England ({ENGLAND_CODE})")
        rows.append({"indicator": ind.id, "numerator": np.nan, "denominator": np.nan,
                     "value": float(match.iloc[0][ind.england_column])})
    return pd.DataFrame(rows, columns=["indicator", "numerator", "denominator", "value"])
