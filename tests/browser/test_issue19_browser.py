"""In Chromium: the impact page's outcomes and downloadable report; wards side by side."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.browser.test_app_browser import _no_exception, _open, _phone_context

pytestmark = pytest.mark.browser
CHOSEN = "E05001260,E05001261,E05011118"  # Abbey, Blackheath (Sandwell); Acocks Green
ACOCKS_GREEN, ABBEY = "E05011118", "E05001260"
TABLE_ROWS_JS = """(label) => {
    const box = [...document.querySelectorAll('[data-testid="stMain"] .equity-table')]
        .find(b => b.getAttribute('aria-label') === label);
    if (!box) return null;
    const heads = [...box.querySelectorAll('thead th')].map(th => th.dataset.name);
    const rows = [...box.querySelectorAll('tbody tr')]
        .map(tr => [...tr.children].map(td => td.textContent));
    return {heads, rows};
}"""


def _table(page, label: str) -> dict:
    """A table's headings and rows, once it is drawn with its rows (tables follow the map)."""
    page.wait_for_function(f"""() => {{ const t = ({TABLE_ROWS_JS})({label!r});
                                        return t !== null && t.rows.length > 0
                                            && t.heads.length > 0
                                            && t.heads.every(h => !!h); }}""",
                           timeout=60_000)
    return page.evaluate(TABLE_ROWS_JS, label)


def _report_row(document: str, indicator: str) -> list[str]:
    row = re.search(rf"<tr><th scope=\"row\">[^<]*</th><td>{re.escape(indicator)}</td>(.*?)</tr>",
                    document)
    assert row, indicator
    return [unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))]


def test_impact_outcomes_and_report_match_the_page(page, app_url):
    _open(page, f"{app_url}/impact?wards={CHOSEN}")
    page.get_by_text("Outcomes in the chosen wards").first.wait_for(timeout=60_000)
    _no_exception(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "9 of the 18 outcomes tested are significantly worse" in body
    assert "Not covered by this selection" in body
    shown = _table(page, "Outcomes: chosen wards against WMCA")
    at = shown["heads"].index("Indicator")
    row = next(r for r in shown["rows"] if r[at] == "No qualifications (%)")
    on_page = dict(zip(shown["heads"], row, strict=True))
    assert (on_page["Chosen wards"], on_page["Comparator value"], on_page["Flag"]) == (
        "24.3%", "23.7%", "worse")
    left_out = _table(page, "Not covered by this selection")
    assert len(left_out["rows"]) == 48
    with page.expect_download() as download:
        page.get_by_text("Download impact report (HTML)").click()
    document = open(download.value.path(), encoding="utf-8").read()
    for heading in ("The selection", "Who lives there", "Outcomes in the chosen wards",
                    "What is left out", "Method", "Caveats", "Sources and attribution"):
        assert f">{heading}</h" in document, heading
    in_report = _report_row(document, "No qualifications (%)")
    heads = shown["heads"][shown["heads"].index("Indicator") + 1:]
    assert dict(zip(heads, in_report, strict=True)) == {
        k: v for k, v in on_page.items() if k in heads}
    # The link restores the selection on the host the page was opened on.
    assert f'href="{app_url}/impact?wards={CHOSEN}"' in document


def test_two_wards_side_by_side_from_a_link(page, app_url):
    _open(page, f"{app_url}/ward_profile?ward={ACOCKS_GREEN},{ABBEY}")
    page.wait_for_function("""() => { const g = document.querySelector('.js-plotly-plot');
                                      return g && g._fullLayout && g.data; }""", timeout=60_000)
    _no_exception(page)
    traces = page.evaluate("""() => document.querySelector('.js-plotly-plot').data
        .map(t => ({name: t.name, symbol: t.marker && t.marker.symbol}))""")
    names = [t["name"] for t in traces]
    assert "Acocks Green" in names and "Abbey" in names
    legend = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .legendtext')]
        .map(t => t.textContent)""")
    assert "Acocks Green" in legend and "Abbey" in legend
    table = _table(page, "Side by side: Acocks Green, Abbey")
    assert table["heads"][:4] == ["Theme", "Indicator", "Acocks Green", "Abbey"]
    row = next(r for r in table["rows"] if r[1] == "No qualifications (%)")
    assert row[2:4] == ["25.9% (25.3% to 26.5%); worse", "19.0% (18.2% to 19.8%); better"]
    assert f"ward={ACOCKS_GREEN}%2C{ABBEY}" in page.url or f"ward={ACOCKS_GREEN},{ABBEY}" in page.url


def test_side_by_side_fits_a_phone(browser, app_url):
    context = _phone_context(browser)
    try:
        page = context.new_page()
        _open(page, f"{app_url}/ward_profile?ward={ACOCKS_GREEN},{ABBEY}")
        page.wait_for_function("""() => { const g = document.querySelector('.js-plotly-plot');
                                          return g && g._fullLayout && g._fullLayout.xaxis; }""",
                               timeout=60_000)
        _no_exception(page)
        plot = page.evaluate("""() => { const g = document.querySelector('.js-plotly-plot');
            return {plotWidth: g._fullLayout.xaxis._length, divWidth: g.clientWidth,
                    tickLabels: g.querySelectorAll('.ytick text').length,
                    legend: [...g.querySelectorAll('.legendtext')].map(t => t.textContent)}; }""")
    finally:
        context.close()
    assert plot["divWidth"] <= 360
    assert plot["plotWidth"] >= 0.75 * plot["divWidth"], plot
    assert plot["tickLabels"] == 0, plot
    assert {"Acocks Green", "Abbey"} <= set(plot["legend"])
