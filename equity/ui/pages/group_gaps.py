"""Gaps between groups of people, from published cross-tabulations."""

from __future__ import annotations

import streamlit as st

from equity import charts, views
from equity.catalogue import AUTHORITIES, ENGLAND_CODE, WMCA_CODE
from equity.ui.elements import draw_chart, draw_table, table_with_download
from equity.ui.url_state import start_page, sync_url


def group_gaps_page() -> None:
    """Gaps between groups of people, from published cross-tabulations."""
    bundle = start_page("Gaps between groups of people")
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
    draw_chart(charts.group_rates(groups, f"{views.GROUP_MEASURES[measure]}, "
                                       f"{areas[area]}", everyone), key="gg_chart")
    table = views.group_gap_table(groups, everyone)
    table_with_download(table, key="gg_table", label=f"{views.GROUP_MEASURES[measure]}, {areas[area]}",
                        file_name=f"{measure}_{area}_by_ethnic_group.csv", download_key="dl_gg",
                        caption=(
                            "Each gap compares a group with everyone else in the area and is scaled to "
                            "the difference from all residents, with its own 95% interval."
                        ))

    st.header("Youth unemployment of women and men (Census 2021)")
    by_sex = views.youth_unemployment_by_sex(bundle)
    if not by_sex.empty:
        table_with_download(
            by_sex, key="gg_sex_table",
            label="Residents aged 16-24 unemployed, women and men, by area",
            file_name="youth_unemployment_by_sex.csv", download_key="dl_gg_sex",
            caption="Unemployed residents aged 16-24 (economically active, not full-time "
                    "students) as a percentage of all residents of that sex aged 16-24 "
                    "(RM024). Authorities and WMCA come from counts, with 95% intervals; the "
                    "28 constituencies are published as rates only. The female share of "
                    "residents hardly varies between wards, so sex is shown here, as a gap "
                    "between people, rather than as a ward filter.")
    st.header("Youth employment by ethnic group, West Midlands region")
    youth = views.youth_employment(bundle)
    draw_chart(charts.group_rates(youth, youth.title.iloc[0]), key="gg_youth")
    st.caption(f"Source: {youth.source.iloc[0]}. Survey estimates with the published 95% "
               "margins; the underlying survey period is not stated by the publisher.")
    draw_table(views.youth_employment_table(youth), key="gg_youth_table",
               label=youth.title.iloc[0])

    st.header("Unemployment by ethnic group and disability, England and Wales")
    breakdown = st.radio("Show", list(views.UNEMPLOYMENT_BREAKDOWNS), horizontal=True,
                         key="gg_unemp")
    shown = views.unemployment_rates(bundle, breakdown)
    draw_chart(charts.group_rates(shown, f"Unemployment rate, {breakdown.lower()}, "
                                       "England and Wales"), key="gg_unemp_chart")
    st.caption(f"Source: {shown.source.iloc[0]}. Published rates without counts, so no "
               "intervals; national context, not WMCA figures.")
    sync_url()
