"""Upload ward lists to the impact page through AppTest's file uploader, as a user would.

Whatever the file holds, the page must still draw (title, ward picker, map) and answer with a
short notice; the uploader's on_change callback is what reads the file, so these runs go
through the same code path as a browser upload.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
ACOCKS_GREEN, ASTON = "E05011118", "E05011121"


def _upload(data: bytes, name: str = "wards.csv", wards: str = "") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if wards:
        at.query_params["wards"] = wards
    at.switch_page("app_pages/impact.py").run()
    assert not at.exception
    at.file_uploader(key="imp_upload").set_value((name, data, "text/csv")).run()
    return at


def _read(elements) -> list[str]:
    """The texts of notice elements as a reader sees them (the page escapes markdown)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def _page_drawn(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert at.title[0].value == "Equity impact check"
    assert at.multiselect(key="imp_wards") is not None
    # The map (equity/plotly_chart.js) is drawn below the uploader.
    assert any(e.proto.component_name == "equity_chart" for e in at.get("bidi_component"))


def test_200kb_cell_gets_a_notice_and_the_page_still_draws():
    at = _upload(b"x" * 200_000)
    _page_drawn(at)
    errors = _read(at.error)
    assert errors == [
        "wards.csv: None of the 1 entry in the file is a WMCA ward: "
        f"'{'x' * 40}…' (200,000 characters). Give 2024 ward codes (E05...) or ward names."]
    assert at.multiselect(key="imp_wards").value == []
    assert any("No wards chosen yet" in i.value for i in at.info)


def test_200kb_cell_beside_a_ward_is_a_warning_and_the_ward_is_chosen():
    at = _upload(b"ward\nAston\n" + b"y" * 200_000 + b"\n")
    _page_drawn(at)
    assert at.multiselect(key="imp_wards").value == [ASTON]
    warnings = _read(at.warning)
    assert warnings == [f"wards.csv: 1 entry not used: '{'y' * 40}…' (200,000 characters) is "
                        "too long to be a ward code or name."]
    assert any(m.value.startswith("**1 ward chosen**") for m in at.markdown)


@pytest.mark.parametrize("data, text", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "looks like a PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(200), "looks like a PDF document"),
    (bytes(range(256)) * 40, "holds binary data, not text"),
], ids=["png", "pdf", "binary"])
def test_binary_upload_described_and_chosen_wards_kept(data, text):
    at = _upload(data, wards=ASTON)
    _page_drawn(at)
    errors = _read(at.error)
    assert len(errors) == 1 and text in errors[0], errors
    assert errors[0].endswith("The chosen wards were left as they were.")
    assert at.multiselect(key="imp_wards").value == [ASTON]


def test_multi_line_quoted_cell_chooses_acocks_green():
    at = _upload(b'ward\r\n"Acocks\r\nGreen"\r\n')
    _page_drawn(at)
    assert at.multiselect(key="imp_wards").value == [ACOCKS_GREEN]
    assert not at.error and not at.warning
