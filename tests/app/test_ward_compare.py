"""Wards side by side on the ward profile, restored from a link (``?ward=A,B``), via AppTest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from equity import views
from equity.bundle import read_bundle
from tests.app.sent import component_data

ROOT = Path(__file__).resolve().parents[2]
ACOCKS_GREEN, ALLENS_CROSS, ABBEY, BLACKHEATH, BRISTNALL = (
    "E05011118", "E05011119", "E05001260", "E05001261", "E05001262")


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(ROOT / "geodata")


def _profile(ward: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["ward"] = ward
    return at.switch_page("app_pages/ward_profile.py").run()


def _tables(at: AppTest) -> dict[str, pd.DataFrame]:
    found = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name != "equity_table":
            continue
        payload = component_data(element)
        found[payload["label"]] = pd.DataFrame(
            {c["name"]: c["text"] for c in payload["table"]["columns"]})
    return found


def _charts(at: AppTest) -> list[dict]:
    """Each chart's figure (the ``equity_chart`` component carries it as JSON text)."""
    return [component_data(e)["figure"] for e in at.get("bidi_component")
            if e.proto.component_name == "equity_chart"]


def test_two_wards_restored_from_a_link(bundle):
    at = _profile(f"{ACOCKS_GREEN},{ABBEY}")
    assert not at.exception
    assert at.selectbox(key="f_ward").value == ACOCKS_GREEN
    assert at.multiselect(key="wp_compare").value == [ABBEY]
    tables = _tables(at)
    shown = tables["Side by side: Acocks Green, Abbey"]
    expected = views.compare_table(bundle, views.compare_frames(bundle, [ACOCKS_GREEN, ABBEY]))
    assert list(shown.columns) == list(expected.columns)
    assert list(shown["Acocks Green"]) == list(expected["Acocks Green"])
    assert list(shown["Abbey"]) == list(expected["Abbey"])
    row = shown[shown.Indicator == "No qualifications (%)"].iloc[0]
    assert row["Acocks Green"] == "25.9% (25.3% to 26.5%); worse"
    assert row["Abbey"] == "19.0% (18.2% to 19.8%); better"
    assert row.WMCA == "23.7%"
    # One chart, with a trace per ward named by the ward.
    names = [t.get("name") for c in _charts(at) for t in c["data"]]
    assert "Acocks Green" in names and "Abbey" in names
    assert at.query_params["ward"] == f"{ACOCKS_GREEN},{ABBEY}"


def test_four_wards_and_the_ward_pack_stays_one_ward():
    at = _profile(f"{ACOCKS_GREEN},{ALLENS_CROSS},{ABBEY},{BLACKHEATH}")
    assert not at.exception
    assert at.multiselect(key="wp_compare").value == [ALLENS_CROSS, ABBEY, BLACKHEATH]
    shown = next(iter(t for label, t in _tables(at).items() if label.startswith("Side by")))
    assert list(shown.columns[2:6]) == ["Acocks Green", "Allens Cross", "Abbey", "Blackheath"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download ward pack (HTML)" in labels


def test_unknown_and_surplus_wards_are_dropped_with_a_notice():
    at = _profile(f"{ACOCKS_GREEN},E05999999,{ABBEY},{BLACKHEATH},{BRISTNALL},{ALLENS_CROSS}")
    assert not at.exception
    notices = " ".join(i.value for i in at.info)
    assert "Unknown ward" in notices and "left out" in notices
    assert "at most 4, so the first 4 are kept" in notices
    assert at.multiselect(key="wp_compare").value == [ABBEY, BLACKHEATH, BRISTNALL]


def test_a_ward_named_twice_is_shown_once_with_a_notice():
    at = _profile(f"{ACOCKS_GREEN},{ACOCKS_GREEN},{ABBEY}")
    assert not at.exception
    assert at.selectbox(key="f_ward").value == ACOCKS_GREEN
    assert at.multiselect(key="wp_compare").value == [ABBEY]
    notices = " ".join(i.value for i in at.info)
    assert f"names ward “{ACOCKS_GREEN}” more than once; each is shown once" in notices, notices
    assert at.query_params["ward"] == f"{ACOCKS_GREEN},{ABBEY}"


def test_only_unknown_wards_select_none():
    at = _profile("E05999999,nonsense")
    assert not at.exception
    assert at.selectbox(key="f_ward").value is None
    assert any("no ward is selected" in i.value for i in at.info)


def test_picking_and_clearing_wards_updates_the_link():
    at = _profile(ACOCKS_GREEN)
    assert not at.exception and "Side by side" not in " ".join(_tables(at))
    at.multiselect(key="wp_compare").set_value([BLACKHEATH, ABBEY]).run()
    assert not at.exception
    assert at.query_params["ward"] == f"{ACOCKS_GREEN},{BLACKHEATH},{ABBEY}"
    assert "Side by side: Acocks Green, Blackheath, Abbey" in _tables(at)
    # The comparison is kept on another page and back again.
    at.switch_page("app_pages/health.py").run()
    assert at.query_params["ward"] == f"{ACOCKS_GREEN},{BLACKHEATH},{ABBEY}"
    at.switch_page("app_pages/ward_profile.py").run()
    assert at.multiselect(key="wp_compare").value == [BLACKHEATH, ABBEY]
    at.multiselect(key="wp_compare").set_value([]).run()
    assert at.query_params["ward"] == ACOCKS_GREEN
    assert f"{'Acocks Green'}: every indicator" in _tables(at)
