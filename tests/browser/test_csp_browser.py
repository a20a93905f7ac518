"""Every page draws in Chromium through the nginx front, under its Content-Security-Policy.

nginx with deploy/nginx-loopback.conf runs in front of one replica (tests/nginx_front.py; one
front for the module). Each page is opened once; it must draw its main content (heading,
every chart, every table, every ward of a map) with no ``securitypolicyviolation`` event and
no CSP message on the console. The CSV and ward-pack downloads (``/media/``), plotly's PNG
export (a ``blob:`` image) and the ward-list upload (``/_stcore/upload_file``) must still work.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import VIEWPORT
from tests.browser.test_app_browser import ACOCKS_GREEN, N_WARDS, _no_exception, _wait_idle
from tests.nginx_front import loopback_front

pytestmark = pytest.mark.browser

# Every violation the page reports, from the first script on (an init script runs before
# the page's own).
RECORD_VIOLATIONS_JS = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push({
    directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample}), true);"""

# path, heading, (at least) charts, (at least) tables, draws the ward map
PAGES = [
    ("/", "West Midlands equity dashboard", 1, 1, True),
    ("/health", "Health", 1, 1, True),
    ("/jobs", "Jobs", 1, 1, True),
    ("/skills", "Skills", 1, 1, True),
    ("/youth_unemployment", "Youth unemployment", 1, 1, True),
    ("/poverty", "Poverty and housing", 1, 1, True),
    (f"/ward_profile?ward={ACOCKS_GREEN}", "Ward profile", 1, 1, False),
    ("/impact", "Equity impact check", 1, 0, True),
    ("/group_gaps", "Gaps between groups of people", 1, 1, False),
    ("/trends", "Trends", 1, 1, True),
    ("/about", "About the data", 0, 1, False),
]

# Drawn: enough charts and tables, every chart drawn by plotly (or its failure note shown:
# then the test fails on it below), every table with rows, and the ward map's paths (the
# first map; the youth page has constituency maps after it).
FIRST_MAP_PATHS = """(() => { const m = [...document.querySelectorAll('.js-plotly-plot')]
    .find(el => el.querySelector('path.choroplethlocation'));
    return m ? [...m.querySelectorAll('path.choroplethlocation')]
        .filter(p => !(p.parentNode.__data__[0].trace.hoverinfo === 'skip')).length : 0; })()"""
DRAWN_JS = """([charts, tables, map, wards]) => {
    const c = [...document.querySelectorAll('.equity-chart')];
    const t = [...document.querySelectorAll('.equity-table')];
    return c.length >= charts && t.length >= tables
        && c.every(x => x.querySelector('.main-svg') || x.querySelector('p'))
        && t.every(x => x.querySelector('tbody tr'))
        && (!map || """ + FIRST_MAP_PATHS + """ === wards);
}"""
DRAWN_STATE_JS = """() => ({
    charts: document.querySelectorAll('.equity-chart').length,
    drawn: document.querySelectorAll('.equity-chart .main-svg').length,
    failed: [...document.querySelectorAll('.equity-chart p')].map(p => p.innerText),
    tables: document.querySelectorAll('.equity-table tbody tr').length,
    wards: """ + FIRST_MAP_PATHS + """})"""


@pytest.fixture(scope="module")
def front(chromium_path, tmp_path_factory):
    with loopback_front(tmp_path_factory.mktemp("front")) as running:
        yield running


@pytest.fixture
def csp_page(browser):
    """A fresh page that records CSP violations (events and console messages)."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(30_000)
    context.add_init_script(RECORD_VIOLATIONS_JS)
    page = context.new_page()
    page.csp_console = []
    page.on("console", lambda m: "Content Security Policy" in m.text
            and page.csp_console.append(m.text[:300]))
    yield page
    context.close()


def _violations(page) -> list:
    return page.evaluate("() => window.__cspViolations || []") + page.csp_console


def _download(page, click, timeout: float = 30.0):
    """The download that ``click()`` starts; a clear failure (with any CSP violation) if none."""
    try:
        with page.expect_download(timeout=timeout * 1000) as download:
            click()
        return download.value
    except PlaywrightTimeout:
        pytest.fail(f"no download within {timeout:.0f} s; CSP violations: {_violations(page)}",
                    pytrace=False)


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    _wait_idle(page, timeout=60)


@pytest.mark.parametrize(("path", "heading", "charts", "tables", "has_map"), PAGES,
                         ids=[p[0].split("?")[0] for p in PAGES])
def test_page_draws_with_no_csp_violation(csp_page, front, path, heading, charts, tables, has_map):
    page = csp_page
    _open(page, f"{front.url}{path}")
    try:
        page.wait_for_function(DRAWN_JS, arg=[charts, tables, has_map, N_WARDS], timeout=60_000)
    except PlaywrightTimeout:
        pytest.fail(f"{path} not drawn within 60 s: {page.evaluate(DRAWN_STATE_JS)}; "
                    f"CSP violations: {_violations(page)}", pytrace=False)
    page.wait_for_timeout(500)  # anything late (fonts, favicon) reports by now
    state = page.evaluate(DRAWN_STATE_JS)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == heading
    _no_exception(page)
    assert not state["failed"], f"{path}: a chart was not drawn: {state['failed']}"
    assert state["drawn"] >= charts and state["tables"] >= tables, state
    if has_map:
        assert state["wards"] == N_WARDS, state
    assert _violations(page) == [], f"{path}: CSP violations"


def test_downloads_work_under_the_csp(csp_page, front):
    """The table's CSV and the ward pack are served from /media/ through nginx."""
    page = csp_page
    _open(page, f"{front.url}/ward_profile?ward={ACOCKS_GREEN}")
    # The profile table's own button, by its key: the buttons draw as their code arrives.
    button = page.locator(".st-key-dl_profile").get_by_role("button",
                                                            name="Download this table (CSV)")
    button.wait_for(timeout=20_000)
    csv = _download(page, button.click)
    assert csv.suggested_filename == f"{ACOCKS_GREEN}_profile.csv"
    rows = csv.path().read_text(encoding="utf-8").splitlines()
    assert "Indicator" in rows[0] and len(rows) > 5, rows[:3]

    html = _download(page, page.get_by_role("button", name="Download ward pack (HTML)").click, 60)
    pack = html.path().read_text(encoding="utf-8")
    assert pack.lstrip().lower().startswith("<!doctype html") and "Acocks Green" in pack
    _no_exception(page)
    assert _violations(page) == []


def test_chart_png_export_works_under_the_csp(csp_page, front):
    """plotly's "Download plot as a PNG" draws the chart through a blob: image (img-src)."""
    page = csp_page
    _open(page, f"{front.url}/group_gaps")
    button = page.locator(".equity-chart .modebar-btn[data-title='Download plot as a PNG']").first
    button.wait_for(state="attached", timeout=60_000)
    page.locator(".equity-chart").first.hover()
    png = _download(page, button.click)
    assert png.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _violations(page) == []


def test_ward_list_upload_works_under_the_csp(csp_page, front, tmp_path):
    """The impact check's upload: a PUT to /_stcore/upload_file with the XSRF token."""
    page = csp_page
    _open(page, f"{front.url}/impact")
    wards = tmp_path / "wards.csv"
    wards.write_text(f"ward_code\n{ACOCKS_GREEN}\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(wards)
    page.get_by_text("wards.csv").first.wait_for(timeout=30_000)
    # The rerun that reads the upload puts the ward in the list of wards covered.
    page.locator('[data-testid="stMain"] [data-testid="stMultiSelect"]').get_by_text(
        "Acocks Green").first.wait_for(timeout=30_000)
    _wait_idle(page, timeout=60)
    _no_exception(page)
    assert _violations(page) == []
