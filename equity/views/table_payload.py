"""A table as the table element (equity/table.js) receives it: text and sort keys by column."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from equity.formatting import NO_DATA, NO_DATA_AUTHORITY, fixed

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
                            "text": [fixed(v, places) if ok else ""
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


# A text column with at most this many different cells is sent as its distinct cells and,
# per row, which one (see compact_payload).
MAX_LEVELS = 64


def _places_if_plain(column: dict) -> int | None:
    """The decimal places a numeric column's text is written with, if that is all it is."""
    values, text = column.get("value"), column.get("text")
    if not column.get("numeric") or not isinstance(values, list) or not isinstance(text, list):
        return None
    finite = [v for v in values if v is not None]
    for places in range(MAX_TABLE_DECIMALS + 1):
        # Exact at that many places, so the browser's rounding cannot differ from Python's;
        # no negative zero, which the two write differently.
        if all(round(v, places) == v and not (v == 0 and str(v).startswith("-"))
               for v in finite) and all(
                t == ("" if v is None else f"{v:,.{places}f}")
                for v, t in zip(values, text, strict=True)):
            return places
    return None


def compact_payload(payload: dict) -> dict:
    """The same table, with each repetitive text column sent as levels and codes.

    A column such as "Method" or "Authority" repeats a few texts down 192 rows; sending each
    distinct text once (``levels``) and a small number per row (``codes``) in place of
    ``text`` cut the ward table's message by a fifth. Only columns where it is shorter are
    changed. A numeric column whose text is exactly each value written with one number of
    decimal places and thousands separators (as :func:`table_payload` writes them) is sent as
    its values and ``places``. ``equity/table.js`` turns both back into ``text``.

    Parameters
    ----------
    payload : dict
        A :func:`table_payload`.

    Returns
    -------
    dict
        A new payload; ``payload`` is left as it was.
    """
    columns = []
    for column in payload["columns"]:
        places = _places_if_plain(column)
        if places is not None:
            values = column["value"]
            if places == 0:  # "1056", not "1056.0"
                values = [None if v is None else int(v) for v in values]
            columns.append({**{k: v for k, v in column.items() if k not in ("text", "value")},
                            "value": values, "places": places})
            continue
        text = column.get("text")
        levels = list(dict.fromkeys(text)) if isinstance(text, list) else []
        if not levels or len(levels) > MAX_LEVELS or len(levels) * 2 > len(text):
            columns.append(column)
            continue
        index = {level: i for i, level in enumerate(levels)}
        compact = {k: v for k, v in column.items() if k != "text"}
        # One text all the way down is sent as its one code.
        codes = 0 if len(levels) == 1 else [index[t] for t in text]
        columns.append({**compact, "levels": levels, "codes": codes})
    return {**payload, "columns": columns}
