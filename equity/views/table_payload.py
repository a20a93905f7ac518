"""A table as the table element (equity/table.js) receives it: text and sort keys by column."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from equity.formatting import NO_DATA, NO_DATA_AUTHORITY

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
