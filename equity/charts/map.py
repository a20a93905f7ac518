"""The ward map: the choropleth, a selected ward's outline and a filter's fading.

:func:`choropleth` draws every ward in its class colour (``equity.charts.classes``) with a
discrete legend, faded outside a highlighted set; :func:`with_selected_ward` outlines one ward
on a finished map and :func:`with_highlight` fades the wards outside a filter, both cheaper
than building the map again. The shapes go in by URL (one static file, ``equity.static_files``)
or inline; outlines are unfilled choropleths over the same shapes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from equity.catalogue import Indicator
from equity.charts import hover
from equity.charts.arguments import _check_indicator
from equity.charts.classes import class_breaks, palette, scheme_label
from equity.charts.geometry import _geo_view, _subset, wards_geojson
from equity.charts.style import (
    AUTHORITY_LINE_COLOUR,
    FADE_TOWARDS_WHITE,
    LEGEND_TEXT_COLOUR,
    NO_DATA_COLOUR,
    NO_DATA_FADE,
    SELECTED_COLOUR,
    WARD_LINE_COLOUR,
    _fade,
    _format_with_ci,
    decimals_for,
    format_value,
    interval_label,
)
from equity.checks import require_columns

MAP_UIREVISION = "wmca-map"
MAP_HEIGHT = 560

# ---------------------------------------------------------------- the map
class _MapWards(NamedTuple):
    """What every ward trace of one map shares; each trace takes the rows of its own wards."""

    shapes: dict | str
    codes: pd.Series
    faded: np.ndarray
    customdata: np.ndarray
    hovertemplate: str
    no_data_hovertemplate: str
    numbers: np.ndarray
    """Per ward: value, lower and upper bound, rank (NaN where missing)."""
    indicator: Indicator
    decimals: int
    n_ranked: int


ShapesRef = dict | str
"""A map's shapes: a :func:`wards_geojson` collection inline, or the URL of that collection
published as a static file (``equity.shapes``), which the browser fetches once per page."""


def _shapes_for(shapes: ShapesRef, codes) -> ShapesRef:
    """What one trace of ``codes`` carries: the URL as it is, or only its own features.

    Inline, each trace carries only its own features, so no shape is sent twice; by URL,
    every trace names the one file, which plotly fetches once and keeps for the page.
    """
    return shapes if isinstance(shapes, str) else _subset(shapes, codes)


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
    areas: tuple[str, str] = ("ward", "wards"),
) -> go.Figure:
    """Map wards coloured by class, with a discrete legend, as SVG shapes on a plain background.

    Parameters
    ----------
    wards_gdf : geopandas.GeoDataFrame
        Ward boundaries with ``ward_code`` (and optionally ``ward_name``, ``authority``).
    ward_values_df : pandas.DataFrame
        One row per ward with ``ward_code``, ``value`` and ``rank`` (as from
        ``equity.views.ward_frame`` or ``equity.views.ranked``), and optionally ``lower``,
        ``upper``, ``ward_name``, ``authority`` and ``status``. Wards missing here or with
        NaN are drawn as "No data".
    indicator : Indicator
        Catalogue entry: title, unit and polarity (for colours and the rank's meaning).
    scheme, k : str, int
        Classification, as in :func:`class_breaks`.
    highlight : set of str or None
        Ward codes to draw at full strength; the others are faded. ``None`` highlights all.
        Codes not on the map are ignored.
    selected : str or None
        Ward code to outline with a thick dark line.
    authorities_gdf : geopandas.GeoDataFrame or None
        Local authority outlines, drawn as one line trace.
    geojson : dict, str or None
        The shapes: a prebuilt :func:`wards_geojson` (with the authorities, when outlines are
        drawn) to send inline, or the URL of that collection as a static file, which the
        figure then names instead of carrying any geometry. Built inline from ``wards_gdf``
        and ``authorities_gdf`` when omitted.
    areas : tuple of str
        What the areas are called, singular and plural, in the title and description (for a
        map of other areas, such as constituencies, given with ``ward_code`` columns).

    Returns
    -------
    plotly.graph_objects.Figure
        On a ``geo`` subplot (Mercator) whose longitude and latitude ranges are the wards'
        extent, padded by ``MAP_PADDING``: plotly fits that extent to whatever width the map
        is drawn at, from a phone to a desktop. No base layer or tile is drawn.
        Traces, in order: one ``Choropleth`` per non-empty class (legend name is the class
        range, e.g. ``"12.3% – 15.8%"``; ``z`` is 0 for highlighted and 1 for faded wards,
        mapped by a two-step colour scale), a ``"No data"`` trace when any ward lacks data,
        the authority outlines (when given) and the selected ward's outline (when given),
        each an unfilled ``Choropleth`` over the same shapes. ``locations`` are ward codes;
        ``customdata`` columns are the value text (with 95% CI) and the rank; the hover text
        takes each ward's name and authority from its shape's properties.

    Raises
    ------
    ValueError
        For missing columns, a bad scheme or ``k``, or a ``selected`` ward not on the map.
    """
    base, codes, data = _map_frame(wards_gdf, ward_values_df, indicator, selected)
    if geojson is None:
        geojson = wards_geojson(wards_gdf, authorities_gdf)
    value = _numeric_column(data, "value")
    decimals = decimals_for(value, indicator.unit)
    ranks = _numeric_column(data, "rank")
    customdata = _hover_columns(data, value, ranks, indicator, decimals)
    faded = np.zeros(len(codes), dtype=int)
    if highlight is not None:
        faded = (~codes.isin(set(highlight))).to_numpy().astype(int)
    n_ranked = int(np.isfinite(ranks).sum())
    numbers = np.column_stack([value, _numeric_column(data, "lower"),
                               _numeric_column(data, "upper"), ranks])
    wards = _MapWards(geojson, codes, faded, customdata,
                      *_map_hovertemplates(indicator, n_ranked), numbers, indicator, decimals,
                      n_ranked)
    bins, classes = class_breaks(value, scheme=scheme, k=k)
    # Built without plotly's per-property validation (it halves the build time); the tests
    # validate the finished spec in full instead.
    # One constructor call, traces and layout together: adding them one by one and then
    # update_layout ran plotly's checks and merges again at each step (twice the time).
    traces = _class_traces(wards, value, bins, classes.to_numpy(), indicator, decimals)
    if authorities_gdf is not None:
        traces += _outline_trace(geojson, authorities_gdf["authority_code"].astype(str),
                                 "Local authority boundary", AUTHORITY_LINE_COLOUR, 1.5)
    if selected is not None:
        name = _text_column(data, base, "ward_name")[(codes == selected).to_numpy()][0]
        traces += _selected_ward_outline(geojson, selected, name)
    layout = _map_layout(wards_gdf, indicator, scheme_label(scheme, k), areas,
                         int(np.isfinite(value).sum()), len(bins))
    return go.Figure(data=traces, layout=layout, _validate=False)


def with_selected_ward(fig: go.Figure, wards_gdf, selected: str,
                       geojson: ShapesRef | None = None) -> go.Figure:
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
    geojson : dict, str or None
        The shapes the map was built with (as :func:`choropleth` takes them); the ward's
        own shape is sent inline when omitted.

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
    name = wards_gdf["ward_name"][match].iloc[0] if "ward_name" in wards_gdf.columns else selected
    if geojson is None:
        geojson = wards_geojson(wards_gdf[match])
    # The source figure was validated when it was built; skip re-validating the copy.
    out = go.Figure(fig.to_dict(), _validate=False)
    out.add_traces(_selected_ward_outline(geojson, selected, name))
    return out


def with_highlight(fig: go.Figure, highlight: set[str]) -> go.Figure:
    """A copy of a ward map with only ``highlight`` at full strength, leaving ``fig`` untouched.

    The same as building the map with ``highlight=`` (each ward trace's ``z`` is 0 for a
    highlighted ward and 1 for a faded one), at a fraction of the cost: a filter change then
    reuses the map of all wards.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        A map from :func:`choropleth`, built with ``highlight=None`` and ``selected=None``.
    highlight : set of str
        Ward codes to draw at full strength.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    wanted = set(highlight)
    spec = fig.to_dict()
    for trace in spec["data"]:
        if trace.get("type") == "choropleth" and trace.get("hoverinfo") != "skip":
            trace["z"] = [0 if code in wanted else 1 for code in trace["locations"]]
    return go.Figure(spec, _validate=False)


def _selected_ward_outline(shapes: ShapesRef, selected: str,
                           name: str) -> list[go.Choropleth | go.Scattergeo]:
    """The thick dark outline of the ``selected`` ward, named in the legend."""
    return _outline_trace(shapes, [selected], f"Selected: {name}", SELECTED_COLOUR, 4)


# An outline is a choropleth with no fill, so it draws from the same shapes as the wards
# (one file, fetched once) rather than carrying its own coordinates. hoverinfo "skip" keeps
# it out of hover and clicks: the ward under the pointer answers, not the outline over it.
NO_FILL = "rgba(0,0,0,0)"


def _outline_trace(shapes: ShapesRef, codes, name: str, colour: str,
                   width: float) -> list[go.Choropleth | go.Scattergeo]:
    """An unfilled trace outlining the shapes of ``codes``, and its legend entry.

    Plotly draws an unfilled choropleth's legend swatch empty, so the legend entry is an
    empty line trace of the same colour in the same legend group (a click on it hides both).
    """
    codes = [str(c) for c in codes]
    group = f"outline-{name}"
    outline = go.Choropleth(_validate=False,
        geojson=_shapes_for(shapes, codes), locations=codes, z=[0] * len(codes),
        zmin=0, zmax=1, colorscale=[[0.0, NO_FILL], [1.0, NO_FILL]], showscale=False,
        marker={"line": {"color": colour, "width": width}},
        name=name, legendgroup=group, hoverinfo="skip", showlegend=False,
    )
    legend = go.Scattergeo(_validate=False, lon=[None], lat=[None], mode="lines", name=name,
                           legendgroup=group, line={"color": colour, "width": width},
                           hoverinfo="skip", showlegend=True)
    return [outline, legend]


def _map_frame(wards_gdf, ward_values_df: pd.DataFrame, indicator: Indicator,
               selected: str | None) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Check a map's inputs; return the wards' attributes, their codes, and values by code."""
    where = "choropleth"
    _check_indicator(indicator, where)
    require_columns(ward_values_df, ["ward_code", "value", "rank"], where)
    if "ward_code" not in getattr(wards_gdf, "columns", ()):
        raise ValueError(f"{where}: wards_gdf has no 'ward_code' column")
    base = pd.DataFrame(wards_gdf.drop(columns=wards_gdf.geometry.name)).reset_index(drop=True)
    codes = base["ward_code"].astype(str)
    if selected is not None and selected not in set(codes):
        raise ValueError(f"{where}: selected ward {selected!r} is not on the map")
    data = ward_values_df.drop_duplicates("ward_code").set_index("ward_code").reindex(codes)
    return base, codes, data


def _hover_columns(data: pd.DataFrame, value: np.ndarray, ranks: np.ndarray,
                   indicator: Indicator, decimals: int) -> np.ndarray:
    """The map's ``customdata``: each ward's value text and its rank (blank without one)."""
    rank_text = np.array([str(int(r)) if np.isfinite(r) else "" for r in ranks], dtype=object)
    return np.column_stack([_value_text(data, value, indicator.unit, decimals,
                                        interval_label(indicator)), rank_text])


def _map_hovertemplates(indicator: Indicator, n_ranked: int, value: str = "%{customdata[0]}",
                        rank: str = "%{customdata[1]}") -> tuple[str, str]:
    """Hover text of a ranked ward and of a ward with no data.

    Name and authority come from the shape's properties and the rank's "of n" is the same for
    every ward, so each ward's own hover data is only its value (``value`` writes it: its
    text, by default) and rank.
    """
    rank_note = "1 = highest" if indicator.polarity == "neither" else "1 = worst"
    head = ("<b>%{properties.name}</b><br>%{properties.authority}<br>"
            + indicator.short_title.replace("{", "(").replace("}", ")") + ": " + value)
    return (f"{head}<br>Rank: {rank} of {n_ranked} ({rank_note})<extra></extra>",
            f"{head}<br>Rank: no data<extra></extra>")


def _hover_data(wards: _MapWards, mask: np.ndarray) -> tuple[list | np.ndarray, str]:
    """The ``customdata`` and hover template of the ranked wards where ``mask`` is true.

    Their value, interval and rank go as numbers where they can (``equity.charts.hover``),
    as the value's text and the rank otherwise.
    """
    value, lower, upper, ranks = wards.numbers[mask].T
    with_interval = bool(np.isfinite(lower).all() and np.isfinite(upper).all())
    numbers = hover.hover_numbers(value, lower, upper, wards.decimals, with_interval)
    if (numbers is None or not np.isfinite(ranks).all()
            or not (with_interval or np.isnan(lower).all() or np.isnan(upper).all())):
        return wards.customdata[mask], wards.hovertemplate
    ind = wards.indicator
    label = interval_label(ind) if with_interval else None
    template, _ = _map_hovertemplates(
        ind, wards.n_ranked, hover.hover_value(0, ind.unit, wards.decimals, label),
        f"%{{customdata[{len(numbers[0])}]}}")
    return [[*row, int(rank)] for row, rank in zip(numbers, ranks, strict=True)], template


def _numeric_column(data: pd.DataFrame, name: str) -> np.ndarray:
    """Column ``name`` of ``data`` as floats: NaN where it is missing or not a number."""
    column = data.get(name, pd.Series(np.nan, index=data.index))
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)


def _text_column(data: pd.DataFrame, base: pd.DataFrame, name: str) -> np.ndarray:
    """Column ``name`` as text from the values, falling back to the wards' own attribute."""
    from_values = data[name] if name in data.columns else pd.Series(np.nan, index=data.index)
    from_wards = base[name] if name in base.columns else pd.Series("", index=base.index)
    merged = from_values.to_numpy(dtype=object)
    fallback = from_wards.to_numpy(dtype=object)
    return np.where(pd.isna(merged), fallback, merged).astype(str)


def _value_text(data: pd.DataFrame, value: np.ndarray, unit: str, decimals: int,
                label: str = "95% CI") -> np.ndarray:
    """Each ward's value with its interval (named ``label``), or the reason it has none."""
    lower = _numeric_column(data, "lower")
    upper = _numeric_column(data, "upper")
    text = np.array([_format_with_ci(v, lo, hi, unit, decimals, label)
                     for v, lo, hi in zip(value, lower, upper, strict=True)], dtype=object)
    if "status" in data.columns:
        # A ward outside an indicator's coverage says so ("no data for this authority").
        status = data["status"].fillna("").astype(str).to_numpy()
        text = np.where(~np.isfinite(value) & (status != ""), status, text)
    return text


def _class_traces(wards: _MapWards, value: np.ndarray, bins: np.ndarray, classes: np.ndarray,
                  indicator: Indicator, decimals: int) -> list:
    """One ward trace per non-empty class, named by its range, then one for no data."""
    colours = palette(indicator.polarity, max(len(bins), 1))
    traces = []
    for i, colour in enumerate(colours[: len(bins)]):
        mask = classes == i
        if mask.any():
            traces.append(_ward_trace(wards, mask, colour,
                                      _class_label(value[mask], indicator.unit, decimals),
                                      f"class{i}"))
    no_data = classes == -1
    if no_data.any():
        traces.append(_ward_trace(wards, no_data, NO_DATA_COLOUR, "No data", "nodata",
                                  NO_DATA_FADE, wards.no_data_hovertemplate))
    return traces


def _class_label(values: np.ndarray, unit: str, decimals: int) -> str:
    low = format_value(float(values.min()), unit, decimals)
    high = format_value(float(values.max()), unit, decimals)
    return low if low == high else f"{low} – {high}"


def _ward_trace(wards: _MapWards, mask: np.ndarray, colour: str, name: str, group: str,
                fade: float = FADE_TOWARDS_WHITE,
                hovertemplate: str | None = None) -> go.Choropleth:
    """The wards where ``mask`` is true, in ``colour``, faded outside the highlighted set."""
    # z is 0 (full) or 1 (faded), so only the ends matter. Plotly draws a choropleth's
    # legend swatch as its whole colour scale: the faded stop, kept to the last 1%, leaves
    # it the class colour instead of half faded.
    faded_colour = _fade(colour, fade)
    if hovertemplate is None:
        customdata, hovertemplate = _hover_data(wards, mask)
    else:
        customdata = wards.customdata[mask]
    scale = [[0.0, colour], [0.99, colour], [0.99, faded_colour], [1.0, faded_colour]]
    return go.Choropleth(_validate=False,
        geojson=_shapes_for(wards.shapes, wards.codes[mask]),
        locations=wards.codes[mask].tolist(),
        z=wards.faded[mask].tolist(),
        zmin=0,
        zmax=1,
        colorscale=scale,
        showscale=False,
        showlegend=True,
        name=name,
        legendgroup=group,
        customdata=customdata,
        hovertemplate=hovertemplate,
        marker={"line": {"color": WARD_LINE_COLOUR, "width": 0.6}},
        selected={"marker": {"opacity": 1.0}},
        unselected={"marker": {"opacity": 1.0}},
    )


def _map_layout(wards_gdf, indicator: Indicator, scheme_name: str, areas: tuple[str, str],
                n_ranked: int,
                n_classes: int) -> dict:
    """The layout of a ward map: title, the wards' view, legend and accessible description."""
    title = f"{indicator.title} by {areas[0]}"
    return {
        "title": {"text": title, "x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
                  "font": {"size": 14}},
        "geo": _geo_view(wards_gdf),
        "margin": {"l": 0, "r": 0, "t": 30, "b": 0},
        "height": MAP_HEIGHT,
        "uirevision": MAP_UIREVISION,
        "clickmode": "event+select",
        "legend": {"title": {"text": f"{indicator.short_title} ({scheme_name})", "side": "top",
                             "font": {"color": LEGEND_TEXT_COLOUR}},
                   "font": {"color": LEGEND_TEXT_COLOUR},
                   "orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
                   "bgcolor": "rgba(255,255,255,0.85)"},
        "meta": {"title": title,
                 "description": (f"Map of {n_ranked} {areas[1]} with data coloured in {n_classes} "
                                 f"{scheme_name} classes; darker is "
                                 + ("higher" if indicator.polarity == "neither" else "worse")
                                 + f". Grey {areas[1]} have no data.")},
    }
