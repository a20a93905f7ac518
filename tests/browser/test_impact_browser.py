"""The equity impact check in a real browser: a CSV upload chooses wards; bad files say why."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_app_browser import _no_exception, _open, _wait_idle

pytestmark = pytest.mark.browser
UPLOADER = '[data-testid="stFileUploader"] input[type="file"]'


def _upload(page, name: str, data: bytes, expect: str) -> None:
    """Upload a file and wait until the page shows ``expect`` (the rerun has finished)."""
    page.locator(UPLOADER).set_input_files({"name": name, "mimeType": "text/csv",
                                            "buffer": data})
    page.get_by_text(expect).first.wait_for(timeout=30_000)
    _wait_idle(page)


def test_uploaded_ward_list_drives_the_table(page, app_url, tmp_path):
    _open(page, f"{app_url}/impact")
    _upload(page, "wards.csv", b"ward_name\nAcocks Green\nAston\naston\nNowhere Ward\n",
            "Download this table (CSV)")
    _no_exception(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "2 wards chosen" in body
    assert "Nowhere Ward" in body  # unknown entries are listed back
    assert "repeated" in body  # the duplicate was removed with a notice
    assert "wards=" in page.url and "E05011118" in page.url
    # Who lives there, the outcomes and the wards not covered: one CSV download each.
    # (each button draws once its code has arrived: waited for, up to 20 s)
    expect(page.get_by_text("Download this table (CSV)")).to_have_count(3, timeout=20_000)
    assert "Share in chosen wards" in page.content() or page.locator(
        '.equity-table table').count() >= 1
    # Nothing uploaded is written to the server's disk.
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("name", "data", "message"), [
    ("wards.csv", b"", "empty"),
    ("wards.csv", "ward_name\nSt. James\u2019s\n".encode("utf-16"), "UTF-8"),
    ("wards.csv", b"ward_name\n", "empty"),
])
def test_bad_upload_gets_a_clear_message(page, app_url, name, data, message):
    _open(page, f"{app_url}/impact")
    _upload(page, name, data, message)
    _no_exception(page)
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert any(message in e for e in errors), errors


def test_wrong_file_type_is_refused_by_the_uploader(page, app_url):
    _open(page, f"{app_url}/impact")
    page.locator(UPLOADER).set_input_files({"name": "wards.xlsx", "mimeType":
                                            "application/vnd.ms-excel", "buffer": b"PK\x03\x04"})
    page.wait_for_timeout(2000)
    _wait_idle(page)
    _no_exception(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert re.search(r"\d+ wards? chosen", body) is None
    assert "No wards chosen yet" in body


def test_a_refused_file_leaves_the_accepted_files_notice_named(page, app_url):
    """The uploader refuses a .txt itself; the notice left on screen says which file it is for."""
    _open(page, f"{app_url}/impact")
    _upload(page, "good.csv", b"ward_code\nE05011118\nE99999999\n", "1 ward chosen")
    page.locator(UPLOADER).set_input_files({"name": "notes.txt", "mimeType": "text/plain",
                                            "buffer": b"hello"})
    page.get_by_text("not allowed").first.wait_for(timeout=30_000)
    _wait_idle(page)
    _no_exception(page)
    notices = page.locator('[data-testid="stAlert"]').all_inner_texts()
    unused = [n for n in notices if "E99999999" in n]
    assert unused and all(n.startswith("good.csv: ") for n in unused), notices
    warnings = page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
    assert any("E99999999" in w for w in warnings), warnings  # a problem, not just news
    assert not any("notes.txt" in n for n in notices), notices
    assert "1 ward chosen" in page.locator('[data-testid="stMain"]').inner_text()


def test_lasso_on_the_map_chooses_wards(page, app_url):
    _open(page, f"{app_url}/impact")
    page.wait_for_function(
        """() => { const g = document.querySelector('.js-plotly-plot');
                   return g && g._fullLayout && g._fullLayout.geo
                       && g.querySelectorAll('path.choroplethlocation').length > 0; }""",
        timeout=60_000)
    assert page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.dragmode") == "lasso"
    box = page.locator(".js-plotly-plot").first.bounding_box()
    cx, cy = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
    corners = [(cx - 60, cy - 60), (cx + 60, cy - 60), (cx + 60, cy + 60), (cx - 60, cy + 60),
               (cx - 60, cy - 58)]
    page.mouse.move(*corners[0])
    page.mouse.down()
    for x, y in corners[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()
    page.get_by_text(re.compile(r"\d+ wards? chosen")).first.wait_for(timeout=30_000)
    _wait_idle(page)
    _no_exception(page)
    chosen = int(re.search(r"(\d+) wards? chosen",
                           page.locator('[data-testid="stMain"]').inner_text()).group(1))
    assert 5 <= chosen < 192
    assert page.url.count("E05") == chosen


def test_uploaded_text_is_shown_as_typed_not_as_markup(page, app_url):
    _open(page, f"{app_url}/impact")
    _upload(page, "wards.csv", b"ward_name\n**md** [link](http://evil.example)\n",
            "None of the")
    _no_exception(page)
    html = page.content()
    assert 'href="http://evil.example' not in html
    assert "<strong>md</strong>" not in html
    errors = " ".join(page.locator('[data-testid="stAlertContentError"]').all_inner_texts())
    assert "**md**" in errors
