"""Find a ward by postcode in the sidebar: the ward is selected, the postcode kept nowhere."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
ACOCKS_GREEN, ST_MICHAELS, RADFORD = "E05011118", "E05001228", "E05001227"


def _health() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at.switch_page("app_pages/health.py").run()


def test_a_postcode_in_any_spacing_selects_its_ward_and_is_not_kept():
    at = _health()
    at.text_input(key="f_postcode").input("b27 6aa").run()
    assert not at.exception
    assert at.session_state["f_ward"] == ACOCKS_GREEN
    params = dict(at.query_params)
    assert params["ward"] in ([ACOCKS_GREEN], ACOCKS_GREEN)
    assert all("b27" not in str(v).lower() for v in params.values())
    assert at.session_state["f_postcode"] == ""  # forgotten at once
    assert any("B27 6AA is in the ward selected" in i.value for i in at.sidebar.info)


def test_a_postcode_near_a_boundary_offers_the_neighbour_in_one_click():
    at = _health()
    at.text_input(key="f_postcode").input("CV11AA").run()
    assert at.session_state["f_ward"] == ST_MICHAELS
    button = at.button(key="f_postcode_near")
    assert "Radford" in button.label
    button.click().run()
    assert at.session_state["f_ward"] == RADFORD


def test_postcodes_outside_wmca_or_not_postcodes_get_a_plain_notice():
    at = _health()
    for text, words in (("SW1A 1AA", "not in WMCA"), ("hello", "not a postcode")):
        at.text_input(key="f_postcode").input(text).run()
        assert not at.exception
        warnings = [w.value for w in at.sidebar.warning]
        assert any(words in w for w in warnings), warnings
        assert at.session_state["f_ward"] is None
