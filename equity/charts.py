"""Plotly figure builders for the dashboard: maps, caterpillar, gap and spine charts.

Every function here is pure: it takes tables and catalogue entries and returns a new
:class:`plotly.graph_objects.Figure` (or plain data), never touching Streamlit or the disk.
Bad values raise ``ValueError``; passing something that is not a DataFrame where one is
needed, or not a catalogue :class:`~equity.catalogue.Indicator`, raises ``TypeError``.

Colours
-------
Map classes use ColorBrewer single-hue sequential schemes, which stay ordered for the common
forms of colour blindness: :data:`WORSE_SCALE` (OrRd) for indicators with a direction, always
drawn so that the darkest class is the worst, and :data:`NEUTRAL_SCALE` (Blues) for indicators
with no direction. Wards with no data are :data:`NO_DATA_COLOUR`, a mid grey that is darker
than the lightest class and has no hue; ``choropleth`` cannot hatch, so the legend names it
"No data".

Comparisons with a benchmark use the blue / grey / red of ColorBrewer's RdBu diverging scheme
(:data:`BETTER_COLOUR`, :data:`SIMILAR_COLOUR`, :data:`WORSE_COLOUR`), which is colour-blind
safe, unlike the green / amber / red of Fingertips. Indicators with no direction, and scores
that carry no interval, use the purple / orange pair of PuOr (:data:`HIGHER_COLOUR`,
:data:`LOWER_COLOUR`), so they are never read as good or bad.
"""

from __future__ import annotations

import math
import numbers
import textwrap
import warnings
from collections.abc import Iterable, Mapping

import mapclassify
import numpy as np
import pandas as pd
import plotly.colors as pcolors
import plotly.graph_objects as go

from equity.catalogue import AUTHORITIES, Indicator
from equity.checks import require_columns
from equity.stats import GROUP_COLUMNS, POLARITIES, compare_to_benchmark, rank_wards

# ---------------------------------------------------------------- colours
WORSE_SCALE: tuple[str, ...] = pcolors.colorbrewer.OrRd
"""ColorBrewer OrRd (9 classes), light to dark; dark = worse."""
NEUTRAL_SCALE: tuple[str, ...] = pcolors.colorbrewer.Blues
"""ColorBrewer Blues (9 classes), light to dark; dark = higher, no judgement."""
NO_DATA_COLOUR = "#d9d9d9"
"""Fill for wards with no data (legend entry "No data")."""
WARD_LINE_COLOUR = "#ffffff"
AUTHORITY_LINE_COLOUR = "#252525"
SELECTED_COLOUR = "#000000"
FADE_TOWARDS_WHITE = 0.7
"""Share of white mixed into a class colour for wards outside the highlighted set."""
NO_DATA_FADE = 0.4
"""The same for the no-data grey, which faded as far would be nearly white."""
FADED_OPACITY = 0.25
"""Opacity of points outside the highlighted set in the caterpillar chart."""

BETTER_COLOUR = "#2166ac"
SIMILAR_COLOUR = "#bababa"
WORSE_COLOUR = "#b2182b"
HIGHER_COLOUR = "#5e3c99"
LOWER_COLOUR = "#e66101"
NOT_COMPARED_COLOUR = "#737373"
WMCA_LINE_COLOUR = "#000000"
ENGLAND_LINE_COLOUR = "#525252"
AUTHORITY_MARKER_COLOUR = "#252525"
BAR_COLOUR = "#4393c3"
RANGE_COLOUR = "#e0e0e0"
IQR_COLOUR = "#a6a6a6"

COMPARISON_COLOURS: dict[str, str] = {
    "better": BETTER_COLOUR,
    "similar": SIMILAR_COLOUR,
    "worse": WORSE_COLOUR,
    "higher": HIGHER_COLOUR,
    "lower": LOWER_COLOUR,
    "above": HIGHER_COLOUR,
    "below": LOWER_COLOUR,
    "equal": SIMILAR_COLOUR,
    "no data": NOT_COMPARED_COLOUR,
    "not compared": NOT_COMPARED_COLOUR,
    "not tested": NOT_COMPARED_COLOUR,
}
"""Colour for each comparison outcome (from :func:`equity.stats.compare_to_benchmark`, plus
``above`` / ``below`` / ``equal`` for scores without an interval)."""
COMPARISON_LABELS: dict[str, str] = {
    "better": "Better than WMCA",
    "similar": "Similar to WMCA",
    "worse": "Worse than WMCA",
    "higher": "Higher than WMCA",
    "lower": "Lower than WMCA",
    "above": "Above WMCA (not tested)",
    "below": "Below WMCA (not tested)",
    "equal": "Same as WMCA",
    "no data": "Not compared (no interval)",
    "not compared": "Not compared",
    "not tested": "Not tested (no interval)",
}
COMPARISON_ORDER = ("worse", "lower", "below", "similar", "equal", "better", "higher", "above",
                    "no data", "not compared", "not tested")

# The space kept around the wards on a map, as a share of their extent.
MAP_PADDING = 0.02
# How far a reader can zoom a map in: 30 times the whole area, about one ward across.
# It cannot be zoomed out past the whole area, where it would shrink to a dot.
MAP_MAX_ZOOM = 30
MAP_UIREVISION = "wmca-map"
MAP_HEIGHT = 560
# Streamlit's plotly theme greys legend titles to 3.7:1 contrast; set explicitly for 12.6:1.
LEGEND_TEXT_COLOUR = "#31333F"
# The name of annotations written to the right of the plot area (the gap chart's authority
# names), which need a right margin on a phone.
RIGHT_LABEL = "right-label"

# Every chart's look, in place of the theme Streamlit's own chart element applied in the
# browser, with the same sizes (12 px text, 14 px axis titles, 16 px bold chart titles), grids
# and margins, so layouts fit as before; and a colour-blind-safe colourway (Okabe & Ito) for
# any trace that does not set its own colour. equity.ui makes it plotly's default.
CHART_FONT = '"Source Sans", "Source Sans Pro", sans-serif'
CHART_TEXT_COLOUR = "#0e1117"
CHART_GRID_COLOUR = "#e6eaf1"
_AXIS = {"gridcolor": CHART_GRID_COLOUR, "zerolinecolor": CHART_GRID_COLOUR,
         "tickcolor": CHART_GRID_COLOUR, "tickfont": {"size": 12, "color": CHART_TEXT_COLOUR},
         "automargin": True}
CHART_TEMPLATE = go.layout.Template(layout={
    "font": {"family": CHART_FONT, "size": 12, "color": CHART_TEXT_COLOUR},
    "title": {"font": {"size": 16, "weight": 700}, "x": 0, "xanchor": "left", "pad": {"l": 2}},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "colorway": ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
                 "#000000"],
    "xaxis": {**_AXIS, "showgrid": False, "zeroline": False,
              "title": {"font": {"size": 14}, "standoff": 20}},
    "yaxis": {**_AXIS, "ticklabelposition": "outside",
              "title": {"font": {"size": 14}, "standoff": 24}},
    "legend": {"font": {"size": 12}, "title": {"font": {"size": 12}, "side": "top"},
               "valign": "top", "borderwidth": 0},
    "margin": {"pad": 8, "l": 0, "r": 0},
    "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": "#d5dae5",
                   "font": {"family": CHART_FONT, "size": 12, "color": CHART_TEXT_COLOUR}},
})

SCHEMES = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,
    "fisher_jenks": mapclassify.FisherJenks,
    "equal_interval": mapclassify.EqualInterval,
}
"""Classification schemes. ``natural_breaks`` uses Fisher-Jenks, which is optimal and
deterministic (mapclassify's ``NaturalBreaks`` uses random k-means starts)."""
MAX_CLASSES = 9

_DECIMALS = {"%": 1, "score": 1, "decile": 0, "themes": 0}
# Whole numbers by nature (a decile, a count of themes): never shown with decimals.
_WHOLE_UNITS = frozenset({"decile", "themes"})


# ---------------------------------------------------------------- small helpers
def format_value(value: float, unit: str, decimals: int | None = None) -> str:
    """Format a value for display: ``"12.3%"``, ``"23.4"`` (score), ``"3"`` (decile).

    ``decimals`` overrides the unit's default (1 for % and scores, 0 for deciles); see
    :func:`decimals_for`. NaN gives ``"no data"``.
    """
    if value is None or not np.isfinite(value):
        return "no data"
    if decimals is None:
        decimals = _DECIMALS.get(unit, 1)
    text = f"{value:,.{decimals}f}"
    return text + "%" if unit == "%" else text


def decimals_for(values: Iterable[float], unit: str) -> int:
    """Decimal places that keep values of this spread apart (at least the unit's default).

    Scores such as the IoD employment domain are rates between 0 and 1, so one decimal place
    would show most wards as ``0.1`` or ``0.2``. This gives enough places to resolve a tenth
    of the spread of ``values``, at most 4; whole-number units (deciles, counts of themes)
    always get 0.
    """
    base = _DECIMALS.get(unit, 1)
    if unit in _WHOLE_UNITS:
        return 0
    data = np.asarray(list(values), dtype=float)
    data = data[np.isfinite(data)]
    span = float(data.max() - data.min()) if data.size >= 2 else 0.0
    if span <= 0:
        return base
    return int(min(4, max(base, np.ceil(-np.log10(span / 10)))))


def _format_with_ci(value: float, lower: float, upper: float, unit: str,
                    decimals: int | None = None) -> str:
    text = format_value(value, unit, decimals)
    if np.isfinite(value) and np.isfinite(lower) and np.isfinite(upper):
        text += (f" (95% CI {format_value(lower, unit, decimals)} to "
                 f"{format_value(upper, unit, decimals)})")
    return text


def comparison_label(outcome: str, benchmark: str = "WMCA") -> str:
    """Legend label for a comparison outcome, e.g. ``"Better than Birmingham"``."""
    if outcome not in COMPARISON_LABELS:
        raise ValueError(f"comparison_label: unknown outcome {outcome!r}; expected one of "
                         f"{sorted(COMPARISON_LABELS)}")
    return COMPARISON_LABELS[outcome].replace("WMCA", benchmark)


def _check_indicator(indicator: Indicator, where: str) -> None:
    if not isinstance(indicator, Indicator):
        raise TypeError(f"{where}: expected a catalogue Indicator, not {type(indicator).__name__}")
    if indicator.polarity not in POLARITIES:
        raise ValueError(f"{where}: indicator {indicator.id!r} has unknown polarity "
                         f"{indicator.polarity!r}")


def _to_hex(colour: str) -> str:
    if colour.startswith("#"):
        return colour.lower()
    r, g, b = pcolors.unlabel_rgb(colour)
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in (r, g, b)))


def _fade(colour: str, amount: float = FADE_TOWARDS_WHITE) -> str:
    r, g, b = pcolors.hex_to_rgb(_to_hex(colour))
    mixed = (c + (255 - c) * amount for c in (r, g, b))
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in mixed))


def _finite(value: object, name: str, where: str, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{where}: {name} must be a finite number, not {value!r}")
    return float(value)


# ---------------------------------------------------------------- classes and palettes
def class_breaks(
    values: pd.Series | np.ndarray, scheme: str = "quantiles", k: int = 5
) -> tuple[np.ndarray, pd.Series]:
    """Classify ward values into at most ``k`` classes with mapclassify.

    Parameters
    ----------
    values : pandas.Series or array-like
        One value per ward; NaN means no data and is left out of the classification.
    scheme : {"quantiles", "natural_breaks", "fisher_jenks", "equal_interval"}
        Classification scheme (see :data:`SCHEMES`).
    k : int
        Number of classes wanted, 1 to 9. Fewer are made when there are fewer distinct values,
        and classes a scheme would leave empty (quantiles over tied values) are merged away.

    Returns
    -------
    bins : numpy.ndarray
        Upper bound of each class, increasing; the last equals the largest value. Class ``i``
        holds values ``v`` with ``bins[i - 1] < v <= bins[i]``. Empty when no ward has data.
    classes : pandas.Series of int
        Class index per ward (0 = lowest values), ``-1`` for no data. Keeps the index of
        ``values`` when it is a Series.

    Raises
    ------
    ValueError
        For an unknown scheme or ``k`` outside 1..9.
    """
    if scheme not in SCHEMES:
        raise ValueError(
            f"class_breaks: unknown scheme {scheme!r}; expected one of {sorted(SCHEMES)}"
        )
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= MAX_CLASSES:
        raise ValueError(
            f"class_breaks: k must be a whole number from 1 to {MAX_CLASSES}, not {k!r}"
        )
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    series = pd.to_numeric(series, errors="coerce").astype(float)
    y = series.to_numpy()
    finite = np.isfinite(y)
    classes = pd.Series(-1, index=series.index, dtype=int, name="class")
    if not finite.any():
        return np.array([], dtype=float), classes
    data = y[finite]
    k_used = min(int(k), int(np.unique(data).size))
    if k_used == 1:
        bins = np.array([data.max()])
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bins = np.asarray(SCHEMES[scheme](data, k=k_used).bins, dtype=float)
    bins = np.unique(bins)
    bins[-1] = data.max()
    used = np.unique(np.searchsorted(bins, data, side="left"))
    bins = bins[used]
    classes[finite] = np.searchsorted(bins, data, side="left")
    return bins, classes


def palette(polarity: str, k: int) -> list[str]:
    """Colour-blind-safe sequential colours for ``k`` map classes.

    Parameters
    ----------
    polarity : {"higher_is_worse", "higher_is_better", "neither"}
        ``higher_is_worse``: OrRd light to dark, so the highest (worst) class is darkest.
        ``higher_is_better``: the same colours reversed, so the lowest (worst) class is darkest.
        ``neither``: Blues light to dark (dark = higher, no judgement).
    k : int
        Number of classes, 1 to 9.

    Returns
    -------
    list of str
        ``k`` hex colours in class order (class 0, the lowest values, first). Wards with no
        data use :data:`NO_DATA_COLOUR` instead.

    Raises
    ------
    ValueError
        For an unknown polarity or ``k`` outside 1..9.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"palette: unknown polarity {polarity!r}; expected one of {POLARITIES}")
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= MAX_CLASSES:
        raise ValueError(f"palette: k must be a whole number from 1 to {MAX_CLASSES}, not {k!r}")
    scale = NEUTRAL_SCALE if polarity == "neither" else WORSE_SCALE
    points = [0.6] if k == 1 else list(np.linspace(0.12, 1.0, int(k)))
    colours = [_to_hex(c) for c in pcolors.sample_colorscale(list(scale), points)]
    if polarity == "higher_is_better":
        colours.reverse()
    return colours


# ---------------------------------------------------------------- map
def wards_geojson(wards_gdf, precision: int = 5) -> dict:
    """Build a slim GeoJSON FeatureCollection of the wards for :func:`choropleth`.

    Only ``ward_code`` is kept as a property and coordinates are rounded, so the payload sent
    to the browser stays small. Build it once and pass it to :func:`choropleth` as
    ``geojson=`` to reuse it.

    Parameters
    ----------
    wards_gdf : geopandas.GeoDataFrame
        Wards with a ``ward_code`` column, in (or convertible to) EPSG:4326.
    precision : int
        Decimal places kept in coordinates (5 is about a metre).

    Returns
    -------
    dict
        A GeoJSON FeatureCollection whose features carry ``properties.ward_code``.
    """
    if "ward_code" not in getattr(wards_gdf, "columns", ()):
        raise ValueError("wards_geojson: wards_gdf has no 'ward_code' column")
    gdf = wards_gdf[["ward_code", wards_gdf.geometry.name]]
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    gdf = gdf.set_geometry(gdf.geometry.set_precision(10.0 ** -precision))
    collection = gdf.__geo_interface__
    features = [
        {"type": "Feature", "id": f["properties"]["ward_code"],
         "properties": {"ward_code": f["properties"]["ward_code"]},
         "geometry": _array_geometry(f["geometry"])}
        for f in collection["features"]
    ]
    return {"type": "FeatureCollection", "features": features}


def _array_geometry(geometry: dict) -> dict:
    """Hold each ring as one NumPy array instead of nested tuples of floats.

    plotly deep-copies a trace's GeoJSON whenever a figure is built or marshalled; a copy of an
    array is one memory copy, where nested tuples cost a Python object per coordinate (this
    halves the map's build time). plotly's JSON encoder writes arrays as plain lists.
    """
    def rings(polygon):
        return [np.asarray(ring, dtype=float) for ring in polygon]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": rings(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [rings(polygon) for polygon in geometry["coordinates"]]}
    return dict(geometry)


def _subset(geojson: dict, codes: Iterable[str]) -> dict:
    wanted = set(codes)
    return {"type": "FeatureCollection",
            "features": [f for f in geojson["features"]
                         if f["properties"]["ward_code"] in wanted]}


def _boundary_lines(geometries) -> tuple[np.ndarray, np.ndarray]:
    """Exterior and interior rings of (multi)polygons as lon / lat arrays split by NaN.

    Arrays rather than lists: plotly validates a list element by element but an array at once,
    and serialises NaN as null, which map line traces treat as a break.
    """
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    gap = np.array([np.nan])
    for geom in geometries:
        if geom is None or geom.is_empty:
            continue
        polygons = getattr(geom, "geoms", [geom])
        for polygon in polygons:
            for ring in (polygon.exterior, *polygon.interiors):
                xy = np.round(np.asarray(ring.coords)[:, :2], 5)
                lons += [xy[:, 0], gap]
                lats += [xy[:, 1], gap]
    if not lons:
        return np.array([]), np.array([])
    return np.concatenate(lons), np.concatenate(lats)


def _class_label(values: np.ndarray, unit: str, decimals: int) -> str:
    low = format_value(float(values.min()), unit, decimals)
    high = format_value(float(values.max()), unit, decimals)
    return low if low == high else f"{low} – {high}"


def choropleth(
    wards_gdf,
    ward_values_df: pd.DataFrame,
    indicator: Indicator,
    scheme: str = "quantiles",
    k: int = 5,
    highlight: set[str] | None = None,
    selected: str | None = None,
    authorities_gdf=None,
    *,
    geojson: dict | None = None,
) -> go.Figure:
    """Map wards coloured by class, with a discrete legend, as SVG shapes on a plain background.

    Parameters
    ----------
    wards_gdf : geopandas.GeoDataFrame
        Ward boundaries with ``ward_code`` (and optionally ``ward_name``, ``authority``).
    ward_values_df : pandas.DataFrame
        One row per ward with ``ward_code`` and ``value``, and optionally ``lower``,
        ``upper``, ``ward_name`` and ``authority`` (as from ``Bundle.ward_values``).
        Wards missing here or with NaN are drawn as "No data".
    indicator : Indicator
        Catalogue entry: title, unit and polarity (for colours and ranks).
    scheme, k : str, int
        Classification, as in :func:`class_breaks`.
    highlight : set of str or None
        Ward codes to draw at full strength; the others are faded. ``None`` highlights all.
        Codes not on the map are ignored.
    selected : str or None
        Ward code to outline with a thick dark line.
    authorities_gdf : geopandas.GeoDataFrame or None
        Local authority outlines, drawn as one line trace.
    geojson : dict or None
        A prebuilt :func:`wards_geojson` to reuse; built from ``wards_gdf`` when omitted.

    Returns
    -------
    plotly.graph_objects.Figure
        On a ``geo`` subplot (Mercator) whose longitude and latitude ranges are the wards'
        extent, padded by ``MAP_PADDING``: plotly fits that extent to whatever width the map
        is drawn at, from a phone to a desktop. No base layer or tile is drawn.
        Traces, in order: one ``Choropleth`` per non-empty class (legend name is the class
        range, e.g. ``"12.3% – 15.8%"``; ``z`` is 0 for highlighted and 1 for faded wards,
        mapped by a two-step colour scale), a ``"No data"`` trace when any ward lacks data, a
        ``Scattergeo`` of authority outlines (when given) and a ``Scattergeo`` outline of the
        selected ward (when given). Each ward trace's geojson holds only its own wards, so
        the geometry is sent once. ``customdata`` columns are ward code, ward name,
        authority, value text (with 95% CI) and rank text.

    Raises
    ------
    ValueError
        For missing columns, a bad scheme or ``k``, or a ``selected`` ward not on the map.
    """
    where = "choropleth"
    _check_indicator(indicator, where)
    require_columns(ward_values_df, ["ward_code", "value"], where)
    if "ward_code" not in getattr(wards_gdf, "columns", ()):
        raise ValueError(f"{where}: wards_gdf has no 'ward_code' column")
    if geojson is None:
        geojson = wards_geojson(wards_gdf)
    base = pd.DataFrame(wards_gdf.drop(columns=wards_gdf.geometry.name)).reset_index(drop=True)
    codes = base["ward_code"].astype(str)
    if selected is not None and selected not in set(codes):
        raise ValueError(f"{where}: selected ward {selected!r} is not on the map")
    data = ward_values_df.drop_duplicates("ward_code").set_index("ward_code").reindex(codes)
    value = pd.to_numeric(data["value"], errors="coerce").to_numpy(dtype=float)
    lower = pd.to_numeric(data.get("lower", pd.Series(np.nan, index=data.index)),
                          errors="coerce").to_numpy(dtype=float)
    upper = pd.to_numeric(data.get("upper", pd.Series(np.nan, index=data.index)),
                          errors="coerce").to_numpy(dtype=float)

    def _text_column(name: str) -> np.ndarray:
        from_values = data[name] if name in data.columns else pd.Series(np.nan, index=data.index)
        from_wards = base[name] if name in base.columns else pd.Series("", index=base.index)
        merged = from_values.to_numpy(dtype=object)
        fallback = from_wards.to_numpy(dtype=object)
        return np.where(pd.isna(merged), fallback, merged).astype(str)

    names = _text_column("ward_name")
    authority = _text_column("authority")
    ranks = rank_wards(value, indicator.polarity).to_numpy()
    n_ranked = int(np.isfinite(value).sum())
    rank_note = "1 = highest" if indicator.polarity == "neither" else "1 = worst"
    rank_text = np.array([f"{int(r)} of {n_ranked} ({rank_note})" if np.isfinite(r) else "no data"
                          for r in ranks], dtype=object)
    decimals = decimals_for(value, indicator.unit)
    value_text = np.array([_format_with_ci(v, lo, hi, indicator.unit, decimals)
                           for v, lo, hi in zip(value, lower, upper, strict=True)], dtype=object)
    if "status" in data.columns:
        # A ward outside an indicator's coverage says so ("no data for this authority").
        status = data["status"].fillna("").astype(str).to_numpy()
        value_text = np.where(~np.isfinite(value) & (status != ""), status, value_text)
    customdata = np.column_stack([codes.to_numpy(dtype=object), names, authority, value_text,
                                  rank_text])
    faded = np.zeros(len(codes), dtype=int)
    if highlight is not None:
        faded = (~codes.isin(set(highlight))).to_numpy().astype(int)
    hovertemplate = (
        "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
        + indicator.short_title.replace("{", "(").replace("}", ")")
        + ": %{customdata[3]}<br>Rank: %{customdata[4]}<extra></extra>"
    )

    bins, classes = class_breaks(value, scheme=scheme, k=k)
    classes = classes.to_numpy()
    colours = palette(indicator.polarity, max(len(bins), 1))
    # Built without plotly's per-property validation (it halves the build time); the tests
    # validate the finished spec in full instead.
    fig = go.Figure(_validate=False)

    def _add_ward_trace(mask: np.ndarray, colour: str, name: str, group: str,
                        fade: float = FADE_TOWARDS_WHITE) -> None:
        if not mask.any():
            return
        # z is 0 (full) or 1 (faded), so only the ends matter. Plotly draws a choropleth's
        # legend swatch as its whole colour scale: the faded stop, kept to the last 1%, leaves
        # it the class colour instead of half faded.
        faded_colour = _fade(colour, fade)
        scale = [[0.0, colour], [0.99, colour], [0.99, faded_colour], [1.0, faded_colour]]
        fig.add_trace(go.Choropleth(_validate=False,
            geojson=_subset(geojson, codes[mask]),
            featureidkey="properties.ward_code",
            locations=codes[mask].tolist(),
            z=faded[mask].tolist(),
            zmin=0,
            zmax=1,
            colorscale=scale,
            showscale=False,
            showlegend=True,
            name=name,
            legendgroup=group,
            customdata=customdata[mask],
            hovertemplate=hovertemplate,
            marker={"line": {"color": WARD_LINE_COLOUR, "width": 0.6}},
            selected={"marker": {"opacity": 1.0}},
            unselected={"marker": {"opacity": 1.0}},
        ))

    for i, colour in enumerate(colours[: len(bins)]):
        mask = classes == i
        if mask.any():
            _add_ward_trace(mask, colour, _class_label(value[mask], indicator.unit, decimals),
                           f"class{i}")
    _add_ward_trace(classes == -1, NO_DATA_COLOUR, "No data", "nodata", NO_DATA_FADE)

    if authorities_gdf is not None:
        outlines = authorities_gdf
        if outlines.crs is not None and not outlines.crs.equals("EPSG:4326"):
            outlines = outlines.to_crs(4326)
        lons, lats = _boundary_lines(outlines.geometry)
        fig.add_trace(go.Scattergeo(_validate=False,
            lon=lons, lat=lats, mode="lines", name="Local authority boundary",
            line={"color": AUTHORITY_LINE_COLOUR, "width": 1.5}, hoverinfo="skip",
            showlegend=True,
        ))
    if selected is not None:
        geometry = wards_gdf.geometry[(codes == selected).to_numpy()]
        if wards_gdf.crs is not None and not wards_gdf.crs.equals("EPSG:4326"):
            geometry = geometry.to_crs(4326)
        lons, lats = _boundary_lines(geometry)
        selected_name = names[(codes == selected).to_numpy()][0]
        fig.add_trace(go.Scattergeo(_validate=False,
            lon=lons, lat=lats, mode="lines", name=f"Selected: {selected_name}",
            line={"color": SELECTED_COLOUR, "width": 4}, hoverinfo="skip", showlegend=True,
        ))

    scheme_name = "natural breaks" if scheme in {"natural_breaks", "fisher_jenks"} else \
        scheme.replace("_", " ")
    title = f"{indicator.title} by ward"
    fig.update_layout(
        title={"text": title, "x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
               "font": {"size": 14}},
        geo=_geo_view(wards_gdf),
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        height=MAP_HEIGHT,
        uirevision=MAP_UIREVISION,
        clickmode="event+select",
        legend={"title": {"text": f"{indicator.short_title} ({scheme_name})", "side": "top",
                          "font": {"color": LEGEND_TEXT_COLOUR}},
                "font": {"color": LEGEND_TEXT_COLOUR},
                "orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0.85)"},
        meta={"title": title,
              "description": (f"Map of {n_ranked} wards with data coloured in {len(bins)} "
                              f"{scheme_name} classes; darker is "
                              + ("higher" if indicator.polarity == "neither" else "worse")
                              + ". Grey wards have no data.")},
    )
    return fig


def _geo_view(gdf) -> dict:
    """The ``layout.geo`` of a ward map: the wards' extent, padded, with no base layers.

    Plotly fits the longitude and latitude ranges to the drawn size, which the server cannot
    know, so the whole area shows on a phone held either way and in a narrow window.
    ``visible=False`` hides land, coastlines and the frame, which would need a world
    topojson (equity/plotly_chart.js registers an empty one).
    """
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    west, south, east, north = (float(v) for v in gdf.total_bounds)
    pad_x, pad_y = (east - west) * MAP_PADDING, (north - south) * MAP_PADDING
    return {"visible": False,
            "projection": {"type": "mercator", "minscale": 1, "maxscale": MAP_MAX_ZOOM},
            "lonaxis": {"range": [round(west - pad_x, 5), round(east + pad_x, 5)]},
            "lataxis": {"range": [round(south - pad_y, 5), round(north + pad_y, 5)]}}


# ---------------------------------------------------------------- caterpillar
def gap_to_benchmark(
    ward_values_df: pd.DataFrame,
    indicator: Indicator,
    wmca_value: float,
    authority_values: Mapping[str, float],
    england_value: float | None = None,
    highlight: set[str] | None = None,
    *,
    benchmark_label: str = "WMCA",
) -> go.Figure:
    """Draw a caterpillar chart: every ward's value and 95% CI, ordered, against WMCA.

    Wards with an interval are coloured by :func:`equity.stats.compare_to_benchmark` against
    the WMCA value: better / similar / worse, or higher / similar / lower for indicators with
    no direction. Scores and deciles carry no interval, so they are coloured only above or
    below WMCA (:data:`HIGHER_COLOUR` / :data:`LOWER_COLOUR`) and a note says so.

    Parameters
    ----------
    ward_values_df : pandas.DataFrame
        ``ward_code``, ``ward_name``, ``authority``, ``value``, ``lower``, ``upper`` (as from
        ``Bundle.ward_values``). Wards with no value are left out and counted in the subtitle.
    indicator : Indicator
        Catalogue entry.
    wmca_value : float
        WMCA value, drawn as a solid line and used as the benchmark.
    authority_values : mapping of str to float
        Authority code (or name) to value, drawn as labelled diamonds to the right of the
        wards. NaN values are skipped.
    england_value : float or None
        England value, drawn as a dashed line when given.
    highlight : set of str or None
        Ward codes drawn at full strength; others are faded. ``None`` highlights all.
    benchmark_label : str
        Name of the benchmark in labels. Pass, for example, ``"Birmingham"`` with the
        Birmingham value as ``wmca_value`` for indicators that cover Birmingham only.

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
        For missing columns or a non-finite WMCA value.
    """
    where = "gap_to_benchmark"
    _check_indicator(indicator, where)
    require_columns(ward_values_df, ["ward_code", "value"], where)
    wmca = _finite(wmca_value, "wmca_value", where)
    england = _finite(england_value, "england_value", where, allow_none=True)
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
    lower = pd.to_numeric(frame["lower"], errors="coerce").to_numpy(dtype=float)
    upper = pd.to_numeric(frame["upper"], errors="coerce").to_numpy(dtype=float)
    value = frame["value"].to_numpy(dtype=float)
    tested = indicator.has_interval
    if tested:
        outcome = compare_to_benchmark(lower, upper, wmca, indicator.polarity)
    else:
        outcome = np.where(value > wmca, "above", np.where(value < wmca, "below", "equal"))
    frame["outcome"] = np.asarray(outcome, dtype=object)
    frame["faded"] = False if highlight is None else ~frame["ward_code"].isin(set(highlight))
    decimals = decimals_for(value, indicator.unit)
    frame["value_text"] = [_format_with_ci(v, lo, hi, indicator.unit, decimals)
                           for v, lo, hi in zip(value, lower, upper, strict=True)]
    frame["outcome_text"] = [comparison_label(o, benchmark_label) for o in frame["outcome"]]

    fig = go.Figure(_validate=False)  # validated in full by the tests
    # Index NumPy arrays rather than filtering the frame once per trace (much faster).
    outcome_arr = frame["outcome"].to_numpy(dtype=object)
    faded_arr = np.asarray(frame["faded"], dtype=bool)
    x_arr = frame["x"].to_numpy()
    custom_all = frame[["ward_code", "ward_name", "authority", "value_text",
                        "outcome_text"]].to_numpy(dtype=object)
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
            if tested and np.isfinite(lo).any():
                error = {"type": "data", "symmetric": False, "array": np.nan_to_num(hi - v),
                         "arrayminus": np.nan_to_num(v - lo), "color": colour, "thickness": 1,
                         "width": 0}
            fig.add_trace(go.Scatter(_validate=False,
                x=x_arr[mask], y=v, mode="markers",
                name=(comparison_label(outcome_key, benchmark_label)
                      + (" (outside filter)" if faded else "")),
                legendgroup=outcome_key, showlegend=show_legend,
                marker={"color": colour, "size": 6, "line": {"width": 0}},
                opacity=FADED_OPACITY if faded else 1.0,
                error_y=error,
                customdata=custom_all[mask],
                hovertemplate=("<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
                               "%{customdata[3]}<br>%{customdata[4]}<extra></extra>"),
            ))

    n = len(frame)
    authorities = [(AUTHORITIES.get(code, str(code)), float(v))
                   for code, v in authority_values.items()
                   if v is not None and np.isfinite(v)]
    label_annotations = []
    if authorities:
        authority_x = n + max(2, n * 0.03)
        fig.add_trace(go.Scatter(_validate=False,
            x=[authority_x] * len(authorities), y=[v for _, v in authorities],
            mode="markers", name="Local authority",
            text=[name for name, _ in authorities],
            marker={"symbol": "diamond", "size": 8, "color": AUTHORITY_MARKER_COLOUR},
            customdata=[format_value(v, indicator.unit, decimals) for _, v in authorities],
            hovertemplate="%{text}: %{customdata}<extra>Local authority</extra>",
        ))
        # Authorities often lie within a few tenths of each other: their names are spread
        # apart (about 12 px on a 450 px chart's ~290 px plot) so none is printed over another.
        shown = [v for v in frame["value"].to_numpy(dtype=float) if np.isfinite(v)]
        shown += [v for _, v in authorities]
        span = (max(shown) - min(shown)) or 1.0
        label_y = spread_labels([v for _, v in authorities], min_gap=span * 12 / 290)
        label_annotations = [
            {"name": RIGHT_LABEL, "xref": "x", "x": authority_x, "yref": "y", "y": y,
             "text": name,
             "showarrow": False, "xanchor": "left", "yanchor": "middle", "xshift": 7,
             "font": {"size": 10}}
            for (name, _), y in zip(authorities, label_y, strict=True)]
    # Plain shapes and annotations: add_hline does the same at several times the cost.
    references = [(wmca, f"{benchmark_label} {format_value(wmca, indicator.unit, decimals)}",
                   {"color": WMCA_LINE_COLOUR, "width": 1.5}, "bottom")]
    if england is not None:
        references.append((england,
                           f"England {format_value(england, indicator.unit, decimals)}",
                           {"color": ENGLAND_LINE_COLOUR, "width": 1.2, "dash": "dash"}, "top"))
    fig.update_layout(
        shapes=[{"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y,
                 "y1": y, "line": line} for y, _, line, _ in references],
        annotations=[{"xref": "x domain", "x": 0, "yref": "y", "y": y, "text": text,
                      "showarrow": False, "xanchor": "left", "yanchor": anchor}
                     for y, text, _, anchor in references] + label_annotations,
    )

    notes = []
    if tested:
        notes.append(f"Colour shows whether the ward's 95% interval excludes the "
                     f"{benchmark_label} value.")
    else:
        notes.append("Scores carry no confidence interval: colour shows only above or below "
                     f"the {benchmark_label} value, not a significant difference.")
    if n_missing:
        notes.append(f"{n_missing} wards with no data are not shown.")
    title = f"{indicator.title}: wards compared with {benchmark_label}"
    fig.update_layout(
        title={"text": title, "subtitle": {"text": " ".join(notes)}},
        xaxis={"title": {"text": f"Wards ordered from lowest to highest value ({n} wards)"},
               "showticklabels": False, "showgrid": False, "zeroline": False,
               "range": [0, n + max(2, n * 0.03) + max(8, n * 0.15)]},
        yaxis={"title": {"text": indicator.short_title}},
        legend={"title": {"text": f"Compared with {benchmark_label}"}},
        hovermode="closest",
        plot_bgcolor="#ffffff",
        meta={"title": title, "description": " ".join(notes)},
    )
    return fig


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


# ---------------------------------------------------------------- quintile gap
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
    high, low = gap.get("high", "Q5"), gap.get("low", "Q1")
    value = pd.to_numeric(groups_df["value"], errors="coerce").to_numpy(dtype=float)
    lower = pd.to_numeric(groups_df["lower"], errors="coerce").to_numpy(dtype=float)
    upper = pd.to_numeric(groups_df["upper"], errors="coerce").to_numpy(dtype=float)
    unit = characteristic.unit
    char_dp = decimals_for(pd.concat([groups_df["characteristic_min"],
                                      groups_df["characteristic_max"]]), unit)
    ticks = [f"{g}<br>{format_value(a, unit, char_dp)}–{format_value(b, unit, char_dp)}"
             for g, a, b in zip(groups_df["group"], groups_df["characteristic_min"],
                                groups_df["characteristic_max"], strict=True)]
    has_ci = bool(np.isfinite(lower).any() and np.isfinite(upper).any())
    error = None
    if has_ci:
        error = {"type": "data", "symmetric": False, "array": np.nan_to_num(upper - value),
                 "arrayminus": np.nan_to_num(value - lower), "color": "#252525", "thickness": 1.2}
    dp = decimals_for(value, indicator.unit)
    value_text = [_format_with_ci(v, lo, hi, indicator.unit, dp)
                  for v, lo, hi in zip(value, lower, upper, strict=True)]
    customdata = np.column_stack([groups_df["n_wards"].to_numpy(dtype=object),
                                  np.asarray(value_text, dtype=object)])
    fig = go.Figure(go.Bar(
        x=ticks, y=value, name=indicator.short_title, marker={"color": BAR_COLOUR},
        error_y=error, customdata=customdata,
        hovertemplate=("%{x}<br>%{customdata[1]}<br>%{customdata[0]} wards, counts pooled"
                       "<extra></extra>"),
    ))
    gap_units = " percentage points" if indicator.unit == "%" else ""
    gap_text = f"Gap {high} − {low}: {gap['value']:+.{dp}f}{gap_units}"
    if np.isfinite(gap["lower"]) and np.isfinite(gap["upper"]):
        gap_text += f" (95% CI {gap['lower']:+.{dp}f} to {gap['upper']:+.{dp}f})"
    else:
        gap_text += " (no confidence interval: scores are not survey estimates)"
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


# ---------------------------------------------------------------- spine chart
SPINE_COLUMNS = ["indicator", "title", "value", "lower", "upper", "wmca", "authority",
                 "min", "q25", "q75", "max", "significance", "polarity"]
"""Columns :func:`spine_chart` needs, one row per indicator:

``indicator`` id, ``title`` label, ward ``value`` with ``lower`` / ``upper`` 95% CI (NaN for
scores), ``wmca`` and ``authority`` values, ``min`` / ``q25`` / ``q75`` / ``max`` of the WMCA
ward values, ``significance`` of the ward against WMCA (``better`` / ``similar`` / ``worse`` /
``higher`` / ``lower`` / ``not compared`` / ``not tested`` / ``no data``; any text starting
"no data", such as "no data for this authority", counts as ``no data``) and ``polarity``.
An optional ``unit`` column (``%``, ``score``, ``decile``) formats the hover text."""


def _spine_positions(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    num = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float)
           for c in ("value", "lower", "upper", "wmca", "authority", "min", "q25", "q75", "max")}
    centre = num["wmca"]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmax(np.abs(np.column_stack(
            [num[c] - centre for c in ("min", "max", "value", "authority", "lower", "upper")]
        )), axis=1) if len(frame) else np.array([])
    spread = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
    sign = np.where(frame["polarity"].to_numpy() == "higher_is_worse", -1.0, 1.0)
    return {c: sign * (num[c] - centre) / spread for c in num if c != "wmca"}


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
    where = "spine_chart"
    require_columns(profile_df, SPINE_COLUMNS, where)
    frame = profile_df.reset_index(drop=True)
    bad_polarity = sorted(set(frame["polarity"]) - set(POLARITIES))
    if bad_polarity:
        raise ValueError(f"{where}: unknown polarity {bad_polarity}")
    significance = frame["significance"].astype(str).str.strip().str.lower()
    significance = significance.where(~significance.str.startswith("no data"), "no data")
    frame = frame.assign(significance=significance)
    bad_sig = sorted(set(frame["significance"]) - set(COMPARISON_COLOURS))
    if bad_sig:
        raise ValueError(f"{where}: unknown significance {bad_sig}; expected one of "
                         f"{sorted(COMPARISON_COLOURS)}")
    units = frame["unit"] if "unit" in frame.columns else pd.Series("", index=frame.index)
    pos = _spine_positions(frame)
    ids = frame["indicator"].astype(str).tolist()
    range_lo = np.fmin(pos["min"], pos["max"])
    range_hi = np.fmax(pos["min"], pos["max"])
    iqr_lo = np.fmin(pos["q25"], pos["q75"])
    iqr_hi = np.fmax(pos["q25"], pos["q75"])

    row_dp = [decimals_for([lo, hi], u) for lo, hi, u in zip(
        pd.to_numeric(frame["min"], errors="coerce"), pd.to_numeric(frame["max"], errors="coerce"),
        units, strict=True)]

    def fmt(col: str) -> list[str]:
        return [format_value(float(v), u, dp) for v, u, dp in
                zip(pd.to_numeric(frame[col], errors="coerce"), units, row_dp, strict=True)]

    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=ids, x=range_hi - range_lo, base=range_lo, orientation="h", name="WMCA range",
        marker={"color": RANGE_COLOUR}, width=0.6,
        customdata=np.column_stack([fmt("min"), fmt("max")]),
        hovertemplate="WMCA wards range from %{customdata[0]} to %{customdata[1]}<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        y=ids, x=iqr_hi - iqr_lo, base=iqr_lo, orientation="h", name="Middle 50% of wards",
        marker={"color": IQR_COLOUR}, width=0.6,
        customdata=np.column_stack([fmt("q25"), fmt("q75")]),
        hovertemplate="Middle half of wards: %{customdata[0]} to %{customdata[1]}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        y=ids, x=pos["authority"], mode="markers", name="Local authority",
        marker={"symbol": "diamond", "size": 9, "color": AUTHORITY_MARKER_COLOUR},
        customdata=np.asarray(fmt("authority"), dtype=object),
        hovertemplate="Local authority: %{customdata}<extra></extra>",
    ))
    ci_lo = np.fmin(pos["lower"], pos["upper"])
    ci_hi = np.fmax(pos["lower"], pos["upper"])
    value_text = [_format_with_ci(v, lo, hi, u, dp) for v, lo, hi, u, dp in zip(
        pd.to_numeric(frame["value"], errors="coerce"),
        pd.to_numeric(frame["lower"], errors="coerce"),
        pd.to_numeric(frame["upper"], errors="coerce"), units, row_dp, strict=True)]
    customdata = np.column_stack([frame["title"].astype(str).to_numpy(dtype=object),
                                  np.asarray(value_text, dtype=object),
                                  np.asarray(fmt("wmca"), dtype=object),
                                  frame["significance"].map(COMPARISON_LABELS).to_numpy(dtype=object)])
    for key in COMPARISON_ORDER:
        mask = (frame["significance"] == key).to_numpy() & np.isfinite(pos["value"])
        if not mask.any():
            continue
        x = pos["value"][mask]
        error = None
        if np.isfinite(ci_lo[mask]).any():
            error = {"type": "data", "symmetric": False, "array": np.nan_to_num(ci_hi[mask] - x),
                     "arrayminus": np.nan_to_num(x - ci_lo[mask]), "color": "#252525",
                     "thickness": 1, "width": 3}
        fig.add_trace(go.Scatter(
            y=np.asarray(ids, dtype=object)[mask], x=x, mode="markers",
            name="Ward: " + COMPARISON_LABELS[key],
            marker={"color": COMPARISON_COLOURS[key], "size": 12,
                    "line": {"color": "#252525", "width": 1}},
            error_x=error, customdata=customdata[mask],
            hovertemplate=("<b>%{customdata[0]}</b><br>Ward: %{customdata[1]}<br>"
                           "WMCA: %{customdata[2]}<br>%{customdata[3]}<extra></extra>"),
        ))
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
    title = "Ward profile compared with WMCA"
    description = ("Each row is scaled so WMCA is at the centre and the most extreme ward at "
                   "the edge; worse is on the left for indicators with a direction, lower for "
                   "those without.")
    # A phone has no room for the subtitle; the page says the same above the chart.
    fig.update_layout(
        title={"text": title, "subtitle": {"text": "" if compact else description}},
        barmode="overlay",
        xaxis={"title": {"text": "Position within the WMCA ward range (WMCA = centre)"
                         if not compact else "WMCA = centre line"},
               "range": [-1.15, 1.15], "showticklabels": False, "zeroline": False,
               "showgrid": False},
        yaxis={"title": {"text": "" if compact else "Indicator"}, "tickmode": "array",
               "tickvals": ids, "ticktext": titles, "showticklabels": not compact,
               "autorange": "reversed", "categoryorder": "array", "categoryarray": ids},
        height=max(300, (64 if compact else 44) * len(frame) + (220 if compact else 160)),
        margin={"l": 8, "r": 8, "t": 70} if compact else None,
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.15 if not compact else -0.08},
        meta={"title": title, "description": description},
    )
    return fig


# ---------------------------------------------------------------- groups of people
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
    err_hi = data["upper"].to_numpy(dtype=float) - value
    err_lo = value - data["lower"].to_numpy(dtype=float)
    text = [_format_with_ci(v, lo, hi, unit, 1) for v, lo, hi in
            zip(value, data["lower"], data["upper"], strict=True)]
    fig = go.Figure(go.Scatter(
        x=value, y=data["group"], mode="markers", marker={"size": 10, "color": BAR_COLOUR},
        error_x={"type": "data", "array": np.nan_to_num(err_hi), "arrayminus":
                 np.nan_to_num(err_lo), "visible": bool(np.isfinite(err_hi).any()),
                 "color": "#4d4d4d"},
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


# ---------------------------------------------------------------- trends
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
            error_x={"type": "data", "array": np.nan_to_num(part["upper"] - diff),
                     "arrayminus": np.nan_to_num(diff - part["lower"]), "color": "#4d4d4d"},
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


def for_small_screen(fig: go.Figure, width_chars: int = 40) -> go.Figure:
    """A copy of ``fig`` laid out for a phone-width screen (about 360 px).

    Plotly does not wrap titles, and a legend at the side takes a third of a phone's width.
    The copy wraps the title, subtitle, axis titles and long category names on the y axis
    (``<br>``), gives the title a top margin that fits its lines, puts a side legend below
    the plot and trims the side margins. Data, hover text and ``layout.meta`` (the accessible
    description) are kept.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        Any figure from this module; it is not changed.
    width_chars : int
        Longest title line, in characters (at least 10).

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ValueError
        If ``fig`` is not a plotly figure or ``width_chars`` is below 10.
    """
    if not isinstance(fig, go.Figure):
        raise ValueError(f"for_small_screen: expected a plotly Figure, got {type(fig).__name__}")
    if not isinstance(width_chars, int) or width_chars < 10:
        raise ValueError(f"for_small_screen: width_chars must be an integer of at least 10, "
                         f"got {width_chars!r}")
    small = go.Figure(fig.to_dict(), _validate=False)
    title = small.layout.title

    def wrap(text: str | None, width: int) -> str | None:
        if not text:
            return text
        return "<br>".join(textwrap.fill(part, width).replace("\n", "<br>")
                           for part in text.split("<br>"))

    title_text = wrap(title.text, width_chars)
    subtitle_text = wrap(title.subtitle.text, int(width_chars * 1.25))
    # The wrapped title sits at the top of the figure with a top margin sized to its lines
    # (16 px bold about 21 px a line, the subtitle about 16), so no line is pushed above the
    # figure's top edge, as plotly's title automargin did with a container-anchored title.
    lines = (title_text.count("<br>") + 1 if title_text else 0)
    sub_lines = (subtitle_text.count("<br>") + 1 if subtitle_text else 0)
    # Plotly draws a multi-line title about 14 px above its anchor, hence the 22 px pad.
    top = 24 + 21 * lines + 16 * sub_lines + (12 if lines else 0)
    # Names written to the right of points at the plot's edge (the gap chart's authorities)
    # need room beyond it; elsewhere the side margins are trimmed to the phone's width.
    right_labels = any(a.name == RIGHT_LABEL for a in small.layout.annotations)
    small.update_layout(
        title={"text": title_text, "automargin": False, "yref": "container", "y": 1,
               "yanchor": "top", "pad": {"t": 22},
               "subtitle": {"text": subtitle_text}},
        margin={"l": 8, "r": 56 if right_labels else 8,
                "t": max(small.layout.margin.t or 0, top)},
    )
    # The x title is centred on the plot area, narrower than the figure once labels take room.
    for axis, width in ((small.layout.xaxis, 30), (small.layout.yaxis, width_chars)):
        if axis.title.text:
            axis.title.text = wrap(axis.title.text, width)
    # Long category names on a horizontal chart (e.g. ethnic groups) would take the whole
    # width as one line each; wrap them too, keeping the categories themselves.
    categories = list(dict.fromkeys(
        value for trace in small.data if getattr(trace, "orientation", None) == "h"
        or trace.type == "scatter" for value in _text_values(trace.y)))
    if categories and small.layout.yaxis.ticktext is None:
        labels = [wrap(c, 22) for c in categories]
        small.layout.yaxis.update(tickmode="array", tickvals=categories, ticktext=labels)
        # Room for every wrapped line (about 15 px each) plus the title, axis and legend.
        lines = sum(label.count("<br>") + 1 for label in labels)
        small.layout.height = max(small.layout.height or 450, 15 * lines + 12 * len(labels) + 260)
    if small.layout.legend.orientation != "h" and any(
            t.showlegend is not False for t in small.data):
        # Below the plot, anchored to the figure's bottom edge with room kept for it, so it
        # never sits on a (wrapped) x-axis title, whatever the figure's height.
        entries = sum(1 for t in small.data if t.showlegend is not False and t.name)
        room = 22 * math.ceil(max(entries, 1) / 2) + (22 if small.layout.legend.title.text else 0)
        bottom = (small.layout.margin.b or 80) + room
        small.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left",
                                    "yref": "container", "y": 0, "yanchor": "bottom"},
                            margin={"b": bottom},
                            height=(small.layout.height or 450) + room)
    return small


def _text_values(values) -> list[str]:
    """The text entries of a trace's ``x`` or ``y``: category names, never numbers.

    A copied figure holds numeric arrays as plotly's typed-array dicts (``dtype``, ``bdata``),
    whose keys must not be mistaken for categories.
    """
    if values is None or isinstance(values, dict):
        return []
    return [value for value in values if isinstance(value, str)]


def with_selected_ward(fig: go.Figure, wards_gdf, selected: str) -> go.Figure:
    """A copy of a ward map with one ward outlined, leaving ``fig`` untouched.

    Copying a finished map and adding the outline is several times cheaper than rebuilding
    the map, so the unselected map can be cached and shared while each selection costs little.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        A map from :func:`choropleth` (built with ``selected=None``).
    wards_gdf : geopandas.GeoDataFrame
        Ward boundaries with ``ward_code`` and ``ward_name``.
    selected : str
        Ward code to outline.

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ValueError
        If ``selected`` is not a ward on the map.
    """
    codes = wards_gdf["ward_code"].astype(str)
    match = (codes == selected).to_numpy()
    if not match.any():
        raise ValueError(f"with_selected_ward: selected ward {selected!r} is not on the map")
    geometry = wards_gdf.geometry[match]
    if wards_gdf.crs is not None and not wards_gdf.crs.equals("EPSG:4326"):
        geometry = geometry.to_crs(4326)
    lons, lats = _boundary_lines(geometry)
    name = wards_gdf["ward_name"][match].iloc[0] if "ward_name" in wards_gdf.columns else selected
    # The source figure was validated when it was built; skip re-validating the copy.
    out = go.Figure(fig.to_dict(), _validate=False)
    out.add_trace(go.Scattergeo(
        lon=lons, lat=lats, mode="lines", name=f"Selected: {name}",
        line={"color": SELECTED_COLOUR, "width": 4}, hoverinfo="skip", showlegend=True,
    ))
    return out
