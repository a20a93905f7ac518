"""The equity impact check: who lives in the wards a programme covers, against WMCA."""

from __future__ import annotations

import streamlit as st

from equity import charts, views
from equity.ui.cache import load_bundle, map_shapes, pdf_available
from equity.ui.elements import draw_chart, picked_ward_codes, table_with_download
from equity.ui.sidebar import ward_label_of
from equity.ui.text import escape_markdown
from equity.ui.url_state import start_page, sync_url

IMPACT_KEY = "imp_wards"


def add_wards_from_map() -> None:
    """Box, lasso or click on the impact map adds those wards to the chosen list."""
    picked = picked_ward_codes("imp_map", set(load_bundle().wards.ward_code))
    if picked:
        current = list(st.session_state.get(IMPACT_KEY) or [])
        st.session_state[IMPACT_KEY] = list(dict.fromkeys(current + picked))


def clear_chosen_wards() -> None:
    """Empty the chosen-ward list (a callback, so it runs before the widget is drawn)."""
    st.session_state[IMPACT_KEY] = []
    st.session_state["imp_messages"] = []


def read_uploaded_ward_list() -> None:
    """Read an uploaded ward list in memory; replace the chosen wards with it."""
    from equity.ward_list import ImpactInputError, read_ward_list

    upload = st.session_state.get("imp_upload")
    st.session_state["imp_messages"] = []
    if upload is None:
        return
    # Each message names its file: the uploader keeps the last accepted file while listing any
    # it refused itself (wrong type, too big) with its own error, and the two must not mix.
    source = f"{upload.name}: "
    try:
        ward_list = read_ward_list(upload.getvalue(), load_bundle(), filename=upload.name)
    except ImpactInputError as exc:
        kept = " The chosen wards were left as they were." if st.session_state.get(
            IMPACT_KEY) else ""
        st.session_state["imp_messages"] = [("error", f"{source}{exc}{kept}")]
        return
    st.session_state[IMPACT_KEY] = list(ward_list.codes)
    # Entries that matched no ward are a problem with the file, so its notices are warnings.
    kind = "warning" if ward_list.unknown else "info"
    st.session_state["imp_messages"] = [(kind, f"{source}{n}") for n in ward_list.notices]


def impact_page() -> None:
    """Differential-impact check: who lives in the wards a programme covers, against WMCA."""
    from equity.ward_list import MAX_BYTES

    bundle = start_page("Equity impact check")
    st.markdown(
        "Screen a strategy or programme for disproportionate impact, as the WMCA Equity and "
        "Inclusion Scheme asks: choose the wards it covers and see who lives there compared "
        "with WMCA as a whole. Pick wards from the list, draw a box or lasso on the map (or "
        "click wards), or upload a CSV with a column of 2024 ward codes, ward names or "
        "postcodes (of participants or sites: each ward then shows how many fell in it). "
        "Uploads are read in memory for this session only and never stored."
    )
    pending = st.session_state.pop("_url_wards", None)
    codes_known = set(bundle.wards.ward_code)
    if pending:
        parts = [p.strip() for p in pending.split(",") if p.strip()]
        good = [p for p in parts if p in codes_known]
        if len(good) < len(parts):
            st.info(f"{len(parts) - len(good)} ward code(s) in the link were not recognised "
                    "and were left out.", icon="ℹ️")
        st.session_state[IMPACT_KEY] = list(dict.fromkeys(good))
    ward_codes = bundle.wards.sort_values("ward_name").ward_code.tolist()
    st.file_uploader(f"Upload a ward list (CSV, up to {MAX_BYTES / 1e6:g} MB)", type=["csv"],
                     key="imp_upload", on_change=read_uploaded_ward_list,
                     help="One column of ward codes (E05…), ward names or postcodes; a "
                          "heading such as ward_code, ward_name or postcode is optional.")
    for kind, message in st.session_state.get("imp_messages", []):
        {"error": st.error, "warning": st.warning}.get(kind, st.info)(escape_markdown(message))
    st.multiselect("Wards the programme covers", ward_codes, key=IMPACT_KEY,
                   format_func=ward_label_of(bundle), placeholder="Choose wards",
                   filter_mode="contains", select_all=False)
    chosen = list(st.session_state.get(IMPACT_KEY) or [])
    ind = bundle.indicator("imd_score")
    highlight = set(chosen) if chosen else None
    fig = charts.choropleth(bundle.wards, views.ward_frame(bundle, ind), ind, "quantiles",
                            highlight=highlight, authorities_gdf=bundle.authorities,
                            geojson=map_shapes())
    fig.update_layout(dragmode="lasso", title={"text": "Draw a box or lasso to add wards "
                                               "(shaded by IMD 2025 score)"})
    draw_chart(fig, key="imp_map", on_select=add_wards_from_map, box_and_lasso=True,
          config={"scrollZoom": True})
    st.button("Clear the chosen wards", key="imp_clear", on_click=clear_chosen_wards)
    if not chosen:
        st.info("No wards chosen yet.", icon="ℹ️")
        sync_url()
        return
    check = views.impact_check(bundle, chosen)
    table = check.people
    st.markdown(f"**{len(chosen)} ward{'' if len(chosen) == 1 else 's'} chosen**, home to "
                f"{views.residents_in(bundle, chosen):,.0f} residents.")
    draw_chart(charts.impact_differences(table), key="imp_chart")
    for sentence in views.impact_sentences(table):
        st.markdown(f"- {sentence}")
    shown = views.impact_display(table)
    table_with_download(shown, key="impact_table", label="Chosen wards against WMCA, by characteristic",
                        file_name="equity_impact_check.csv", download_key="dl_impact",
                        caption=(
                            "Counts are Census 2021 (ethnic group, disability, age, households) and IoD "
                            "2025 (residents in England's most deprived 10%), summed over the chosen "
                            "wards by LSOA best fit. The interval allows for the chosen wards being part "
                            "of WMCA. With bases this large, small differences are often significant: "
                            "read the size of the difference as well as the flag."
                        ))
    outcomes_section(check)
    left_out_section(check)
    report_section(check)
    sync_url({"wards": ",".join(chosen)})


def outcomes_section(check: views.ImpactCheck) -> None:
    """Every outcome, the chosen wards pooled against WMCA, with the summary sentence."""
    st.header("Outcomes in the chosen wards")
    st.markdown(f"**{check.summary}**")
    table_with_download(
        check.outcomes_display, key="impact_outcomes",
        label="Outcomes: chosen wards against WMCA", file_name="equity_impact_outcomes.csv",
        download_key="dl_impact_outcomes",
        caption=("The chosen wards pooled: numerators and denominators summed, never ward "
                 "rates averaged. The interval of the difference allows for the chosen wards "
                 "being part of WMCA. Worse and better follow each indicator's direction "
                 "(higher and lower where it has none). Scores without counts (Indices of "
                 "Deprivation, fuel poverty) are population-weighted means with no interval; "
                 "youth unemployment is an Estimate (modelled), its interval from the "
                 "model's validation; Birmingham-only claimant figures pool the chosen "
                 "Birmingham wards against Birmingham. The Note column says which applies."))


def left_out_section(check: views.ImpactCheck) -> None:
    """The wards not chosen that are in WMCA's worst fifth on two or more themes."""
    st.header("Not covered by this selection")
    shown = check.left_out_display
    if shown.empty:
        st.info("No ward outside the selection is in WMCA's worst fifth on two or more "
                "themes.", icon="ℹ️")
        return
    st.markdown(f"**{len(shown)} ward{'' if len(shown) == 1 else 's'} not chosen** "
                f"{'is' if len(shown) == 1 else 'are'} in WMCA's worst fifth of wards on two "
                "or more of the four themes: not covered by this selection.")
    table_with_download(
        shown, key="impact_left_out", label="Not covered by this selection",
        file_name="equity_impact_left_out.csv", download_key="dl_impact_left_out",
        caption=("Each theme by its headline indicator, as on the Overview's map of "
                 "interlinked disadvantage (youth unemployment through its Estimate "
                 "(modelled))."))


def _dashboard_base_url() -> str:
    """Scheme and host this page was opened on, for the report's link (empty if unknown)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(st.context.url or "")
    except Exception:  # no request context: a script run outside a browser
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def report_section(check: views.ImpactCheck) -> None:
    """Download the impact report, printed from this page's figures."""
    import datetime as dt

    from equity.impact_report import impact_report_html
    from equity.report_common import pdf_from_html

    st.header("Impact report")
    st.caption("One self-contained document to attach to an equality impact assessment: the "
               "selection with a map, who lives there, the outcomes, who is left out, the "
               "method, caveats, sources, today's date and the link that restores this "
               "selection. The HTML works offline; the PDF is the same laid out for A4.")
    bundle = load_bundle()
    codes = list(check.ward_codes)
    # Read while the script runs: the deferred download has no request context.
    base_url = _dashboard_base_url()

    def html() -> str:
        return impact_report_html(bundle, codes, check=check, base_url=base_url,
                                  generated_on=dt.date.today())

    col_html, col_pdf = st.columns(2)
    col_html.download_button("Download impact report (HTML)", data=html,
                             file_name="equity_impact_report.html", mime="text/html",
                             key="dl_impact_report_html", on_click="ignore")
    if pdf_available():
        col_pdf.download_button("Download impact report (PDF)",
                                data=lambda: pdf_from_html(html()) or b"",
                                file_name="equity_impact_report.pdf",
                                mime="application/pdf", key="dl_impact_report_pdf",
                                on_click="ignore")
    else:
        col_pdf.caption("PDF needs WeasyPrint and Pango, which this server lacks; the HTML "
                        "report prints to PDF from any browser.")
