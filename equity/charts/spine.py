"""The spine chart: one ward across indicators, each row scaled about the WMCA value."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from equity.charts.style import (
    AUTHORITY_MARKER_COLOUR,
    COMPARISON_COLOURS,
    COMPARISON_LABELS,
    COMPARISON_ORDER,
    IQR_COLOUR,
    LEGEND_TEXT_COLOUR,
    RANGE_COLOUR,
    WMCA_LINE_COLOUR,
    _error_bars,
    _format_with_ci,
    decimals_for,
    format_value,
)
from equity.checks import require_columns
from equity.stats import POLARITIES

SPINE_COLUMNS = ["indicator", "title", "value", "lower", "upper", "benchmark", "authority",
                 "min", "q25", "q75", "max", "significance", "polarity"]
"""Columns :func:`spine_chart` needs, one row per indicator:

``indicator`` id, ``title`` label, ward ``value`` with ``lower`` / ``upper`` 95% CI (NaN for
scores), the ``benchmark`` value the row is centred on (WMCA, or the one authority an
indicator covers) and the ``authority`` value, ``min`` / ``q25`` / ``q75`` / ``max`` of the
ward values, ``significance`` of the ward against the benchmark (``better`` / ``similar`` /
``worse`` / ``higher`` / ``lower`` / ``not compared`` / ``not tested`` / ``no data``, as
``equity.views.spine_frame`` gives them) and ``polarity``.
An optional ``unit`` column (``%``, ``score``, ``decile``) formats the hover text."""


def _spine_positions(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each row's figures on the scaled axis: the benchmark at 0, the furthest at -1 or +1."""
    num = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float)
           for c in ("value", "lower", "upper", "benchmark", "authority", "min", "q25", "q75",
                     "max")}
    centre = num["benchmark"]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmax(np.abs(np.column_stack(
            [num[c] - centre for c in ("min", "max", "value", "authority", "lower", "upper")]
        )), axis=1) if len(frame) else np.array([])
    spread = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
    sign = np.where(frame["polarity"].to_numpy() == "higher_is_worse", -1.0, 1.0)
    return {c: sign * (num[c] - centre) / spread for c in num if c != "benchmark"}


def spine_chart(profile_df: pd.DataFrame, *, compact: bool = False) -> go.Figure:
    """Draw a Fingertips-style spine chart of one ward across indicators.

    Each row is scaled so the WMCA value sits at 0 and the WMCA ward value furthest from it
    at -1 or +1. Rows for indicators with a direction are turned so "worse" is on the left
    (higher values point left when higher is worse); rows with no direction put lower on the
    left.

    Parameters
    ----------
    profile_df : pandas.DataFrame
        One row per indicator with the columns in :data:`SPINE_COLUMNS` (plus optional
        ``unit``). Rows are drawn top to bottom in frame order.
    compact : bool
        For a phone-width screen: each indicator's name is written above its row, across the
        full width, instead of in a left margin that would leave the rows about 90 px.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: ``"WMCA range"`` bar (min to max), ``"Middle 50% of wards"`` bar (q25 to q75),
        ``"Local authority"`` diamonds, then one ``Scatter`` of ward dots per significance
        outcome (coloured by :data:`COMPARISON_COLOURS`, ``error_x`` for the interval), all on
        the scaled x axis. A vertical line at x = 0 marks WMCA.

    Raises
    ------
    ValueError
        For missing columns, an unknown polarity or an unknown significance value.
    """
    frame = _spine_frame(profile_df)
    pos = _spine_positions(frame)
    ids = frame["indicator"].astype(str).tolist()
    texts = _row_texts(frame)
    fig = go.Figure()
    _add_range_bars(fig, ids, pos, texts)
    _add_ward_dots(fig, frame, ids, pos, texts)
    _add_spine_annotations(fig, frame, ids, compact)
    fig.update_layout(**_spine_layout(frame, ids, compact))
    return fig


def _spine_frame(profile_df: pd.DataFrame) -> pd.DataFrame:
    """The profile, checked: known polarities, and significances that are comparison keys."""
    where = "spine_chart"
    require_columns(profile_df, SPINE_COLUMNS, where)
    frame = profile_df.reset_index(drop=True)
    bad_polarity = sorted(set(frame["polarity"]) - set(POLARITIES))
    if bad_polarity:
        raise ValueError(f"{where}: unknown polarity {bad_polarity}")
    bad_sig = sorted(set(frame["significance"]) - set(COMPARISON_COLOURS))
    if bad_sig:
        raise ValueError(f"{where}: unknown significance {bad_sig}; expected one of "
                         f"{sorted(COMPARISON_COLOURS)}")
    return frame


def _row_texts(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Hover text of each row's figures, with decimals fitted to that row's ward range.

    Keys are ``min``, ``max``, ``q25``, ``q75``, ``authority`` and ``benchmark``, and ``value``,
    which carries the ward's 95% CI.
    """
    units = frame["unit"] if "unit" in frame.columns else pd.Series("", index=frame.index)
    row_dp = [decimals_for([lo, hi], u) for lo, hi, u in zip(
        pd.to_numeric(frame["min"], errors="coerce"), pd.to_numeric(frame["max"], errors="coerce"),
        units, strict=True)]
    texts = {col: [format_value(float(v), u, dp) for v, u, dp in
                   zip(pd.to_numeric(frame[col], errors="coerce"), units, row_dp, strict=True)]
             for col in ("min", "max", "q25", "q75", "authority", "benchmark")}
    texts["value"] = [_format_with_ci(v, lo, hi, u, dp) for v, lo, hi, u, dp in zip(
        pd.to_numeric(frame["value"], errors="coerce"),
        pd.to_numeric(frame["lower"], errors="coerce"),
        pd.to_numeric(frame["upper"], errors="coerce"), units, row_dp, strict=True)]
    return texts


def _add_range_bars(fig: go.Figure, ids: list[str], pos: dict[str, np.ndarray],
                    texts: dict[str, list[str]]) -> None:
    """Add the WMCA range and middle-50% bars and the authority diamonds of every row."""
    range_lo = np.fmin(pos["min"], pos["max"])
    range_hi = np.fmax(pos["min"], pos["max"])
    iqr_lo = np.fmin(pos["q25"], pos["q75"])
    iqr_hi = np.fmax(pos["q25"], pos["q75"])
    fig.add_trace(go.Bar(
        y=ids, x=range_hi - range_lo, base=range_lo, orientation="h", name="WMCA range",
        marker={"color": RANGE_COLOUR}, width=0.6,
        customdata=np.column_stack([texts["min"], texts["max"]]),
        hovertemplate="WMCA wards range from %{customdata[0]} to %{customdata[1]}<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        y=ids, x=iqr_hi - iqr_lo, base=iqr_lo, orientation="h", name="Middle 50% of wards",
        marker={"color": IQR_COLOUR}, width=0.6,
        customdata=np.column_stack([texts["q25"], texts["q75"]]),
        hovertemplate="Middle half of wards: %{customdata[0]} to %{customdata[1]}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        y=ids, x=pos["authority"], mode="markers", name="Local authority",
        marker={"symbol": "diamond", "size": 9, "color": AUTHORITY_MARKER_COLOUR},
        customdata=np.asarray(texts["authority"], dtype=object),
        hovertemplate="Local authority: %{customdata}<extra></extra>",
    ))


def _add_ward_dots(fig: go.Figure, frame: pd.DataFrame, ids: list[str],
                   pos: dict[str, np.ndarray], texts: dict[str, list[str]]) -> None:
    """Add the ward's dots with their intervals, one trace per significance outcome."""
    ci_lo = np.fmin(pos["lower"], pos["upper"])
    ci_hi = np.fmax(pos["lower"], pos["upper"])
    customdata = np.column_stack([frame["title"].astype(str).to_numpy(dtype=object),
                                  np.asarray(texts["value"], dtype=object),
                                  np.asarray(texts["benchmark"], dtype=object),
                                  frame["significance"].map(COMPARISON_LABELS).to_numpy(dtype=object)])
    for key in COMPARISON_ORDER:
        mask = (frame["significance"] == key).to_numpy() & np.isfinite(pos["value"])
        if not mask.any():
            continue
        x = pos["value"][mask]
        error = None
        if np.isfinite(ci_lo[mask]).any():
            error = _error_bars(x, ci_lo[mask], ci_hi[mask], "#252525", symmetric=False,
                                thickness=1, width=3)
        fig.add_trace(go.Scatter(
            y=np.asarray(ids, dtype=object)[mask], x=x, mode="markers",
            name="Ward: " + COMPARISON_LABELS[key],
            marker={"color": COMPARISON_COLOURS[key], "size": 12,
                    "line": {"color": "#252525", "width": 1}},
            error_x=error, customdata=customdata[mask],
            hovertemplate=("<b>%{customdata[0]}</b><br>Ward: %{customdata[1]}<br>"
                           "WMCA: %{customdata[2]}<br>%{customdata[3]}<extra></extra>"),
        ))


def _add_spine_annotations(fig: go.Figure, frame: pd.DataFrame, ids: list[str],
                           compact: bool) -> None:
    """Add the WMCA line, the worse / better ends and, on a phone, each row's name."""
    fig.add_vline(x=0, line={"color": WMCA_LINE_COLOUR, "width": 2})
    fig.add_annotation(text="◀ Worse", x=-1.0, xref="x", y=1.0, yref="paper", yanchor="bottom",
                       showarrow=False, xanchor="left")
    if not compact:  # on a phone the centre label would sit on top of the other two
        fig.add_annotation(text="WMCA", x=0, xref="x", y=1.0, yref="paper",
                           yanchor="bottom", showarrow=False)
    fig.add_annotation(text="Better ▶", x=1.0, xref="x", y=1.0, yref="paper", yanchor="bottom",
                       showarrow=False, xanchor="right")
    titles = frame["title"].astype(str).tolist()
    if compact:
        for row_id, text in zip(ids, titles, strict=True):
            fig.add_annotation(text=text, x=-1.15, xref="x", y=row_id, yref="y",
                               yshift=13, xanchor="left", yanchor="bottom", showarrow=False,
                               font={"size": 12, "color": LEGEND_TEXT_COLOUR})


def _spine_layout(frame: pd.DataFrame, ids: list[str], compact: bool) -> dict:
    """The spine chart's layout: titles, the scaled x axis, one row per indicator."""
    titles = frame["title"].astype(str).tolist()
    title = "Ward profile compared with WMCA"
    description = ("Each row is scaled so WMCA is at the centre and the most extreme ward at "
                   "the edge; worse is on the left for indicators with a direction, lower for "
                   "those without.")
    # A phone has no room for the subtitle; the page says the same above the chart.
    return {
        "title": {"text": title, "subtitle": {"text": "" if compact else description}},
        "barmode": "overlay",
        "xaxis": {"title": {"text": "Position within the WMCA ward range (WMCA = centre)"
                            if not compact else "WMCA = centre line"},
                  "range": [-1.15, 1.15], "showticklabels": False, "zeroline": False,
                  "showgrid": False},
        "yaxis": {"title": {"text": "" if compact else "Indicator"}, "tickmode": "array",
                  "tickvals": ids, "ticktext": titles, "showticklabels": not compact,
                  "autorange": "reversed", "categoryorder": "array", "categoryarray": ids},
        "height": max(300, (64 if compact else 44) * len(frame) + (220 if compact else 160)),
        "margin": {"l": 8, "r": 8, "t": 70} if compact else None,
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.15 if not compact else -0.08},
        "meta": {"title": title, "description": description},
    }


# Okabe & Ito colours and four marker shapes: each ward told apart by colour and by shape.
COMPARE_MARKERS = (("#0072B2", "circle"), ("#D55E00", "square"), ("#009E73", "diamond"),
                   ("#CC79A7", "triangle-up"))
MAX_COMPARED = len(COMPARE_MARKERS)


def _compare_positions(frames: list[pd.DataFrame]) -> list[dict[str, np.ndarray]]:
    """Each ward's figures on one scaled axis shared by all wards (benchmark 0, furthest ±1)."""
    cols = ("value", "lower", "upper", "min", "q25", "q75", "max")
    nums = [{c: pd.to_numeric(f[c], errors="coerce").to_numpy(dtype=float)
             for c in (*cols, "benchmark")} for f in frames]
    centre = nums[0]["benchmark"]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmax(np.abs(np.column_stack(
            [n[c] - centre for n in nums for c in ("min", "max", "value", "lower", "upper")]
        )), axis=1)
    spread = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
    sign = np.where(frames[0]["polarity"].to_numpy() == "higher_is_worse", -1.0, 1.0)
    return [{c: sign * (n[c] - centre) / spread for c in cols} for n in nums]


def spine_compare_chart(frames: dict[str, pd.DataFrame], *, compact: bool = False) -> go.Figure:
    """Two to four wards on one spine chart: a marker per ward on every indicator's row.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Ward label (the legend's name) to that ward's profile with the columns of
        :data:`SPINE_COLUMNS`; every frame lists the same indicators in the same order.
    compact : bool
        For a phone-width screen: each indicator's name above its row.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: ``"WMCA range"`` and ``"Middle 50% of wards"`` bars, then one ``Scatter``
        per ward (its own colour and marker shape, :data:`COMPARE_MARKERS`, with its 95%
        interval as ``error_x``), named by the ward's label. Rows are at y = 0, 1, …; the
        wards' markers sit a little apart within a row so that none hides another.

    Raises
    ------
    ValueError
        For fewer than two or more than :data:`MAX_COMPARED` wards, frames whose indicators
        differ, or a frame :func:`spine_chart` would refuse.
    """
    if not 2 <= len(frames) <= MAX_COMPARED:
        raise ValueError(f"spine_compare_chart: give 2 to {MAX_COMPARED} wards, got {len(frames)}")
    checked = {label: _spine_frame(frame) for label, frame in frames.items()}
    first = next(iter(checked.values()))
    for label, frame in checked.items():
        if list(frame["indicator"]) != list(first["indicator"]):
            raise ValueError(f"spine_compare_chart: {label!r} lists other indicators")
    positions = _compare_positions(list(checked.values()))
    rows = np.arange(len(first), dtype=float)
    texts = _row_texts(first)
    fig = go.Figure()
    _add_compare_ranges(fig, rows, positions[0], texts)
    offsets = np.linspace(-0.22, 0.22, len(checked))
    for (label, frame), pos, offset, (colour, symbol) in zip(
            checked.items(), positions, offsets, COMPARE_MARKERS, strict=False):
        _add_compare_ward(fig, frame, label, rows + offset, pos, colour, symbol)
    _add_spine_annotations(fig, first, list(rows), compact)
    layout = _spine_layout(first, list(rows), compact)
    title = "Wards side by side, compared with WMCA"
    layout["title"]["text"] = title
    layout["meta"]["title"] = title
    layout["yaxis"].update(categoryorder=None, categoryarray=None, type="linear",
                           range=[len(first) - 0.5, -0.5], autorange=False, zeroline=False,
                           showgrid=False)
    fig.update_layout(**layout)
    return fig


def _add_compare_ranges(fig: go.Figure, rows: np.ndarray, pos: dict[str, np.ndarray],
                        texts: dict[str, list[str]]) -> None:
    """The WMCA range and middle-50% bars of every row, at numeric row positions."""
    for name, lo_col, hi_col, colour in (("WMCA range", "min", "max", RANGE_COLOUR),
                                         ("Middle 50% of wards", "q25", "q75", IQR_COLOUR)):
        lo = np.fmin(pos[lo_col], pos[hi_col])
        hi = np.fmax(pos[lo_col], pos[hi_col])
        fig.add_trace(go.Bar(
            y=rows, x=hi - lo, base=lo, orientation="h", name=name,
            marker={"color": colour}, width=0.8,
            customdata=np.column_stack([texts[lo_col], texts[hi_col]]),
            hovertemplate=f"{name}: %{{customdata[0]}} to %{{customdata[1]}}<extra></extra>",
        ))


def _add_compare_ward(fig: go.Figure, frame: pd.DataFrame, label: str, y: np.ndarray,
                      pos: dict[str, np.ndarray], colour: str, symbol: str) -> None:
    """One ward's markers with their intervals, and hover text naming the comparison."""
    texts = _row_texts(frame)
    shown = np.isfinite(pos["value"])
    ci_lo = np.fmin(pos["lower"], pos["upper"])
    ci_hi = np.fmax(pos["lower"], pos["upper"])
    error = (_error_bars(pos["value"][shown], ci_lo[shown], ci_hi[shown], colour,
                         symmetric=False, thickness=1.5, width=3)
             if np.isfinite(ci_lo[shown]).any() else None)
    customdata = np.column_stack([
        frame["title"].astype(str).to_numpy(dtype=object),
        np.asarray(texts["value"], dtype=object),
        np.asarray(texts["benchmark"], dtype=object),
        frame["significance"].map(COMPARISON_LABELS).to_numpy(dtype=object)])[shown]
    fig.add_trace(go.Scatter(
        y=y[shown], x=pos["value"][shown], mode="markers", name=label,
        marker={"color": colour, "symbol": symbol, "size": 11,
                "line": {"color": "#252525", "width": 1}},
        error_x=error, customdata=customdata,
        hovertemplate=(f"<b>{label}</b><br>%{{customdata[0]}}: %{{customdata[1]}}<br>"
                       "WMCA: %{customdata[2]}<br>%{customdata[3]}<extra></extra>"),
    ))
