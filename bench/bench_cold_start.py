"""Cold start: does the first visitor after a server starts wait longer than the second?

Method
------
For each entry point, ``--rounds`` times: start a fresh server on a free 127.0.0.1 port
(``bench/_common.py``, which waits until ``/_stcore/health`` answers 200), then open /health
in two fresh Chromium contexts one after the other (empty HTTP cache each) and time, from
navigation start, until the ward map has a ward shape drawn (``MAP_DRAWN_JS``). Also printed:
how long the server took from its start to a healthy health check.

* ``serve.py`` warms up when the process starts and answers 503 until warm, so "healthy"
  means warm and the first visitor should wait no longer than the second (issue 17).
* ``app.py`` (``streamlit run app.py``) is healthy as soon as it listens; its first visitor's
  script run does the warm-up.

Usage::

    python bench/bench_cold_start.py [--rounds 3]

Prints plain text; not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import MAP_DRAWN_JS, REPO, launch_browser, load, streamlit_server

MAP_DRAWN_AT_JS = MAP_DRAWN_JS.replace("return true;", "return performance.now();")

# The second visit may be at most this much slower or faster than the first to count as
# "no longer": load noise on a 2-core machine.
SLACK = 1.15


def visit(browser, url: str) -> float:
    """Seconds from navigation start to the first drawn ward, in a fresh context."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        return page.wait_for_function(MAP_DRAWN_AT_JS, timeout=90_000,
                                      polling="raf").json_value() / 1000
    finally:
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    print(f"bench_cold_start: /health, {rounds} fresh servers per entry point; {load()} at start")
    results: dict[str, list[tuple[float, float, float]]] = {"serve.py": [], "app.py": []}
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            for _ in range(rounds):
                for script, runs in results.items():
                    started = time.perf_counter()
                    with streamlit_server(script=REPO / script) as (base, _process):
                        healthy = time.perf_counter() - started
                        first = visit(browser, f"{base}/health")
                        second = visit(browser, f"{base}/health")
                    runs.append((healthy, first, second))
        finally:
            browser.close()
    for script, runs in results.items():
        healthy, first, second = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"  streamlit run {script:<9} healthy after {healthy:4.1f} s; map drawn for the "
              f"first visitor {first:4.2f} s, the second {second:4.2f} s (medians of "
              f"{len(runs)}: first " + ", ".join(f"{r[1]:.2f}" for r in runs) + ")")
    healthy, first, second = (statistics.median(r[i] for r in results["serve.py"])
                              for i in range(3))
    print(f"{load()} at end")
    print(f"target the first visitor after a start waits no longer than the second (serve.py, "
          f"within x{SLACK} for noise): {'MET' if first <= second * SLACK else 'MISSED'} "
          f"({first:.2f} s against {second:.2f} s)")


if __name__ == "__main__":
    main()
