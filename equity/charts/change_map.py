"""Maps of change on a diverging, colour-blind-safe scale centred on no change.

Used for the Census 2011 to 2021 change by neighbourhood (MSOA) and the IMD 2019 to 2025
change by ward. Colours are ColorBrewer's PuOr, which stays readable for the common forms of
colour blindness: orange for a change for the worse, purple for a change for the better (for
a measure with no direction, orange falls and purple rises), three shades a side by size, and
a near-white middle class for no change or, where intervals are given, for areas whose 95%
interval includes zero ("no clear change"), drawn with a grey edge so they stay visible.

Geometry is handled in one place, :func:`area_geojson`, and the areas' shapes come to the map
as their own frame (the bundle keeps MSOA shapes in their own file), so the way shapes reach
the browser can change without touching the classes or the legend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from equity.charts.geometry import _array_geometry, _as_wgs84, _boundary_lines, _geo_view
from equity.charts.map import MAP_HEIGHT, MAP_UIREVISION
from equity.charts.style import AUTHORITY_LINE_COLOUR, LEGEND_TEXT_COLOUR, SELECTED_COLOUR
from equity.checks import require_columns
from equity.stats import POLARITIES

DIVERGING_SCALE: tuple[str, ...] = ("#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb",
                                     "#998ec3", "#542788")
"""ColorBrewer PuOr, 7 classes: orange (index 0) through near-white (3) to purple (6)."""
_NEUTRAL_EDGE = "#969696"
_AREA_EDGE = "#ffffff"


def area_geojson(shapes, code_column: str, precision: int = 5) -> dict:
    """Shapes as a slim GeoJSON FeatureCollection keyed by ``properties.<code_column>``.

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        Areas (wards, MSOAs) with ``code_column``, in or convertible to EPSG:4326.
    code_column : str
        The column whose value identifies each feature.
    precision : int
        Decimal places kept in coordinates.

    Returns
    -------
    dict
        A FeatureCollection; each feature's ``properties`` hold only the code.
    """
    if code_column not in getattr(shapes, "columns", ()):
        raise ValueError(f"area_geojson: shapes have no {code_column!r} column")
    gdf = _as_wgs84(shapes[[code_column, shapes.geometry.name]])
    gdf = gdf.set_geometry(gdf.geometry.set_precision(10.0 ** -precision))
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f["properties"][code_column],
         "properties": {code_column: f["properties"][code_column]},
         "geometry": _array_geometry(f["geometry"])}
        for f in gdf.__geo_interface__["features"]]}


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
               geojson: dict | None = None) -> go.Figure:
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
    geojson : dict, optional
        A prebuilt :func:`area_geojson` of ``shapes``.

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
        geojson = area_geojson(shapes, code_column)
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
    fig = go.Figure(_validate=False)
    for level in (3, 2, 1, 0, -1, -2, -3, -9):
        mask = classes == level
        if not mask.any():
            continue
        colour = "#d9d9d9" if level == -9 else _class_colour(level, polarity)
        wanted = set(codes[mask])
        fig.add_trace(go.Choropleth(
            _validate=False,
            geojson={"type": "FeatureCollection", "features": [
                f for f in geojson["features"] if f["properties"][code_column] in wanted]},
            featureidkey=f"properties.{code_column}", locations=codes[mask].tolist(),
            z=[0] * int(mask.sum()), zmin=0, zmax=1, colorscale=[[0, colour], [1, colour]],
            showscale=False, showlegend=True, name="No data" if level == -9 else names[level],
            legendgroup=f"class{level}", customdata=customdata[mask],
            hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}"
                          "<extra></extra>",
            marker={"line": {"color": _NEUTRAL_EDGE if level == 0 else _AREA_EDGE,
                             "width": 0.5}}))
    if authorities is not None:
        fig.add_trace(_lines(authorities.geometry, "Local authority boundary",
                             AUTHORITY_LINE_COLOUR, 1.5))
    if selected is not None and (codes == selected).any():
        match = (shapes[code_column].astype(str) == selected).to_numpy()
        fig.add_trace(_lines(shapes.geometry[match], f"Selected: {data['name'][selected]}",
                             SELECTED_COLOUR, 4))
    fig.update_layout(**_layout(shapes, title, areas, int(np.isfinite(
        data["change"].to_numpy(dtype=float)).sum()), with_intervals))
    return fig


def _lines(geometries, name: str, colour: str, width: float) -> go.Scattergeo:
    """Outlines of ``geometries`` as one line trace with no hover."""
    lons, lats = _boundary_lines(_as_wgs84(geometries))
    return go.Scattergeo(_validate=False, lon=lons, lat=lats, mode="lines", name=name,
                         line={"color": colour, "width": width}, hoverinfo="skip",
                         showlegend=True)


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
