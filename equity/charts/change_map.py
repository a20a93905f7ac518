"""Maps of change on a diverging, colour-blind-safe scale centred on no change.

Used for the Census 2011 to 2021 change by neighbourhood (MSOA) and the IMD 2019 to 2025
change by ward. Colours are ColorBrewer's PuOr, which stays readable for the common forms of
colour blindness: orange for a change for the worse, purple for a change for the better (for
a measure with no direction, orange falls and purple rises), three shades a side by size, and
a near-white middle class for no change or, where intervals are given, for areas whose 95%
interval includes zero ("no clear change"), drawn with a grey edge so they stay visible.

The shapes are a collection keyed by code (:func:`area_geojson`, the same as the ward map's),
named by URL once published as a static file (``equity.ui.cache.msoa_shapes`` for MSOAs,
``map_shapes`` for wards) or carried inline; outlines are unfilled choropleths over them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from equity.charts.geometry import _geo_view, wards_geojson
from equity.charts.map import MAP_HEIGHT, MAP_UIREVISION, ShapesRef, _outline_trace, _shapes_for
from equity.charts.style import AUTHORITY_LINE_COLOUR, LEGEND_TEXT_COLOUR, SELECTED_COLOUR
from equity.checks import require_columns
from equity.stats import POLARITIES

DIVERGING_SCALE: tuple[str, ...] = ("#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb",
                                     "#998ec3", "#542788")
"""ColorBrewer PuOr, 7 classes: orange (index 0) through near-white (3) to purple (6)."""
_NEUTRAL_EDGE = "#969696"
_AREA_EDGE = "#ffffff"


def area_geojson(shapes, code_column: str, authorities=None, precision: int = 5) -> dict:
    """Areas (and authorities, for the outlines) as a GeoJSON FeatureCollection keyed by code.

    The same collection :func:`equity.charts.wards_geojson` makes, for areas whose code is in
    ``code_column``: each feature's ``id`` is its code, so a map can name the collection by
    URL (``equity.static_files``) or carry it inline.

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        Areas (wards, MSOAs) with ``code_column``, in or convertible to EPSG:4326.
    code_column : str
        The column whose value identifies each area.
    authorities : geopandas.GeoDataFrame, optional
        Local authorities with ``authority_code``, added after the areas.
    precision : int
        Decimal places kept in coordinates.

    Returns
    -------
    dict
        A FeatureCollection: the areas, then the authorities.
    """
    if code_column not in getattr(shapes, "columns", ()):
        raise ValueError(f"area_geojson: shapes have no {code_column!r} column")
    renamed = shapes[[code_column, shapes.geometry.name]].rename(
        columns={code_column: "ward_code"})
    return wards_geojson(renamed, authorities, precision)


def diverging_classes(values: np.ndarray, clear: np.ndarray | None = None
                      ) -> tuple[np.ndarray, tuple[float, float]]:
    """Classes -3..3 of a change, centred on no change.

    Parameters
    ----------
    values : array
        The changes (NaN = no data).
    clear : array of bool, optional
        Where the change's 95% interval excludes zero. Areas where it does not go in the
        middle class (0), whatever their size; without ``clear`` only a change of exactly
        zero does.

    Returns
    -------
    classes : numpy.ndarray
        -3 (largest falls) to 3 (largest rises), 0 for no (clear) change, and -9 for no data.
    thresholds : tuple of float
        The sizes splitting the coloured areas into three shades: the terciles of their
        absolute changes, the same on both sides so the scale stays centred on zero.
    """
    values = np.asarray(values, dtype=float)
    coloured = np.isfinite(values) & (values != 0)
    if clear is not None:
        coloured &= np.asarray(clear, dtype=bool)
    size = np.abs(values[coloured])
    if size.size:
        low, high = (float(v) for v in np.quantile(size, [1 / 3, 2 / 3]))
    else:
        low = high = 0.0
    shade = np.where(np.abs(values) > high, 3, np.where(np.abs(values) > low, 2, 1))
    classes = np.where(coloured, np.sign(values) * shade, 0).astype(int)
    classes[~np.isfinite(values)] = -9
    return classes, (low, high)


def _class_colour(level: int, polarity: str) -> str:
    """The PuOr colour of class ``level``: orange is worse (or, with no direction, a fall)."""
    worse_is_rise = polarity == "higher_is_worse"
    towards_orange = level if worse_is_rise else -level
    return DIVERGING_SCALE[3 - towards_orange]


def _class_names(thresholds: tuple[float, float], unit: str, polarity: str,
                 with_intervals: bool) -> dict[int, str]:
    """Legend names of the seven classes, saying the size and whether it is better or worse."""
    low, high = thresholds
    judgement = {"higher_is_worse": ("worse", "better"),
                 "higher_is_better": ("better", "worse")}.get(polarity, ("", ""))
    sizes = {1: f"up to {low:.1f} {unit}", 2: f"{low:.1f} to {high:.1f} {unit}",
             3: f"over {high:.1f} {unit}"}
    names = {0: ("Interval includes 0: no clear change" if with_intervals else "No change")}
    for level in (1, 2, 3):
        for sign, word, judged in ((1, "Rise", judgement[0]), (-1, "Fall", judgement[1])):
            names[sign * level] = f"{word} {sizes[level]}" + (f" ({judged})" if judged else "")
    return names


def change_map(shapes, code_column: str, frame: pd.DataFrame, *, title: str, unit: str,
               polarity: str, areas: tuple[str, str], with_intervals: bool,
               authorities=None, selected: str | None = None,
               geojson: ShapesRef | None = None) -> go.Figure:
    """A map of change, each area in its diverging class, with a legend of the classes.

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        The areas drawn, with ``code_column``.
    code_column : str
        The code joining ``shapes`` to ``frame``.
    frame : pandas.DataFrame
        One row per code: ``change``; ``clear`` (bool: the interval excludes zero) when
        ``with_intervals``; ``name``, ``authority`` and ``detail`` (hover text).
    title, unit : str
        The map's title and the change's unit ("points").
    polarity : {"higher_is_worse", "higher_is_better", "neither"}
        Which way is worse, for the colours and the legend.
    areas : tuple of str
        What the areas are called, singular and plural.
    with_intervals : bool
        Whether the middle class is "interval includes zero" rather than "no change".
    authorities : geopandas.GeoDataFrame, optional
        Authority outlines drawn over the areas.
    selected : str, optional
        Code of an area to outline.
    geojson : dict or str, optional
        The shapes: a prebuilt :func:`area_geojson` of ``shapes`` (with ``authorities``, when
        outlines are drawn), or the URL of that collection as a static file. Built inline
        when omitted.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Choropleth`` trace per non-empty class (named in the legend), then optional
        authority and selected outlines, on a ``geo`` subplot framed to the areas.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"change_map: unknown polarity {polarity!r}")
    needed = [code_column, "change", "name", "authority", "detail"]
    require_columns(frame, needed + (["clear"] if with_intervals else []), "change_map")
    if geojson is None:
        geojson = area_geojson(shapes, code_column, authorities)
    codes = shapes[code_column].astype(str).reset_index(drop=True)
    data = frame.drop_duplicates(code_column).set_index(code_column).reindex(codes)
    classes, thresholds = diverging_classes(
        data["change"].to_numpy(dtype=float),
        data["clear"].fillna(False).to_numpy(dtype=bool) if with_intervals else None)
    names = _class_names(thresholds, unit, polarity, with_intervals)
    customdata = np.column_stack([codes.to_numpy(dtype=object),
                                  data["name"].fillna("").to_numpy(dtype=object),
                                  data["authority"].fillna("").to_numpy(dtype=object),
                                  data["detail"].fillna("no data").to_numpy(dtype=object)])
    traces = []
    for level in (3, 2, 1, 0, -1, -2, -3, -9):
        mask = classes == level
        if not mask.any():
            continue
        colour = "#d9d9d9" if level == -9 else _class_colour(level, polarity)
        traces.append(go.Choropleth(
            _validate=False,
            geojson=_shapes_for(geojson, codes[mask]), locations=codes[mask].tolist(),
            z=[0] * int(mask.sum()), zmin=0, zmax=1, colorscale=[[0, colour], [1, colour]],
            showscale=False, showlegend=True, name="No data" if level == -9 else names[level],
            legendgroup=f"class{level}", customdata=customdata[mask],
            hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}"
                          "<extra></extra>",
            marker={"line": {"color": _NEUTRAL_EDGE if level == 0 else _AREA_EDGE,
                             "width": 0.5}}))
    if authorities is not None:
        traces += _outline_trace(geojson, authorities["authority_code"].astype(str),
                                 "Local authority boundary", AUTHORITY_LINE_COLOUR, 1.5)
    if selected is not None and (codes == selected).any():
        traces += _outline_trace(geojson, [selected], f"Selected: {data['name'][selected]}",
                                 SELECTED_COLOUR, 4)
    layout = _layout(shapes, title, areas, int(np.isfinite(
        data["change"].to_numpy(dtype=float)).sum()), with_intervals)
    return go.Figure(data=traces, layout=layout, _validate=False)


def _layout(shapes, title: str, areas: tuple[str, str], n_areas: int,
            with_intervals: bool) -> dict:
    """Title, the areas' view, a legend below the map and an accessible description."""
    middle = ("near-white areas with a grey edge have a 95% interval that includes zero (no "
              "clear change)" if with_intervals else "near-white areas did not change")
    return {
        "title": {"text": title, "x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
                  "font": {"size": 14}},
        "geo": _geo_view(shapes),
        "margin": {"l": 0, "r": 0, "t": 30, "b": 0},
        "height": MAP_HEIGHT,
        "uirevision": MAP_UIREVISION + "-change",
        "legend": {"title": {"text": "Change (diverging scale centred on no change)",
                             "side": "top", "font": {"color": LEGEND_TEXT_COLOUR}},
                   "font": {"color": LEGEND_TEXT_COLOUR}, "orientation": "h", "x": 0,
                   "xanchor": "left", "y": 0, "yanchor": "top",
                   "bgcolor": "rgba(255,255,255,0.85)"},
        "meta": {"title": title,
                 "description": (f"Map of change in {n_areas} {areas[1]} on a diverging "
                                 "orange-purple scale centred on no change: orange is a change "
                                 "for the worse, purple for the better, darker is larger; "
                                 f"{middle}.")},
    }
