"""The page elements every page draws with: charts, tables, downloads, guarded parts.

Every chart is drawn by one components-v2 element (``equity/plotly_chart.js``) with
``static/plotly-equity.min.js``, a plotly.js build holding only the trace types
``equity.charts`` makes; every table by ``equity/table.js`` as a real ``<table>``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

# Import PIL before any session can: plotly and WeasyPrint both import it lazily, and two
# sessions importing it at once in a fresh process saw a half-initialised module.
import PIL.Image  # noqa: F401
import plotly.io as pio
import streamlit as st

from equity import charts, static_files, views
from equity.ui import cache

LOG = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent.parent

# plotly's orjson path walks the whole figure in Python first; the standard-library engine
# serialises the ward map in ~5 ms instead of ~13 ms (bench/bench_map_options.py).
pio.json.config.default_engine = "json"


# Streamlit sets its own template as plotly's default when imported, for its own chart
# element; charts here are drawn by the component below, so they carry the app's template.
pio.templates["equity"] = charts.CHART_TEMPLATE


pio.templates.default = "equity"


def _template_text() -> str:
    """The app's template as plotly writes it inside every figure's layout."""
    import plotly.graph_objects as go

    text = pio.to_json(go.Figure(layout={"template": "equity"}), validate=False)
    start = text.index('"template":') + len('"template":')
    return text[start:text.rindex("}}")]


# Every figure carries the app's template, 1 KB, in every message that draws it. The chart
# element's code (a static file, fetched once) holds it instead, and a figure names it.
TEMPLATE_TEXT = _template_text()


TEMPLATE_IN_FIGURE = '"template":' + TEMPLATE_TEXT


def without_template(figure_json: str) -> str:
    """``figure_json`` naming the app's template (``"equity"``) instead of holding it.

    A figure whose template is not exactly the app's keeps its own.
    """
    return figure_json.replace(TEMPLATE_IN_FIGURE, '"template":"equity"', 1)


# Every chart is drawn by this component with static/plotly-equity.min.js, a plotly.js build
# holding only the trace types equity/charts/ makes (frontend/entry.js). st.plotly_chart's
# chunk is all of plotly.js: on a first visit it cost the ward map about 0.6 s to evaluate.
CHART_JS = PACKAGE / "plotly_chart.js"


# The shapes fetcher the chart code and the page start script share (published ahead of each).
FETCH_SHAPES_JS = PACKAGE / "fetch_shapes.js"


# The decoding of an element's data the chart and table code share (published ahead of each).
ELEMENT_DATA_JS = PACKAGE / "element_data.js"


# Every table is drawn by equity/table.js as a real <table> (see that file for why).
TABLE_JS = PACKAGE / "table.js"


TABLE_CSS = PACKAGE / "table.css"


# A table taller than this scrolls inside its box, under a header that stays in view.
TABLE_HEIGHT = 420


def component_js(path: Path) -> str:
    """Return a component's JavaScript file without comments or indentation.

    Streamlit sends the component's JavaScript with every element. No line of these files is
    inside a multi-line string, so stripping lines is safe.
    """
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


# Streamlit sends a component's JavaScript inside every element it draws: 7 KB for each chart
# and 5 KB for each table, in every page view and again in every element an interaction
# redraws. Instead each element carries this loader, and the code itself is a static file
# named by its hash, fetched once per page and cached by the browser. An import from the
# element's blob: module needs an absolute URL. The loader is written short because every
# element carries it: it imports the code once (m), runs it for this element and hands
# Streamlit a cleanup that waits for the drawing to have started.
# (On more than one line: Streamlit takes a one-line js string for the path of a file.)
LOADER_JS = ("let m;\nexport default function(c){{let d;const p=(m=m||import(new URL("
             "\"{path}\",location.href).href)).then(x=>{{d=x.default(c)}});"
             "\nreturn()=>{{p.then(()=>d&&d())}}}}")


# The URL each component's code was published at, by stem (for equity.ui.page_head).
PUBLISHED_CODE: dict[str, str] = {}


def component_source(path: Path, stem: str, prelude: str = "") -> str:
    """A component's JavaScript as each element carries it: a loader of its published file.

    ``prelude`` is code put before the file's own.
    Where the static folder cannot be written and lacks the file, the code goes inline.
    """
    name, body = static_files.hashed_text(prelude + component_js(path), stem, "js")
    try:
        static_files.publish(cache.STATIC_DIR, name, body)
    except OSError as exc:
        LOG.warning("component %s sent inline: cannot publish %s (%s)", stem, name, exc)
        return body.decode("utf-8")
    PUBLISHED_CODE[stem] = cache.static_folder() + name
    return LOADER_JS.format(path=PUBLISHED_CODE[stem])


# isolate_styles=False: plotly adds its style rules to the page's <head>, and a shadow root
# would keep them off the chart.
chart_component = st.components.v2.component(
    "equity_chart", js=component_source(CHART_JS, "equity-chart",
                                        f"const EQUITY_TEMPLATE = {TEMPLATE_TEXT};\n"
                                        + component_js(FETCH_SHAPES_JS) + "\n"
                                        + component_js(ELEMENT_DATA_JS) + "\n"),
    isolate_styles=False)


# The table's style rules go in its code too (a static file), not in every table's message:
# Streamlit sends a component's CSS, 2 KB here, with each element it draws.
table_component = st.components.v2.component(
    "equity_table", js=component_source(
        TABLE_JS, "equity-table",
        prelude=f"const EQUITY_TABLE_CSS = {json.dumps(TABLE_CSS.read_text(encoding='utf-8'))};\n"
        + component_js(ELEMENT_DATA_JS) + "\n"),
    isolate_styles=False)


@contextmanager
def part_of_page(what: str) -> Iterator[None]:
    """Draw one part of a page; if its figures cannot be drawn, say so and go on.

    The bundle is screened when read (``equity.plausible``), so this is the last line of
    defence: one chart that fails must not take the rest of the page with it. Streamlit's own
    rerun and stop signals are not ``Exception`` and pass through.
    """
    try:
        yield
    except Exception:  # any failure of one part is shown, not raised
        LOG.exception("could not draw %s", what)
        st.warning(f"The {what} could not be drawn from the data; the rest of the page "
                   "follows.", icon="⚠️")


def alt_text(fig) -> str:
    """A chart's accessible name: its title and the description its builder put in meta."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    title = meta.get("title") or (fig.layout.title.text or "Chart")
    description = meta.get("description", "")
    return f"{title}. {description} The figures are in the table on this page.".strip()


def selected_points(key: str) -> list[dict]:
    """The points a chart's last click, box or lasso reported (see equity/plotly_chart.js)."""
    result = st.session_state.get(key)
    # A mapping-like component result; anything else (a stale or foreign value under the
    # key) means no selection rather than an AttributeError in the reader's face.
    getter = getattr(result, "get", None)
    selection = getter("selection") if callable(getter) else None
    points = selection.get("points") if isinstance(selection, dict) else None
    return [p for p in points if isinstance(p, dict)] if isinstance(points, list) else []


# plotly.js 4 adds a "Share chart..." button that uploads the figure to Plotly's cloud unless
# told not to; the box and lasso buttons only make sense where a box or lasso does something.
NO_CLOUD = {"showSendToCloud": False, "showEditInChartStudio": False, "plotlyServerURL": ""}


SELECT_BUTTONS = ["select2d", "lasso2d"]


def chart_config(config: dict | None = None, *, box_and_lasso: bool = False,
                 phone: bool = False) -> dict:
    """The plotly config a chart is drawn with: ``config`` plus the app's fixed choices.

    No plotly logo and no way to send a chart to Plotly's cloud; box and lasso buttons only
    when ``box_and_lasso``; on a ``phone`` no toolbar at all (it sat over the chart titles,
    and touch needs none of it).
    """
    merged = {"displaylogo": False, **(config or {}), **NO_CLOUD}
    if not box_and_lasso:
        merged["modeBarButtonsToRemove"] = sorted(
            set(merged.get("modeBarButtonsToRemove", [])) | set(SELECT_BUTTONS))
    if phone:
        merged["displayModeBar"] = False
    return merged


def draw_chart(fig, key: str, *, on_select=None, box_and_lasso: bool = False,
          config: dict | None = None) -> None:
    """Draw a plotly figure with an accessible name taken from the figure.

    ``on_select`` runs when the reader clicks a point, or draws a box or lasso where
    ``box_and_lasso`` allows them; it reads the points with :func:`selected_points`.
    On a phone the figure is re-laid out for the width (:func:`charts.for_small_screen`).
    """
    phone = on_a_phone()
    if phone:
        fig = charts.for_small_screen(fig)
    envelope = {"config": chart_config(config, box_and_lasso=box_and_lasso, phone=phone),
                "label": alt_text(fig), "assets": cache.static_folder(),
                "select": ("points+box+lasso" if box_and_lasso else "points") if on_select else ""}
    callbacks = {"on_selection_change": on_select} if on_select is not None else {}
    figure_json = without_template(pio.to_json(fig, validate=False))
    chart_component(data=chart_bytes(envelope, figure_json), key=key,
                    **callbacks)


def chart_bytes(envelope: dict, figure_json: str) -> bytes:
    """What a chart element is sent: ``envelope`` with the figure in it, as UTF-8 JSON bytes.

    As bytes the figure's JSON goes in as it is; as a string inside the element's JSON data
    every quote in it would be escaped, a tenth more bytes for every chart.
    """
    return (json.dumps(envelope)[:-1] + ', "figure": ' + figure_json + "}").encode("utf-8")


def draw_table(frame: pd.DataFrame, *, key: str, label: str, height: int = TABLE_HEIGHT) -> None:
    """Show ``frame`` as an accessible, sortable HTML table (equity/table.js).

    ``label`` names the table for screen readers. Missing numbers read "no data" to them and
    show as a dash. A table taller than ``height`` pixels scrolls within its box.
    """
    data = {"table": views.compact_payload(views.table_payload(frame)), "label": label,
            "height": height}
    # As compact JSON bytes: Streamlit's encoding of a dict puts a space after every comma.
    table_component(data=json.dumps(data, separators=(",", ":")).encode("utf-8"), key=key)


def picked_ward_codes(key: str, known: set[str]) -> list[str]:
    """The ward codes a map's last click, box or lasso picked, in order; unknown ones dropped.

    A map point carries its ward code as ``location`` (choropleth) or as the first item of
    ``customdata`` (outlines and markers).
    """
    codes = []
    for point in selected_points(key):
        code = point.get("location") or (point.get("customdata") or [None])[0]
        if code in known:
            codes.append(code)
    return codes


def table_with_download(frame: pd.DataFrame, *, key: str, label: str, file_name: str,
                        download_key: str, caption: str | None = None,
                        height: int = TABLE_HEIGHT) -> None:
    """A table, the button that downloads exactly its rows as CSV, and an optional caption."""
    draw_table(frame, key=key, label=label, height=height)
    download_csv(frame, file_name, key=download_key)
    if caption:
        st.caption(caption)


def download_csv(frame: pd.DataFrame, name: str, key: str) -> None:
    """A button that downloads ``frame`` as the CSV file ``name``, exactly as the table shows."""
    csv = frame.to_csv(index=False, float_format="%.10g")
    st.download_button("Download this table (CSV)", csv.encode("utf-8"),
                       file_name=name, mime="text/csv", key=key, on_click="ignore")


def on_a_phone() -> bool:
    """Whether this visitor is on a phone, for layouts that must fit about 360 px.

    The server cannot see the window's width, so phones are told apart the way MDN
    recommends, by "Mobi" in the User-Agent.
    """
    return "Mobi" in (st.context.headers.get("User-Agent", "") or "")
