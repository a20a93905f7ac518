"""The fifths chart: an outcome across fifths of wards ranked by a characteristic."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from equity.catalogue import Indicator
from equity.charts.arguments import _check_indicator
from equity.charts.style import BAR_COLOUR, _error_bars, _format_with_ci, decimals_for, format_value
from equity.checks import require_columns
from equity.stats import GROUP_COLUMNS


def gap_by_characteristic(
    groups_df: pd.DataFrame,
    gap: Mapping[str, float],
    indicator: Indicator,
    characteristic: Indicator,
) -> go.Figure:
    """Chart an outcome across quintiles of a characteristic, with the Q5 - Q1 gap.

    Parameters
    ----------
    groups_df : pandas.DataFrame
        The groups from :func:`equity.stats.quintile_gap` (columns :data:`GROUP_COLUMNS`).
    gap : mapping
        The gap from :func:`equity.stats.quintile_gap` (``value``, ``lower``, ``upper``,
        ``high``, ``low``).
    indicator : Indicator
        The outcome.
    characteristic : Indicator
        The characteristic the wards were grouped by.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Bar`` trace (x = group labels with the characteristic range, y = pooled value,
        ``error_y`` from the interval when there is one) and one annotation stating the gap,
        e.g. ``"Gap Q5 − Q1: +5.2 percentage points (95% CI +3.1 to +7.3)"``.

    Raises
    ------
    ValueError
        For missing columns or gap keys.
    """
    where = "gap_by_characteristic"
    _check_indicator(indicator, where)
    _check_indicator(characteristic, where)
    require_columns(groups_df, GROUP_COLUMNS, where)
    missing = [key for key in ("value", "lower", "upper") if key not in gap]
    if missing:
        raise ValueError(f"{where}: gap has no key(s) {missing}")
    value = pd.to_numeric(groups_df["value"], errors="coerce").to_numpy(dtype=float)
    lower = pd.to_numeric(groups_df["lower"], errors="coerce").to_numpy(dtype=float)
    upper = pd.to_numeric(groups_df["upper"], errors="coerce").to_numpy(dtype=float)
    has_ci = bool(np.isfinite(lower).any() and np.isfinite(upper).any())
    error = None
    if has_ci:
        error = _error_bars(value, lower, upper, "#252525", symmetric=False, thickness=1.2)
    dp = decimals_for(value, indicator.unit)
    value_text = [_format_with_ci(v, lo, hi, indicator.unit, dp)
                  for v, lo, hi in zip(value, lower, upper, strict=True)]
    customdata = np.column_stack([groups_df["n_wards"].to_numpy(dtype=object),
                                  np.asarray(value_text, dtype=object)])
    fig = go.Figure(go.Bar(
        x=_fifth_ticks(groups_df, characteristic.unit), y=value, name=indicator.short_title,
        marker={"color": BAR_COLOUR}, error_y=error, customdata=customdata,
        hovertemplate=("%{x}<br>%{customdata[1]}<br>%{customdata[0]} wards, counts pooled"
                       "<extra></extra>"),
    ))
    gap_text = _gap_text(gap, indicator.unit, dp)
    fig.add_annotation(text=gap_text, xref="paper", yref="paper", x=0.0, y=1.0,
                       xanchor="left", yanchor="bottom", showarrow=False, font={"size": 12})
    title = f"{indicator.short_title} by fifth of wards on {characteristic.short_title}"
    fig.update_layout(
        title={"text": title, "pad": {"b": 24}},
        margin={"t": 90},
        xaxis={"title": {"text": (f"Wards grouped into fifths by {characteristic.short_title} "
                                  "(Q1 lowest, Q5 highest)")}},
        yaxis={"title": {"text": indicator.short_title + " (pooled)"}},
        showlegend=False,
        plot_bgcolor="#ffffff",
        meta={"title": title, "description": gap_text},
    )
    return fig


def _fifth_ticks(groups_df: pd.DataFrame, unit: str) -> list[str]:
    """Each fifth's label with the range of the characteristic in it, e.g. ``"Q1<br>2–9"``."""
    char_dp = decimals_for(pd.concat([groups_df["characteristic_min"],
                                      groups_df["characteristic_max"]]), unit)
    return [f"{g}<br>{format_value(a, unit, char_dp)}–{format_value(b, unit, char_dp)}"
            for g, a, b in zip(groups_df["group"], groups_df["characteristic_min"],
                               groups_df["characteristic_max"], strict=True)]


def _gap_text(gap: Mapping[str, float], unit: str, decimals: int) -> str:
    """The highest fifth minus the lowest, with its 95% CI or why it has none."""
    high, low = gap.get("high", "Q5"), gap.get("low", "Q1")
    gap_units = " percentage points" if unit == "%" else ""
    gap_text = f"Gap {high} − {low}: {gap['value']:+.{decimals}f}{gap_units}"
    if np.isfinite(gap["lower"]) and np.isfinite(gap["upper"]):
        gap_text += f" (95% CI {gap['lower']:+.{decimals}f} to {gap['upper']:+.{decimals}f})"
    else:
        gap_text += " (no confidence interval: scores are not survey estimates)"
    return gap_text
