"""What is built once per server process and shared by every session.

The bundle, the ward GeoJSON, slider bounds and every figure that depends only on the
(immutable) bundle and plain keys are cached here with ``st.cache_resource``; the first request
of a process warms every theme page's unfiltered figures and then ``gc.freeze``s what is alive.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from equity import charts, static_files, views
from equity.bundle import DEFAULT_BUNDLE, Bundle, BundleError, read_bundle
from equity.catalogue import HEADLINES, characteristics

DEFAULT_GAP_BY = "imd_score"


# An operator can serve another bundle folder (a rebuilt or test one) without moving files.
BUNDLE_ENV = "EQUITY_BUNDLE"


LOG = logging.getLogger(__name__)


# The app's static folder (server.enableStaticServing serves it at /app/static/).
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def static_folder() -> str:
    """The URL folder Streamlit serves ``static/`` from (``server.enableStaticServing``)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


@st.cache_resource(show_spinner="Loading ward data…")
def cached_bundle() -> Bundle:
    """The bundle named by ``EQUITY_BUNDLE`` (default ``geodata/``), read once per process."""
    return read_bundle(os.environ.get(BUNDLE_ENV) or DEFAULT_BUNDLE)


def load_bundle() -> Bundle:
    """The bundle, read once per server process and shared by every session.

    A bundle that is missing or cannot be read stops the page with one plain message (and is
    read again on the next visit, since a failure is not cached).
    """
    try:
        return cached_bundle()
    except BundleError as exc:
        LOG.error("ward data bundle not loaded: %s", exc)
        # The reason names server paths, so it goes to the operator's log, not to visitors.
        st.error("The ward data could not be loaded, so this page cannot be shown. The "
                 "server's log says why; rebuilding the data bundle (python -m equity ingest) "
                 "fixes a missing or damaged one.", icon="⚠️")
        st.stop()


def published_shapes(areas, stem: str) -> dict | str:
    """The URL of ``areas``' shapes (and the authorities') as a static file, for every map.

    The file is named by its content's hash, so the browser fetches it once and caches it
    (``equity.static_files``); a map figure then carries values only. Where the static folder
    cannot be written and does not hold the file already (a read-only deployment serving a
    bundle it was not built with), the shapes go inline in each figure instead, as before.
    """
    geojson = charts.wards_geojson(areas, load_bundle().authorities)
    name, body = static_files.hashed_file(geojson, stem)
    try:
        static_files.publish(STATIC_DIR / static_files.SHAPES_FOLDER, name, body)
    except OSError as exc:
        LOG.warning("map shapes sent inline: cannot publish %s (%s)", name, exc)
        return geojson
    return f"{static_folder()}{static_files.SHAPES_FOLDER}/{name}"


@st.cache_resource(show_spinner=False)
def map_shapes() -> dict | str:
    """The ward and authority shapes every ward map draws from, published once a process."""
    return published_shapes(load_bundle().wards, "wards")


@st.cache_resource(show_spinner=False)
def constituency_shapes() -> dict | str:
    """The 2010 constituency and authority shapes of the context maps, published once."""
    return published_shapes(views.constituency_shapes(load_bundle()), "constituencies")


@st.cache_resource(show_spinner=False)
def msoa_shapes() -> dict | str:
    """The 2021 MSOA and authority shapes of the 2011-2021 change map, published once."""
    msoas = load_bundle().msoas
    return published_shapes(msoas[["msoa_code", msoas.geometry.name]].rename(
        columns={"msoa_code": "ward_code"}), "msoas")


@st.cache_resource(show_spinner=False)
def characteristic_ranges() -> dict[str, tuple[int, int]]:
    """Slider bounds per characteristic (:func:`equity.views.characteristic_ranges`), once."""
    return views.characteristic_ranges(load_bundle())


@st.cache_resource(show_spinner=False)
def postcode_index():
    """Postcode to ward look-ups (equity.postcodes), built once per process."""
    from equity.postcodes import PostcodeIndex

    bundle = load_bundle()
    return PostcodeIndex(bundle.postcodes, list(bundle.wards.ward_code))


@st.cache_resource(show_spinner=False)
def ward_labels() -> dict[str, str]:
    """"Ward (Authority)" for every ward code, built once per process."""
    wards = load_bundle().wards
    return {c: f"{n} ({a})" for c, n, a in zip(wards.ward_code, wards.ward_name, wards.authority,
                                              strict=True)}


# Figures depend only on the (immutable) bundle and these plain keys, so they are built once per
# process and reused by every session; max_entries bounds the memory they hold.
@st.cache_resource(max_entries=64, show_spinner=False)
def base_map(indicator_id: str, scheme: str, highlight: frozenset[str] | None):
    """The theme-page ward map for one indicator, classification and filter, no selection.

    A filtered map is the map of all wards with the others faded (``charts.with_highlight``).
    """
    if highlight is not None:
        return charts.with_highlight(base_map(indicator_id, scheme, None), set(highlight))
    bundle = load_bundle()
    ind = bundle.indicator(indicator_id)
    return charts.choropleth(bundle.wards, views.ward_frame(bundle, ind), ind, scheme,
                             authorities_gdf=bundle.authorities, geojson=map_shapes())


@st.cache_resource(max_entries=256, show_spinner=False)
def ward_map(indicator_id: str, scheme: str, highlight: frozenset[str] | None,
             selected: str | None):
    """The ward map with the selected ward outlined (a cheap copy of :func:`base_map`)."""
    base = base_map(indicator_id, scheme, highlight)
    if selected is None:
        return base
    return charts.with_selected_ward(base, load_bundle().wards, selected, map_shapes())


@st.cache_resource(max_entries=64, show_spinner=False)
def gap_chart(indicator_id: str, wards: frozenset[str]):
    """Each ward in ``wards`` against the benchmark, or None where there is nothing to draw."""
    bundle = load_bundle()
    ind = bundle.indicator(indicator_id)
    comparison = views.benchmark_comparison(bundle, ind, wards)
    if comparison is None:
        return None
    shapes = map_shapes()
    return charts.gap_to_benchmark(comparison.wards, ind, comparison.benchmark_value,
                                   comparison.authority_values, comparison.england_value,
                                   benchmark_label=comparison.benchmark_name,
                                   names_from=shapes if isinstance(shapes, str) else None)


@st.cache_resource(max_entries=64, show_spinner=False)
def gap_by_chart(indicator_id: str, by: str, wards: frozenset[str]):
    """The quintile-gap chart and its sentence, or None when five groups cannot be formed."""
    bundle = load_bundle()
    ind, by_ind = bundle.indicator(indicator_id), bundle.indicator(by)
    fifths = views.gap_by_fifths(bundle, ind, by_ind, wards)
    if fifths is None:
        return None
    groups, gap = fifths
    return (charts.gap_by_characteristic(groups, gap, ind, by_ind),
            views.gap_sentence(groups, gap, ind, by_ind))


@st.cache_resource(max_entries=16, show_spinner=False)
def constituency_chart(measure: str):
    """The map of a context measure published by 2010 constituency, built once a process."""
    bundle = load_bundle()
    view = views.constituency_map(bundle, measure)
    return charts.choropleth(view.shapes, view.values, view.indicator, "quantiles",
                             authorities_gdf=bundle.authorities,
                             geojson=constituency_shapes(),
                             areas=("2010 constituency", "constituencies"))


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
        values = views.ward_frame(bundle, ind)
        gap_chart(ind.id, frozenset(values.ward_code[np.isfinite(values.value)]))
        if ind.kind != "rank_decile" and not ind.modelled:
            gap_by_chart(ind.id, DEFAULT_GAP_BY, frozenset(bundle.wards.ward_code))
        built += 1
    freeze_long_lived_objects()
    return built


def warm_process() -> int:
    """Build everything a first visit to any page would otherwise build, then freeze it.

    Run once when the server process starts (``equity.ui.serving``): the bundle, the published
    shapes, the sidebar's ward labels, slider bounds and postcode index, the inequality
    measures, the constituency maps, whether PDFs can be made, and every theme indicator's
    figures (:func:`warm_figures`, which freezes what is alive last).

    Returns
    -------
    int
        The number of theme indicators whose figures were built.
    """
    bundle = cached_bundle()
    map_shapes()
    constituency_shapes()
    if not bundle.msoas.empty:
        msoa_shapes()
    ward_labels()
    characteristic_ranges()
    postcode_index()
    inequality_results()
    interlinked_results()
    pdf_available()
    for measure in {m for ind in bundle.catalogue.values()
                    for m in views.constituency_measures(bundle, ind)}:
        constituency_chart(measure)
    return warm_figures()


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
