"""The Trends page's section on Census 2011 to 2021 by neighbourhood, and the ward profile's."""

from __future__ import annotations

import streamlit as st

from equity import charts, views
from equity.bundle import Bundle
from equity.ui.cache import msoa_shapes
from equity.ui.elements import draw_chart, part_of_page, table_with_download


def _measure_from_link(choices: list[str]) -> None:
    """Seed the measure picker once from the link's ``indicator``; say so if it is unknown."""
    state = st.session_state
    wanted = state.pop("_url_indicator", None)
    if not wanted or "change_measure" in state:
        return
    if wanted in choices:
        state["change_measure"] = wanted
    else:
        st.info("The link's indicator is not one of the measures compared between 2011 and "
                "2021; the first is shown.", icon="ℹ️")


def neighbourhood_change_section(bundle: Bundle) -> str | None:
    """Map, tables and "is the gap closing?" for the five measures compared 2011 to 2021.

    Returns the chosen measure's id (for the link), or None where the bundle has none.
    """
    st.header("Is the gap closing? Census 2011 to 2021 by neighbourhood")
    measures = views.change_indicators(bundle)
    if not measures or bundle.msoas.empty:
        st.info("This bundle holds no 2011 to 2021 comparison; rebuild it with "
                "`python -m equity ingest --raw ../shared/data`.")
        return None
    st.caption(
        f"{views.NEIGHBOURHOOD_LABEL}: the 2021 middle layer super output areas (MSOAs, about "
        "8,000 residents each), not wards — MSOAs do not fit inside wards. 352 of the 357 "
        "kept their 2011 boundaries; split or merged ones are joined into one area with the "
        "MSOAs they came from, so every change compares the same area in both years "
        "(355 areas).")
    by_id = {ind.id: ind for ind in measures}
    _measure_from_link(list(by_id))
    chosen = st.selectbox("Measure", list(by_id), key="change_measure",
                          format_func=lambda i: by_id[i].short_title)
    ind = by_id[chosen]
    notes = views.measure_notes(ind)
    st.markdown(f"**{views.gap_statement(bundle, ind)}**")
    st.caption(f"**2011:** {notes['2011']}  \n**2021:** {notes['2021']}  \n"
               f"**Comparing them:** {notes['difference']}")
    with part_of_page("map of change by neighbourhood"):
        frame = views.change_map_frame(bundle, ind)
        draw_chart(charts.change_map(
            bundle.msoas, "msoa_code", frame,
            title=f"{ind.short_title}: change 2011 to 2021 (percentage points), by MSOA",
            unit="points", polarity=ind.polarity, areas=("MSOA", "MSOAs"),
            with_intervals=True, authorities=bundle.authorities,
            geojson=msoa_shapes()), key="change_map")
        st.caption("Diverging colour-blind-safe scale (ColorBrewer PuOr) centred on no change: "
                   "orange is a change for the worse, purple for the better, darker is larger. "
                   "Near-white MSOAs with a grey edge have a 95% interval for the change that "
                   "includes zero: no clear change.")
    with part_of_page("table of change by neighbourhood"):
        table_with_download(
            views.change_table(views.change_frame(bundle, ind)), key="change_table",
            label=f"{ind.short_title}, 2011 and 2021, by MSOA",
            file_name=f"change_2011_2021_{ind.id}_by_msoa.csv", download_key="dl_change",
            caption="Change = 2021 minus 2011, in percentage points, with Newcombe's 95% "
                    "interval for a difference of two proportions. 'no clear change' where "
                    "the interval includes zero. Joined areas are named in the Geography "
                    "column.")
    with part_of_page("table of authorities 2011 and 2021"):
        table_with_download(
            views.change_summary(bundle, ind), key="change_summary",
            label=f"{ind.short_title}, 2011 and 2021, by authority and WMCA",
            file_name=f"change_2011_2021_{ind.id}_by_authority.csv",
            download_key="dl_change_summary",
            caption="Authority and WMCA figures add up the MSOAs' counts of each year; 95% "
                    "Wilson intervals for each year.")
    st.subheader("Is the gap closing? The slope index of inequality, 2011 and 2021")
    for each in measures:
        st.markdown(f"- {views.gap_statement(bundle, each)}")
    with part_of_page("table of slope indices"):
        table_with_download(
            views.gap_table(bundle), key="gap_table",
            label="Slope index of inequality across neighbourhoods, 2011 and 2021",
            file_name="sii_2011_2021.csv", download_key="dl_gap_table",
            caption="The slope index of inequality (OHID method) is the modelled difference "
                    "between the most and the least deprived end of the ranking of areas, "
                    "weighted by population; positive means higher in more deprived areas. "
                    "Intervals and the change's interval are from 10,000 Monte Carlo draws "
                    "a year. " + views.ranking_note())
    return chosen


def ward_change_section(bundle: Bundle, ward: str) -> None:
    """The ward profile's context: change 2011 to 2021 in the MSOAs that overlap the ward."""
    table = views.ward_change(bundle, ward)
    if table.empty:
        return
    st.subheader("Neighbourhood change, Census 2011 to 2021 (MSOA figures, not ward figures)")
    table_with_download(
        table, key="ward_change_table",
        label="Change 2011 to 2021 in the neighbourhoods (MSOAs) overlapping this ward",
        file_name=f"neighbourhood_change_{ward}.csv", download_key="dl_ward_change",
        caption="Context, not ward figures: each MSOA that shares LSOAs with the ward, with "
                "the share of the ward's residents living in it. Change = 2021 minus 2011 in "
                "percentage points with its 95% interval; 'no clear change' where it includes "
                "zero. 2011 health is rebuilt from percentages (approximate), and NS-SeC counts "
                "residents 16-74 in 2011 but 16+ in 2021. Map and method on the Trends page.")
