"""Accessibility checks of the running app in Debian's chromium.

* axe-core (through ``axe-playwright-python``) on every page once its script has finished;
* every plotly chart on a theme page has a text alternative (``role="figure"`` and an
  ``aria-label`` on the chart component's ``.equity-chart`` box, or a caption right under the
  chart) and the page has a table alternative;
* the map legend's text meets WCAG AA contrast (4.5:1) on the background it is drawn on;
* the Health page can be driven with the keyboard alone.

The server and browser fixtures (``app_url``, ``page``, ``new_page``) come from conftest.py.
"""

from __future__ import annotations

import json
import re
import time
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.test_app_browser import COVENTRY, MAP_AREA_JS, _pick_from_open_list

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
ACOCKS_GREEN = "E05011118"
EARLSDON = "E05001221"
THEME_PAGES = ["health", "jobs", "skills", "youth_unemployment", "poverty"]
# Every page of the router, with a ward selected where the page shows one.
# The Overview is the default page, which Streamlit serves at "/" (see
# test_overview_at_root_opens_without_a_dialog).
PAGES = [
    "",
    f"health?ward={ACOCKS_GREEN}",
    f"jobs?ward={ACOCKS_GREEN}",
    f"skills?ward={ACOCKS_GREEN}",
    f"youth_unemployment?ward={ACOCKS_GREEN}",
    f"poverty?ward={ACOCKS_GREEN}",
    f"ward_profile?ward={ACOCKS_GREEN}",
    f"ward_profile?ward={ACOCKS_GREEN},{EARLSDON}",
    f"impact?wards={ACOCKS_GREEN}",
    "group_gaps",
    f"trends?ward={ACOCKS_GREEN}",
    "about",
]
BLOCKING_IMPACTS = {"serious", "critical"}
# Streamlit's own chrome, not this app's content, excluded from the axe run. Empty on purpose:
# with ``client.toolbarMode = "viewer"`` the header, toolbar, sidebar navigation and the
# deploy/status widgets raised no serious or critical violation under axe-core 4.12 and
# Streamlit 1.67. If a future Streamlit release brings one, add the selector here with the
# rule id and why it is Streamlit's (not a workaround for our own content).
STREAMLIT_CHROME_EXCLUDE: list[list[str]] = []
MAX_VIEWPORT_HEIGHT = 16_000
WCAG_AA_TEXT = 4.5

IDLE_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.dataset.testScriptState === 'notRunning'
        && app.dataset.testConnectionState === 'CONNECTED'; }"""


# ------------------------------------------------------------------ helpers
def _wait_idle(page, timeout: float = 60.0) -> None:
    page.wait_for_function(IDLE_JS, timeout=timeout * 1000)


def _open(page, url: str, min_charts: int = 0):
    """Go to ``url`` and wait until the page's script has finished (not merely started).

    Charts mount after the script has finished, so also wait until plotly has drawn every
    chart (and at least ``min_charts`` of them).
    """
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    _wait_idle(page)
    page.wait_for_function(
        """(n) => { const charts = [...document.querySelectorAll('.equity-chart')];
                    return charts.length >= n && charts.every(c => c.querySelector('.main-svg')); }""",
        arg=min_charts, timeout=30_000)
    page.wait_for_timeout(300)
    _wait_idle(page)
    return page


def _no_dialog(page) -> None:
    """No modal is open: Streamlit's modals (e.g. "Page not found") make the page ``inert``,
    and axe-core then silently skips everything under them."""
    dialogs = page.locator('[role="dialog"]')
    assert dialogs.count() == 0, f"a dialog is open on {page.url}: {dialogs.all_inner_texts()}"


def _no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"Streamlit exception on {page.url}: {errors.all_inner_texts()}"


def _fit_whole_page(page) -> None:
    """Make the viewport as tall as the page.

    axe-core's colour-contrast rule only judges text inside the viewport (text in Streamlit's
    scrolled main container is otherwise skipped as off-screen), so a 1000 px window would
    silently check only the top of each page.
    """
    for _ in range(3):
        height = page.evaluate(
            """() => Math.max(document.documentElement.scrollHeight, ...[...document
                .querySelectorAll('[data-testid="stMain"], [data-testid="stMain"] > *, '
                                  + '[data-testid="stSidebarContent"]')]
                .map(e => e.scrollHeight))""")
        wanted = min(int(height) + 50, MAX_VIEWPORT_HEIGHT)
        if wanted <= page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": page.viewport_size["width"], "height": wanted})
        page.wait_for_timeout(500)
        _wait_idle(page)


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} node(s)]")
        for node in v["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())[:220]
            html = " ".join(node.get("html", "").split())[:120]
            lines.append(f"    target {json.dumps(node['target'])}\n      html {html}\n"
                         f"      {summary}")
    return "\n".join(lines)


# ------------------------------------------------------------------ 1. axe-core
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "overview-at-root")
def test_axe_finds_no_serious_or_critical_violation(page, app_url, path):
    from axe_playwright_python.sync_playwright import Axe

    _open(page, f"{app_url}/{path}")
    _no_exception(page)
    _no_dialog(page)
    _fit_whole_page(page)
    context = {"include": [["body"]], "exclude": STREAMLIT_CHROME_EXCLUDE} \
        if STREAMLIT_CHROME_EXCLUDE else None
    results = Axe().run(page, context=context, options={"resultTypes": ["violations"]})
    violations = results.response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    minor = [f"{v['id']} ({v['impact']})" for v in violations if v not in blocking]
    if minor:
        print(f"/{path}: minor/moderate axe findings (not failing): {', '.join(minor)}")
    assert not blocking, (
        f"axe-core found {len(blocking)} serious/critical violation(s) on /{path}:\n"
        + _format_violations(blocking))


def test_overview_at_root_opens_without_a_dialog(page, app_url):
    """The Overview is the default page, served at "/" (Streamlit ignores a url_path on the
    default page, and "/overview" would open a "Page not found" modal over the main page)."""
    _open(page, f"{app_url}/")
    _no_dialog(page)
    assert "West Midlands equity dashboard" in page.locator("h1").first.inner_text()


# ------------------------------------------------------------------ 2. text alternatives
CHARTS_JS = """() => [...document.querySelectorAll(
        '[data-testid="stMain"] .equity-chart')].map(chart => {
    const box = chart.closest('[data-testid="stElementContainer"]');
    const next = box && box.nextElementSibling;
    const caption = next && next.querySelector('[data-testid="stCaptionContainer"]');
    const gd = chart.querySelector('.js-plotly-plot');
    const key = box && [...box.classList].find(c => c.startsWith('st-key-'));
    const title = gd && gd.layout && gd.layout.title;
    return {
        key: key ? key.slice('st-key-'.length) : null,
        title: ((title && (title.text || title)) || '').toString().replace(/<[^>]+>/g, ''),
        ariaLabel: (chart.getAttribute('aria-label') || '').trim(),
        role: chart.getAttribute('role'),
        caption: caption ? caption.innerText.trim() : '',
    };
})"""


@pytest.mark.parametrize("theme", THEME_PAGES)
def test_every_chart_has_a_text_alternative(page, app_url, theme):
    _open(page, f"{app_url}/{theme}?ward={ACOCKS_GREEN}", min_charts=1)
    _no_exception(page)
    charts = page.evaluate(CHARTS_JS)
    assert charts, f"no plotly chart found on /{theme}"
    page.wait_for_selector('[data-testid="stMain"] .equity-table table')
    tables = page.locator('[data-testid="stMain"] .equity-table table').count()
    assert tables >= 1, f"/{theme} has charts but no table alternative (equity/table.js)"

    lacking = [c for c in charts if not (c["ariaLabel"] or c["caption"])]
    for c in charts:
        if c["ariaLabel"]:
            assert c["role"] == "figure", c
    assert not lacking, (
        f"{len(lacking)} of {len(charts)} chart(s) on /{theme} have neither an accessible "
        "name (draw_chart's label -> aria-label) nor a caption right under them:\n"
        + "\n".join(f"- key={c['key']!r}, title={c['title']!r}" for c in lacking))


# ------------------------------------------------------------------ 3. legend contrast
def _rgba(colour: str) -> tuple[float, float, float, float]:
    """Parse ``#rgb``, ``#rrggbb``, ``rgb(...)`` or ``rgba(...)``."""
    colour = colour.strip()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 1.0)
    match = re.fullmatch(r"rgba?\(([^)]*)\)", colour)
    assert match, f"unparsed colour {colour!r}"
    parts = [float(p) for p in match.group(1).replace("/", ",").replace(" ", ",").split(",") if p]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def _over(top: tuple, bottom: tuple) -> tuple[float, float, float, float]:
    """Alpha-composite ``top`` over an opaque ``bottom``."""
    alpha = top[3]
    return tuple(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)) + (1.0,)


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_ratio_helper():
    assert contrast_ratio(_rgba("#000"), _rgba("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(_rgba("#777777"), _rgba("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert _over(_rgba("rgba(255,255,255,0.5)"), _rgba("#000000"))[:3] == (127.5, 127.5, 127.5)


LEGEND_JS = """() => {
    """ + MAP_AREA_JS + """
    const gd = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
        .find(el => Array.isArray(el.data) && el.data.some(t => t.type === 'choropleth'));
    if (!gd) return null;
    const full = gd._fullLayout;
    const legend = gd.querySelector('.legend');
    const bg = legend && legend.querySelector('rect.bg');
    const area = full.geo ? mapArea(gd) : null;
    const rect = e => { const r = e.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom]; };
    const texts = legend ? [...legend.querySelectorAll('text')].filter(t => t.textContent.trim()) : [];
    return {
        layoutFont: full.legend.font.color,
        layoutTitleFont: full.legend.title && full.legend.title.text
            ? full.legend.title.font.color : null,
        layoutBg: full.legend.bgcolor,
        paper: full.paper_bgcolor,
        page: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
        renderedBg: bg ? getComputedStyle(bg).fill : null,
        renderedBgOpacity: bg ? parseFloat(getComputedStyle(bg).fillOpacity) : null,
        texts: texts.map(t => ({text: t.textContent, fill: getComputedStyle(t).fill,
                                opacity: parseFloat(getComputedStyle(t).fillOpacity)})),
        legendBox: legend ? rect(legend) : null,
        mapBox: area ? [area.left, area.top, area.right, area.bottom] : null,
        fills: gd._fullData.filter(t => t.type === 'choropleth')
                 .map(t => (t.marker && t.marker.color) || (t.colorscale && t.colorscale[0][1]))
                 .filter(c => typeof c === 'string'),
    };
}"""


@pytest.mark.parametrize("path", ["health", ""], ids=["health", "overview-at-root"])
def test_map_legend_text_contrast(page, app_url, path):
    _open(page, f"{app_url}/{path}", min_charts=1)
    page.wait_for_function("() => !!document.querySelector('.js-plotly-plot .legend text')",
                           timeout=30_000)
    info = page.evaluate(LEGEND_JS)
    assert info, f"no ward map on /{path}"
    assert info["texts"], "the map legend has no text"

    page_bg = _over(_rgba(info["page"]), (255, 255, 255, 1.0))
    paper = _over(_rgba(info["paper"]), page_bg)
    backgrounds = {"paper": paper}
    # Where the legend box overlaps the map area, its translucent box sits on ward fills:
    # judge it on the darkest class colour too.
    lb, mb = info["legendBox"], info["mapBox"]
    overlaps = bool(lb and mb and lb[0] < mb[2] and mb[0] < lb[2] and lb[1] < mb[3]
                    and mb[1] < lb[3])
    if overlaps and info["fills"]:
        darkest = min((_rgba(c) for c in info["fills"]), key=_luminance)
        backgrounds["darkest ward fill"] = _over(darkest, page_bg)

    results = []
    for name, under in backgrounds.items():
        box = _over(_rgba(info["layoutBg"]), under)
        for what in ("layoutFont", "layoutTitleFont"):
            if info[what]:
                ratio = contrast_ratio(_over(_rgba(info[what]), box), box)
                results.append((f"layout {what} {info[what]} on legend bg {info['layoutBg']} "
                                f"over {name}", ratio))
        if info["renderedBg"]:
            rbox = _rgba(info["renderedBg"])
            rbox = rbox[:3] + (rbox[3] * (info["renderedBgOpacity"] or 0),)
            rbg = _over(rbox, under)
            for t in info["texts"]:
                fill = _rgba(t["fill"])
                fill = fill[:3] + (fill[3] * (t["opacity"] if t["opacity"] == t["opacity"] else 1),)
                ratio = contrast_ratio(_over(fill, rbg), rbg)
                results.append((f"rendered {t['text']!r} ({t['fill']}) over {name}", ratio))
    failing = [(what, round(r, 2)) for what, r in results if r < WCAG_AA_TEXT]
    assert not failing, (f"legend text below {WCAG_AA_TEXT}:1 on /{path}: {failing}; "
                         f"legend overlaps map: {overlaps}")


# ------------------------------------------------------------------ 4. keyboard only
ACTIVE_JS = """() => { const e = document.activeElement;
    if (!e || e === document.body) return null;
    const inSidebar = !!e.closest('[data-testid="stSidebar"]');
    return {tag: e.tagName, label: e.getAttribute('aria-label'), role: e.getAttribute('role'),
            text: (e.innerText || e.value || '').slice(0, 60), sidebar: inSidebar}; }"""


def _active(page) -> dict | None:
    return page.evaluate(ACTIVE_JS)


def _tab_to(page, label: str, *, backwards: bool = False, limit: int = 150) -> list[dict]:
    """Press Tab (or Shift+Tab) until the element labelled ``label`` has focus."""
    key = "Shift+Tab" if backwards else "Tab"
    trail = []
    for _ in range(limit):
        active = _active(page)
        if active and active["label"] == label:
            return trail
        page.keyboard.press(key)
        trail.append(active)
    raise AssertionError(f"{label!r} never got focus after {limit} x {key}; focus went through "
                         f"{[(a or {}).get('label') or (a or {}).get('text') for a in trail][-40:]}")


HIGHLIGHTED_JS = """() => { const id = document.activeElement
        && document.activeElement.getAttribute('aria-activedescendant');
    const option = id && document.getElementById(id);
    return option ? option.innerText.trim() : null; }"""


def _arrow_to_option(page, text: str, limit: int = 30) -> None:
    """With a select focused, press ArrowDown until the highlighted option reads ``text``.

    The highlighted option is the input's ``aria-activedescendant`` (what a screen reader
    announces); the first ArrowDown opens the list.
    """
    seen = []
    for _ in range(limit):
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(50)
        seen.append(page.evaluate(HIGHLIGHTED_JS))
        if seen[-1] == text:
            return
    raise AssertionError(f"ArrowDown never highlighted {text!r}; saw {seen}")


def _settle(page) -> None:
    page.wait_for_timeout(300)
    _wait_idle(page)


@cache
def _health_indicators() -> list[tuple[str, str]]:
    from equity.catalogue import indicators_for_theme

    return [(ind.id, ind.title) for ind in indicators_for_theme("health")]


def test_health_page_by_keyboard_only(page, app_url):
    from equity.bundle import read_bundle

    wards = read_bundle(REPO_ROOT / "geodata").wards.set_index("ward_code")
    ward_name = wards.ward_name[EARLSDON]
    assert wards.authority[EARLSDON] == "Coventry"
    (first_id, first_title), (second_id, second_title) = _health_indicators()[:2]

    _open(page, f"{app_url}/health")
    _no_exception(page)
    # Start from the top of the document, as a keyboard user arriving on the page does.
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    page.keyboard.press("Tab")
    assert _active(page) is not None, "Tab from the page start focuses nothing"

    # 1. Indicator: open the select with the arrow key, move to the next option, Enter.
    _tab_to(page, "Indicator")
    indicator = page.locator('[data-testid="stMain"] input[aria-label="Indicator"]')
    assert indicator.input_value() == first_title
    _arrow_to_option(page, second_title)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"[?&]indicator={second_id}(&|$)"), timeout=20_000)
    _settle(page)
    assert indicator.input_value() == second_title

    # 2. Local authorities: back up into the sidebar, type the name, Enter, Escape.
    _tab_to(page, "Local authorities", backwards=True)
    _pick_from_open_list(page, "Coventry")
    page.wait_for_url(re.compile(rf"[?&]la={COVENTRY}(&|$)"), timeout=20_000)
    _settle(page)

    # 3. Find a ward: type its name, Enter.
    _tab_to(page, "Find a ward", backwards=True)
    page.keyboard.type(ward_name)
    page.wait_for_selector('[role="listbox"]', timeout=10_000)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"[?&]ward={EARLSDON}(&|$)"), timeout=20_000)
    _settle(page)
    _no_exception(page)

    query = parse_qs(urlparse(page.url).query)
    assert query.get("indicator") == [second_id], page.url
    assert query.get("la") == [COVENTRY], page.url
    assert query.get("ward") == [EARLSDON], page.url
    assert page.locator('[data-testid="stSidebar"] input[aria-label="Find a ward"]').input_value() \
        == f"{ward_name} (Coventry)"
    panel = page.locator('[data-testid="stMain"] h2').filter(has_text=ward_name)
    panel.first.wait_for(timeout=10_000)
    deadline = time.monotonic() + 10
    while "Coventry" not in page.locator('[data-testid="stMain"]').inner_text():
        assert time.monotonic() < deadline, "the ward panel does not name the authority"
        page.wait_for_timeout(200)
    assert re.search(r"\d+ of 192 wards match", page.locator('[data-testid="stMain"]').inner_text())
