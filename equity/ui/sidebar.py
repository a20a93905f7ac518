"""The sidebar every page shares: find a ward, and the ward filters."""

from __future__ import annotations

import streamlit as st

from equity import charts, views
from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES
from equity.filters import WardFilter
from equity.ui.cache import (
    characteristic_ranges,
    load_bundle,
    postcode_index,
    ward_labels,
    warm_figures,
)
from equity.ui.url_state import apply_url_state


def ward_label_of(bundle: Bundle):
    """The function that labels a ward code "Ward (Authority)" in a select box."""
    labels = ward_labels()
    return labels.__getitem__


def _find_postcode() -> None:
    """Select the ward of the postcode typed (a callback: it runs before the widgets)."""
    state = st.session_state
    text = state.get("f_postcode") or ""
    # The postcode is forgotten at once: never in the URL, the session or a log.
    state["f_postcode"] = ""
    state.pop("_postcode_near", None)
    if not text.strip():
        state.pop("_postcode_notice", None)
        return
    found = postcode_index().find(text)
    if found.error:
        state["_postcode_notice"] = ("warning", f"{found.postcode}: {found.error}. Type a "
                                                "ward name, or another postcode.")
        return
    state["f_ward"] = found.ward_code
    state["_postcode_notice"] = ("info", f"{found.postcode} is in the ward selected above.")
    if found.near_ward_code:
        state["_postcode_near"] = found.near_ward_code


def _select_neighbour() -> None:
    state = st.session_state
    if state.get("_postcode_near"):
        state["f_ward"] = state.pop("_postcode_near")
        state["_postcode_notice"] = ("info", "The neighbouring ward is selected.")


def _postcode_notice(bundle: Bundle) -> None:
    """What the last postcode found, and the neighbour it lies near (one click selects it)."""
    kind, text = st.session_state.get("_postcode_notice", (None, None))
    if not text:
        return
    (st.warning if kind == "warning" else st.info)(text)
    near = st.session_state.get("_postcode_near")
    if near:
        name = ward_labels()[near]
        st.caption(f"It lies within 50 m of the boundary with {name}: the postcode's "
                   "centroid may fall on either side.")
        st.button(f"Select {name} instead", key="f_postcode_near", on_click=_select_neighbour)


def sidebar() -> WardFilter:
    """Draw the filters every page shares and return the current ward filter."""
    bundle = load_bundle()
    warm_figures()
    apply_url_state()
    ward_codes = bundle.wards.sort_values("ward_name").ward_code.tolist()
    ranges = characteristic_ranges()
    catalogue = bundle.catalogue
    with st.sidebar:
        st.selectbox("Find a ward", ward_codes, index=None, key="f_ward",
                     format_func=ward_label_of(bundle), placeholder="Type a ward name",
                     help="Select a ward to outline it on the map and see its profile.")
        st.text_input("…or a postcode", key="f_postcode", placeholder="e.g. B27 6AA",
                      max_chars=12, on_change=_find_postcode,
                      help="Any case and spacing. The postcode selects its ward; it is not "
                           "kept in the link or anywhere else.")
        _postcode_notice(bundle)
        st.markdown("**Filter wards**")
        st.multiselect("Local authorities", list(AUTHORITIES), key="f_la",
                       format_func=AUTHORITIES.get, placeholder="All seven authorities")
        # One list, grouped (a group, then its characteristics, each named with its group):
        # typing a group's name ("Relig") narrows the list to it.
        groups = views.characteristic_groups(ranges)
        group_of = {c: g for g, ids in groups.items() for c in ids}
        char_ids = ["", *(c for ids in groups.values() for c in ids)]
        char = st.selectbox("Population characteristic", char_ids, key="f_char",
                            format_func=lambda i: (f"{group_of[i]}: {catalogue[i].short_title}"
                                                   if i else "None"),
                            help="Grouped: ethnic group, religion, language and country of "
                                 "birth, age and sex, disability, deprivation, housing, work. "
                                 "Type to search.")
        low = high = None
        if char:
            lo_bound, hi_bound = ranges[char]
            st.session_state.setdefault(f"f_range_{char}", (float(lo_bound), float(hi_bound)))
            lo, hi = st.slider(f"{catalogue[char].short_title} between", float(lo_bound),
                               float(hi_bound),
                               step=0.5 if catalogue[char].unit != "decile" else 1.0,
                               key=f"f_range_{char}")
            low = lo if lo > lo_bound else None
            high = hi if hi < hi_bound else None
        st.multiselect("Deprivation decile (IMD 2025, within WMCA)", list(range(1, 11)),
                       key="f_decile", placeholder="All deciles",
                       format_func=lambda d: {1: "1 (most deprived)",
                                              10: "10 (least deprived)"}.get(d, str(d)))
        st.radio("Map classes", list(charts.OFFERED_SCHEMES), key="f_scheme", horizontal=True,
                 format_func=lambda scheme: charts.scheme_label(scheme).capitalize())
        st.caption("Ward shapes: ONS 2024 wards. Data: ONS, MHCLG, DWP, DfE (OGL v3).")
    state = st.session_state
    ward_filter = WardFilter(authorities=tuple(state.get("f_la") or ()),
                             characteristic=char or None, min_value=low, max_value=high,
                             deciles=tuple(state.get("f_decile") or ()))
    state["_ward_filter"] = ward_filter
    return ward_filter


def current_filter() -> WardFilter:
    """The ward filter the sidebar set on this run."""
    return st.session_state.get("_ward_filter", WardFilter())
