"""The groups chart: each group of people's rate with its 95% interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from equity.charts.style import BAR_COLOUR, WMCA_LINE_COLOUR, _error_bars, _format_with_ci, format_value
from equity.checks import require_columns


def group_rates(frame: pd.DataFrame, title: str, reference: float | None = None,
                reference_label: str = "All residents", unit: str = "%") -> go.Figure:
    """Horizontal dot-and-whisker chart of each group's rate with its 95% interval.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``group``, ``value`` and optionally ``lower``, ``upper`` (NaN where none).
    title : str
        Figure title.
    reference : float or None
        The rate for everyone, drawn as a vertical line.
    reference_label : str
        Label of that line.
    unit : str
        Unit for hover text.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Scatter`` trace with the groups in value order.
    """
    require_columns(frame, ["group", "value"], "group_rates")
    data = frame.copy()
    for col in ("lower", "upper"):
        if col not in data.columns:
            data[col] = np.nan
    data = data[np.isfinite(pd.to_numeric(data["value"], errors="coerce"))]
    if data.empty:
        raise ValueError("group_rates: no group has a value")
    data = data.sort_values("value")
    value = data["value"].to_numpy(dtype=float)
    lower = data["lower"].to_numpy(dtype=float)
    upper = data["upper"].to_numpy(dtype=float)
    text = [_format_with_ci(v, lo, hi, unit, 1) for v, lo, hi in
            zip(value, data["lower"], data["upper"], strict=True)]
    fig = go.Figure(go.Scatter(
        x=value, y=data["group"], mode="markers", marker={"size": 10, "color": BAR_COLOUR},
        error_x=_error_bars(value, lower, upper, "#4d4d4d",
                            visible=bool(np.isfinite(upper - value).any())),
        text=text, hovertemplate="%{y}: %{text}<extra></extra>", name="Group rate"))
    if reference is not None and np.isfinite(reference):
        fig.add_vline(x=reference, line={"color": WMCA_LINE_COLOUR, "width": 2},
                      annotation_text=f"{reference_label} {format_value(reference, unit)}",
                      annotation_position="top")
    fig.update_layout(
        title={"text": title, "font": {"size": 14}}, height=max(260, 34 * len(data) + 120),
        xaxis_title=f"Rate ({unit})", yaxis_title=None, margin={"l": 10, "r": 10, "t": 60},
        showlegend=False,
        meta={"title": title, "description": "Each group's rate with its 95% interval where "
              "one is published; the line is the rate for everyone."})
    return fig
