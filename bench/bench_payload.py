"""Bytes sent to the browser for one view of /health, from navigation start to map drawn.

Method
------
Starts ``streamlit run app.py`` on a free 127.0.0.1 port, warms the server with one load in
a throw-away browser context, then opens /health in a fresh context (empty HTTP cache) with
Playwright and Chromium and counts, until the ward map has drawn its ward shapes (see
bench/_common.py ``MAP_DRAWN_JS``):

* HTTP responses (``page.on("response")``): the encoded (on-the-wire body) size from
  ``request.sizes()["responseBodySize"]`` and the decoded size ``len(response.body())``,
  split into **static assets** (the HTML shell and everything under /static/: JS, CSS,
  fonts, images; the same for every Streamlit app, cacheable; Streamlit 1.67 deliberately
  serves /static/ without gzip, so a gzip-6 estimate of those bodies is printed too, i.e.
  what a compressing reverse proxy would send; plus the app's own plotly.js build under
  /app/static/, reported on its own line) and **app HTTP** (/_stcore/, /media/ and anything
  else);
* websocket frames (``page.on("websocket")`` then ``ws.on("framereceived")``), the
  **app data**: the forward messages of the script run, the map figure among them. Playwright
  gives frame payloads; Streamlit's ``server.enableWebsocketCompression`` is off by default,
  so payload bytes are what crosses the wire. A deflate estimate (zlib level 6 per frame,
  like permessage-deflate without context takeover) is printed to show what turning that
  option on would save.

It then waits two more seconds and reports anything that arrived after the map was drawn,
and repeats the view in the same context (HTTP cache warm, a returning visitor). The geometry
simplification tolerance is read from geodata/manifest.json.

Then, in the same page, each interaction ``--rounds`` times (map classes, indicator, a click
on a ward), counting the app data from the action until no frame has arrived for 0.8 s, and
whether the map shapes were fetched again (they should not be: one fetch per page load).

Usage::

    python bench/bench_payload.py [--rounds 7]

Prints plain text; not a test.
"""

from __future__ import annotations

import json
import re
import sys
import time
import zlib
from urllib.parse import urlparse

from _common import REPO, launch_browser, load, streamlit_server, wait_for_map

TARGET_KB = 150
"""Issue 17: app data (websocket + app HTTP) for a first view of /health."""
INTERACTION_TARGET_KB = 60
"""Issue 17: median app data per interaction (map classes, indicator, ward selection)."""
QUIET_MS = 800
"""An interaction has ended when no websocket frame has arrived for this long."""


class Recorder:
    def __init__(self, page):
        self.responses = []
        self.frames: list[int] = []
        self.deflated: list[int] = []
        self.sent = 0
        self.active = True
        page.on("response", self._response)
        page.on("websocket", self._ws)

    def _response(self, response):
        if self.active:
            self.responses.append(response)

    def _ws(self, ws):
        ws.on("framereceived", self._frame)
        ws.on("framesent", self._sent)

    def _sent(self, payload):
        if self.active:
            self.sent += len(payload)

    def _frame(self, payload):
        if not self.active:
            return
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.frames.append(len(data))
        self.deflated.append(len(zlib.compress(data, 6)))

    def snapshot(self) -> dict:
        static_enc = static_dec = static_gz = app_enc = app_dec = chart_build = shapes = 0
        n_static = n_cached = 0
        biggest = []
        for r in list(self.responses):
            path = urlparse(r.url).path
            try:
                enc = r.request.sizes()["responseBodySize"]
            except Exception:
                enc = 0
            cached = enc is None or enc < 0  # Chromium reports -1 for a cache hit
            enc = 0 if cached else enc
            try:
                body = r.body()
            except Exception:
                body = b""
            dec = len(body)
            # /app/static/ holds the app's own static files: the plotly.js build and the
            # content-hashed map shapes, fetched once and cached like Streamlit's bundle.
            is_static = path.startswith(("/static/", "/app/static/")) \
                or r.request.resource_type == "document" \
                or re.search(r"\.(js|css|woff2?|ttf|svg|png|ico)$", path)
            if is_static:
                static_enc += enc
                static_dec += dec
                static_gz += 0 if cached else len(zlib.compress(body, 6))
                n_static += 1
                n_cached += cached
                biggest.append((enc, path.rsplit("/", 1)[-1] or "/"))
                if path.startswith("/app/static/geo/"):
                    shapes += enc
                elif path.startswith("/app/static/"):
                    chart_build += enc
            else:
                app_enc += enc
                app_dec += dec
        return {"static_enc": static_enc, "static_dec": static_dec, "static_gz": static_gz,
                "biggest": sorted(biggest, reverse=True)[:5], "n_static": n_static,
                "n_cached": n_cached, "app_http_enc": app_enc, "app_http_dec": app_dec,
                "ws": sum(self.frames), "ws_deflated": sum(self.deflated),
                "n_frames": len(self.frames), "largest": max(self.frames, default=0),
                "ws_sent": self.sent, "chart_build": chart_build, "shapes": shapes,
                "shape_fetches": sum(1 for r in self.responses
                                     if urlparse(r.url).path.startswith("/app/static/geo/"))}


def view(page, url: str) -> tuple[dict, dict, float]:
    rec = Recorder(page)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    wait_for_map(page)
    drawn = time.perf_counter() - t0
    at_map = rec.snapshot()
    page.wait_for_timeout(2000)
    settled = rec.snapshot()
    rec.active = False
    page.remove_listener("response", rec._response)
    page.remove_listener("websocket", rec._ws)
    return at_map, settled, drawn


def quiet(page, rec: Recorder, timeout_s: float = 15.0) -> None:
    """Wait until no websocket frame has arrived for QUIET_MS (the script run has ended)."""
    deadline = time.perf_counter() + timeout_s
    seen, since = len(rec.frames), time.perf_counter()
    while time.perf_counter() < deadline:
        page.wait_for_timeout(100)
        if len(rec.frames) != seen:
            seen, since = len(rec.frames), time.perf_counter()
        elif (time.perf_counter() - since) * 1000 >= QUIET_MS and seen:
            return


def ward_points(n: int) -> list[tuple[float, float]]:
    """A point inside each of ``n`` wards spread over WMCA (shapely's), as longitude, latitude."""
    import geopandas as gpd

    wards = gpd.read_file(REPO / "geodata" / "wards.geojson").to_crs(4326)
    step = max(1, len(wards) // n)
    points = wards.geometry.iloc[::step].representative_point().iloc[:n]
    return [(p.x, p.y) for p in points]


def click_ward(page, lonlat: tuple[float, float]) -> None:
    """Click the map at ``lonlat``, projected as plotly drew the map."""
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    at = page.evaluate("""(lonlat) => {
        const gd = [...document.querySelectorAll('.js-plotly-plot')]
            .find(g => g._fullLayout && g._fullLayout.geo);
        const [x, y] = gd._fullLayout.geo._subplot.projection(lonlat);
        const svg = gd.querySelector('.main-svg').getBoundingClientRect();
        return {x: svg.left + x, y: svg.top + y};
    }""", list(lonlat))
    page.mouse.click(at["x"], at["y"])


def interactions(page, url: str, rounds: int) -> dict[str, list[dict]]:
    """App data for each interaction on /health, ``rounds`` times each, measured one by one.

    The page is opened afresh with one recorder on its websocket for the whole run; each
    interaction's figures are the differences of the recorder's totals around it. Map
    classes: the sidebar's "Map classes" radio, alternately. Indicator: the next entry of the
    page's indicator list. Ward selection: a click inside a different ward of the map each time.
    """
    results: dict[str, list[dict]] = {"map classes": [], "indicator": [], "ward selection": []}
    schemes = ["Natural breaks", "Quintiles"]
    targets = ward_points(rounds)
    sys.path.insert(0, str(REPO))
    from equity.catalogue import indicators_for_theme

    titles = [ind.title for ind in indicators_for_theme("health")]
    rec = Recorder(page)
    page.goto(url)
    wait_for_map(page)
    quiet(page, rec)
    sidebar = page.get_by_test_id("stSidebar")
    counted = ("ws", "ws_deflated", "app_http_enc", "shape_fetches")
    for i in range(rounds):
        for kind, runs in results.items():
            before = rec.snapshot()
            if kind == "map classes":
                sidebar.get_by_text(schemes[i % 2], exact=True).click()
            elif kind == "indicator":
                box = page.locator('[data-testid="stMain"] input[aria-label="Indicator"]')
                box.scroll_into_view_if_needed()
                box.click()
                page.keyboard.type(titles[(i + 1) % len(titles)])
                page.wait_for_selector('[role="listbox"]', timeout=10_000)
                page.keyboard.press("Enter")
            else:
                click_ward(page, targets[i % len(targets)])
            quiet(page, rec)
            after = rec.snapshot()
            runs.append({key: after[key] - before[key] for key in counted})
            wait_for_map(page)
    rec.active = False
    return results


def report_interactions(results: dict[str, list[dict]]) -> bool:
    """Print each interaction's app data (median, max) against the target; True if all met."""
    import statistics

    met = True
    print(f"Interactions on /health, app data per interaction (target median <= "
          f"{INTERACTION_TARGET_KB} KB):")
    for kind, runs in results.items():
        app = [r["ws"] + r["app_http_enc"] for r in runs]
        fetched = sum(r["shape_fetches"] for r in runs)
        median = statistics.median(app)
        ok = median <= INTERACTION_TARGET_KB * 1000
        met &= ok
        print(f"  {kind:<15} median {kb(median)}  max {kb(max(app))}  over {len(app)} runs; "
              f"deflate estimate median {kb(statistics.median(r['ws_deflated'] for r in runs))}; "
              f"shapes fetched again: {fetched}  {'MET' if ok else 'MISSED'}")
    every = [r["ws"] + r["app_http_enc"] for runs in results.values() for r in runs]
    overall = statistics.median(every)
    print(f"  all interactions: median {kb(overall)} over {len(every)} "
          f"({'MET' if overall <= INTERACTION_TARGET_KB * 1000 else 'MISSED'}); floor: the "
          "map classes and ward selection redraw the map only (about 16 KB of figure), an "
          "indicator redraws the map, the comparison chart and the table of 192 wards")
    return met


def kb(n: float) -> str:
    return f"{n / 1000:8.1f} KB"


def report(title: str, s: dict) -> None:
    app = s["ws"] + s["app_http_enc"]
    total_wire = s["static_enc"] + app
    print(f"  {title}")
    print(f"    static assets (HTML, JS, CSS, fonts; {s['n_static']} responses, "
          f"{s['n_cached']} from cache): wire {kb(s['static_enc'])}, "
          f"decoded {kb(s['static_dec'])}; gzip-6 estimate of the fetched ones "
          f"{kb(s['static_gz'])}")
    print(f"      of which the app's plotly.js build (/app/static/) {kb(s['chart_build'])}, "
          f"the map shapes (/app/static/geo/, {s['shape_fetches']} fetch(es)) "
          f"{kb(s['shapes'])}")
    if s["static_enc"]:
        print("      largest: " + ", ".join(f"{name} {size / 1000:.0f} KB"
                                          for size, name in s["biggest"]))
    print(f"    app data: websocket received {kb(s['ws'])} in {s['n_frames']} frames "
          f"(largest {kb(s['largest'])}; deflate estimate {kb(s['ws_deflated'])}) + app HTTP "
          f"{kb(s['app_http_enc'])} = {kb(app)}")
    print(f"    websocket sent by the browser {kb(s['ws_sent'])}")
    share = s["ws"] / total_wire * 100 if total_wire else 0
    print(f"    total on the wire {kb(total_wire)}; websocket share {share:.1f}%")


def main() -> None:
    import argparse

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="runs of each interaction")
    rounds = parser.parse_args().rounds

    manifest = json.loads((REPO / "geodata" / "manifest.json").read_text())
    geometry = manifest.get("geometry", {})
    match = re.search(r"tolerance\s+([\d.]+)\s*m", geometry.get("simplification", ""))
    print("bench_payload: /health, headless Chromium, fresh context, until the map is drawn; "
          f"{load()} at start")
    print(f"geometry: {manifest.get('wards')} wards, {geometry.get('vertices')} vertices, "
          f"simplification tolerance {match.group(1) + ' m' if match else 'unknown'} "
          f"(\"{geometry.get('simplification', '')}\")")
    with streamlit_server() as (base, _proc), sync_playwright() as p:
        browser = launch_browser(p)
        try:
            url = f"{base}/health"
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            warm = ctx.new_page()
            warm.goto(url)
            wait_for_map(warm)
            ctx.close()
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            page = ctx.new_page()
            first_map, first_settled, t_first = view(page, url)
            second_map, second_settled, t_second = view(page, url)
            acted = interactions(page, url, rounds)
            ctx.close()
        finally:
            browser.close()
    print(f"First visit (empty cache), map drawn after {t_first:.1f} s:")
    report("at map drawn", first_map)
    late = first_settled["ws"] - first_map["ws"]
    print(f"    (+{kb(late)} websocket and "
          f"+{kb(first_settled['static_enc'] - first_map['static_enc'])} static in the 2 s "
          "after the map was drawn)")
    print(f"Second visit (same context, HTTP cache warm), map drawn after {t_second:.1f} s:")
    report("at map drawn", second_map)
    report_interactions(acted)
    print(f"{load()} at end")
    app_first = first_map["ws"] + first_map["app_http_enc"]
    print(f"target app data <= {TARGET_KB} KB for a first view of /health: "
          f"{'MET' if app_first <= TARGET_KB * 1000 else 'MISSED'} "
          f"({app_first / 1000:.1f} KB)")
    total = app_first + first_map["static_enc"]
    print(f"  (with static assets, all cacheable: {total / 1000:.1f} KB on a first visit)")


if __name__ == "__main__":
    main()
