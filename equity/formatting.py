"""How a figure is written wherever it is shown: tables, sentences, chart labels and the pack.

One :func:`format_value` serves every page and chart. Without ``decimals`` it writes a figure
as tables and sentences do (one decimal place for a percentage, whole deciles, three
significant figures for a score below 1); chart labels pass the decimals that keep their
wards apart (``equity.charts.decimals_for``).
"""

from __future__ import annotations

import numpy as np

NO_DATA = "no data"
NO_DATA_AUTHORITY = "no data for this authority"
# Decimal places by unit where none are asked for: deciles and counts of themes are whole.
DEFAULT_DECIMALS = {"%": 1, "score": 1, "decile": 0, "themes": 0}


def format_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """Write a figure with its unit; a missing figure reads "no data", never zero.

    Parameters
    ----------
    value : float or None
        The figure.
    unit : str
        ``"%"``, ``"score"``, ``"decile"``, ``"themes"`` or another unit.
    decimals : int, optional
        Decimal places. By default, :data:`DEFAULT_DECIMALS` for the unit, and three
        significant figures for a score below 1 (IoD Income and Employment scores are shares
        of residents, so one decimal place would hide them).

    Returns
    -------
    str
        For example ``"12.3%"``, ``"23.4"``, ``"0.123"``, ``"3"`` or ``"no data"``.
    """
    if value is None or not np.isfinite(value):
        return NO_DATA
    if decimals is None:
        if unit == "score" and abs(value) < 1:
            return f"{value:.3g}"
        decimals = DEFAULT_DECIMALS.get(unit, 1)
    text = fixed(value, decimals)
    return text + "%" if unit == "%" else text


def fixed(value: float, places: int) -> str:
    """``value`` with ``places`` decimals and thousands separators; never "-0.0".

    A small negative figure that rounds to zero (an IoD score of -0.03 at one place) reads
    "0.0": a minus sign on zero says the figure is below zero when what is shown is not.
    """
    text = f"{value:,.{places}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def format_interval(lower: float | None, upper: float | None, unit: str) -> str:
    """A 95% interval as "a to b", or an empty string where there is none."""
    if lower is None or upper is None or not (np.isfinite(lower) and np.isfinite(upper)):
        return ""
    return f"{format_value(lower, unit)} to {format_value(upper, unit)}"
