"""The four theme pages (Health, Jobs, Skills, Youth unemployment): one body for all."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from equity import views
from equity.bundle import Bundle
from equity.catalogue import (
    AUTHORITIES,
    THEMES,
    Indicator,
    characteristics,
    indicators_for_theme,
)
from equity.filters import apply_filter, describe_filter
from equity.ui.cache import (
    DEFAULT_GAP_BY,
    constituency_chart,
    gap_by_chart,
    gap_chart,
    inequality_results,
    load_bundle,
    ward_map,
    warm_figures,
)
from equity.ui.elements import (
    draw_chart,
    draw_table,
    part_of_page,
    picked_ward_codes,
    table_with_download,
)
from equity.ui.sidebar import current_filter
from equity.ui.text import echo_link_value
from equity.ui.url_state import show_notices, sync_url


def indicator_metadata(ind: Indicator) -> None:
    """The indicator's definition, numerator, denominator, source, coverage and caveats."""
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


def select_clicked_ward(key: str) -> None:
    """Map click → selected ward (runs before the rerun, so it may set the sidebar widget)."""
    picked = picked_ward_codes(key, set(load_bundle().wards.ward_code))
    if picked:
        st.session_state["f_ward"] = picked[0]


def ward_panel(bundle: Bundle, ind: Indicator, ward: str | None) -> None:
    """The selected ward's figure beside the map, against its authority, WMCA and England."""
    if not ward:
        st.markdown("**Select a ward**: click it on the map or type its name in *Find a ward*.")
        return
    summary = views.ward_summary(bundle, ind, ward)
    st.markdown(f"## {summary['ward_name']}\n{summary['authority']}")
    st.metric(ind.short_title, summary["value"])
    lines = []
    if summary["interval"]:
        lines.append(f"95% CI {summary['interval']}")
    if summary["rank"]:
        top = "highest" if ind.polarity == "neither" else "worst"
        lines.append(f"Rank {summary['rank']} (1 = {top})")
    lines += [f"{summary['authority']}: {summary['authority_value']}",
              f"WMCA: {summary['wmca_value']}", f"England: {summary['england_value']}"]
    if summary["vs_benchmark"] not in ("no data", "not tested", ""):
        lines.append(f"Compared with {summary['benchmark_name']}: "
                     f"**{summary['vs_benchmark']}**")
    lines.append(f"Method: {summary['method']}")
    st.markdown("  \n".join(lines))
    st.page_link("app_pages/ward_profile.py", label="Open the ward profile",
                 query_params={"ward": ward})


def theme_page(theme: str) -> None:
    """A theme page: indicator picker, map, ward panel, gap charts and table."""
    bundle = load_bundle()
    warm_figures()
    ward_filter = current_filter()
    st.title(THEMES[theme])
    show_notices()
    ind = _indicator_picker(bundle, theme)
    indicator_metadata(ind)
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
    _map_and_panel(bundle, theme, ind, None if ward_filter.is_empty else matches)
    st.header("Authorities, WMCA and England")
    with part_of_page("table of authorities"):
        draw_table(views.comparator_table(bundle, ind), key=f"cmp_{theme}",
                   label=f"{ind.title}: authorities, WMCA and England")
        if ind.context:
            st.header("What is known for every authority and England")
            draw_table(views.context_table(bundle, ind.context), key=f"ctx_{theme}",
                       label="What is known for every authority and England")
    measured_by_constituency = views.constituency_measures(bundle, ind)
    if measured_by_constituency:
        st.header("Measured by 2010 constituency")
        st.caption("Published figures for the 28 constituencies of 2010 to 2024, which together "
                   "make up WMCA: measured, not modelled. The table above lists them.")
    for measure in measured_by_constituency:
        with part_of_page("constituency map"):
            draw_chart(constituency_chart(measure), key=f"pcon_{theme}_{measure}")
    table = views.indicator_table(bundle, ind, matches)
    if n_match:
        _comparisons(bundle, theme, ind, matches, table)
    st.header("Table")
    st.caption("Sortable: click a column heading. A dash means no data.")
    table_with_download(table, key=f"table_{theme}", label=f"{ind.title}, by ward",
                        file_name=f"{ind.id}_wards.csv", download_key=f"dl_{theme}",
                        caption=None)
    sync_url({"indicator": ind.id, "by": st.session_state.get(f"by_{theme}", "")})


def _indicator_picker(bundle: Bundle, theme: str) -> Indicator:
    """The theme's indicator select box, seeded once from the link's ``indicator``."""
    inds = indicators_for_theme(theme)
    ids = [ind.id for ind in inds]
    key = f"ind_{theme}"
    pending = st.session_state.pop("_url_indicator", None)
    with st.container():  # always there, like show_notices'
        if pending and pending not in ids:
            st.info(f"Indicator {echo_link_value(pending)} is not on the {THEMES[theme]} page; "
                    f"showing {inds[0].short_title} instead.", icon="ℹ️")
    if pending in ids:
        st.session_state[key] = pending
    ind_id = st.selectbox("Indicator", ids, key=key,
                          format_func=lambda i: bundle.catalogue[i].title,
                          persist_state="session")
    return bundle.indicator(ind_id)


def _map_and_panel(bundle: Bundle, theme: str, ind: Indicator,
                   matches: pd.Series | None) -> None:
    """The ward map (matching wards highlighted) and, beside it, the selected ward."""
    ward = st.session_state.get("f_ward")
    highlight = None if matches is None else frozenset(matches[matches].index)
    map_col, panel_col = st.columns([3, 1])
    with map_col, part_of_page("map"):
        fig = ward_map(ind.id, st.session_state.get("f_scheme", "quantiles"), highlight, ward)
        map_key = f"map_{theme}"
        draw_chart(fig, key=map_key, on_select=lambda: select_clicked_ward(map_key),
                   config={"scrollZoom": True})
    with panel_col, part_of_page("ward panel"):
        ward_panel(bundle, ind, ward)


def _comparisons(bundle: Bundle, theme: str, ind: Indicator, matches: pd.Series,
                 table: pd.DataFrame) -> None:
    """Each matching ward against the benchmark, inequality by deprivation, gap by fifths."""
    st.header(f"Each ward against {views.benchmark(bundle, ind)[1]}")
    figure = gap_chart(ind.id, views.wards_with_values(bundle, ind, matches[matches].index))
    if figure is None:
        st.caption("No ward among those matching the filter has data for this indicator.")
    else:
        with part_of_page("chart of each ward"):
            draw_chart(figure, key=f"gap_{theme}")
            st.caption(views.benchmark_summary(table))
    if ind.kind != "rank_decile":
        st.header("Inequality across deprivation")
        with part_of_page("inequality summary"):
            row = inequality_results().set_index("indicator").loc[ind.id]
            st.markdown(views.sii_sentence(row, ind))
            if row.note and not ind.modelled:  # a modelled one's sentence gives the note
                st.caption(row.note)
    with part_of_page("gap by population characteristic"):
        gap_by_characteristic_section(bundle, theme, ind, matches)


def gap_by_characteristic_section(bundle: Bundle, theme: str, ind: Indicator,
                                  matches: pd.Series) -> None:
    """The outcome in fifths of the matching wards grouped by a chosen characteristic."""
    st.header("Gap by population characteristic")
    if ind.kind == "rank_decile":
        st.caption("Deciles are ranks and cannot be pooled into groups.")
        return
    if ind.modelled:
        st.caption("Not drawn for an Estimate (modelled): its ward figures are built from "
                   "characteristics of the wards, so grouping wards by a characteristic would "
                   "partly show the model's own assumptions, and its intervals come from "
                   "validation, not counting.")
        return
    options = [c.id for c in characteristics() if c.id != ind.id and c.kind != "rank_decile"]
    key = f"by_{theme}"
    pending = st.session_state.pop("_url_by", None)
    if pending in options:
        st.session_state[key] = pending
    elif pending:
        st.info(f"Characteristic {echo_link_value(pending)} in the link cannot group wards; grouping "
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
    draw_chart(fig, key=f"gapby_{theme}")
    st.caption(sentence)
