"""Any chart re-laid out for a phone-width screen: wrapped titles and names, legend below."""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go

from equity.charts.style import RIGHT_LABEL


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
        Any figure from :mod:`equity.charts`; it is not changed.
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
    _wrap_title(small, width_chars)
    # The x title is centred on the plot area, narrower than the figure once labels take room.
    for axis, width in ((small.layout.xaxis, 30), (small.layout.yaxis, width_chars)):
        if axis.title.text:
            axis.title.text = _wrap(axis.title.text, width)
    _wrap_categories(small)
    _legend_below(small)
    return small


def _wrap(text: str | None, width: int) -> str | None:
    """``text`` broken into lines of at most ``width`` characters with ``<br>``."""
    if not text:
        return text
    return "<br>".join(textwrap.fill(part, width).replace("\n", "<br>")
                       for part in text.split("<br>"))


def _wrap_title(small: go.Figure, width_chars: int) -> None:
    """Wrap the title and subtitle, with a top margin that fits their lines."""
    title = small.layout.title
    title_text = _wrap(title.text, width_chars)
    subtitle_text = _wrap(title.subtitle.text, int(width_chars * 1.25))
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
    if right_labels:
        # Those names are spread for a plot at least ~250 px high (equity.charts.benchmark);
        # the wrapped title took that room from it.
        small.layout.height = (small.layout.height or 450) + 60


def _wrap_categories(small: go.Figure) -> None:
    """Wrap long category names on the y axis, keeping the categories, with room for them."""
    # Long category names on a horizontal chart (e.g. ethnic groups) would take the whole
    # width as one line each; wrap them too, keeping the categories themselves.
    categories = list(dict.fromkeys(
        value for trace in small.data if getattr(trace, "orientation", None) == "h"
        or trace.type == "scatter" for value in _text_values(trace.y)))
    if categories and small.layout.yaxis.ticktext is None:
        labels = [_wrap(c, 22) for c in categories]
        small.layout.yaxis.update(tickmode="array", tickvals=categories, ticktext=labels)
        # Room for every wrapped line (about 15 px each) plus the title, axis and legend.
        lines = sum(label.count("<br>") + 1 for label in labels)
        small.layout.height = max(small.layout.height or 450, 15 * lines + 12 * len(labels) + 260)


def _legend_below(small: go.Figure) -> None:
    """Move a side legend below the plot, growing the figure by the room it takes."""
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


def _text_values(values) -> list[str]:
    """The text entries of a trace's ``x`` or ``y``: category names, never numbers.

    A copied figure holds numeric arrays as plotly's typed-array dicts (``dtype``, ``bdata``),
    whose keys must not be mistaken for categories.
    """
    if values is None or isinstance(values, dict):
        return []
    return [value for value in values if isinstance(value, str)]
