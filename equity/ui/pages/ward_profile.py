"""The ward profile: one ward across every indicator, and its downloadable ward pack."""

from __future__ import annotations

import streamlit as st

from equity import charts, views
from equity.ui.cache import pdf_available, ward_pack, ward_pack_pdf
from equity.ui.change import ward_change_section
from equity.ui.elements import draw_chart, on_a_phone, part_of_page, table_with_download
from equity.ui.sidebar import ward_label_of
from equity.ui.url_state import start_page, sync_url


def _compare_changed() -> None:
    """Keep the compared wards beyond this page (the widget's own state is dropped off it)."""
    st.session_state["f_compare"] = list(st.session_state.get("wp_compare") or [])


def compared_wards(bundle, ward: str) -> list[str]:
    """The picker of up to three wards to compare with ``ward``; the wards picked."""
    limit = views.MAX_COMPARED_WARDS - 1
    others = [c for c in st.session_state.get("f_compare") or [] if c != ward][:limit]
    st.session_state["f_compare"] = others
    st.session_state["wp_compare"] = others
    options = [c for c in bundle.wards.sort_values("ward_name").ward_code if c != ward]
    st.multiselect(f"Compare side by side with (up to {limit} wards)", options,
                   key="wp_compare", max_selections=limit, on_change=_compare_changed,
                   format_func=ward_label_of(bundle), placeholder="Choose wards to compare",
                   filter_mode="contains")
    return others


def one_ward(bundle, ward: str) -> None:
    """The spine chart and table of one ward."""
    profile = views.profile_frame(bundle, ward)
    names = bundle.wards.set_index("ward_code")
    st.caption("Each row puts the ward (dot, with its 95% CI) on the range of all wards with "
               "data; the centre line is WMCA (Birmingham for the Birmingham-only claimant "
               "rows) and the diamond the ward's authority. Right is better where an indicator "
               "has a direction.")
    draw_chart(charts.spine_chart(views.spine_frame(profile), compact=on_a_phone()),
               key="spine")
    table = views.profile_table(profile)
    table_with_download(table, key="profile_table", label=f"{names.ward_name[ward]}: every indicator",
                        file_name=f"{ward}_profile.csv", download_key="dl_profile")


def side_by_side(bundle, codes: list[str]) -> None:
    """Two to four wards: one spine chart with a marker per ward, a table with a column each."""
    frames = views.compare_frames(bundle, codes)
    labels = views.compare_labels(bundle, codes)
    st.caption("Each row puts every ward (its own colour and marker, with its 95% CI) on the "
               "range of all wards with data; the centre line is WMCA (Birmingham for the "
               "Birmingham-only claimant rows). Right is better where an indicator has a "
               "direction. The table gives each ward's value, interval and comparison with "
               "WMCA. The ward pack below is for the first ward.")
    chart_frames = {labels[c]: views.spine_frame(f) for c, f in frames.items()}
    draw_chart(charts.spine_compare_chart(chart_frames, compact=on_a_phone()),
               key="spine_compare")
    table = views.compare_table(bundle, frames)
    table_with_download(table, key="compare_table",
                        label=f"Side by side: {', '.join(labels.values())}",
                        file_name=f"{'_'.join(codes)}_side_by_side.csv",
                        download_key="dl_compare")


def ward_profile_page() -> None:
    """One ward across every indicator of the four themes, as a spine chart and a table."""
    bundle = start_page("Ward profile")
    ward = st.session_state.get("f_ward")
    if not ward:
        st.info("Choose a ward in **Find a ward** in the sidebar, or click one on any map.")
        sync_url()
        return
    names = bundle.wards.set_index("ward_code")
    st.header(f"{names.ward_name[ward]}, {names.authority[ward]}")
    others = compared_wards(bundle, ward)
    if others:
        side_by_side(bundle, [ward, *others])
    else:
        one_ward(bundle, ward)
    st.header("Who lives here")
    st.caption("The ward's population by characteristic, grouped as in the sidebar's filter. "
               "Detailed ethnic groups are estimates split from MSOAs; the Method column says "
               "how each figure was made.")
    population = views.population_table(bundle, ward)
    table_with_download(population, key="population_table",
                        label=f"{names.ward_name[ward]}: who lives here",
                        file_name=f"{ward}_population.csv", download_key="dl_population")
    with part_of_page("neighbourhood change 2011 to 2021"):
        ward_change_section(bundle, ward)
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
