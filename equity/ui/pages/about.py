"""About the data: methods, every indicator, the raw files used, attribution."""

from __future__ import annotations

import streamlit as st

from equity import views
from equity.bundle import Bundle
from equity.ui.elements import draw_table, part_of_page, table_with_download
from equity.ui.url_state import start_page, sync_url


def about_page() -> None:
    """Sources, vintages, methods, coverage and licence."""
    bundle = start_page("About the data")
    st.markdown(
        "Every figure is computed from published statistics by this project's ingest "
        "(`python -m equity ingest`). Ward figures are one of: a **published ward total**; an "
        "**LSOA best-fit sum** (each LSOA counted wholly in one ward, so close to but not "
        "exactly the ward total); an **estimate apportioned from 2022 wards** (new Dudley and "
        "Wolverhampton wards); a **population-weighted LSOA score**; or, for youth unemployment, "
        "an **Estimate (modelled)** (below). A numerator and its "
        "denominator always come from the same method. Authority and WMCA values are computed "
        "from the same counts, never averaged from ward rates. Intervals are Wilson 95% "
        "score intervals. A ward without data shows “no data”, never zero."
    )
    st.header("Methods")
    draw_table(views.methods_table(), key="methods_table", label="Methods")
    st.header("Indicators")
    draw_table(views.catalogue_table(bundle), key="catalogue_table", label="Indicators")
    with part_of_page("youth unemployment estimate"):
        youth_model_section(bundle)
    st.header("Raw files used")
    draw_table(views.raw_files_table(bundle.manifest), key="raw_files_table",
               label="Raw files used")
    st.header("Licence and attribution")
    for line in bundle.manifest.get("attribution", []):
        st.markdown(f"- {line}")
    st.markdown(f"Geometry: {bundle.manifest.get('geometry', {}).get('simplification', '')}.")
    sync_url()


def youth_model_section(bundle: Bundle) -> None:
    """How the modelled youth unemployment estimate is made and how well it validates.

    Every figure comes from the bundle: the model summary in ``manifest.json`` and the
    constituency table ``youth_model_validation.csv`` (``equity.youth_model`` makes both).

    Parameters
    ----------
    bundle : Bundle
        The data bundle.
    """
    st.header("Youth unemployment in every ward: an estimate (modelled)")
    summary = views.youth_model_summary(bundle.manifest)
    if summary is None:
        st.info("This data bundle holds no youth unemployment estimate; rebuilding it from the "
                "published files (python -m equity ingest) adds it.")
        return
    n_pcon = int(summary["constituencies"])
    modelled = [ind for ind in bundle.catalogue.values() if ind.modelled]
    census_day = modelled[0].vintage if modelled else "Census Day 2021"
    st.markdown(
        "**What is measured.** Residents aged 16-24 who are unemployed (economically active, "
        f"not full-time students) as a percentage of all residents aged 16-24 ({census_day}): "
        "the measure ONS publishes for each local authority (Census 2021 table RM024) "
        f"and each of the {n_pcon} 2010-set parliamentary constituencies. **No count is "
        "published for wards**, so every ward figure of this measure is labelled "
        "**Estimate (modelled)**: it is an estimate, not a count, and the ward map labels "
        "every ward's figure “modelled”."
    )
    st.markdown(
        f"**How it is made.** The chosen estimator is “{summary['estimator']}”. Each small "
        "Census area (LSOA) gets its authority's published rate, scaled up or down by how its "
        "own predictor compares with the authority's average, and the LSOAs are added up to "
        "wards. The predictor is the LSOA's all-age unemployment rate (Census TS066) times the "
        "share of its residents aged 16-24 who are not full-time students (TS062): the first "
        "part carries where unemployment is high, the second removes the full-time students, "
        "whom the measure never counts as unemployed. Two simpler estimators were validated "
        "the same way and did worse (table below)."
    )
    st.markdown(
        "**Calibration.** The scaling is set so that each authority's LSOAs, weighted by their "
        "residents aged 16-24, reproduce its published rate exactly. Authority and WMCA "
        "figures are the published counts themselves."
    )
    st.markdown(
        "**Validation.** Nothing is fitted to the constituencies, so their published rates "
        f"test the estimate out of sample: each LSOA is placed in one of the {n_pcon} "
        "constituencies and its estimated count is added to that constituency's. A second "
        "check, against a different measure and date, ranks Birmingham's wards by claimants "
        "aged 16-24 per resident aged 16-24."
    )
    st.markdown(views.youth_model_headline(bundle))
    st.subheader("Estimators compared")
    draw_table(views.youth_model_estimators_table(bundle.manifest),
               key="youth_model_estimators", label="Youth unemployment estimators compared")
    st.caption("Errors are in percentage points over the constituencies; the Birmingham "
               "columns compare the ward ranking with claimants aged 16-24 per resident aged "
               "16-24. “Chosen” marks the estimator the ward figures use.")
    if modelled:
        st.markdown(f"**Interval.** {views.youth_model_interval_sentence(bundle, modelled[0].id)}")
    st.subheader("Each constituency: published rate against the estimate (modelled)")
    table_with_download(
        views.youth_model_validation_table(bundle.youth_validation),
        key="youth_model_validation", label="Youth unemployment by constituency: published "
        "rate against the estimate (modelled)", file_name="youth_model_validation.csv",
        download_key="youth_model_validation_csv",
        caption="Error = estimate minus published rate, in percentage points.")
    st.markdown(
        f"**Limits.** The estimate is for {census_day}, not today. The "
        "constituency test is at a coarser level than wards: errors that cancel out over a "
        "constituency's several wards are larger ward by ward, which the interval allows for "
        "but the test cannot show. The Birmingham check compares with a different measure "
        "(claimants, not Census unemployment) at a different date."
    )
