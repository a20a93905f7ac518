"""The gap chart: every ward's value and 95% interval, in order, against a benchmark.

Wards are coloured by how they compare with the benchmark (WMCA, or the one authority a
partial indicator covers); authorities are diamonds to the right of the wards, their names
spread apart by :func:`spread_labels`.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from equity.catalogue import AUTHORITIES, Indicator
from equity.charts import hover
from equity.charts.arguments import _check_indicator, _finite
from equity.charts.style import (
    AUTHORITY_MARKER_COLOUR,
    COMPARISON_COLOURS,
    COMPARISON_ORDER,
    ENGLAND_LINE_COLOUR,
    FADED_OPACITY,
    RIGHT_LABEL,
    WMCA_LINE_COLOUR,
    _error_bars,
    _format_with_ci,
    comparison_label,
    decimals_for,
    format_value,
    interval_label,
)
from equity.checks import require_columns


def gap_to_benchmark(
    ward_values_df: pd.DataFrame,
    indicator: Indicator,
    benchmark_value: float,
    authority_values: Mapping[str, float],
    england_value: float | None = None,
    highlight: set[str] | None = None,
    *,
    benchmark_label: str = "WMCA",
    names_from: str | None = None,
) -> go.Figure:
    """Draw a caterpillar chart: every ward's value and 95% CI, ordered, against a benchmark.

    Each ward is coloured by its ``benchmark_outcome``, computed by
    ``equity.views.ward_frame``: better / similar / worse, or higher / similar / lower for
    indicators with no direction, where the ward has an interval; scores and deciles carry
    none, so they are only above or below the benchmark (:data:`HIGHER_COLOUR` /
    :data:`LOWER_COLOUR`) and a note says so.

    Parameters
    ----------
    ward_values_df : pandas.DataFrame
        ``ward_code``, ``ward_name``, ``authority``, ``value``, ``lower``, ``upper`` and
        ``benchmark_outcome`` (as from ``equity.views.ward_frame``). Wards with no value are
        left out and counted in the subtitle.
    indicator : Indicator
        Catalogue entry.
    benchmark_value : float
        The benchmark's value (WMCA, or the one authority a partial indicator covers), drawn
        as a solid line.
    authority_values : mapping of str to float
        Authority code (or name) to value, drawn as labelled diamonds to the right of the
        wards. NaN values are skipped.
    england_value : float or None
        England value, drawn as a dashed line when given.
    highlight : set of str or None
        Ward codes drawn at full strength; others are faded. ``None`` highlights all.
    benchmark_label : str
        Name of the benchmark in labels, for example ``"Birmingham"`` for indicators that
        cover Birmingham only.
    names_from : str or None
        The URL of the ward shapes the page's map draws from (a static file whose features
        carry each ward's name and authority). Given, each point's hover data starts with its
        ward code, and the chart element puts the name and authority from that file in its
        place (``layout.meta["ward_names"]``): the names are not sent again with every chart.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Scatter`` per comparison outcome (and per faded/highlighted state), named by
        :func:`comparison_label` (``" (outside filter)"`` appended when faded), with
        x = position 1..n in value order and ``error_y`` for the interval; then a
        ``"Local authority"`` diamond trace. WMCA and England lines are layout shapes with
        annotations.

    Raises
    ------
    ValueError
        For missing columns, an unknown outcome or a non-finite benchmark value.
    """
    where = "gap_to_benchmark"
    _check_indicator(indicator, where)
    require_columns(ward_values_df, ["ward_code", "value", "benchmark_outcome"], where)
    benchmark = _finite(benchmark_value, "benchmark_value", where)
    england = _finite(england_value, "england_value", where, allow_none=True)
    frame, n_missing = _ordered_wards(ward_values_df)
    decimals = decimals_for(frame["value"], indicator.unit)
    frame = _with_hover_texts(frame, indicator, highlight, benchmark_label, decimals)

    traces = _outcome_traces(frame, indicator, benchmark_label, decimals, names_from)
    markers, label_annotations = _authority_markers(frame, authority_values, indicator.unit,
                                                    decimals)
    notes = _gap_notes(indicator.has_interval, n_missing, benchmark_label, indicator.modelled)
    layout = {**_reference_lines(benchmark, england, benchmark_label, indicator.unit,
                                 decimals, label_annotations),
              **_gap_layout(indicator, benchmark_label, len(frame), notes)}
    if names_from:
        layout["meta"]["ward_names"] = names_from
    # One constructor call, without plotly's per-property checks (the tests validate the
    # finished figure in full): adding traces and layout step by step cost twice the time.
    return go.Figure(data=traces + markers, layout=layout, _validate=False)


def _gap_layout(indicator: Indicator, benchmark_label: str, n_wards: int,
                notes: list[str]) -> dict:
    """The gap chart's layout: titles, and an x axis of the wards with room for authorities."""
    title = f"{indicator.title}: wards compared with {benchmark_label}"
    return {
        "title": {"text": title, "subtitle": {"text": " ".join(notes)}},
        "xaxis": {"title": {"text": f"Wards ordered from lowest to highest value ({n_wards} wards)"},
                  "showticklabels": False, "showgrid": False, "zeroline": False,
                  "range": [0, n_wards + max(2, n_wards * 0.03) + max(8, n_wards * 0.15)]},
        "yaxis": {"title": {"text": indicator.short_title}},
        "legend": {"title": {"text": f"Compared with {benchmark_label}"}},
        "hovermode": "closest",
        "plot_bgcolor": "#ffffff",
        "meta": {"title": title, "description": " ".join(notes)},
    }


def _ordered_wards(ward_values_df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Wards with a value, lowest first, at x = 1..n, with every column the chart reads.

    Returns the frame (``lower`` and ``upper`` as floats, NaN where missing) and the number
    of wards left out for having no value.
    """
    frame = ward_values_df.copy()
    for col in ("lower", "upper"):
        if col not in frame.columns:
            frame[col] = np.nan
    for col in ("ward_name", "authority"):
        if col not in frame.columns:
            frame[col] = frame["ward_code"] if col == "ward_name" else ""
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    n_missing = int((~np.isfinite(frame["value"])).sum())
    frame = frame[np.isfinite(frame["value"])].sort_values(["value", "ward_code"])
    frame = frame.reset_index(drop=True)
    frame["x"] = np.arange(1, len(frame) + 1)
    for col in ("lower", "upper"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return frame, n_missing


def _with_hover_texts(frame: pd.DataFrame, indicator: Indicator, highlight: set[str] | None,
                      benchmark_label: str, decimals: int) -> pd.DataFrame:
    """Add each ward's outcome (as given), fading, and hover texts."""
    outcome = frame["benchmark_outcome"].astype(object)
    unknown = sorted(set(outcome) - set(COMPARISON_COLOURS))
    if unknown:
        raise ValueError(f"gap_to_benchmark: unknown benchmark_outcome {unknown}")
    frame["outcome"] = outcome.to_numpy()
    frame["faded"] = False if highlight is None else ~frame["ward_code"].isin(set(highlight))
    frame["value_text"] = [_format_with_ci(v, lo, hi, indicator.unit, decimals,
                                           interval_label(indicator))
                           for v, lo, hi in zip(frame["value"], frame["lower"], frame["upper"],
                                                strict=True)]
    frame["outcome_text"] = [comparison_label(o, benchmark_label) for o in frame["outcome"]]
    return frame


def _outcome_traces(frame: pd.DataFrame, indicator: Indicator, benchmark_label: str,
                    decimals: int, names_from: str | None) -> list:
    """One trace of ward points per comparison outcome, and again for faded wards."""
    traces = []
    # Index NumPy arrays rather than filtering the frame once per trace (much faster).
    value = frame["value"].to_numpy(dtype=float)
    lower = frame["lower"].to_numpy(dtype=float)
    upper = frame["upper"].to_numpy(dtype=float)
    outcome_arr = frame["outcome"].to_numpy(dtype=object)
    faded_arr = np.asarray(frame["faded"], dtype=bool)
    x_arr = frame["x"].to_numpy()
    names = (frame[["ward_code"]] if names_from else frame[["ward_name", "authority"]]
             ).to_numpy(dtype=object)
    value_text = frame["value_text"].to_numpy(dtype=object)
    # Each trace is one outcome, so its text is in the trace's hover template, not each point's.
    outcome_text = dict(zip(frame["outcome"], frame["outcome_text"], strict=True))
    for outcome_key in COMPARISON_ORDER:
        legend_shown = False
        for faded in (False, True):
            mask = (outcome_arr == outcome_key) & (faded_arr == faded)
            if not mask.any():
                continue
            show_legend = not legend_shown
            legend_shown = True
            v, lo, hi = value[mask], lower[mask], upper[mask]
            colour = COMPARISON_COLOURS[outcome_key]
            error = None
            if indicator.has_interval and np.isfinite(lo).any():
                error = _error_bars(v, lo, hi, colour, symmetric=False, thickness=1, width=0)
                # Drawn at a pixel's precision: single precision halves their bytes.
                error["array"] = error["array"].astype(np.float32)
                error["arrayminus"] = error["arrayminus"].astype(np.float32)
            customdata, value_hover = _ward_hover(names[mask], value_text[mask], v, lo, hi,
                                                  indicator, decimals)
            traces.append(go.Scatter(_validate=False,
                x=x_arr[mask], y=v.astype(np.float32), mode="markers",
                name=(comparison_label(outcome_key, benchmark_label)
                      + (" (outside filter)" if faded else "")),
                legendgroup=outcome_key, showlegend=show_legend,
                marker={"color": colour, "size": 6, "line": {"width": 0}},
                opacity=FADED_OPACITY if faded else 1.0,
                error_y=error,
                customdata=customdata,
                hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                               + value_hover + "<br>"
                               + outcome_text[outcome_key].replace("%{", "% {")
                               + "<extra></extra>"),
            ))
    return traces


def _ward_hover(names: np.ndarray, value_text: np.ndarray, value: np.ndarray,
                lower: np.ndarray, upper: np.ndarray, indicator: Indicator,
                decimals: int) -> tuple[list, str]:
    """The points' customdata (``names``, then the value) and the value's hover text.

    The value and its interval go as numbers where they can (``equity.charts.hover``), as
    their text otherwise. The hover text reads them from ``customdata[2]`` on: after the name
    and authority, which ``names`` holds or the chart element puts in place of a ward code.
    """
    with_interval = bool(np.isfinite(lower).all() and np.isfinite(upper).all())
    numbers = hover.hover_numbers(value, lower, upper, decimals, with_interval)
    if numbers is None or not (with_interval or np.isnan(lower).all() or np.isnan(upper).all()):
        return np.column_stack([names, value_text]).tolist(), "%{customdata[2]}"
    label = interval_label(indicator) if with_interval else None
    rows = [[*name, *row] for name, row in zip(names.tolist(), numbers, strict=True)]
    return rows, hover.hover_value(2, indicator.unit, decimals, label)


def _authority_markers(frame: pd.DataFrame, authority_values: Mapping[str, float], unit: str,
                       decimals: int) -> tuple[list, list[dict]]:
    """The authorities' diamonds right of the wards, and their name annotations.

    The diamonds are a list of one trace, or an empty list when no authority has a value.
    """
    n_wards = len(frame)
    authorities = [(AUTHORITIES.get(code, str(code)), float(v))
                   for code, v in authority_values.items()
                   if v is not None and np.isfinite(v)]
    if not authorities:
        return [], []
    authority_x = n_wards + max(2, n_wards * 0.03)
    marker = go.Scatter(_validate=False,
        x=[authority_x] * len(authorities), y=[v for _, v in authorities],
        mode="markers", name="Local authority",
        text=[name for name, _ in authorities],
        marker={"symbol": "diamond", "size": 8, "color": AUTHORITY_MARKER_COLOUR},
        customdata=[format_value(v, unit, decimals) for _, v in authorities],
        hovertemplate="%{text}: %{customdata}<extra>Local authority</extra>",
    )
    # Authorities often lie within a few tenths of each other: their names are spread apart
    # so none is printed over another: a 10 px name's line is about 15 px, and the plot is
    # at least about 250 px high (270 px on a desktop; on a phone, equity.charts.small_screen
    # makes room), over an axis about a tenth wider than the intervals and values it shows.
    shown = [v for column in ("value", "lower", "upper") if column in frame.columns
             for v in frame[column].to_numpy(dtype=float) if np.isfinite(v)]
    shown += [v for _, v in authorities]
    span = (max(shown) - min(shown)) or 1.0
    label_y = spread_labels([v for _, v in authorities], min_gap=span * 1.1 * 15 / 250)
    return [marker], [
        {"name": RIGHT_LABEL, "xref": "x", "x": authority_x, "yref": "y", "y": y,
         "text": name,
         "showarrow": False, "xanchor": "left", "yanchor": "middle", "xshift": 7,
         "font": {"size": 10}}
        for (name, _), y in zip(authorities, label_y, strict=True)]


def _reference_lines(benchmark: float, england: float | None, benchmark_label: str, unit: str,
                     decimals: int, label_annotations: list[dict]) -> dict:
    """Layout shapes and annotations for the benchmark and England lines, plus the labels."""
    # Plain shapes and annotations: add_hline does the same at several times the cost.
    references = [(benchmark, f"{benchmark_label} {format_value(benchmark, unit, decimals)}",
                   {"color": WMCA_LINE_COLOUR, "width": 1.5}, "bottom")]
    if england is not None:
        references.append((england, f"England {format_value(england, unit, decimals)}",
                           {"color": ENGLAND_LINE_COLOUR, "width": 1.2, "dash": "dash"}, "top"))
    return {
        "shapes": [{"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y",
                    "y0": y, "y1": y, "line": line} for y, _, line, _ in references],
        "annotations": [{"xref": "x domain", "x": 0, "yref": "y", "y": y, "text": text,
                         "showarrow": False, "xanchor": "left", "yanchor": anchor}
                        for y, text, _, anchor in references] + label_annotations,
    }


def _gap_notes(tested: bool, n_missing: int, benchmark_label: str,
               modelled: bool = False) -> list[str]:
    """The sentences under the title: what colour means, and how many wards have no data."""
    notes = []
    if tested and modelled:
        notes.append("Estimate (modelled): colour shows whether the ward's modelled 95% "
                     f"interval, from the validation error, excludes the {benchmark_label} "
                     "value.")
    elif tested:
        notes.append(f"Colour shows whether the ward's 95% interval excludes the "
                     f"{benchmark_label} value.")
    else:
        notes.append("Scores carry no confidence interval: colour shows only above or below "
                     f"the {benchmark_label} value, not a significant difference.")
    if n_missing:
        notes.append(f"{n_missing} wards with no data are not shown.")
    return notes


def spread_labels(values, min_gap: float, rounds: int = 200) -> list[float]:
    """Positions for labels of ``values`` on one axis, at least ``min_gap`` apart.

    Labels keep their order and stay as close to their values as the gap allows: each
    round pushes every pair that is too close apart about its midpoint.

    Parameters
    ----------
    values : sequence of float
        Where each label would go. Must be finite.
    min_gap : float
        The smallest distance between two labels, in the same units (positive).
    rounds : int
        Passes over the labels; enough for a few dozen labels.

    Returns
    -------
    list of float
        One position per value, in the input order.

    Raises
    ------
    ValueError
        For a non-finite value or a gap that is not positive.
    """
    positions = [float(v) for v in values]
    if not all(np.isfinite(positions)):
        raise ValueError("spread_labels: every value must be finite")
    if not (isinstance(min_gap, numbers.Real) and min_gap > 0):
        raise ValueError(f"spread_labels: min_gap must be positive, got {min_gap!r}")
    order = sorted(range(len(positions)), key=lambda i: (positions[i], i))
    placed = [positions[i] for i in order]
    for _ in range(rounds):
        moved = False
        for j in range(len(placed) - 1):
            if placed[j + 1] - placed[j] < min_gap * (1 - 1e-9):
                middle = (placed[j] + placed[j + 1]) / 2
                placed[j], placed[j + 1] = middle - min_gap / 2, middle + min_gap / 2
                moved = True
        if not moved:
            break
    out = [0.0] * len(positions)
    for rank, i in enumerate(order):
        out[i] = placed[rank]
    return out

