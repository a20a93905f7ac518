"""The impact chart: how the chosen wards' population differs from WMCA's, group by group."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from equity.charts.style import (
    HIGHER_COLOUR,
    LOWER_COLOUR,
    NO_DATA_COLOUR,
    NOT_COMPARED_COLOUR,
    SIMILAR_COLOUR,
    WMCA_LINE_COLOUR,
    _error_bars,
)
from equity.checks import require_columns

IMPACT_FLAG_COLOURS = {"over-represented": HIGHER_COLOUR, "under-represented": LOWER_COLOUR,
                       "similar": SIMILAR_COLOUR, "all of WMCA": SIMILAR_COLOUR,
                       "no data": NO_DATA_COLOUR}


def impact_differences(table: pd.DataFrame) -> go.Figure:
    """Each group's share in the chosen wards minus its WMCA share, with the 95% interval.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`equity.impact.impact_table` (``group, difference, lower, upper, flag``).

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Scatter`` trace per flag, coloured by :data:`IMPACT_FLAG_COLOURS`.
    """
    require_columns(table, ["group", "difference", "lower", "upper", "flag"],
                     "impact_differences")
    fig = go.Figure()
    for flag, part in table.groupby("flag", sort=False):
        diff = part["difference"].to_numpy(dtype=float)
        fig.add_trace(go.Scatter(
            x=diff, y=part["group"], mode="markers", name=str(flag).capitalize(),
            marker={"size": 11, "color": IMPACT_FLAG_COLOURS.get(flag, NOT_COMPARED_COLOUR),
                    "symbol": "diamond" if flag == "over-represented" else "circle"},
            error_x=_error_bars(diff, part["lower"], part["upper"], "#4d4d4d"),
            hovertemplate="%{y}: %{x:+.2f} points<extra>" + str(flag) + "</extra>"))
    fig.add_vline(x=0, line={"color": WMCA_LINE_COLOUR, "width": 1})
    fig.update_layout(
        title={"text": "Chosen wards compared with WMCA (percentage points)", "font":
               {"size": 14}}, xaxis_title="Share in chosen wards minus WMCA share (points)",
        yaxis={"autorange": "reversed"}, height=420, margin={"l": 10, "r": 10, "t": 60},
        legend={"orientation": "h", "y": -0.2},
        meta={"title": "Chosen wards compared with WMCA", "description": "Difference between "
              "each group's share in the chosen wards and across WMCA, with 95% intervals; "
              "the table below gives the figures."})
    return fig
