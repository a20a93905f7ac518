"""The only Streamlit module: cached loading, URL state, the shared sidebar and page bodies.

Pages are a few lines that call one function here; every number comes from
:mod:`equity.views`, every figure from :mod:`equity.charts`.

URL state is one plain query parameter per piece of state: ``indicator``, ``la`` (authority
codes, comma-separated), ``char`` with ``min``/``max``, ``decile`` (comma-separated),
``ward``, ``scheme`` and ``by``. A link is read once, when a session starts; an unknown or
malformed value gets a short notice and falls back to the default.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

# Import PIL before any session can: plotly and WeasyPrint both import it lazily, and two
# sessions importing it at once in a fresh process saw a half-initialised module.
import PIL.Image  # noqa: F401
import plotly.io as pio
import streamlit as st

from equity import charts, views
from equity.bundle import DEFAULT_BUNDLE, Bundle, BundleError, read_bundle
from equity.catalogue import (
    AUTHORITIES,
    ENGLAND_CODE,
    HEADLINES,
    METHODS,
    THEMES,
    WMCA_CODE,
    characteristics,
    indicators_for_theme,
)
from equity.filters import WardFilter, apply_filter, describe_filter
from equity.stats import quintile_gap

# plotly's orjson path walks the whole figure in Python first; the standard-library engine
# serialises the ward map in ~5 ms instead of ~13 ms (bench/bench_map_options.py).
pio.json.config.default_engine = "json"
# Streamlit sets its own template as plotly's default when imported, for its own chart
# element; charts here are drawn by the component below, so they carry the app's template.
pio.templates["equity"] = charts.CHART_TEMPLATE
pio.templates.default = "equity"

# Every chart is drawn by this component with static/plotly-equity.min.js, a plotly.js build
# holding only the trace types equity/charts.py makes (frontend/entry.js). st.plotly_chart's
# chunk is all of plotly.js: on a first visit it cost the ward map about 0.6 s to evaluate.
CHART_JS = Path(__file__).with_name("plotly_chart.js")
# Every table is drawn by equity/table.js as a real <table> (see that file for why).
TABLE_JS = Path(__file__).with_name("table.js")
TABLE_CSS = Path(__file__).with_name("table.css")
# A table taller than this scrolls inside its box, under a header that stays in view.
TABLE_HEIGHT = 420


def _component_js(path: Path) -> str:
    """Return a component's JavaScript file without comments or indentation.

    Streamlit sends the component's JavaScript with every element. No line of these files is
    inside a multi-line string, so stripping lines is safe.
    """
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


# isolate_styles=False: plotly adds its style rules to the page's <head>, and a shadow root
# would keep them off the chart.
_chart_component = st.components.v2.component("equity_chart", js=_component_js(CHART_JS),
                                              isolate_styles=False)
_table_component = st.components.v2.component(
    "equity_table", js=_component_js(TABLE_JS),
    css=TABLE_CSS.read_text(encoding="utf-8"), isolate_styles=False)

SCHEMES = {"quantiles": "Quintiles", "natural_breaks": "Natural breaks"}
DEFAULT_GAP_BY = "imd_score"
URL_KEYS = ("indicator", "la", "char", "min", "max", "decile", "ward", "scheme", "by", "wards")
# A ward list for the impact check can name all 192 wards (9 characters and a comma each).
LONG_PARAMS = {"wards": 2000}
_SAFE_TEXT = re.compile(r"[^A-Za-z0-9_.,\- ]")
MAX_PARAM_LENGTH = 200


# ----------------------------------------------------------------------------- loading
# An operator can serve another bundle folder (a rebuilt or test one) without moving files.
BUNDLE_ENV = "EQUITY_BUNDLE"
LOG = logging.getLogger(__name__)


@st.cache_resource(show_spinner="Loading ward data…")
def _cached_bundle() -> Bundle:
    return read_bundle(os.environ.get(BUNDLE_ENV) or DEFAULT_BUNDLE)


def load_bundle() -> Bundle:
    """The bundle, read once per server process and shared by every session.

    A bundle that is missing or cannot be read stops the page with one plain message (and is
    read again on the next visit, since a failure is not cached).
    """
    try:
        return _cached_bundle()
    except BundleError as exc:
        LOG.error("ward data bundle not loaded: %s", exc)
        # The reason names server paths, so it goes to the operator's log, not to visitors.
        st.error("The ward data could not be loaded, so this page cannot be shown. The "
                 "server's log says why; rebuilding the data bundle (python -m equity ingest) "
                 "fixes a missing or damaged one.", icon="⚠️")
        st.stop()


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


@st.cache_resource(show_spinner=False)
def ward_geojson() -> dict:
    """The ward shapes as GeoJSON, built once per process."""
    return charts.wards_geojson(load_bundle().wards)


@st.cache_resource(show_spinner=False)
def characteristic_ranges() -> dict[str, tuple[float, float]]:
    """Slider bounds per characteristic: the ward minimum and maximum, rounded outwards."""
    bundle = load_bundle()
    out = {}
    for ind in characteristics():
        values = bundle.ward_values(ind.id).value
        values = values[np.isfinite(values)]
        if not values.empty:
            out[ind.id] = (math.floor(values.min()), math.ceil(values.max()))
    return out


# ----------------------------------------------------------------------------- URL state
def _shown(text: str) -> str:
    """A URL value made safe to echo in a notice: plain characters only, truncated."""
    cleaned = _SAFE_TEXT.sub("", text)[:40]
    # Escape underscores so "__x__" shows as typed instead of rendering as bold markdown.
    cleaned = cleaned.replace("_", "\\_")
    return f"“{cleaned}”" if cleaned else "(a value that cannot be shown)"


def _parse_float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) < 1e9 else None


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def _plain(text: str) -> str:
    """Escape markdown so text taken from an upload shows as typed, never as links or bold."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    # Markdown escapes do not stop bare-URL autolinking; a zero-width space does, invisibly.
    return re.sub(r"(?i)(:\\?)(//)|(www)(\\?\.)", lambda m: (m.group(1) or m.group(3))
                  + "\u200b" + (m.group(2) or m.group(4)), escaped)


def apply_url_state() -> None:
    """Seed widget state from the URL the first time a session runs."""
    state = st.session_state
    if state.get("_url_applied"):
        return
    state["_url_applied"] = True
    notices: list[str] = []
    params = {k: st.query_params.get(k, "") for k in URL_KEYS if k in st.query_params}
    unknown = [k for k in st.query_params if k not in URL_KEYS]
    if unknown:
        notices.append("The link had settings this dashboard does not use; they were ignored.")
    for key, raw in list(params.items()):
        if len(raw) > LONG_PARAMS.get(key, MAX_PARAM_LENGTH):
            notices.append(f"The link's “{key}” setting was too long and was ignored.")
            del params[key]

    bundle = load_bundle()
    if "la" in params:
        names = {v.lower(): k for k, v in AUTHORITIES.items()}
        codes, bad = [], []
        for part in filter(None, (p.strip() for p in params["la"].split(","))):
            code = part if part in AUTHORITIES else names.get(part.lower())
            (codes if code else bad).append(code or part)
        if bad:
            notices.append(f"Unknown local authority {_shown(bad[0])} in the link; ignored.")
        state["f_la"] = list(dict.fromkeys(codes))
    # A characteristic with no drawable ward value has no range to filter on.
    chars = set(characteristic_ranges())
    if "char" in params:
        if params["char"] in chars:
            char = params["char"]
            state["f_char"] = char
            low, high = characteristic_ranges()[char]
            lo = _parse_float(params.get("min", "")) if "min" in params else low
            hi = _parse_float(params.get("max", "")) if "max" in params else high
            if lo is None or hi is None or lo > hi:
                notices.append("The link's characteristic range was not a valid pair of "
                               "numbers; the full range is shown.")
                lo, hi = low, high
            clamped = (float(min(max(lo, low), high)), float(max(min(hi, high), low)))
            if clamped != (lo, hi) and (lo, hi) != (low, high):
                notices.append(f"The link's range was outside the wards' values ({low:g} to "
                               f"{high:g}) and was narrowed to {clamped[0]:g} to "
                               f"{clamped[1]:g}.")
            state[f"f_range_{char}"] = clamped
        else:
            notices.append(f"Unknown characteristic {_shown(params['char'])} in the link; "
                           "no characteristic filter is applied.")
    elif "min" in params or "max" in params:
        notices.append("The link gave a range without a characteristic (“char”); it was "
                       "ignored.")
    if "decile" in params:
        deciles, bad = [], []
        for part in filter(None, (p.strip() for p in params["decile"].split(","))):
            ok = re.fullmatch(r"[0-9]{1,2}", part) is not None and 1 <= int(part) <= 10
            (deciles if ok else bad).append(part)
        if bad:
            notices.append(f"Deprivation decile {_shown(bad[0])} is not 1 to 10; ignored.")
        state["f_decile"] = sorted({int(d) for d in deciles})
    if "ward" in params:
        if params["ward"] in set(bundle.wards.ward_code):
            state["f_ward"] = params["ward"]
        else:
            notices.append(f"Unknown ward {_shown(params['ward'])} in the link; no ward is "
                           "selected.")
    if "scheme" in params:
        if params["scheme"] in SCHEMES:
            state["f_scheme"] = params["scheme"]
        else:
            notices.append(f"Unknown map classification {_shown(params['scheme'])}; "
                           "quintiles are used.")
    state["_url_indicator"] = params.get("indicator")
    state["_url_by"] = params.get("by")
    state["_url_wards"] = params.get("wards")
    state["_notices"] = notices


def _start(title: str) -> Bundle:
    """Begin a page: its title, then any notices about the link it was opened with."""
    st.title(title)
    show_notices()
    return load_bundle()


def show_notices() -> None:
    """Show (once) any notices about the link the session was opened with.

    They are drawn in one container that is there on every run, with or without notices, so
    the elements after it keep their places: Streamlit remounts an element that moves, and a
    map would lose the reader's zoom.
    """
    with st.container():
        for notice in load_bundle().notices:
            st.warning(notice, icon="⚠️")
        for notice in st.session_state.pop("_notices", []):
            st.info(notice, icon="ℹ️")


def sync_url(page_params: dict[str, str] | None = None) -> None:
    """Write the current view into the URL so it can be copied and shared."""
    state = st.session_state
    params: dict[str, str] = {}
    if page_params:
        params.update({k: v for k, v in page_params.items() if v})
    if state.get("f_la"):
        params["la"] = ",".join(state["f_la"])
    char = state.get("f_char") or ""
    if char in characteristic_ranges():
        low, high = characteristic_ranges()[char]
        lo, hi = state.get(f"f_range_{char}", (low, high))
        params["char"] = char
        if lo > low:
            params["min"] = f"{lo:g}"
        if hi < high:
            params["max"] = f"{hi:g}"
    if state.get("f_decile"):
        params["decile"] = ",".join(str(d) for d in state["f_decile"])
    if state.get("f_ward"):
        params["ward"] = state["f_ward"]
    if state.get("f_scheme", "quantiles") != "quantiles":
        params["scheme"] = state["f_scheme"]
    if {k: st.query_params.get(k) for k in st.query_params} != params:
        st.query_params.from_dict(params)


# ----------------------------------------------------------------------------- sidebar
@st.cache_resource(show_spinner=False)
def ward_labels() -> dict[str, str]:
    """"Ward (Authority)" for every ward code, built once per process."""
    wards = load_bundle().wards
    return {c: f"{n} ({a})" for c, n, a in zip(wards.ward_code, wards.ward_name, wards.authority,
                                              strict=True)}


def _ward_label(bundle: Bundle):
    labels = ward_labels()
    return labels.__getitem__


def sidebar() -> WardFilter:
    """Draw the filters every page shares and return the current ward filter."""
    bundle = load_bundle()
    warm_figures()
    apply_url_state()
    ward_codes = bundle.wards.sort_values("ward_name").ward_code.tolist()
    ranges = characteristic_ranges()
    catalogue = bundle.catalogue
    with st.sidebar:
        st.selectbox("Find a ward", ward_codes, index=None, key="f_ward",
                     format_func=_ward_label(bundle), placeholder="Type a ward name",
                     help="Select a ward to outline it on the map and see its profile.")
        st.markdown("**Filter wards**")
        st.multiselect("Local authorities", list(AUTHORITIES), key="f_la",
                       format_func=AUTHORITIES.get, placeholder="All seven authorities")
        char_ids = [""] + [ind.id for ind in characteristics() if ind.id in ranges]
        char = st.selectbox("Population characteristic", char_ids, key="f_char",
                            format_func=lambda i: catalogue[i].short_title if i else "None")
        low = high = None
        if char:
            lo_bound, hi_bound = ranges[char]
            st.session_state.setdefault(f"f_range_{char}", (float(lo_bound), float(hi_bound)))
            lo, hi = st.slider(f"{catalogue[char].short_title} between", float(lo_bound),
                               float(hi_bound),
                               step=0.5 if catalogue[char].unit != "decile" else 1.0,
                               key=f"f_range_{char}")
            low = lo if lo > lo_bound else None
            high = hi if hi < hi_bound else None
        st.multiselect("Deprivation decile (IMD 2025, within WMCA)", list(range(1, 11)),
                       key="f_decile", placeholder="All deciles",
                       format_func=lambda d: {1: "1 (most deprived)",
                                              10: "10 (least deprived)"}.get(d, str(d)))
        st.radio("Map classes", list(SCHEMES), format_func=SCHEMES.get, key="f_scheme",
                 horizontal=True)
        st.caption("Ward shapes: ONS 2024 wards. Data: ONS, MHCLG, DWP, DfE (OGL v3).")
    state = st.session_state
    ward_filter = WardFilter(authorities=tuple(state.get("f_la") or ()),
                             characteristic=char or None, min_value=low, max_value=high,
                             deciles=tuple(state.get("f_decile") or ()))
    state["_ward_filter"] = ward_filter
    return ward_filter


def current_filter() -> WardFilter:
    """The ward filter the sidebar set on this run."""
    return st.session_state.get("_ward_filter", WardFilter())


# ----------------------------------------------------------------------------- pieces
def _metadata(ind) -> None:
    with st.expander("About this indicator", expanded=True):
        st.markdown(f"**Definition.** {ind.definition}")
        st.markdown(f"**Numerator:** {ind.numerator or '—'}  \n"
                    f"**Denominator:** {ind.denominator or '—'}")
        st.markdown(f"**Source:** {ind.source} ({ind.publisher}).  \n"
                    f"**Vintage:** {ind.vintage}.  \n"
                    f"**Coverage:** {views.coverage_text(ind)}.  \n"
                    f"**Polarity:** {ind.polarity.replace('_', ' ')}.")
        if ind.caveats:
            st.markdown(f"**Caveats.** {ind.caveats}")


def _on_map_select(key: str) -> None:
    """Map click → selected ward (runs before the rerun, so it may set the sidebar widget)."""
    for point in _selected_points(key):
        code = point.get("location")
        if not code and point.get("customdata"):
            code = point["customdata"][0]
        if code in set(load_bundle().wards.ward_code):
            st.session_state["f_ward"] = code
            return


def _alt_text(fig) -> str:
    """A chart's accessible name: its title and the description its builder put in meta."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    title = meta.get("title") or (fig.layout.title.text or "Chart")
    description = meta.get("description", "")
    return f"{title}. {description} The figures are in the table on this page.".strip()


def _static_folder() -> str:
    """The URL folder Streamlit serves ``static/`` from (``server.enableStaticServing``)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


def _selected_points(key: str) -> list[dict]:
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


def _plot(fig, key: str, *, on_select=None, box_and_lasso: bool = False,
          config: dict | None = None) -> None:
    """Draw a plotly figure with an accessible name taken from the figure.

    ``on_select`` runs when the reader clicks a point, or draws a box or lasso where
    ``box_and_lasso`` allows them; it reads the points with :func:`_selected_points`.
    On a phone the figure is re-laid out for the width (:func:`charts.for_small_screen`).
    """
    phone = on_a_phone()
    if phone:
        fig = charts.for_small_screen(fig)
    data = {"figure": pio.to_json(fig, validate=False),
            "config": chart_config(config, box_and_lasso=box_and_lasso, phone=phone),
            "label": _alt_text(fig), "assets": _static_folder(),
            "select": ("points+box+lasso" if box_and_lasso else "points") if on_select else ""}
    callbacks = {"on_selection_change": on_select} if on_select is not None else {}
    _chart_component(data=data, key=key, **callbacks)


def _table(frame: pd.DataFrame, *, key: str, label: str, height: int = TABLE_HEIGHT) -> None:
    """Show ``frame`` as an accessible, sortable HTML table (equity/table.js).

    ``label`` names the table for screen readers. Missing numbers read "no data" to them and
    show as a dash. A table taller than ``height`` pixels scrolls within its box.
    """
    _table_component(data={"table": views.table_payload(frame), "label": label,
                           "height": height}, key=key)


def _download(frame: pd.DataFrame, name: str, key: str) -> None:
    csv = frame.to_csv(index=False, float_format="%.10g")
    st.download_button("Download this table (CSV)", csv.encode("utf-8"),
                       file_name=name, mime="text/csv", key=key, on_click="ignore")


def _ward_panel(bundle: Bundle, ind_id: str, ward: str | None) -> None:
    if not ward:
        st.markdown("**Select a ward**: click it on the map or type its name in *Find a ward*.")
        return
    s = views.ward_summary(bundle, ind_id, ward)
    st.markdown(f"## {s['ward_name']}\n{s['authority']}")
    st.metric(bundle.catalogue[ind_id].short_title, s["value"])
    lines = []
    if s["interval"]:
        lines.append(f"95% CI {s['interval']}")
    if s["rank"]:
        top = "highest" if bundle.catalogue[ind_id].polarity == "neither" else "worst"
        lines.append(f"Rank {s['rank']} (1 = {top})")
    lines += [f"{s['authority']}: {s['authority_value']}", f"WMCA: {s['wmca_value']}",
              f"England: {s['england_value']}"]
    if s["vs_wmca"] not in ("no data", "not tested", ""):
        lines.append(f"Compared with {s['benchmark_name']}: **{s['vs_wmca']}**")
    lines.append(f"Method: {s['method']}")
    st.markdown("  \n".join(lines))
    st.page_link("app_pages/ward_profile.py", label="Open the ward profile",
                 query_params={"ward": ward})


def _gap_summary(table: pd.DataFrame) -> str:
    column = next(c for c in table.columns if c.startswith("Compared with "))
    counts = table[column].value_counts()
    parts = [f"{n} {label}" for label, n in counts.items() if label not in ("no data",)]
    name = column.removeprefix("Compared with ")
    return f"Wards against the {name} value: " + ", ".join(parts) + "." if parts else ""


def on_a_phone() -> bool:
    """Whether this visitor is on a phone, for layouts that must fit about 360 px.

    The server cannot see the window's width, so phones are told apart the way MDN
    recommends, by "Mobi" in the User-Agent.
    """
    return "Mobi" in (st.context.headers.get("User-Agent", "") or "")


# ----------------------------------------------------------------------------- figures
# Figures depend only on the (immutable) bundle and these plain keys, so they are built once per
# process and reused by every session; max_entries bounds the memory they hold.
@st.cache_resource(max_entries=64, show_spinner=False)
def base_map(indicator_id: str, scheme: str, highlight: frozenset[str] | None):
    """The theme-page ward map for one indicator, classification and filter, no selection."""
    bundle = load_bundle()
    return charts.choropleth(bundle.wards, views.ward_frame(bundle, indicator_id),
                             bundle.indicator(indicator_id), scheme,
                             highlight=set(highlight) if highlight is not None else None,
                             authorities_gdf=bundle.authorities, geojson=ward_geojson())


@st.cache_resource(max_entries=256, show_spinner=False)
def ward_map(indicator_id: str, scheme: str, highlight: frozenset[str] | None,
             selected: str | None):
    """The ward map with the selected ward outlined (a cheap copy of :func:`base_map`)."""
    base = base_map(indicator_id, scheme, highlight)
    if selected is None:
        return base
    return charts.with_selected_ward(base, load_bundle().wards, selected)


@st.cache_resource(max_entries=64, show_spinner=False)
def gap_chart(indicator_id: str, wards: frozenset[str]):
    """Each ward in ``wards`` against the benchmark, with authority and England references."""
    bundle = load_bundle()
    ind = bundle.indicator(indicator_id)
    values = views.ward_frame(bundle, indicator_id)
    shown = values[values.ward_code.isin(wards) & np.isfinite(values.value)]
    _, bench_name, bench_value = views.benchmark(bundle, indicator_id)
    la_values = {code: views.benchmark_value(bundle, indicator_id, code) for code in ind.coverage}
    england = views.benchmark_value(bundle, indicator_id, ENGLAND_CODE)
    return charts.gap_to_benchmark(shown, ind, bench_value, la_values,
                                   england if np.isfinite(england) else None,
                                   benchmark_label=bench_name)


@st.cache_resource(show_spinner="Preparing maps…")
def warm_figures() -> int:
    """Build every theme indicator's unfiltered map and gap chart once, when a process starts.

    Most views are unfiltered; building them here (about 1 s in all) means the first person to
    open each indicator does not wait for it.
    """
    bundle = load_bundle()
    built = 0
    for ind in bundle.catalogue.values():
        if ind.theme == "characteristic":
            continue
        base_map(ind.id, "quantiles", None)
        values = views.ward_frame(bundle, ind.id)
        with_data = frozenset(values.ward_code[np.isfinite(values.value)])
        if with_data and np.isfinite(views.benchmark(bundle, ind.id)[2]):
            gap_chart(ind.id, with_data)
        if ind.kind != "rank_decile":
            gap_by_chart(ind.id, DEFAULT_GAP_BY, frozenset(bundle.wards.ward_code))
        built += 1
    freeze_long_lived_objects()
    return built


def freeze_long_lived_objects() -> int:
    """Move everything alive now (imports, bundle, cached figures) out of the collector's sight.

    Streamlit runs ``gc.collect(2)`` after every script run (``runner.postScriptGC``). With
    about 290,000 long-lived objects that walk takes ~100 ms per rerun, holding the GIL, so
    the server can send nothing meanwhile (``bench/bench_interactions.py`` reports it). After
    ``gc.freeze`` the walk covers only what sessions create. Frozen objects are still freed by
    reference counting when released; only cycles among them are never collected.

    Returns
    -------
    int
        The number of objects frozen (``gc.get_freeze_count()``).
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


# ----------------------------------------------------------------------------- pages
def theme_page(theme: str) -> None:
    """A theme page: indicator picker, map, ward panel, gap charts and table."""
    bundle = load_bundle()
    warm_figures()
    ward_filter = current_filter()
    inds = indicators_for_theme(theme)
    ids = [ind.id for ind in inds]
    key = f"ind_{theme}"
    st.title(THEMES[theme])
    show_notices()
    pending = st.session_state.pop("_url_indicator", None)
    with st.container():  # always there, like show_notices'
        if pending and pending not in ids:
            st.info(f"Indicator {_shown(pending)} is not on the {THEMES[theme]} page; showing "
                    f"{inds[0].short_title} instead.", icon="ℹ️")
    if pending in ids:
        st.session_state[key] = pending
    ind_id = st.selectbox("Indicator", ids, key=key, format_func=lambda i: bundle.catalogue[i].title,
                          persist_state="session")
    ind = bundle.indicator(ind_id)
    _metadata(ind)

    matches = apply_filter(bundle, ward_filter)
    n_match = int(matches.sum())
    # One container whatever it holds, so that setting or clearing a filter does not move the
    # map (see show_notices).
    with st.container():
        if not ward_filter.is_empty:
            st.markdown(f"**{n_match} of {len(matches)} wards match:** "
                        f"{describe_filter(ward_filter, bundle.catalogue)}.")
        if n_match == 0:
            st.warning("No wards match these filters. Widen the characteristic range or clear "
                       "a filter in the sidebar to see wards again.")
        if set(ind.coverage) != set(AUTHORITIES):
            st.info(f"This indicator covers {views.coverage_text(ind)}: wards in other "
                    "authorities show “no data for this authority”. See the figures for every "
                    "authority and England below.", icon="🗺️")

    ward = st.session_state.get("f_ward")
    highlight = None if ward_filter.is_empty else set(matches[matches].index)
    values = views.ward_frame(bundle, ind_id)
    map_col, panel_col = st.columns([3, 1])
    with map_col, part_of_page("map"):
        fig = ward_map(ind_id, st.session_state.get("f_scheme", "quantiles"),
                       frozenset(highlight) if highlight is not None else None, ward)
        map_key = f"map_{theme}"
        _plot(fig, key=map_key, on_select=lambda: _on_map_select(map_key),
              config={"scrollZoom": True})
    with panel_col, part_of_page("ward panel"):
        _ward_panel(bundle, ind_id, ward)

    st.header("Authorities, WMCA and England")
    with part_of_page("table of authorities"):
        _table(views.comparator_table(bundle, ind_id), key=f"cmp_{theme}",
               label=f"{ind.title}: authorities, WMCA and England")
        if ind.context:
            st.header("What is known for every authority and England")
            _table(views.context_table(bundle, ind.context), key=f"ctx_{theme}",
                   label="What is known for every authority and England")

    table = views.indicator_table(bundle, ind_id, matches)
    if n_match:
        _, bench_name, bench_value = views.benchmark(bundle, ind_id)
        st.header(f"Each ward against {bench_name}")
        shown = values[values.ward_code.isin(matches[matches].index) & np.isfinite(values.value)]
        if shown.empty or not np.isfinite(bench_value):
            st.caption("No ward among those matching the filter has data for this indicator.")
        else:
            with part_of_page("chart of each ward"):
                _plot(gap_chart(ind_id, frozenset(shown.ward_code)), key=f"gap_{theme}")
                st.caption(_gap_summary(table))
        if ind.kind != "rank_decile":
            st.header("Inequality across deprivation")
            with part_of_page("inequality summary"):
                row = inequality_results().set_index("indicator").loc[ind_id]
                st.markdown(views.sii_sentence(row, ind))
                if row.note:
                    st.caption(row.note)
        with part_of_page("gap by population characteristic"):
            _gap_by_characteristic(bundle, theme, ind, matches)
    st.header("Table")
    st.caption("Sortable: click a column heading. A dash means no data.")
    _table(table, key=f"table_{theme}", label=f"{ind.title}, by ward")
    _download(table, f"{ind_id}_wards.csv", key=f"dl_{theme}")
    sync_url({"indicator": ind_id, "by": st.session_state.get(f"by_{theme}", "")})


def _gap_by_characteristic(bundle: Bundle, theme: str, ind, matches: pd.Series) -> None:
    st.header("Gap by population characteristic")
    if ind.kind == "rank_decile":
        st.caption("Deciles are ranks and cannot be pooled into groups.")
        return
    options = [c.id for c in characteristics() if c.id != ind.id and c.kind != "rank_decile"]
    key = f"by_{theme}"
    pending = st.session_state.pop("_url_by", None)
    if pending in options:
        st.session_state[key] = pending
    elif pending:
        st.info(f"Characteristic {_shown(pending)} in the link cannot group wards; grouping "
                "by IMD score instead.", icon="ℹ️")
    if st.session_state.get(key) not in options:
        st.session_state[key] = DEFAULT_GAP_BY if DEFAULT_GAP_BY in options else options[0]
    by = st.selectbox("Group wards into fifths by", options, key=key,
                      format_func=lambda i: bundle.catalogue[i].title)
    result = gap_by_chart(ind.id, by, frozenset(matches[matches].index))
    if result is None:
        st.caption("Too few wards with data match the filter to form five groups.")
        return
    fig, sentence = result
    _plot(fig, key=f"gapby_{theme}")
    st.caption(sentence)


@st.cache_resource(max_entries=64, show_spinner=False)
def gap_by_chart(indicator_id: str, by: str, wards: frozenset[str]):
    """The quintile-gap chart and its sentence, or None when five groups cannot be formed."""
    bundle = load_bundle()
    ind = bundle.indicator(indicator_id)
    frame = bundle.ward_values(indicator_id)
    frame["characteristic"] = bundle.ward_values(by).value.to_numpy()
    frame = frame[frame.ward_code.isin(wards)]
    try:
        groups, gap = quintile_gap(frame, "characteristic", kind=ind.kind)
    except ValueError:
        return None
    return (charts.gap_by_characteristic(groups, gap, ind, bundle.catalogue[by]),
            views.gap_sentence(groups, gap, ind, bundle.catalogue[by]))


def ward_profile_page() -> None:
    """One ward across every indicator of the four themes, as a spine chart and a table."""
    bundle = _start("Ward profile")
    ward = st.session_state.get("f_ward")
    if not ward:
        st.info("Choose a ward in **Find a ward** in the sidebar, or click one on any map.")
        sync_url()
        return
    profile = views.profile_frame(bundle, ward)
    names = bundle.wards.set_index("ward_code")
    st.header(f"{names.ward_name[ward]}, {names.authority[ward]}")
    st.caption("Each row puts the ward (dot, with its 95% CI) on the range of all wards with "
               "data; the centre line is WMCA (Birmingham for the Birmingham-only claimant "
               "rows) and the diamond the ward's authority. Right is better where an indicator "
               "has a direction.")
    spine = profile.assign(wmca=profile.benchmark,
                           significance=profile.significance.str.replace(
                               r" \(vs .*\)$", "", regex=True))
    _plot(charts.spine_chart(spine, compact=on_a_phone()), key="spine")
    table = views.profile_table(profile)
    _table(table, key="profile_table", label=f"{names.ward_name[ward]}: every indicator")
    _download(table, f"{ward}_profile.csv", key="dl_profile")
    st.header("Ward pack")
    st.caption("One self-contained report for this ward: a map, every indicator of the four "
               "themes against its authority, WMCA and England, its population profile, and "
               "sources. The HTML works offline; the PDF is the same report laid out for A4.")
    col_html, col_pdf = st.columns(2)
    col_html.download_button("Download ward pack (HTML)", data=lambda: ward_pack(ward),
                             file_name=f"ward_pack_{ward}.html", mime="text/html",
                             key="dl_pack_html", on_click="ignore")
    if pdf_available():
        col_pdf.download_button("Download ward pack (PDF)", data=lambda: ward_pack_pdf(ward),
                                file_name=f"ward_pack_{ward}.pdf", mime="application/pdf",
                                key="dl_pack_pdf", on_click="ignore")
    else:
        col_pdf.caption("PDF needs WeasyPrint and Pango, which this server lacks; the HTML "
                        "pack prints to PDF from any browser.")
    sync_url()


@st.cache_data(max_entries=32, show_spinner="Building the ward pack…")
def ward_pack(ward: str) -> str:
    """The ward pack as HTML (cached for the most recent wards)."""
    from equity.report import ward_pack_html

    return ward_pack_html(load_bundle(), ward)


@st.cache_data(max_entries=8, show_spinner="Building the PDF…")
def ward_pack_pdf(ward: str) -> bytes:
    """The ward pack as PDF."""
    from equity.report import ward_pack_pdf as build

    return build(load_bundle(), ward) or b""


@st.cache_resource(show_spinner=False)
def pdf_available() -> bool:
    """Whether WeasyPrint and its system libraries load on this server."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@st.cache_resource(show_spinner="Computing inequality measures…")
def inequality_results() -> pd.DataFrame:
    """SII, RII and quintile gaps for every outcome, computed once per process."""
    from equity.inequality import inequality_table

    bundle = load_bundle()
    return inequality_table(bundle, views.outcome_ids(bundle))


@st.cache_resource(show_spinner=False)
def interlinked_results() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Worst-fifth counts per ward and outcome-characteristic correlations, once per process."""
    from equity.inequality import correlations, worst_fifth_counts

    bundle = load_bundle()
    headlines = {t: i for t, i in HEADLINES.items() if i}
    counts = worst_fifth_counts(bundle, headlines)
    chars = [c.id for c in characteristics() if c.kind != "rank_decile"]
    corr = correlations(bundle, list(headlines.values()), chars)
    return counts, corr


def overview_page() -> None:
    """Headlines, how disadvantage interlinks, and inequality measures for every outcome."""
    bundle = _start("West Midlands equity dashboard")
    st.markdown(
        "Ward-by-ward figures on **health, jobs, skills and youth unemployment** for the 192 "
        "wards of the West Midlands Combined Authority (Birmingham, Coventry, Dudley, Sandwell, "
        "Solihull, Walsall and Wolverhampton), with 95% confidence intervals, comparisons with "
        "each authority, WMCA and England, and filters by population characteristic."
    )
    cols = st.columns(4)
    for col, (page, label) in zip(cols, [("app_pages/health.py", "Health"),
                                         ("app_pages/jobs.py", "Jobs"),
                                         ("app_pages/skills.py", "Skills"),
                                         ("app_pages/youth_unemployment.py",
                                          "Youth unemployment")], strict=True):
        col.page_link(page, label=label)
    st.header("Headline figures")
    _table(views.headline_table(bundle), key="headline_table", label="Headline figures")

    st.header("Headline gaps by deprivation")
    ineq = inequality_results().set_index("indicator")
    for theme, ind_id in HEADLINES.items():
        if ind_id is None:
            st.markdown(f"- **{THEMES[theme]}:** no ward-level outcome covers every "
                        "authority (ward claimant counts by age exist for Birmingham only); "
                        "see the Youth unemployment page for authority and England figures.")
            continue
        st.markdown(f"- **{THEMES[theme]}:** "
                    f"{views.sii_sentence(ineq.loc[ind_id], bundle.catalogue[ind_id])}")

    st.header("How disadvantage interlinks")
    counts, corr = interlinked_results()
    headline_titles = ", ".join(bundle.catalogue[i].short_title
                                for i in HEADLINES.values() if i)
    st.markdown(f"For each ward, the number of themes on which it sits in WMCA's worst fifth "
                f"of wards ({headline_titles}). Youth unemployment is not counted: no "
                "ward-level youth outcome covers all seven authorities.")
    ind = views.worst_fifth_indicator(len([i for i in HEADLINES.values() if i]))
    frame = counts.rename(columns={"worst_fifth_count": "value"})
    map_col, list_col = st.columns([3, 2])
    with map_col:
        _plot(charts.choropleth(bundle.wards, frame, ind, "quantiles",
                                          selected=st.session_state.get("f_ward"),
                                          authorities_gdf=bundle.authorities,
                                          geojson=ward_geojson()),
              key="overview_map")
    with list_col:
        listing = views.worst_fifth_display(counts, bundle)
        _table(listing, key="worst_fifth_table", label="Wards by themes in the worst fifth",
               height=520)
        _download(listing, "worst_fifth_by_ward.csv", key="dl_worst")
    st.markdown("**Outcomes and population characteristics across wards.** Pearson "
                "correlations across the 192 wards, with 95% intervals (Fisher's z).")
    st.warning("These are associations between areas, not facts about individuals: a ward "
               "with more residents of one group and worse outcomes does not show that people "
               "in that group have worse outcomes (the ecological fallacy). For gaps between "
               "people, see *Gaps between groups*.", icon="⚠️")
    corr_table = views.correlation_display(corr, bundle)
    _table(corr_table, key="corr_table", label="Correlations between indicators across wards")
    _download(corr_table, "correlations.csv", key="dl_corr")

    st.header("Inequality across deprivation, every outcome")
    st.caption("Slope index of inequality (SII): the modelled difference between the most and "
               "the least deprived end of WMCA's ward deprivation deciles, population-weighted "
               "(OHID method; positive = higher in more deprived areas), with Monte Carlo 95% "
               "intervals. Relative index (RII) = SII divided by the WMCA mean. The gap is the "
               "most minus the least deprived fifth of wards, with its own interval.")
    table = views.inequality_display(inequality_results())
    _table(table, key="sii_table", label="Inequality across deprivation, by indicator")
    _download(table, "inequality_measures.csv", key="dl_ineq")
    sync_url()


def about_page() -> None:
    """Sources, vintages, methods, coverage and licence."""
    bundle = _start("About the data")
    st.markdown(
        "Every figure is computed from published statistics by this project's ingest "
        "(`python -m equity ingest`). Ward figures are one of: a **published ward total**; an "
        "**LSOA best-fit sum** (each LSOA counted wholly in one ward, so close to but not "
        "exactly the ward total); an **estimate apportioned from 2022 wards** (new Dudley and "
        "Wolverhampton wards); or a **population-weighted LSOA score**. A numerator and its "
        "denominator always come from the same method. Authority and WMCA values are computed "
        "from the same counts, never averaged from ward rates. Intervals are Wilson 95% "
        "score intervals. A ward without data shows “no data”, never zero."
    )
    st.header("Methods")
    _table(pd.DataFrame({"Method": [views.method_label(k) for k in METHODS],
                         "What it means": list(METHODS.values())}),
           key="methods_table", label="Methods")
    st.header("Indicators")
    _table(views.catalogue_table(bundle), key="catalogue_table", label="Indicators")
    st.header("Raw files used")
    files = bundle.manifest.get("raw_files", {})
    _table(pd.DataFrame({"File": list(files), "SHA-256": list(files.values())}),
           key="raw_files_table", label="Raw files used")
    st.header("Licence and attribution")
    for line in bundle.manifest.get("attribution", []):
        st.markdown(f"- {line}")
    st.markdown(f"Geometry: {bundle.manifest.get('geometry', {}).get('simplification', '')}.")
    sync_url()


def group_gaps_page() -> None:
    """Gaps between groups of people, from published cross-tabulations."""
    bundle = _start("Gaps between groups of people")
    st.markdown(
        "These are **gaps between people**: the rate for each group of residents, wherever the "
        "published data cross-tabulates an outcome by a characteristic. The theme pages show "
        "**gaps between areas** (wards grouped by their make-up), which say nothing about the "
        "individuals in them. Rates here are not age-standardised, so groups with different "
        "age profiles are not strictly comparable."
    )
    st.header("Qualifications by ethnic group (Census 2021)")
    areas = {**AUTHORITIES, WMCA_CODE: "WMCA", ENGLAND_CODE: "England"}
    col_measure, col_area = st.columns(2)
    measure = col_measure.selectbox("Measure", list(views.GROUP_MEASURES),
                                    format_func=views.GROUP_MEASURES.get, key="gg_measure")
    area = col_area.selectbox("Area", list(areas), format_func=areas.get, key="gg_area",
                              index=list(areas).index(WMCA_CODE))
    groups, everyone = views.group_gap_frame(bundle, measure, area)
    _plot(charts.group_rates(groups, f"{views.GROUP_MEASURES[measure]}, "
                                       f"{areas[area]}", everyone), key="gg_chart")
    table = views.group_gap_table(groups, everyone)
    _table(table, key="gg_table", label=f"{views.GROUP_MEASURES[measure]}, {areas[area]}")
    _download(table, f"{measure}_{area}_by_ethnic_group.csv", key="dl_gg")
    st.caption("Each gap compares a group with everyone else in the area and is scaled to the "
               "difference from all residents, with its own 95% interval.")

    st.header("Youth employment by ethnic group, West Midlands region")
    youth = bundle.group_gaps[bundle.group_gaps.measure == "youth_employment_by_ethnicity"]
    _plot(charts.group_rates(youth, youth.title.iloc[0]), key="gg_youth")
    st.caption(f"Source: {youth.source.iloc[0]}. Survey estimates with the published 95% "
               "margins; the underlying survey period is not stated by the publisher.")
    _table(pd.DataFrame({"Group": youth.group, "Rate": youth.value.round(1),
                         "Lower 95%": youth.lower.round(1), "Upper 95%": youth.upper.round(1)}),
           key="gg_youth_table", label=youth.title.iloc[0])

    st.header("Unemployment by ethnic group and disability, England and Wales")
    unemp = bundle.group_gaps[bundle.group_gaps.measure == "unemployment_by_ethnicity"]
    breakdown = st.radio("Show", ["All adults", "Disabled adults", "Non-disabled adults"],
                         horizontal=True, key="gg_unemp")
    if breakdown == "All adults":
        shown = unemp[~unemp.group.str.contains(" — ")]
    else:
        shown = unemp[unemp.group.str.endswith(breakdown)]
        shown = shown.assign(group=shown.group.str.replace(f" — {breakdown}", "", regex=False))
    _plot(charts.group_rates(shown, f"Unemployment rate, {breakdown.lower()}, "
                                       "England and Wales"), key="gg_unemp_chart")
    st.caption(f"Source: {unemp.source.iloc[0]}. Published rates without counts, so no "
               "intervals; national context, not WMCA figures.")
    sync_url()


def trends_page() -> None:
    """Monthly claimants (Birmingham wards) and the change from IMD 2019 to IMD 2025."""
    bundle = _start("Trends")
    ward = st.session_state.get("f_ward")
    names = bundle.wards.set_index("ward_code")
    st.header("Claimant count, monthly")
    covered = set(bundle.claimant_monthly.ward_code)
    if ward and ward not in covered:
        st.info(f"Monthly ward claimant counts cover Birmingham only; {names.ward_name[ward]} "
                f"is in {names.authority[ward]}, so only the Birmingham total is shown. "
                "Annual authority rates for all seven are on the Jobs page.", icon="🗺️")
    elif not ward:
        st.caption("Choose a Birmingham ward in *Find a ward* to compare it with Birmingham.")
    series = views.claimant_series(bundle, ward)
    _plot(charts.time_series(series, "Claimants, all ages (first month = 100)",
                                       "Index (first month = 100)"), key="trend_claimants")
    table = (series.pivot(index="month", columns="name", values="claimants").reset_index()
             .rename(columns={"month": "Month"}))
    _table(table, key="trend_table", label="Claimants, all ages, by month")
    _download(table, "claimants_monthly.csv", key="dl_trend")
    st.caption("DWP claimant count (Jobseeker's Allowance and Universal Credit, searching for "
               "work), rounded to 5 for each ward, May 2021 to April 2026.")

    st.header("Deprivation: IMD 2019 to IMD 2025")
    change = views.imd_change_frame(bundle)
    measure = st.radio("Measure", ["change_pp", "percentile_change"], horizontal=True,
                       key="trend_imd", format_func={
                           "change_pp": "Residents in England's most deprived 10% (change, "
                                        "percentage points)",
                           "percentile_change": "Average national percentile (change; "
                                                "positive = relatively less deprived)"}.get)
    ind = views.imd_change_indicator(measure)
    frame = change.rename(columns={measure: "value"})[["ward_code", "ward_name", "authority",
                                                       "value"]]
    _plot(charts.choropleth(bundle.wards, frame, ind, "quantiles",
                                      selected=ward, authorities_gdf=bundle.authorities,
                                      geojson=ward_geojson()),
          key="trend_map")
    shown = views.imd_change_table(change, measure)
    _table(shown, key="imd_change_table", label="Change in deprivation, 2019 to 2025, by ward")
    _download(shown, "imd_change_by_ward.csv", key="dl_imd_change")
    st.caption("IMD 2019 (2011 LSOAs) is carried onto 2021 LSOAs with the ONS lookup, and "
               "both editions are weighted by Census 2021 residents. The two editions use "
               "different data years and some different indicators, so MHCLG advises care "
               "comparing them; ranks are relative, so a ward can move without changing in "
               "absolute terms.")
    sync_url()


# ----------------------------------------------------------------------------- impact check
IMPACT_KEY = "imp_wards"


def _on_impact_map_select() -> None:
    """Box, lasso or click on the impact map adds those wards to the chosen list."""
    known = set(load_bundle().wards.ward_code)
    picked = [p.get("location") or (p.get("customdata") or [None])[0]
              for p in _selected_points("imp_map")]
    picked = [code for code in picked if code in known]
    if picked:
        current = list(st.session_state.get(IMPACT_KEY) or [])
        st.session_state[IMPACT_KEY] = list(dict.fromkeys(current + picked))


def _clear_impact() -> None:
    """Empty the chosen-ward list (a callback, so it runs before the widget is drawn)."""
    st.session_state[IMPACT_KEY] = []
    st.session_state["imp_messages"] = []


def _on_impact_upload() -> None:
    """Read an uploaded ward list in memory; replace the chosen wards with it."""
    from equity.impact import ImpactInputError, read_ward_list

    upload = st.session_state.get("imp_upload")
    st.session_state["imp_messages"] = []
    if upload is None:
        return
    # Each message names its file: the uploader keeps the last accepted file while listing any
    # it refused itself (wrong type, too big) with its own error, and the two must not mix.
    source = f"{upload.name}: "
    try:
        ward_list = read_ward_list(upload.getvalue(), load_bundle(), filename=upload.name)
    except ImpactInputError as exc:
        kept = " The chosen wards were left as they were." if st.session_state.get(
            IMPACT_KEY) else ""
        st.session_state["imp_messages"] = [("error", f"{source}{exc}{kept}")]
        return
    st.session_state[IMPACT_KEY] = list(ward_list.codes)
    # Entries that matched no ward are a problem with the file, so its notices are warnings.
    kind = "warning" if ward_list.unknown else "info"
    st.session_state["imp_messages"] = [(kind, f"{source}{n}") for n in ward_list.notices]


def impact_page() -> None:
    """Differential-impact check: who lives in the wards a programme covers, against WMCA."""
    from equity.impact import MAX_BYTES, impact_table

    bundle = _start("Equity impact check")
    st.markdown(
        "Screen a strategy or programme for disproportionate impact, as the WMCA Equity and "
        "Inclusion Scheme asks: choose the wards it covers and see who lives there compared "
        "with WMCA as a whole. Pick wards from the list, draw a box or lasso on the map (or "
        "click wards), or upload a CSV with a column of 2024 ward codes or ward names. "
        "Uploads are read in memory for this session only and never stored."
    )
    pending = st.session_state.pop("_url_wards", None)
    codes_known = set(bundle.wards.ward_code)
    if pending:
        parts = [p.strip() for p in pending.split(",") if p.strip()]
        good = [p for p in parts if p in codes_known]
        if len(good) < len(parts):
            st.info(f"{len(parts) - len(good)} ward code(s) in the link were not recognised "
                    "and were left out.", icon="ℹ️")
        st.session_state[IMPACT_KEY] = list(dict.fromkeys(good))
    ward_codes = bundle.wards.sort_values("ward_name").ward_code.tolist()
    st.file_uploader(f"Upload a ward list (CSV, up to {MAX_BYTES / 1e6:g} MB)", type=["csv"],
                     key="imp_upload", on_change=_on_impact_upload,
                     help="One column of ward codes (E05…) or names; a heading such as "
                          "ward_code or ward_name is optional.")
    for kind, message in st.session_state.get("imp_messages", []):
        {"error": st.error, "warning": st.warning}.get(kind, st.info)(_plain(message))
    st.multiselect("Wards the programme covers", ward_codes, key=IMPACT_KEY,
                   format_func=_ward_label(bundle), placeholder="Choose wards",
                   filter_mode="contains", select_all=False)
    chosen = list(st.session_state.get(IMPACT_KEY) or [])
    ind = bundle.indicator("imd_score")
    highlight = set(chosen) if chosen else None
    fig = charts.choropleth(bundle.wards, views.ward_frame(bundle, ind.id), ind, "quantiles",
                            highlight=highlight, authorities_gdf=bundle.authorities,
                            geojson=ward_geojson())
    fig.update_layout(dragmode="lasso", title={"text": "Draw a box or lasso to add wards "
                                               "(shaded by IMD 2025 score)"})
    _plot(fig, key="imp_map", on_select=_on_impact_map_select, box_and_lasso=True,
          config={"scrollZoom": True})
    st.button("Clear the chosen wards", key="imp_clear", on_click=_clear_impact)
    if not chosen:
        st.info("No wards chosen yet.", icon="ℹ️")
        sync_url()
        return
    table = impact_table(bundle, chosen)
    residents = bundle.ward_values("eth_white").set_index("ward_code").denominator
    st.markdown(f"**{len(chosen)} ward{'' if len(chosen) == 1 else 's'} chosen**, home to "
                f"{residents.reindex(chosen).sum():,.0f} residents.")
    _plot(charts.impact_differences(table), key="imp_chart")
    flagged = table[table.flag.isin(["over-represented", "under-represented"])]
    for _, row in flagged.iterrows():
        # Group names are labels ("White", "Aged 16-24", "Households deprived …"), not
        # nouns, so the sentence leads with the label rather than "White are …".
        st.markdown(f"- **{row.group}**: {row.flag} in the chosen wards, "
                    f"{row.share_chosen:.1f}% of {row.counted} there against "
                    f"{row.share_wmca:.1f}% across WMCA ({row.difference:+.1f} points, "
                    f"95% CI {row.lower:+.1f} to {row.upper:+.1f}).")
    shown = views.impact_display(table)
    _table(shown, key="impact_table", label="Chosen wards against WMCA, by characteristic")
    _download(shown, "equity_impact_check.csv", key="dl_impact")
    st.caption("Counts are Census 2021 (ethnic group, disability, age, households) and IoD "
               "2025 (residents in England's most deprived 10%), summed over the chosen wards "
               "by LSOA best fit. The interval allows for the chosen wards being part of "
               "WMCA. With bases this large, small differences are often significant: read "
               "the size of the difference as well as the flag.")
    sync_url({"wards": ",".join(chosen)})
