"""The four theme pages (Health, Jobs, Skills, Youth unemployment): one body for all."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from equity import views
from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES, THEMES, characteristics, indicators_for_theme
from equity.filters import apply_filter, describe_filter
from equity.ui.cache import (
    DEFAULT_GAP_BY,
    gap_by_chart,
    gap_chart,
    inequality_results,
    load_bundle,
    ward_map,
    warm_figures,
)
from equity.ui.elements import download_csv, draw_chart, draw_table, part_of_page, selected_points
from equity.ui.sidebar import current_filter
from equity.ui.text import echo_link_value
from equity.ui.url_state import show_notices, sync_url


def indicator_metadata(ind) -> None:
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
    for point in selected_points(key):
        code = point.get("location")
        if not code and point.get("customdata"):
            code = point["customdata"][0]
        if code in set(load_bundle().wards.ward_code):
            st.session_state["f_ward"] = code
            return


def ward_panel(bundle: Bundle, ind_id: str, ward: str | None) -> None:
    """The selected ward's figure beside the map, against its authority, WMCA and England."""
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


def gap_summary(table: pd.DataFrame) -> str:
    """How many wards are better, similar or worse than the benchmark, in one sentence."""
    column = next(c for c in table.columns if c.startswith("Compared with "))
    counts = table[column].value_counts()
    parts = [f"{n} {label}" for label, n in counts.items() if label not in ("no data",)]
    name = column.removeprefix("Compared with ")
    return f"Wards against the {name} value: " + ", ".join(parts) + "." if parts else ""


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
            st.info(f"Indicator {echo_link_value(pending)} is not on the {THEMES[theme]} page; showing "
                    f"{inds[0].short_title} instead.", icon="ℹ️")
    if pending in ids:
        st.session_state[key] = pending
    ind_id = st.selectbox("Indicator", ids, key=key, format_func=lambda i: bundle.catalogue[i].title,
                          persist_state="session")
    ind = bundle.indicator(ind_id)
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

    ward = st.session_state.get("f_ward")
    highlight = None if ward_filter.is_empty else set(matches[matches].index)
    values = views.ward_frame(bundle, ind_id)
    map_col, panel_col = st.columns([3, 1])
    with map_col, part_of_page("map"):
        fig = ward_map(ind_id, st.session_state.get("f_scheme", "quantiles"),
                       frozenset(highlight) if highlight is not None else None, ward)
        map_key = f"map_{theme}"
        draw_chart(fig, key=map_key, on_select=lambda: select_clicked_ward(map_key),
              config={"scrollZoom": True})
    with panel_col, part_of_page("ward panel"):
        ward_panel(bundle, ind_id, ward)

    st.header("Authorities, WMCA and England")
    with part_of_page("table of authorities"):
        draw_table(views.comparator_table(bundle, ind_id), key=f"cmp_{theme}",
               label=f"{ind.title}: authorities, WMCA and England")
        if ind.context:
            st.header("What is known for every authority and England")
            draw_table(views.context_table(bundle, ind.context), key=f"ctx_{theme}",
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
                draw_chart(gap_chart(ind_id, frozenset(shown.ward_code)), key=f"gap_{theme}")
                st.caption(gap_summary(table))
        if ind.kind != "rank_decile":
            st.header("Inequality across deprivation")
            with part_of_page("inequality summary"):
                row = inequality_results().set_index("indicator").loc[ind_id]
                st.markdown(views.sii_sentence(row, ind))
                if row.note:
                    st.caption(row.note)
        with part_of_page("gap by population characteristic"):
            gap_by_characteristic_section(bundle, theme, ind, matches)
    st.header("Table")
    st.caption("Sortable: click a column heading. A dash means no data.")
    draw_table(table, key=f"table_{theme}", label=f"{ind.title}, by ward")
    download_csv(table, f"{ind_id}_wards.csv", key=f"dl_{theme}")
    sync_url({"indicator": ind_id, "by": st.session_state.get(f"by_{theme}", "")})


def gap_by_characteristic_section(bundle: Bundle, theme: str, ind, matches: pd.Series) -> None:
    """The outcome in fifths of the matching wards grouped by a chosen characteristic."""
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
