"""The impact page's outcomes, wards left out and report, driven through AppTest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from equity import views
from equity.bundle import read_bundle
from tests.app.sent import component_data

ROOT = Path(__file__).resolve().parents[2]
CHOSEN = ["E05001260", "E05001261", "E05011118"]


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(ROOT / "geodata")


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["wards"] = ",".join(CHOSEN)
    return at.switch_page("app_pages/impact.py").run()


def _table(at: AppTest, label: str) -> pd.DataFrame:
    """One table the page shows (equity/table.js), by its label, as the text it shows."""
    for element in at.get("bidi_component"):
        if element.proto.component_name != "equity_table":
            continue
        payload = component_data(element)
        if payload.get("label") == label:
            return pd.DataFrame({c["name"]: c["text"] for c in payload["table"]["columns"]})
    raise AssertionError(f"no table labelled {label!r}")


def test_outcomes_table_is_the_domain_table(page, bundle):
    assert not page.exception
    shown = _table(page, "Outcomes: chosen wards against WMCA")
    expected = views.impact_check(bundle, CHOSEN).outcomes_display
    assert list(shown.columns) == list(expected.columns)
    for column in ("Indicator", "Chosen wards", "Comparator value", "Difference",
                   "95% CI of difference", "Flag", "Note"):
        assert list(shown[column]) == list(expected[column].astype(str)), column
    row = shown[shown.Indicator == "No qualifications (%)"].iloc[0]
    assert (row["Chosen wards"], row["Comparator value"], row.Flag) == ("24.3%", "23.7%", "worse")


def test_summary_sentence_and_headers(page, bundle):
    summary = views.impact_check(bundle, CHOSEN).summary
    assert any(m.value == f"**{summary}**" for m in page.markdown)
    headers = [h.value for h in page.header]
    assert headers[-3:] == ["Outcomes in the chosen wards", "Not covered by this selection",
                            "Impact report"]


def test_left_out_listed(page, bundle):
    shown = _table(page, "Not covered by this selection")
    expected = views.impact_check(bundle, CHOSEN).left_out_display
    assert list(shown["Ward code"]) == list(expected["Ward code"])
    assert not set(shown["Ward code"]) & set(CHOSEN)
    assert any(m.value.startswith(f"**{len(expected)} wards not chosen**")
               for m in page.markdown)


def test_report_download_offered(page):
    labels = [b.proto.label for b in page.get("download_button")]
    assert "Download impact report (HTML)" in labels
