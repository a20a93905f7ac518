"""Plotly figure builders for the dashboard: maps, gap, fifths, spine, groups and trend charts.

Every function here is pure: it takes tables and catalogue entries and returns a new
:class:`plotly.graph_objects.Figure` (or plain data), never touching Streamlit or the disk.
Bad values raise ``ValueError``; passing something that is not a DataFrame where one is
needed, or not a catalogue :class:`~equity.catalogue.Indicator`, raises ``TypeError``.

One module per concern, all re-exported here (``from equity import charts;
charts.choropleth(...)``):

- :mod:`~equity.charts.style` — colours (see its notes on colour-blind safety), the app's
  plotly template, how values and comparisons are written, the error-bar style;
- :mod:`~equity.charts.arguments` — checks of the arguments builders are given;
- :mod:`~equity.charts.geometry` — ward and authority shapes made ready for plotly's geo
  subplot (GeoJSON, outline lines, the map's view);
- :mod:`~equity.charts.map` — map classes and palettes, :func:`choropleth` and, beside it,
  :func:`with_selected_ward`;
- :mod:`~equity.charts.benchmark` — :func:`gap_to_benchmark`, every ward against a benchmark;
- :mod:`~equity.charts.fifths` — :func:`gap_by_characteristic`, an outcome by fifths of wards;
- :mod:`~equity.charts.spine` — :func:`spine_chart`, one ward across indicators, and
  :func:`spine_compare_chart`, two to four wards side by side;
- :mod:`~equity.charts.groups` — :func:`group_rates`, rates of groups of people;
- :mod:`~equity.charts.trends` — :func:`time_series`, monthly series;
- :mod:`~equity.charts.change_map` — :func:`change_map`, change on a diverging scale centred
  on no change (MSOAs 2011 to 2021, wards IMD 2019 to 2025), and :func:`area_geojson`;
- :mod:`~equity.charts.impact` — :func:`impact_differences`, chosen wards against WMCA;
- :mod:`~equity.charts.small_screen` — :func:`for_small_screen`, any chart laid out for a phone.
"""

from __future__ import annotations

from equity.charts.benchmark import gap_to_benchmark, spread_labels
from equity.charts.change_map import DIVERGING_SCALE, area_geojson, change_map, diverging_classes
from equity.charts.classes import (
    MAX_CLASSES,
    OFFERED_SCHEMES,
    SCHEME_LABELS,
    SCHEMES,
    class_breaks,
    palette,
    scheme_label,
)
from equity.charts.fifths import gap_by_characteristic
from equity.charts.geometry import MAP_MAX_ZOOM, MAP_PADDING, wards_geojson
from equity.charts.groups import group_rates
from equity.charts.hover import hover_number, hover_numbers, hover_value
from equity.charts.impact import IMPACT_FLAG_COLOURS, impact_differences
from equity.charts.map import (
    MAP_HEIGHT,
    MAP_UIREVISION,
    NO_FILL,
    ShapesRef,
    choropleth,
    with_highlight,
    with_selected_ward,
)
from equity.charts.small_screen import for_small_screen
from equity.charts.spine import (
    COMPARE_MARKERS,
    MAX_COMPARED,
    SPINE_COLUMNS,
    spine_chart,
    spine_compare_chart,
)
from equity.charts.style import (
    AUTHORITY_LINE_COLOUR,
    AUTHORITY_MARKER_COLOUR,
    BAR_COLOUR,
    BETTER_COLOUR,
    CHART_FONT,
    CHART_GRID_COLOUR,
    CHART_TEMPLATE,
    CHART_TEXT_COLOUR,
    COMPARISON_COLOURS,
    COMPARISON_LABELS,
    COMPARISON_ORDER,
    ENGLAND_LINE_COLOUR,
    FADE_TOWARDS_WHITE,
    FADED_OPACITY,
    HIGHER_COLOUR,
    IQR_COLOUR,
    LEGEND_TEXT_COLOUR,
    LOWER_COLOUR,
    NEUTRAL_SCALE,
    NO_DATA_COLOUR,
    NO_DATA_FADE,
    NOT_COMPARED_COLOUR,
    RANGE_COLOUR,
    RIGHT_LABEL,
    SELECTED_COLOUR,
    SIMILAR_COLOUR,
    WARD_LINE_COLOUR,
    WMCA_LINE_COLOUR,
    WORSE_COLOUR,
    WORSE_SCALE,
    _fade,
    comparison_label,
    decimals_for,
    format_value,
    interval_label,
)
from equity.charts.trends import time_series

__all__ = [
    # style
    "AUTHORITY_LINE_COLOUR", "AUTHORITY_MARKER_COLOUR", "BAR_COLOUR", "BETTER_COLOUR",
    "CHART_FONT", "CHART_GRID_COLOUR", "CHART_TEMPLATE", "CHART_TEXT_COLOUR",
    "COMPARISON_COLOURS", "COMPARISON_LABELS", "COMPARISON_ORDER", "ENGLAND_LINE_COLOUR",
    "FADE_TOWARDS_WHITE", "FADED_OPACITY", "HIGHER_COLOUR", "IQR_COLOUR", "LEGEND_TEXT_COLOUR",
    "LOWER_COLOUR", "NEUTRAL_SCALE", "NO_DATA_COLOUR", "NO_DATA_FADE", "NOT_COMPARED_COLOUR",
    "RANGE_COLOUR", "RIGHT_LABEL", "SELECTED_COLOUR", "SIMILAR_COLOUR", "WARD_LINE_COLOUR",
    "WMCA_LINE_COLOUR", "WORSE_COLOUR", "WORSE_SCALE", "comparison_label", "interval_label", "decimals_for",
    "format_value",
    # hover values as numbers
    "hover_number", "hover_numbers", "hover_value",
    # geometry
    "MAP_MAX_ZOOM", "MAP_PADDING", "wards_geojson",
    # map
    "MAP_HEIGHT", "MAP_UIREVISION", "MAX_CLASSES", "SCHEME_LABELS", "OFFERED_SCHEMES",
    "scheme_label", "SCHEMES", "choropleth",
    "class_breaks", "palette", "with_selected_ward", "with_highlight", "NO_FILL", "ShapesRef",
    # change maps (diverging scale)
    "DIVERGING_SCALE", "area_geojson", "change_map", "diverging_classes",
    # the other figure families
    "gap_to_benchmark", "spread_labels", "gap_by_characteristic", "SPINE_COLUMNS",
    "spine_chart", "spine_compare_chart", "COMPARE_MARKERS", "MAX_COMPARED", "group_rates",
    "time_series", "IMPACT_FLAG_COLOURS", "impact_differences",
    "for_small_screen",
    # private, used by tests/charts/test_map.py and bench/bench_map_options.py
    "_fade",
]
