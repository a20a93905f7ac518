"""About the data: methods, every indicator, the raw files used, attribution."""

from __future__ import annotations

import streamlit as st

from equity import views
from equity.ui.elements import draw_table
from equity.ui.url_state import start_page, sync_url


def about_page() -> None:
    """Sources, vintages, methods, coverage and licence."""
    bundle = start_page("About the data")
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
    draw_table(views.methods_table(), key="methods_table", label="Methods")
    st.header("Indicators")
    draw_table(views.catalogue_table(bundle), key="catalogue_table", label="Indicators")
    st.header("Raw files used")
    draw_table(views.raw_files_table(bundle.manifest), key="raw_files_table",
               label="Raw files used")
    st.header("Licence and attribution")
    for line in bundle.manifest.get("attribution", []):
        st.markdown(f"- {line}")
    st.markdown(f"Geometry: {bundle.manifest.get('geometry', {}).get('simplification', '')}.")
    sync_url()
