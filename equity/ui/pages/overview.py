"""The Overview: headlines, how disadvantage interlinks, inequality for every outcome."""

from __future__ import annotations

import streamlit as st

from equity import charts, views
from equity.catalogue import HEADLINES, THEMES
from equity.ui.cache import inequality_results, interlinked_results, map_shapes
from equity.ui.elements import draw_chart, draw_table, table_with_download
from equity.ui.url_state import start_page, sync_url


def overview_page() -> None:
    """Headlines, how disadvantage interlinks, and inequality measures for every outcome."""
    bundle = start_page("West Midlands equity dashboard")
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
    draw_table(views.headline_table(bundle), key="headline_table", label="Headline figures")

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
                f"of wards ({headline_titles}). {views.modelled_headline_note(bundle)}")
    ind = views.worst_fifth_indicator(len([i for i in HEADLINES.values() if i]))
    frame = views.ranked(counts.rename(columns={"worst_fifth_count": "value"}), ind.polarity)
    map_col, list_col = st.columns([3, 2])
    with map_col:
        draw_chart(charts.choropleth(bundle.wards, frame, ind, "quantiles",
                                          selected=st.session_state.get("f_ward"),
                                          authorities_gdf=bundle.authorities,
                                          geojson=map_shapes()),
              key="overview_map")
    with list_col:
        listing = views.worst_fifth_display(counts, bundle)
        table_with_download(listing, key="worst_fifth_table",
                            label="Wards by themes in the worst fifth", height=520,
                            file_name="worst_fifth_by_ward.csv", download_key="dl_worst")
    st.markdown("**Outcomes and population characteristics across wards.** Pearson "
                "correlations across the 192 wards, with 95% intervals (Fisher's z).")
    st.warning("These are associations between areas, not facts about individuals: a ward "
               "with more residents of one group and worse outcomes does not show that people "
               "in that group have worse outcomes (the ecological fallacy). For gaps between "
               "people, see *Gaps between groups*.", icon="⚠️")
    corr_table = views.correlation_display(corr, bundle)
    table_with_download(corr_table, key="corr_table", label="Correlations between indicators across wards",
                        file_name="correlations.csv", download_key="dl_corr")

    st.header("Inequality across deprivation, every outcome")
    st.caption("Slope index of inequality (SII): the modelled difference between the most and "
               "the least deprived end of WMCA's ward deprivation deciles, population-weighted "
               "(OHID method; positive = higher in more deprived areas), with Monte Carlo 95% "
               "intervals. Relative index (RII) = SII divided by the WMCA mean. The gap is the "
               "most minus the least deprived fifth of wards, with its own interval.")
    table = views.inequality_display(inequality_results())
    table_with_download(table, key="sii_table", label="Inequality across deprivation, by indicator",
                        file_name="inequality_measures.csv", download_key="dl_ineq")
    sync_url()
