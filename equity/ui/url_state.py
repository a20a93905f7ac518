"""URL state: one plain query parameter per piece of state.

``indicator``, ``la`` (authority codes, comma-separated), ``char`` with ``min``/``max``,
``decile`` (comma-separated), ``ward`` (one ward, or up to four comma-separated: the first
selected, the others compared with it on the ward profile), ``scheme``, ``by`` and
``wards``. A link is read once, when a session starts; an unknown or malformed value gets a
short notice and falls back to the default. Every page writes its view back with
:func:`sync_url` so it can be shared.
"""

from __future__ import annotations

import math
import re

import streamlit as st

from equity import charts
from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES
from equity.ui.cache import characteristic_ranges, load_bundle
from equity.ui.text import echo_link_value

URL_KEYS = ("indicator", "la", "char", "min", "max", "decile", "ward", "scheme", "by", "wards")


# A ward list for the impact check can name all 192 wards (9 characters and a comma each).
LONG_PARAMS = {"wards": 2000}


MAX_PARAM_LENGTH = 200
# The selected ward and up to three compared with it on the ward profile.
MAX_LINK_WARDS = 4


def parse_link_number(text: str) -> float | None:
    """A finite number of modest size from a link's text, or ``None``."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) < 1e9 else None


def parse_link_wards(text: str, known: set[str]) -> tuple[list[str], list[str]]:
    """The wards a link's ``ward`` names (1 to 4 codes, comma-separated), and any notices.

    Unknown codes and repeats are dropped, and wards past the fourth, each with a plain
    notice; the first ward is the one selected, the others are compared with it on the ward
    profile.
    """
    named = [p.strip() for p in text.split(",") if p.strip()]
    parts = list(dict.fromkeys(named))
    codes = [p for p in parts if p in known]
    unknown = [p for p in parts if p not in known]
    notices = []
    repeated = [p for p in codes if named.count(p) > 1]
    if repeated:
        names = ", ".join(echo_link_value(p) for p in repeated[:3])
        notices.append(f"The link names ward{'s' if len(repeated) > 1 else ''} {names} more "
                       "than once; each is shown once.")
    if unknown:
        names = ", ".join(echo_link_value(p) for p in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        rest = "left out" if codes else "no ward is selected"
        notices.append(f"Unknown ward{'s' if len(unknown) > 1 else ''} {names}{more} in the "
                       f"link; {rest}.")
    if len(codes) > MAX_LINK_WARDS:
        notices.append(f"The link named {len(codes)} wards; the ward profile compares at most "
                       f"{MAX_LINK_WARDS}, so the first {MAX_LINK_WARDS} are kept.")
        codes = codes[:MAX_LINK_WARDS]
    return codes, notices


def linked_wards() -> list[str]:
    """The selected ward then the wards compared with it, as the link's ``ward`` holds them."""
    state = st.session_state
    if not state.get("f_ward"):
        return []
    others = [c for c in state.get("f_compare") or [] if c != state["f_ward"]]
    return [state["f_ward"], *dict.fromkeys(others)][:MAX_LINK_WARDS]


def apply_url_state() -> None:
    """Seed widget state from the URL the first time a session runs."""
    state = st.session_state
    if state.get("_url_applied"):
        return
    state["_url_applied"] = True
    notices: list[str] = []
    params = {k: st.query_params.get(k, "") for k in URL_KEYS if k in st.query_params}
    unknown = [k for k in st.query_params if k not in URL_KEYS]
    if unknown:
        notices.append("The link had settings this dashboard does not use; they were ignored.")
    for key, raw in list(params.items()):
        if len(raw) > LONG_PARAMS.get(key, MAX_PARAM_LENGTH):
            notices.append(f"The link's “{key}” setting was too long and was ignored.")
            del params[key]

    bundle = load_bundle()
    if "la" in params:
        names = {v.lower(): k for k, v in AUTHORITIES.items()}
        codes, bad = [], []
        for part in filter(None, (p.strip() for p in params["la"].split(","))):
            code = part if part in AUTHORITIES else names.get(part.lower())
            (codes if code else bad).append(code or part)
        if bad:
            notices.append(f"Unknown local authority {echo_link_value(bad[0])} in the link; ignored.")
        state["f_la"] = list(dict.fromkeys(codes))
    # A characteristic with no drawable ward value has no range to filter on.
    chars = set(characteristic_ranges())
    if "char" in params:
        if params["char"] in chars:
            char = params["char"]
            state["f_char"] = char
            low, high = characteristic_ranges()[char]
            lo = parse_link_number(params.get("min", "")) if "min" in params else low
            hi = parse_link_number(params.get("max", "")) if "max" in params else high
            if lo is None or hi is None or lo > hi:
                notices.append("The link's characteristic range was not a valid pair of "
                               "numbers; the full range is shown.")
                lo, hi = low, high
            clamped = (float(min(max(lo, low), high)), float(max(min(hi, high), low)))
            if clamped != (lo, hi) and (lo, hi) != (low, high):
                notices.append(f"The link's range was outside the wards' values ({low:g} to "
                               f"{high:g}) and was narrowed to {clamped[0]:g} to "
                               f"{clamped[1]:g}.")
            state[f"f_range_{char}"] = clamped
        else:
            notices.append(f"Unknown characteristic {echo_link_value(params['char'])} in the link; "
                           "no characteristic filter is applied.")
    elif "min" in params or "max" in params:
        notices.append("The link gave a range without a characteristic (“char”); it was "
                       "ignored.")
    if "decile" in params:
        deciles, bad = [], []
        for part in filter(None, (p.strip() for p in params["decile"].split(","))):
            ok = re.fullmatch(r"[0-9]{1,2}", part) is not None and 1 <= int(part) <= 10
            (deciles if ok else bad).append(part)
        if bad:
            names = ", ".join(echo_link_value(b) for b in bad[:3])
            more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
            notices.append(f"Deprivation decile{'s' if len(bad) > 1 else ''} {names}{more} "
                           f"{'are' if len(bad) > 1 else 'is'} not 1 to 10; ignored.")
        state["f_decile"] = sorted({int(d) for d in deciles})
    if "ward" in params:
        codes, ward_notices = parse_link_wards(params["ward"], set(bundle.wards.ward_code))
        notices += ward_notices
        if codes:
            state["f_ward"], state["f_compare"] = codes[0], codes[1:]
    if "scheme" in params:
        if params["scheme"] in charts.OFFERED_SCHEMES:
            state["f_scheme"] = params["scheme"]
        else:
            notices.append(f"Unknown map classification {echo_link_value(params['scheme'])}; "
                           "quintiles are used.")
    state["_url_indicator"] = params.get("indicator")
    state["_url_by"] = params.get("by")
    state["_url_wards"] = params.get("wards")
    state["_notices"] = notices


def start_page(title: str) -> Bundle:
    """Begin a page: its title, then any notices about the link it was opened with."""
    st.title(title)
    show_notices()
    return load_bundle()


def show_notices() -> None:
    """Show (once) any notices about the link the session was opened with.

    They are drawn in one container that is there on every run, with or without notices, so
    the elements after it keep their places: Streamlit remounts an element that moves, and a
    map would lose the reader's zoom.
    """
    with st.container():
        for notice in load_bundle().notices:
            st.warning(notice, icon="⚠️")
        for notice in st.session_state.pop("_notices", []):
            st.info(notice, icon="ℹ️")


def sync_url(page_params: dict[str, str] | None = None) -> None:
    """Write the current view into the URL so it can be copied and shared."""
    state = st.session_state
    params: dict[str, str] = {}
    if page_params:
        params.update({k: v for k, v in page_params.items() if v})
    if state.get("f_la"):
        params["la"] = ",".join(state["f_la"])
    char = state.get("f_char") or ""
    if char in characteristic_ranges():
        low, high = characteristic_ranges()[char]
        lo, hi = state.get(f"f_range_{char}", (low, high))
        params["char"] = char
        if lo > low:
            params["min"] = f"{lo:g}"
        if hi < high:
            params["max"] = f"{hi:g}"
    if state.get("f_decile"):
        params["decile"] = ",".join(str(d) for d in state["f_decile"])
    if state.get("f_ward"):
        params["ward"] = ",".join(linked_wards())
    if state.get("f_scheme", "quantiles") != "quantiles":
        params["scheme"] = state["f_scheme"]
    if {k: st.query_params.get(k) for k in st.query_params} != params:
        st.query_params.from_dict(params)
