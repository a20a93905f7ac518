"""The trends chart: monthly series as lines."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from equity.charts.style import BAR_COLOUR, ENGLAND_LINE_COLOUR, WMCA_LINE_COLOUR
from equity.checks import require_columns


def time_series(series: pd.DataFrame, title: str, y_title: str) -> go.Figure:
    """Line chart of one or more monthly series.

    Parameters
    ----------
    series : pandas.DataFrame
        ``month`` (YYYY-MM), ``value`` and ``name`` (one line per name).
    title, y_title : str
        Figure and axis titles.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Scatter`` line per name, in order of first appearance.
    """
    require_columns(series, ["month", "value", "name"], "time_series")
    if series.empty:
        raise ValueError("time_series: no data")
    fig = go.Figure()
    palette_lines = [BAR_COLOUR, WMCA_LINE_COLOUR, ENGLAND_LINE_COLOUR]
    for i, (name, part) in enumerate(series.groupby("name", sort=False)):
        part = part.sort_values("month")
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(part["month"] + "-01"), y=part["value"], mode="lines",
            name=str(name), line={"width": 3 if i == 0 else 2,
                                  "color": palette_lines[i % len(palette_lines)],
                                  "dash": "solid" if i == 0 else "dot"},
            hovertemplate="%{x|%b %Y}: %{y:,.1f}<extra>" + str(name) + "</extra>"))
    fig.update_layout(title={"text": title, "font": {"size": 14}}, yaxis_title=y_title,
                      xaxis_title=None, height=380, margin={"t": 60},
                      legend={"orientation": "h", "y": -0.15},
                      meta={"title": title, "description": "Monthly series; see the table "
                            "below the chart for the figures."})
    return fig
