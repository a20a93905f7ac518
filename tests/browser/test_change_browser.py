"""The Trends page's 2011 to 2021 change by neighbourhood, drawn in Debian's chromium."""

from __future__ import annotations

import pytest

from tests.browser.test_app_browser import _no_exception, _open, _wait_idle

pytestmark = pytest.mark.browser
N_MSOAS = 357

# The plotly chart whose choropleth traces draw MSOA codes (E02...), and what it drew: each
# area's path, its trace's name and the fill the browser computed.
MSOA_MAP_JS = """() => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')].find(el =>
        Array.isArray(el.data) && el.data.some(t => t.type === 'choropleth'
            && (t.locations || []).some(code => String(code).startsWith('E02'))));
    if (!gd) return null;
    const paths = [...gd.querySelectorAll('path.choroplethlocation')]
        .filter(p => p.getAttribute('d') && String(p.__data__.loc).startsWith('E02'));
    return {
        drawn: paths.length,
        fills: [...new Set(paths.map(p => getComputedStyle(p).fill))],
        legend: [...gd.querySelectorAll('.legendtext')].map(t => t.textContent),
        title: gd._fullLayout.title.text,
    };
}"""


def test_trends_draws_the_msoa_change_map_and_its_table(page, app_url):
    _open(page, f"{app_url}/trends")
    heading = page.get_by_text("Is the gap closing? Census 2011 to 2021 by neighbourhood")
    heading.first.scroll_into_view_if_needed()
    page.wait_for_function(f"() => {{ const m = ({MSOA_MAP_JS})(); "
                           f"return !!m && m.drawn >= {N_MSOAS}; }}", timeout=60_000)
    _wait_idle(page)
    _no_exception(page)
    drawn = page.evaluate(MSOA_MAP_JS)
    assert drawn["drawn"] == N_MSOAS
    assert "by MSOA" in drawn["title"]
    assert "Interval includes 0: no clear change" in drawn["legend"]
    # Near-white middle class plus several shades of the diverging scale.
    assert "rgb(247, 247, 247)" in drawn["fills"] and len(drawn["fills"]) >= 3
    tables = page.locator(".equity-table").filter(has_text="MSOA code")
    tables.first.wait_for(timeout=30_000)
    assert tables.first.locator("tbody tr").count() == 355
    page.get_by_text("Download this table (CSV)").nth(3).wait_for(timeout=20_000)  # 4 or more
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "The gap in bad or very bad health between the most and least deprived" in body
