"""End-to-end checks of the running app in Debian's chromium.

The ward map is a plotly ``choropleth`` on a ``geo`` subplot: one SVG ``path.choroplethlocation``
per ward. A path's d3 datum (``__data__``) holds ``loc``, the ward code, and ``z``; its parent
group's datum is the class trace's calcdata, with the trace (and its colour scale) first. So
the tests read what was actually drawn: each ward's path, its place against the map's drawing
area (the geo subplot's ``bounds``, see ``MAP_AREA_JS``) and its computed fill colour.
``gd.data`` holds the traces the app handed to plotly (``type == "choropleth"``,
``locations`` = ward codes).
"""

from __future__ import annotations

import json
import re
import time
from functools import cache
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
N_WARDS = 192
THEME_TITLES = {
    "health": "Health",
    "jobs": "Jobs",
    "skills": "Skills",
    "youth_unemployment": "Youth unemployment",
    "poverty": "Poverty and housing",
}
ACOCKS_GREEN = "E05011118"
BIRMINGHAM = "E08000025"
COVENTRY = "E08000026"
NO_QUALIFICATIONS_TITLE = "Residents aged 16+ with no qualifications (%)"
EXCEPTION = '[data-testid="stException"]'

# The graph div holding the ward map (the first plotly chart with a choropleth trace).
FIND_MAP_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .find(el => Array.isArray(el.data) && el.data.some(t => t.type === 'choropleth'))"""

# The map's drawing area in page pixels: the geo subplot's clip rectangle (``bounds``, in the
# figure's SVG coordinates), offset by the SVG's place on the page. (The clipPath's own rect is
# never rendered, so it has no bounding box.)
MAP_AREA_JS = """const mapArea = gd => {
    const svg = gd.querySelector('.main-svg').getBoundingClientRect();
    const [[x0, y0], [x1, y1]] = gd._fullLayout.geo._subplot.bounds;
    return {left: svg.left + x0, top: svg.top + y0, right: svg.left + x1, bottom: svg.top + y1,
            width: x1 - x0, height: y1 - y0};
};"""

MAP_READY_JS = f"""() => {{
    const gd = ({FIND_MAP_JS})();
    return !!(gd && gd._fullLayout && gd._fullLayout.geo
              && gd.querySelectorAll('path.choroplethlocation').length > 0);
}}"""

# Locations (and z) per choropleth trace, as sent to plotly.
TRACES_JS = f"""() => {{
    const gd = ({FIND_MAP_JS})();
    return gd.data.filter(t => t.type === 'choropleth' && t.hoverinfo !== 'skip').map(t => ({{
        name: t.name, locations: Array.from(t.locations || []), z: Array.from(t.z || []),
    }}));
}}"""

# Wards actually drawn: each ward's path, whether it lies inside the map's clip rectangle
# (1 px of slack), and whether its fill is its class trace's colour for its z (full or faded).
RENDERED_JS = f"""() => {{
    {MAP_AREA_JS}
    const gd = ({FIND_MAP_JS})();
    const clip = mapArea(gd);
    const probe = document.createElement('span');
    document.body.appendChild(probe);
    const css = colour => {{ probe.style.color = colour; return getComputedStyle(probe).color; }};
    const drawn = [], outside = [], wrongColour = [];
    for (const path of gd.querySelectorAll('path.choroplethlocation')) {{
        // Outlines (authorities, the selected ward) are unfilled choropleths with no hover.
        if (path.parentNode.__data__[0].trace.hoverinfo === 'skip') continue;
        const point = path.__data__;
        if (!path.getAttribute('d')) continue;
        const box = path.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (box.left < clip.left - 1 || box.top < clip.top - 1 || box.right > clip.right + 1
            || box.bottom > clip.bottom + 1) {{ outside.push(point.loc); continue; }}
        drawn.push(point.loc);
        const scale = path.parentNode.__data__[0].trace.colorscale;  // the class trace's
        const expected = css(point.z >= 0.5 ? scale[scale.length - 1][1] : scale[0][1]);
        if (getComputedStyle(path).fill !== expected) wrongColour.push(point.loc);
    }}
    probe.remove();
    return {{drawn: drawn.sort(), outside, wrongColour,
             canvas: [Math.round(clip.width), Math.round(clip.height)]}};
}}"""


@cache
def _ward_table() -> dict[str, dict]:
    """Ward code -> name, authority and a point inside the polygon (shapely)."""
    import geopandas as gpd

    wards = gpd.read_file(REPO_ROOT / "geodata" / "wards.geojson")
    if wards.crs is not None and not wards.crs.equals("EPSG:4326"):
        wards = wards.to_crs(4326)
    out = {}
    for row in wards.itertuples():
        point = row.geometry.representative_point()
        out[row.ward_code] = {"name": row.ward_name, "authority": row.authority,
                              "lonlat": [point.x, point.y]}
    return out


def _open(page, url: str):
    """Go to ``url`` and wait for the app to settle (title drawn, no script running)."""
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    _wait_idle(page)
    return page


def _wait_idle(page, timeout: float = 30.0) -> None:
    """Wait until Streamlit is connected and not running a script."""
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return !!app && app.dataset.testScriptState === 'notRunning'
                       && app.dataset.testConnectionState === 'CONNECTED'; }""",
        timeout=timeout * 1000)


def _wait_map(page) -> None:
    page.wait_for_function(MAP_READY_JS, timeout=60_000)


def _rendered(page, expected: int = N_WARDS, timeout: float = 15.0) -> dict:
    """Wards drawn inside the map, polled until ``expected`` are or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        _wait_map(page)
        result = page.evaluate(RENDERED_JS)
        if len(result["drawn"]) >= expected or time.monotonic() > deadline:
            return result
        time.sleep(0.25)


# How much of the plot area the wards' drawn extent takes, across and down. Plotly keeps the
# extent's shape, so a plot area of the wrong height leaves blank bands beside or above it.
WARD_SPAN_JS = f"""() => {{
    const gd = ({FIND_MAP_JS})();
    const size = gd._fullLayout._size;
    const boxes = [...gd.querySelectorAll('path.choroplethlocation')]
        .filter(p => !(p.parentNode.__data__[0].trace.hoverinfo === 'skip'))
        .map(p => p.getBoundingClientRect());
    const width = Math.max(...boxes.map(b => b.right)) - Math.min(...boxes.map(b => b.left));
    const height = Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top));
    return {{across: width / size.w, down: height / size.h,
             plot: [Math.round(size.w), Math.round(size.h)]}};
}}"""


def _assert_map_fills_its_plot(page, where: str, timeout: float = 5.0) -> None:
    """Polled: the element corrects the height once the map is drawn."""
    deadline = time.monotonic() + timeout
    span = page.evaluate(WARD_SPAN_JS)
    while min(span["across"], span["down"]) < 0.85 and time.monotonic() < deadline:
        time.sleep(0.2)
        span = page.evaluate(WARD_SPAN_JS)
    assert min(span["across"], span["down"]) >= 0.85, (
        f"{where}: the wards take {span['across']:.0%} of the map's width and "
        f"{span['down']:.0%} of its height ({span['plot']} px): blank bands")


def _assert_every_ward_drawn(result: dict, where: str) -> None:
    """Every ward of WMCA is drawn inside the map (``result`` from ``RENDERED_JS``)."""
    missing = sorted(set(_ward_table()) - set(result["drawn"]))
    assert len(result["drawn"]) == N_WARDS, (
        f"{where}: the map draws {len(result['drawn'])} of {N_WARDS} wards; "
        f"{[_ward_table()[c]['name'] for c in missing][:8]} are outside the "
        f"{result['canvas'][0]}x{result['canvas'][1]} px map")


def _pick_from_open_list(page, text: str) -> None:
    """With a select box focused, type ``text`` and take the first match (Enter, Escape)."""
    page.keyboard.type(text)
    page.wait_for_selector('[role="listbox"]', timeout=10_000)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def _no_exception(page) -> None:
    errors = page.locator(EXCEPTION)
    assert errors.count() == 0, f"Streamlit exception on {page.url}: {errors.all_inner_texts()}"


def _h1(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def _selectbox_value(page, label: str, scope: str = "body") -> str:
    box = page.locator(f'{scope} [data-testid="stSelectbox"]').filter(
        has=page.locator(f'input[aria-label="{label}"]'))
    return box.locator("input").first.input_value()


def _sidebar_multiselect(page, label: str):
    """The sidebar's multiselect labelled ``label``, once drawn (the map may come first: the
    widgets' code is loaded when the page first shows them)."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text=label).first
    box.wait_for(timeout=20_000)
    return box


def _view(page) -> dict:
    """Everything the shared-link test compares between two browsers."""
    match = page.get_by_text(re.compile(r"\d+ of 192 wards match"))
    return {
        "indicator": _selectbox_value(page, "Indicator", '[data-testid="stMain"]'),
        "ward_box": _selectbox_value(page, "Find a ward", '[data-testid="stSidebar"]'),
        "authorities": _sidebar_multiselect(page, "Local authorities").inner_text(),
        "match": match.first.inner_text() if match.count() else None,
        "panel": page.locator('[data-testid="stMain"] h2').all_inner_texts(),
        "traces": page.evaluate(TRACES_JS),
        "scheme_checked": page.locator('[data-testid="stSidebar"] [role="radiogroup"] '
                                       'input:checked').first.evaluate(
                                           "e => e.closest('label').innerText"),
    }


# ------------------------------------------------------------------ 1. theme pages
@pytest.mark.parametrize("theme", list(THEME_TITLES))
def test_theme_page_map_draws_every_ward(page, app_url, theme):
    _open(page, f"{app_url}/{theme}")
    _wait_map(page)
    assert _h1(page) == THEME_TITLES[theme]
    _no_exception(page)

    traces = page.evaluate(TRACES_JS)
    codes = [c for t in traces for c in t["locations"]]
    assert len(codes) == len(set(codes)), "a ward is in more than one map trace"
    assert len(set(codes)) == N_WARDS
    assert set(codes) == set(_ward_table())

    result = _rendered(page)
    missing = sorted(set(codes) - set(result["drawn"]))
    assert not result["wrongColour"], f"wards not in their class's colour: {result['wrongColour']}"
    assert len(result["drawn"]) == N_WARDS, (
        f"{len(result['drawn'])} wards drawn inside the map; missing {missing[:10]}; "
        f"outside the {result['canvas']} px map: {result['outside'][:10]}")


def test_charts_share_one_small_plotly_build(page, app_url):
    """Every chart on a theme page is drawn by static/plotly-equity.min.js, fetched once;
    Streamlit's own PlotlyChart chunk (all of plotly.js) is never loaded."""
    _open(page, f"{app_url}/health")
    _wait_map(page)
    page.wait_for_function(
        """() => { const c = [...document.querySelectorAll('.equity-chart')];
                   return c.length >= 3 && c.every(x => x.querySelector('.main-svg')); }""",
        timeout=30_000)
    _no_exception(page)
    scripts = page.evaluate("""() => performance.getEntriesByType('resource')
        .map(r => r.name.split('?')[0].split('/').pop()).filter(n => n.endsWith('.js'))""")
    assert scripts.count("plotly-equity.min.js") == 1, scripts
    assert not [n for n in scripts if n.startswith("PlotlyChart")], scripts
    buttons = page.evaluate("""() => [...document.querySelectorAll('.equity-chart .modebar-btn')]
        .map(b => b.getAttribute('data-title'))""")
    assert "Download plot as a PNG" in buttons, buttons
    assert not {"Share chart...", "Box Select", "Lasso Select"} & set(buttons), buttons
    # No tiled-map library: no WebGL canvas, and the map is SVG.
    assert page.locator(".equity-chart canvas").count() == 0
    ward_paths = page.evaluate("""() => [...document.querySelectorAll(
        '.equity-chart path.choroplethlocation')]
        .filter(p => !(p.parentNode.__data__[0].trace.hoverinfo === 'skip')).length""")
    assert ward_paths == N_WARDS


def test_ward_shapes_are_fetched_once_per_page_load_and_never_on_an_interaction(page, app_url):
    """The shapes are one content-hashed static file, cached for a year; the map's figures
    name it and carry none of it, so map classes, indicator and ward changes fetch nothing."""
    shapes = []
    page.on("response", lambda r: shapes.append(r) if "/app/static/geo/" in r.url else None)
    _open(page, f"{app_url}/health")
    _wait_map(page)
    assert len(shapes) == 1, [r.url for r in shapes]
    assert re.search(r"/app/static/geo/wards\.[0-9a-f]{16}\.json$", shapes[0].url)
    assert shapes[0].headers["cache-control"] == "public, max-age=31536000, immutable"
    urls = page.evaluate(f"() => [...new Set(({FIND_MAP_JS})().data.filter(t => t.geojson)"
                         ".map(t => typeof t.geojson === 'string' ? t.geojson : 'inline'))]")
    assert urls == [shapes[0].url.removeprefix(app_url)], urls

    sidebar = page.get_by_test_id("stSidebar")
    _click_ward(page, ACOCKS_GREEN)
    page.wait_for_url(re.compile(rf"[?&]ward={ACOCKS_GREEN}(&|$)"), timeout=20_000)
    _wait_idle(page)
    sidebar.get_by_text("Natural breaks", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]scheme=natural_breaks(&|$)"), timeout=20_000)
    _wait_idle(page)
    page.locator('[data-testid="stMain"] input[aria-label="Indicator"]').click()
    _pick_from_open_list(page, "bad or very bad general health")
    page.wait_for_url(re.compile(r"[?&]indicator=bad_health(&|$)"), timeout=20_000)
    _wait_idle(page)
    _wait_map(page)
    _assert_every_ward_drawn(_rendered(page), "after three interactions")
    names = page.evaluate(f"() => ({FIND_MAP_JS})().data.map(t => t.name)")
    assert "Selected: Acocks Green" in names and "Local authority boundary" in names
    _no_exception(page)
    assert len(shapes) == 1, [r.url for r in shapes]


def test_the_page_head_starts_the_first_map_and_finds_the_server_at_once(page, app_url):
    """serve.py's pages run equity/page_start.js first: the page connects to the server without
    probing /health/_stcore/health (a 404) first, and plotly.js and the shapes are each
    fetched once, before the map's figure arrives, and drawn from."""
    requests = []
    page.on("request", lambda r: requests.append(r.url.removeprefix(app_url)))
    _open(page, f"{app_url}/health")
    _wait_map(page)
    start = page.evaluate("""() => [...document.head.querySelectorAll('script[src]')]
        .map(s => s.getAttribute('src')).find(s => s.includes('/equity-start.'))""")
    assert re.fullmatch(r"/app/static/equity-start\.[0-9a-f]{16}\.js", start or ""), start
    assert not [u for u in requests if u.startswith("/health/_stcore/")], requests
    assert "/_stcore/health" in requests
    assert requests.count("/app/static/plotly-equity.min.js") == 1, requests
    assert len([u for u in requests if u.startswith("/app/static/geo/")]) == 1, requests
    assert any(re.fullmatch(r"/static/js/BidiComponent\.[\w-]+\.js", u) for u in requests)
    _no_exception(page)
    # A page with no chart fetches neither plotly.js nor the shapes, and still connects at once.
    requests.clear()
    _open(page, f"{app_url}/about")
    assert not [u for u in requests if "plotly-equity" in u or "/geo/" in u
                or u.startswith("/about/_stcore/")], requests
    _no_exception(page)


SORTED_COLUMN_JS = """([table, column]) => {
    const box = document.querySelectorAll('[data-testid="stMain"] .equity-table')[table];
    const heads = [...box.querySelectorAll('thead th')].map(th => th.dataset.name);
    const at = heads.indexOf(column);
    const cells = [...box.querySelectorAll('tbody tr')].map(tr => tr.children[at]);
    return {sort: box.querySelector(`thead th[data-name="${column}"]`).getAttribute('aria-sort'),
            focused: document.activeElement && document.activeElement.textContent,
            values: cells.map(td => td.classList.contains('equity-nodata') ? null
                              : Number(td.textContent.replace(/,/g, ''))),
            noData: cells.filter(td => td.classList.contains('equity-nodata'))
                         .map(td => td.textContent)};
}"""


def test_tables_are_html_tables_that_sort_from_the_keyboard(page, app_url):
    """Tables are real <table>s (equity/table.js), not Streamlit's canvas grid, whose 1.2 MB
    chunk is never loaded. A heading is a button: Enter sorts by it, ascending then
    descending, with aria-sort saying which and wards without data last either way; a
    missing value reads "no data"."""
    from equity.bundle import read_bundle

    bundle = read_bundle(REPO_ROOT / "geodata")
    values = bundle.ward_values("youth_claimant_share").value
    _open(page, f"{app_url}/youth_unemployment?indicator=youth_claimant_share")
    _wait_map(page)
    page.wait_for_selector('[data-testid="stMain"] .equity-table table')
    tables = page.locator('[data-testid="stMain"] .equity-table')
    last = tables.count() - 1
    ward_table = tables.nth(last)
    assert ward_table.get_attribute("role") == "region"
    title = bundle.catalogue["youth_claimant_share"].title
    assert ward_table.get_attribute("aria-label") == f"{title}, by ward"
    column = ward_table.locator("thead th").nth(3).get_attribute("data-name")
    assert column.startswith("Value")
    button = ward_table.get_by_role("button", name=column, exact=True)
    button.focus()
    page.keyboard.press("Enter")
    ascending = page.evaluate(SORTED_COLUMN_JS, [last, column])
    page.keyboard.press("Enter")
    descending = page.evaluate(SORTED_COLUMN_JS, [last, column])

    n_missing = int((~np.isfinite(values)).sum())
    for result, direction in ((ascending, "ascending"), (descending, "descending")):
        assert result["sort"] == direction
        assert result["focused"].startswith(column), "sorting lost the keyboard focus"
        shown = [v for v in result["values"] if v is not None]
        assert len(shown) == int(np.isfinite(values).sum()) and len(result["values"]) == 192
        assert result["values"][len(shown):] == [None] * n_missing, "no-data rows not last"
        assert shown == sorted(shown, reverse=direction == "descending")
        assert set(result["noData"]) <= {"–no data"}
    assert ascending["values"][0] == pytest.approx(np.nanmin(values), abs=0.01)
    assert descending["values"][0] == pytest.approx(np.nanmax(values), abs=0.01)
    assert n_missing > 0 and len(ascending["noData"]) == n_missing
    # Figures written as text ("20.5%", "no data for this authority") sort as numbers too.
    areas = tables.nth(0)
    areas.get_by_role("button", name="Value", exact=True).click()
    rows = areas.locator("tbody tr").all_inner_texts()
    with_data = [row for row in rows if "no data" not in row]
    assert with_data and rows[:len(with_data)] == with_data, rows
    scripts = page.evaluate("""() => performance.getEntriesByType('resource')
        .map(r => r.name.split('/').pop()).filter(n => n.endsWith('.js'))""")
    assert not [n for n in scripts if n.startswith("DataFrame")], scripts

    _open(page, f"{app_url}/health")
    page.wait_for_selector('[data-testid="stMain"] .equity-table table')
    page.locator('[data-testid="stMain"] .equity-table').first.get_by_role(
        "button", name="Denominator", exact=True).click()
    denominators = page.evaluate(SORTED_COLUMN_JS, [0, "Denominator"])
    assert denominators["sort"] == "ascending"
    shown = [v for v in denominators["values"] if v is not None]
    assert len(shown) >= 2 and shown == sorted(shown), denominators["values"]
    assert denominators["values"][len(shown):] == [None] * (len(denominators["values"]) - len(shown))


def test_static_serving_gives_the_chart_build_and_nothing_outside_static(app_url):
    """server.enableStaticServing serves static/ only: the build, as JavaScript; a path that
    climbs out of static/ (plain or percent-encoded) is refused, never the file."""
    import http.client
    from urllib.parse import urlparse

    where = urlparse(app_url)

    def fetch(path: str) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
        try:
            conn.request("GET", path)  # http.client sends the path as written
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            conn.close()

    status, kind, body = fetch("/app/static/plotly-equity.min.js")
    assert status == 200 and "javascript" in kind
    assert body == (REPO_ROOT / "static" / "plotly-equity.min.js").read_bytes()
    source = (REPO_ROOT / "app.py").read_bytes()
    for path in ("/app/static/../app.py", "/app/static/%2e%2e/app.py",
                 "/app/static/..%2fapp.py", "/app/static/../.streamlit/config.toml"):
        status, _, body = fetch(path)
        assert status in (400, 403, 404), (path, status)
        assert source not in body and b"enableStaticServing" not in body, path


def test_initial_map_view_fits_wmca(page, app_url):
    """The map as first drawn shows every ward of WMCA, and uses the room it has: the chart
    element sets the map's height from its width, so the wards span most of both."""
    _open(page, f"{app_url}/health")
    _wait_map(page)
    _assert_every_ward_drawn(_rendered(page), "1400 px")
    _assert_map_fills_its_plot(page, "1400 px")


PHONE_USER_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                    "Gecko) Chrome/156.0.0.0 Mobile Safari/537.36")


def _phone_context(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True,
                                  has_touch=True, user_agent=PHONE_USER_AGENT)
    context.set_default_timeout(30_000)
    return context


@pytest.mark.parametrize("path", ["/health", "/"])
def test_initial_map_view_fits_wmca_on_a_phone(browser, app_url, path):
    """On a 360 px-wide phone the first view still shows every ward (issue 5: phones)."""
    context = _phone_context(browser)
    try:
        page = context.new_page()
        _open(page, f"{app_url}{path}")
        _wait_map(page)
        result = _rendered(page)
        _assert_map_fills_its_plot(page, f"phone, {path}")
        # A swipe over the map scrolls the page: the map does not pan on a touch screen.
        dragmode = page.evaluate(f"() => ({FIND_MAP_JS})()._fullLayout.dragmode")
        # plotly's toolbar would sit over the chart titles; a phone gets none.
        toolbars = page.locator(".modebar").count()
        titles = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
            .map(g => g._fullLayout.title.text || '')""")
    finally:
        context.close()
    assert toolbars == 0
    assert dragmode is False, dragmode
    # (Streamlit's theme wraps titles in <b>…</b> in the browser.)
    plain = [re.sub(r"</?b>", "", t) for t in titles]
    assert plain and all(len(line) <= 40 for t in plain for line in t.split("<br>")), titles
    assert result["canvas"][0] <= 360, result["canvas"]
    _assert_every_ward_drawn(result, f"phone, {path}")


@pytest.mark.parametrize(("viewport", "user_agent"), [
    ({"width": 900, "height": 900}, None),
    ({"width": 780, "height": 360}, PHONE_USER_AGENT),
], ids=["narrow-window", "phone-landscape"])
def test_initial_map_view_fits_wmca_at_any_width(browser, app_url, viewport, user_agent):
    """Plotly fits the first view to the wards' extent at the width it is drawn at; a zoom
    chosen on the server (from the User-Agent) once cropped these two."""
    options = {"viewport": viewport}
    if user_agent:
        options.update(user_agent=user_agent, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        _open(page, f"{app_url}/health")
        _wait_map(page)
        result = _rendered(page)
        _assert_map_fills_its_plot(page, f"{viewport['width']} px")
    finally:
        context.close()
    _assert_every_ward_drawn(result, f"{viewport['width']} px")


def test_map_follows_its_column_when_the_window_is_resized(browser, app_url):
    """From 1400 to 900 px wide and back, the map takes its column's new width, shows every
    ward inside it and sets its height to match (a relayout of the height once pinned it)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    width_js = f"""() => {{ const gd = ({FIND_MAP_JS})();
        return [gd._fullLayout.width, gd.closest('.equity-chart').clientWidth]; }}"""
    try:
        page = context.new_page()
        _open(page, f"{app_url}/health")
        _wait_map(page)
        _assert_map_fills_its_plot(page, "1400 px")
        wide = page.evaluate(width_js)
        for viewport in (900, 1400):
            page.set_viewport_size({"width": viewport, "height": 900})
            page.wait_for_function(
                f"() => {{ const [plot, column] = ({width_js})(); "
                f"return Math.abs(plot - column) <= 2; }}", timeout=10_000)
            _assert_map_fills_its_plot(page, f"resized to {viewport} px")
            _assert_every_ward_drawn(_rendered(page), f"resized to {viewport} px")
            if viewport == 900:
                narrow = page.evaluate(width_js)
                assert narrow[0] < 0.6 * wide[0], (wide, narrow)
    finally:
        context.close()


TITLES_INSIDE_JS = """() => [...document.querySelectorAll('.equity-chart')].map(c => {
    const g = c.querySelector('.js-plotly-plot'); const box = g.getBoundingClientRect();
    const place = sel => { const t = g.querySelector(sel); if (!t) return null;
        const r = t.getBoundingClientRect();
        return {text: t.textContent, top: r.top - box.top, left: r.left - box.left,
                right: box.right - r.right}; };
    return {title: place('.g-gtitle text'), xtitle: place('.g-xtitle text')}; })"""


@pytest.mark.parametrize("path", ["/health", f"/impact?wards={ACOCKS_GREEN},E05011120"])
def test_titles_stay_inside_their_charts_in_a_narrow_window(browser, app_url, path):
    """Plotly never wraps a title: at 900 px the chart element wraps chart titles that would
    run past the edge, and x-axis titles once plotly has drawn them."""
    context = browser.new_context(viewport={"width": 900, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        _open(page, f"{app_url}{path}")
        page.wait_for_function(
            """() => { const c = [...document.querySelectorAll('.equity-chart')];
                       return c.length && c.every(x => x.querySelector('.main-svg')); }""")
        page.wait_for_timeout(1000)
        charts = page.evaluate(TITLES_INSIDE_JS)
    finally:
        context.close()
    placed = [t for chart in charts for t in (chart["title"], chart["xtitle"]) if t]
    assert placed, charts
    outside = [t for t in placed if min(t["top"], t["left"], t["right"]) < -1]
    assert not outside, f"titles running out of their charts at 900 px: {outside}"


def test_ward_profile_rows_use_a_phones_width(browser, app_url):
    """On a phone the spine chart's names go above the rows, which keep most of the width."""
    context = _phone_context(browser)
    try:
        page = context.new_page()
        _open(page, f"{app_url}/ward_profile?ward={ACOCKS_GREEN}")
        page.wait_for_function("""() => { const g = document.querySelector('.js-plotly-plot');
                                          return g && g._fullLayout && g._fullLayout.xaxis; }""")
        plot = page.evaluate("""() => { const g = document.querySelector('.js-plotly-plot');
            return {plotWidth: g._fullLayout.xaxis._length, divWidth: g.clientWidth,
                    tickLabels: g.querySelectorAll('.ytick text').length}; }""")
    finally:
        context.close()
    assert plot["divWidth"] <= 360
    assert plot["plotWidth"] >= 0.75 * plot["divWidth"], plot
    assert plot["tickLabels"] == 0, plot


# ------------------------------------------------------------------ 2. click a ward
def test_clicking_a_ward_selects_it(page, app_url):
    ward = _ward_table()[ACOCKS_GREEN]
    _open(page, f"{app_url}/health")
    _wait_map(page)
    assert "ward=" not in page.url
    _click_ward(page, ACOCKS_GREEN)
    page.wait_for_url(re.compile(rf"[?&]ward={ACOCKS_GREEN}(&|$)"), timeout=20_000)
    _wait_idle(page)
    _no_exception(page)
    label = f"{ward['name']} ({ward['authority']})"
    page.wait_for_function(
        """(label) => { const i = document.querySelector(
               '[data-testid="stSidebar"] input[aria-label="Find a ward"]');
           return i && i.value === label; }""", arg=label, timeout=10_000)
    panel = page.locator('[data-testid="stMain"] h2').filter(has_text=ward["name"])
    panel.first.wait_for(timeout=10_000)
    # The selected ward is outlined by an extra trace, named in the legend.
    names = page.evaluate(f"() => ({FIND_MAP_JS})().data.map(t => t.name)")
    assert f"Selected: {ward['name']}" in names


def _click_ward(page, code: str) -> None:
    """Click the map at a point inside ward ``code`` (shapely's), as plotly projected it."""
    ward = _ward_table()[code]
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    _wait_map(page)
    target = page.evaluate(
        f"""(lonlat) => {{
            {MAP_AREA_JS}
            const gd = ({FIND_MAP_JS})();
            const geo = gd._fullLayout.geo._subplot;
            const [x, y] = geo.projection(lonlat);
            const svg = gd.querySelector('.main-svg').getBoundingClientRect();
            const clip = mapArea(gd);
            const at = {{x: svg.left + x, y: svg.top + y}};
            return {{...at, inside: at.x >= clip.left && at.x <= clip.right && at.y >= clip.top
                     && at.y <= clip.bottom}};
        }}""", ward["lonlat"])
    assert target["inside"], f"{ward['name']} is outside the drawn map: {target}"
    assert 0 <= target["y"] <= page.viewport_size["height"], target

    page.mouse.click(target["x"], target["y"])


def test_map_zoom_is_kept_when_a_filter_is_set(page, app_url):
    """Zoom with the mouse wheel, then filter by authority: the map is the same element, at
    the same zoom (the filter's summary line used to move it, and Streamlit remounted it)."""
    _open(page, f"{app_url}/jobs")
    _wait_map(page)
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    page.evaluate(f"() => {{ ({FIND_MAP_JS})().__beforeFilter = true; }}")
    box = plot.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.4)
    page.mouse.wheel(0, -400)
    scale_js = f"() => ({FIND_MAP_JS})()._fullLayout.geo.projection.scale"
    page.wait_for_function(f"() => ({scale_js})() > 1.2", timeout=10_000)
    zoomed = page.evaluate(scale_js)

    page.locator('[data-testid="stSidebar"] input[aria-label="Local authorities"]').click()
    _pick_from_open_list(page, "Coventry")
    page.wait_for_url(re.compile(rf"[?&]la={COVENTRY}(&|$)"), timeout=20_000)
    _wait_idle(page)
    page.get_by_text(re.compile(rf"\d+ of {N_WARDS} wards match")).first.wait_for(timeout=10_000)
    _wait_map(page)
    page.wait_for_timeout(500)
    after = page.evaluate(f"""() => {{ const gd = ({FIND_MAP_JS})();
        return {{same: gd.__beforeFilter === true, scale: gd._fullLayout.geo.projection.scale,
                 faded: gd.data.filter(t => t.type === 'choropleth')
                     .reduce((n, t) => n + t.z.filter(z => z === 1).length, 0)}}; }}""")
    _no_exception(page)
    assert after["faded"] > 0, after  # the filter reached the map
    assert after["same"], "the map element was replaced when the filter was set"
    assert after["scale"] == pytest.approx(zoomed), (zoomed, after)


# ------------------------------------------------------------------ 3. shareable link
def test_shared_link_restores_the_view(new_page, app_url):
    first = new_page()
    _open(first, f"{app_url}/skills?indicator=no_qualifications&la={BIRMINGHAM}"
                 f"&char=aged_16_24&min=15&ward={ACOCKS_GREEN}")
    _wait_map(first)
    _no_exception(first)
    # Change one more setting through the UI, so the link is written by the app itself.
    first.locator('[data-testid="stSidebar"] [role="radiogroup"] label').filter(
        has_text="Natural breaks").first.click()
    first.wait_for_url(re.compile(r"[?&]scheme=natural_breaks(&|$)"), timeout=20_000)
    _wait_idle(first)
    _wait_map(first)
    shared = first.url
    for part in ("indicator=no_qualifications", f"la={BIRMINGHAM}", "char=aged_16_24",
                 "min=15", f"ward={ACOCKS_GREEN}", "scheme=natural_breaks"):
        assert part in shared, f"{part} missing from the shared link {shared}"
    before = _view(first)

    second = new_page()  # fresh context: nothing shared but the URL
    _open(second, shared)
    _wait_map(second)
    _no_exception(second)
    after = _view(second)

    assert before["indicator"] == NO_QUALIFICATIONS_TITLE
    assert "Birmingham" in before["authorities"]
    assert before["match"] and re.match(r"\d+ of 192 wards match", before["match"])
    assert "Acocks Green" in before["panel"]
    assert before["ward_box"] == "Acocks Green (Birmingham)"
    assert before["scheme_checked"].strip() == "Natural breaks"
    for key in before:
        assert after[key] == before[key], (
            f"{key} differs after opening the link:\n{json.dumps(before[key])[:500]}\n"
            f"{json.dumps(after[key])[:500]}")
    assert second.url == shared


# ------------------------------------------------------------------ 4. hostile link
def test_hostile_link_gets_a_notice_and_the_default_view(page, app_url):
    _open(page, f"{app_url}/health?indicator=%3Cscript%3Ealert(1)%3C/script%3E"
                "&ward=NOPE&min=abc")
    _wait_map(page)
    _no_exception(page)
    assert _h1(page) == "Health"
    notices = page.locator('[data-testid="stAlertContentInfo"]')
    texts = notices.all_inner_texts()
    assert any("not on the Health page" in t for t in texts), texts
    assert any("Unknown ward" in t for t in texts), texts
    assert all(len(t) < 200 for t in texts), texts
    # Default view: first Health indicator, no ward selected, no filter applied.
    default = _open(page.context.new_page(), f"{app_url}/health")
    _wait_map(default)
    assert _selectbox_value(page, "Indicator") == _selectbox_value(default, "Indicator")
    assert _selectbox_value(page, "Find a ward") == ""
    assert page.evaluate(TRACES_JS) == default.evaluate(TRACES_JS)
    assert "ward=" not in page.url and "script" not in page.url
    html = page.content()
    assert "<script>alert(1)" not in html
    assert "alert(1)" not in page.locator("body").inner_text()


# ------------------------------------------------------------------ 5. other pages
@pytest.mark.parametrize(("path", "title"), [
    ("", "West Midlands equity dashboard"),
    (f"ward_profile?ward={ACOCKS_GREEN}", "Ward profile"),
    ("impact", "Equity impact check"),
    ("group_gaps", "Gaps between groups of people"),
    (f"trends?ward={ACOCKS_GREEN}", "Trends"),
    ("about", "About the data"),
])
def test_other_pages_load(page, app_url, path, title):
    _open(page, f"{app_url}/{path}")
    assert _h1(page) == title
    _no_exception(page)
    assert page.get_by_text("Page not found").count() == 0
    if path.startswith("ward_profile"):
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        assert page.get_by_text("Acocks Green, Birmingham").count() >= 1
        assert page.evaluate(
            "() => document.querySelector('.js-plotly-plot').data.length") > 0


# ------------------------------------------------------------------ youth: modelled and measured
def test_youth_page_leads_with_the_modelled_estimate_and_maps_the_measured(page, app_url):
    """Every ward has the estimate; its hover says modelled; the constituency maps draw."""
    ward = _ward_table()[ACOCKS_GREEN]
    _open(page, f"{app_url}/youth_unemployment")
    _wait_map(page)
    _no_exception(page)
    assert "Estimate (modelled)" in _selectbox_value(page, "Indicator", '[data-testid="stMain"]')
    result = _rendered(page)
    _assert_every_ward_drawn(result, "youth page")
    legend = page.evaluate(f"() => ({FIND_MAP_JS})()._fullLayout.legend.title.text")
    assert "modelled" in legend
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    target = page.evaluate(
        f"""(lonlat) => {{
            const gd = ({FIND_MAP_JS})();
            const [x, y] = gd._fullLayout.geo._subplot.projection(lonlat);
            const svg = gd.querySelector('.main-svg').getBoundingClientRect();
            return {{x: svg.left + x, y: svg.top + y}};
        }}""", ward["lonlat"])
    page.mouse.move(target["x"], target["y"])
    hover = page.locator(".js-plotly-plot .hoverlayer .hovertext").first
    hover.wait_for(timeout=10_000)
    text = hover.evaluate("el => el.textContent")
    assert ward["name"] in text and "modelled 95% interval" in text, text
    # The measured constituency figures: two more maps of the 28 constituencies.
    counts_js = """() => [...document.querySelectorAll('.js-plotly-plot')]
        .filter(el => ((el.layout.meta || {}).title || '').includes('by 2010 constituency'))
        .map(el => [...el.querySelectorAll('path.choroplethlocation')]
             .filter(p => !(p.parentNode.__data__[0].trace.hoverinfo === 'skip')).length)"""
    page.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
    deadline = time.monotonic() + 20
    while page.evaluate(counts_js) != [28, 28] and time.monotonic() < deadline:
        time.sleep(0.25)
    assert page.evaluate(counts_js) == [28, 28]
    # No area drawn inside out (an outer ring wound the wrong way floods the whole map):
    # the widest constituency, Meriden, spans about a third of the map's width.
    widest = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .filter(el => ((el.layout.meta || {}).title || '').includes('by 2010 constituency'))
        .map(el => Math.max(...[...el.querySelectorAll('path.choroplethlocation')]
            .filter(p => !(p.parentNode.__data__[0].trace.hoverinfo === 'skip'))
            .map(p => p.getBoundingClientRect().width / el._fullLayout._size.w)))""")
    assert len(widest) == 2 and all(0.1 < w < 0.6 for w in widest), widest


# ------------------------------------------------------------------ hover text from numbers
GAP_POINT_JS = """(name) => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')]
        .find(g => g.data.some(t => t.type === 'scatter' && t.error_y));
    for (const trace of gd._fullData) {  // x and y decoded from their binary form
        const i = (trace.customdata || []).findIndex(row => row[0] === name);
        if (i < 0) continue;
        gd.scrollIntoView({block: 'center'});
        const full = gd._fullLayout, box = gd.querySelector('.main-svg').getBoundingClientRect();
        return {x: box.left + full.xaxis._offset + full.xaxis.l2p(trace.x[i]),
                y: box.top + full.yaxis._offset + full.yaxis.l2p(trace.y[i])};
    }
    return null;
}"""


def _hover_at(page, point: dict) -> str:
    page.mouse.move(point["x"], point["y"])
    hover = page.locator(".js-plotly-plot .hoverlayer .hovertext").first
    hover.wait_for(timeout=10_000)
    return hover.evaluate("el => el.textContent")


def test_map_and_gap_chart_hovers_write_the_value_as_the_app_writes_it(page, app_url):
    """The figures send a ward's value, interval and rank as numbers (equity.charts.hover);
    plotly writes them into the hover text exactly as Python's format_value wrote the text."""
    from equity import charts, views
    from equity.bundle import read_bundle
    from equity.catalogue import indicators_for_theme

    bundle = read_bundle()
    ind = indicators_for_theme("health")[0]
    frame = views.ward_frame(bundle, ind).set_index("ward_code")
    decimals = charts.decimals_for(frame["value"], ind.unit)
    ward = frame.loc[ACOCKS_GREEN]
    expected = (f"{charts.format_value(ward.value, ind.unit, decimals)} "
                f"({charts.interval_label(ind)} "
                f"{charts.format_value(ward.lower, ind.unit, decimals)} to "
                f"{charts.format_value(ward.upper, ind.unit, decimals)})")
    _open(page, f"{app_url}/health")
    _wait_map(page)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    at = page.evaluate(
        f"""(lonlat) => {{
            const gd = ({FIND_MAP_JS})();
            const [x, y] = gd._fullLayout.geo._subplot.projection(lonlat);
            const svg = gd.querySelector('.main-svg').getBoundingClientRect();
            return {{x: svg.left + x, y: svg.top + y}};
        }}""", _ward_table()[ACOCKS_GREEN]["lonlat"])
    text = _hover_at(page, at)
    assert f"{ind.short_title}: {expected}" in text, text
    assert f"Rank: {int(ward['rank'])} of 192" in text, text
    page.wait_for_function(f"() => ({GAP_POINT_JS})('Acocks Green') !== null", timeout=20_000)
    text = _hover_at(page, page.evaluate(GAP_POINT_JS, "Acocks Green"))
    assert "Acocks Green" in text and expected in text, text
    _no_exception(page)


AUTHORITY_LABELS_JS = """() => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')]
        .find(g => g.data.some(t => t.type === 'scatter' && t.error_y));
    if (!gd) return null;
    const names = new Set(gd.data.filter(t => t.name === 'Local authority').flatMap(t => t.text));
    return [...gd.querySelectorAll('.annotation-text')].filter(t => names.has(t.textContent))
        .map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.top, r.bottom]; })
        .sort((a, b) => a[1] - b[1]);
}"""


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_gap_charts_authority_names_are_not_printed_over_each_other(browser, new_page,
                                                                       app_url, phone):
    context = _phone_context(browser) if phone else None
    try:
        page = context.new_page() if phone else new_page()
        for theme, indicator in (("health", "disability"), ("health", "bad_health"),
                                 ("skills", "no_qualifications")):
            _open(page, f"{app_url}/{theme}?indicator={indicator}")
            page.wait_for_function(f"() => ({AUTHORITY_LABELS_JS})()?.length === 7",
                                   timeout=30_000)
            labels = page.evaluate(AUTHORITY_LABELS_JS)
            crowded = [(a[0], b[0], round(a[2] - b[1], 1)) for a, b in zip(labels, labels[1:], strict=False)
                       if a[2] > b[1] + 0.5]
            assert not crowded, f"{indicator}: names overlap (by px): {crowded}"
    finally:
        if context is not None:
            context.close()


# ------------------------------------------------------------------ find a ward by postcode
def test_a_postcode_typed_in_the_sidebar_selects_its_ward_on_the_map(page, app_url):
    ward = _ward_table()[ACOCKS_GREEN]
    _open(page, f"{app_url}/health")
    _wait_map(page)
    box = page.locator('[data-testid="stSidebar"] input[aria-label="…or a postcode"]')
    box.fill("b27 6aa")
    box.press("Enter")
    page.wait_for_url(re.compile(rf"[?&]ward={ACOCKS_GREEN}(&|$)"), timeout=20_000)
    _wait_idle(page)
    _no_exception(page)
    assert "b27" not in page.url.lower() and "6aa" not in page.url.lower()
    page.wait_for_function(
        f"""(name) => ({FIND_MAP_JS})().data.some(t => t.name === 'Selected: ' + name)""",
        arg=ward["name"], timeout=20_000)
    # a postcode near a boundary offers its neighbour; one outside WMCA gets a notice
    box.fill("CV1 1AA")
    box.press("Enter")
    button = page.get_by_role("button", name=re.compile("Select Radford"))
    button.wait_for(timeout=20_000)
    button.click()
    page.wait_for_url(re.compile(r"[?&]ward=E05001227(&|$)"), timeout=20_000)
    box.fill("SW1A 1AA")
    box.press("Enter")
    page.get_by_text(re.compile("SW1A 1AA: not in WMCA")).wait_for(timeout=20_000)
