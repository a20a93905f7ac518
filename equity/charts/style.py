"""The look every chart shares: colours, the plotly template, and how values are written.

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

from collections.abc import Iterable

import numpy as np
import plotly.colors as pcolors
import plotly.graph_objects as go

from equity.formatting import DEFAULT_DECIMALS, format_value

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

# Whole numbers by nature (a decile, a count of themes): never shown with decimals.
_WHOLE_UNITS = frozenset({"decile", "themes"})


# ---------------------------------------------------------------- writing values
def decimals_for(values: Iterable[float], unit: str) -> int:
    """Decimal places that keep values of this spread apart (at least the unit's default).

    Scores such as the IoD employment domain are rates between 0 and 1, so one decimal place
    would show most wards as ``0.1`` or ``0.2``. This gives enough places to resolve a tenth
    of the spread of ``values``, at most 4; whole-number units (deciles, counts of themes)
    always get 0.
    """
    base = DEFAULT_DECIMALS.get(unit, 1)
    if unit in _WHOLE_UNITS:
        return 0
    data = np.asarray(list(values), dtype=float)
    data = data[np.isfinite(data)]
    span = float(data.max() - data.min()) if data.size >= 2 else 0.0
    if span <= 0:
        return base
    return int(min(4, max(base, np.ceil(-np.log10(span / 10)))))


def interval_label(indicator) -> str:
    """How a value's interval is named: a confidence interval, or a modelled estimate's."""
    return "modelled 95% interval" if getattr(indicator, "modelled", False) else "95% CI"


def _format_with_ci(value: float, lower: float, upper: float, unit: str,
                    decimals: int | None = None, label: str = "95% CI") -> str:
    text = format_value(value, unit, decimals)
    if np.isfinite(value) and np.isfinite(lower) and np.isfinite(upper):
        text += (f" ({label} {format_value(lower, unit, decimals)} to "
                 f"{format_value(upper, unit, decimals)})")
    return text


def comparison_label(outcome: str, benchmark: str = "WMCA") -> str:
    """Legend label for a comparison outcome, e.g. ``"Better than Birmingham"``."""
    if outcome not in COMPARISON_LABELS:
        raise ValueError(f"comparison_label: unknown outcome {outcome!r}; expected one of "
                         f"{sorted(COMPARISON_LABELS)}")
    return COMPARISON_LABELS[outcome].replace("WMCA", benchmark)


def _to_hex(colour: str) -> str:
    if colour.startswith("#"):
        return colour.lower()
    r, g, b = pcolors.unlabel_rgb(colour)
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in (r, g, b)))


def _fade(colour: str, amount: float = FADE_TOWARDS_WHITE) -> str:
    r, g, b = pcolors.hex_to_rgb(_to_hex(colour))
    mixed = (c + (255 - c) * amount for c in (r, g, b))
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in mixed))




def _error_bars(value, lower, upper, colour: str, **style) -> dict:
    """A trace's ``error_x`` or ``error_y`` for a 95% interval around each value.

    Bars run from ``lower`` to ``upper``; where a bound is NaN its bar has no length.
    ``style`` adds the chart's other plotly error-bar settings (``symmetric``, ``thickness``,
    ``width``, ``visible``).
    """
    return {"type": "data", "array": np.nan_to_num(upper - value),
            "arrayminus": np.nan_to_num(value - lower), "color": colour, **style}
