"""Hover values sent as numbers, written by the hover template as ``format_value`` writes them.

A ward's hover text "6.4% (95% CI 6.0% to 6.7%)" sent with each of 192 wards is most of a
map's or a gap chart's message. Sent instead as the three numbers, already rounded to the
places shown (``[6.4, 6.0, 6.7]``), and written by the trace's hover template with the same
format (``%{customdata[0]:,.1f}%``), it reads the same at half the bytes. Rounding in Python
first means the browser only writes the number: it never rounds a value differently.
"""

from __future__ import annotations

import numpy as np


def hover_number(field: str, unit: str, decimals: int) -> str:
    """A hover-template field written as :func:`equity.formatting.format_value` writes it.

    Parameters
    ----------
    field : str
        What plotly fills in, such as ``"customdata[2]"``.
    unit : str
        The indicator's unit: ``"%"`` adds a percent sign.
    decimals : int
        Decimal places (0 to 4), with thousands separators as ``format_value`` writes them.

    Raises
    ------
    ValueError
        For decimals outside 0 to 4.
    """
    if not isinstance(decimals, int | np.integer) or not 0 <= decimals <= 4:
        raise ValueError(f"hover_number: decimals must be 0 to 4, not {decimals!r}")
    return "%{" + f"{field}:,.{int(decimals)}f" + "}" + ("%" if unit == "%" else "")


def hover_numbers(value: np.ndarray, lower: np.ndarray, upper: np.ndarray, decimals: int,
                  with_interval: bool) -> list[list[float]] | None:
    """Each ward's value (and interval) rounded to ``decimals`` places, or None.

    None where the numbers cannot stand for the text: a value missing, some wards with an
    interval and others without (``with_interval`` says which is wanted), or a negative
    number (the browser writes its minus sign and a rounded negative zero its own way). The
    caller then sends the text.

    Parameters
    ----------
    value, lower, upper : numpy.ndarray
        Floats, one per ward; ``lower`` and ``upper`` are read only ``with_interval``.
    decimals : int
        The places the hover text shows.
    with_interval : bool
        Whether the hover text shows an interval.

    Returns
    -------
    list of list of float or None
        ``[value]`` or ``[value, lower, upper]`` per ward.
    """
    columns = [np.asarray(value, dtype=float)]
    if with_interval:
        columns += [np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)]
    numbers = np.column_stack(columns) if len(columns[0]) else np.empty((0, len(columns)))
    if not np.isfinite(numbers).all() or (numbers < 0).any():
        return None
    return [[float(f"{x:.{decimals}f}") for x in row] for row in numbers]


def hover_value(first: int, unit: str, decimals: int, interval: str | None) -> str:
    """The hover text of the numbers :func:`hover_numbers` gave, from ``customdata[first]``.

    ``interval`` names the interval (``"95% CI"``) when there is one, as
    ``equity.charts.style._format_with_ci`` writes it.
    """
    text = hover_number(f"customdata[{first}]", unit, decimals)
    if interval:
        text += (f" ({interval} {hover_number(f'customdata[{first + 1}]', unit, decimals)} to "
                 f"{hover_number(f'customdata[{first + 2}]', unit, decimals)})")
    return text
