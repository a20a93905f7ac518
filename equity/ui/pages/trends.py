"""Trends: claimants, IMD 2019 to 2025 by ward, and Census 2011 to 2021 by neighbourhood."""

from __future__ import annotations

import streamlit as st

from equity import charts, views
from equity.ui.cache import map_shapes
from equity.ui.change import neighbourhood_change_section
from equity.ui.elements import draw_chart, part_of_page, table_with_download
from equity.ui.url_state import start_page, sync_url


def trends_page() -> None:
    """Monthly claimants (Birmingham wards) and the change from IMD 2019 to IMD 2025."""
    bundle = start_page("Trends")
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
    draw_chart(charts.time_series(series, "Claimants, all ages (first month = 100)",
                                       "Index (first month = 100)"), key="trend_claimants")
    table = views.claimant_table(series)
    table_with_download(table, key="trend_table", label="Claimants, all ages, by month",
                        file_name="claimants_monthly.csv", download_key="dl_trend",
                        caption=(
                            "DWP claimant count (Jobseeker's Allowance and Universal Credit, searching "
                            "for work), rounded to 5 for each ward, May 2021 to April 2026."
                        ))

    st.header("Deprivation: IMD 2019 to IMD 2025")
    change = views.imd_change_frame(bundle)
    measure = st.radio("Measure", ["change_pp", "percentile_change"], horizontal=True,
                       key="trend_imd", format_func={
                           "change_pp": "Residents in England's most deprived 10% (change, "
                                        "percentage points)",
                           "percentile_change": "Average national percentile (change; "
                                                "positive = relatively less deprived)"}.get)
    ind = views.imd_change_indicator(measure)
    with part_of_page("map of the change in deprivation"):
        draw_chart(charts.change_map(
            bundle.wards, "ward_code", views.imd_change_map_frame(change, measure),
            title=f"{ind.title}, by ward",
            unit="points" if measure == "change_pp" else "percentiles", polarity=ind.polarity,
            areas=("ward", "wards"), with_intervals=False, authorities=bundle.authorities,
            selected=ward, geojson=map_shapes()), key="trend_map")
        st.caption("Diverging colour-blind-safe scale (ColorBrewer PuOr) centred on no change: "
                   "orange is more deprived, purple less deprived, darker is larger; near-white "
                   "wards did not change.")
    shown = views.imd_change_table(change, measure)
    table_with_download(
        shown, key="imd_change_table", label="Change in deprivation, 2019 to 2025, by ward",
        file_name="imd_change_by_ward.csv", download_key="dl_imd_change",
        caption="IMD 2019 (2011 LSOAs) is carried onto 2021 LSOAs with the ONS lookup, and both "
                "editions are weighted by Census 2021 residents. The two editions use different "
                "data years and some different indicators, so MHCLG advises care comparing them; "
                "ranks are relative, so a ward can move without changing in absolute terms.")
    chosen = neighbourhood_change_section(bundle)
    sync_url({"indicator": chosen or ""})
