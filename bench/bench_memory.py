"""Server memory (RSS) with 1 and with 20 concurrent browser sessions on /health.

Method
------
Starts ``streamlit run app.py`` on a free 127.0.0.1 port (one Python process; its resident
set size is read with psutil when installed, otherwise from /proc/<pid>/status VmRSS).
One headless Chromium (Playwright) then opens sessions one after another, each in its own
browser context (so each is a separate Streamlit session with its own websocket), opening
/health and waiting until the map is drawn; all sessions stay open. RSS is sampled:

* after start-up (no session; bundle not loaded yet),
* with 1 session (the first session also loads the bundle into ``st.cache_resource``, so
  that cost is in the 1-session figure, not in the per-session slope),
* after every further session, up to 20 (each sample is taken after a short settle, and the
  value printed for a count is the median of three samples 0.5 s apart).

MB per extra session = (RSS at 20 - RSS at 1) / 19, plus a least-squares slope over 2..20
sessions as a check. Then every page is loaded once more with another indicator in the URL
(a reload replaces that page's session) to show that this does not grow memory, and all
contexts are closed and RSS is read again after 5 s.

Usage::

    python bench/bench_memory.py [--sessions 20]

Prints plain text; not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import launch_browser, load, rss_mb, streamlit_server, wait_for_map

TARGET_MB = 10.0


def sample(pid: int) -> float:
    values = []
    for _ in range(3):
        values.append(rss_mb(pid))
        time.sleep(0.5)
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    n = max(2, args.sessions)
    from playwright.sync_api import sync_playwright

    print(f"bench_memory: /health, up to {n} concurrent sessions; {load()} at start")
    rss: dict[int, float] = {}
    with streamlit_server() as (base, proc), sync_playwright() as p:
        pid = proc.pid
        idle = sample(pid)
        print(f"server pid {pid}; RSS idle (no session, bundle not loaded): {idle:.1f} MB")
        browser = launch_browser(p)
        contexts = []
        pages = []
        try:
            t0 = time.perf_counter()
            for i in range(1, n + 1):
                ctx = browser.new_context(viewport={"width": 1200, "height": 800})
                page = ctx.new_page()
                page.goto(f"{base}/health")
                wait_for_map(page, timeout_ms=120000)
                contexts.append(ctx)
                pages.append(page)
                time.sleep(0.5)
                rss[i] = sample(pid)
                print(f"  {i:2d} session(s): RSS {rss[i]:7.1f} MB")
            print(f"  ({n} sessions opened in {time.perf_counter() - t0:.0f} s)")
            # every page loaded once more with another indicator, all sessions still open
            ward_rss_before = rss[n]
            for page in pages:
                page.goto(f"{base}/health?indicator=bad_health")
                wait_for_map(page, timeout_ms=120000)
            after_rerun = sample(pid)
        finally:
            for ctx in contexts:
                ctx.close()
            browser.close()
        time.sleep(5)
        closed = sample(pid)
    per = (rss[n] - rss[1]) / (n - 1)
    xs = list(range(2, n + 1))
    ys = [rss[i] for i in xs]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    print(f"RSS with 1 session {rss[1]:.1f} MB (bundle loaded: +{rss[1] - idle:.1f} MB over idle); "
          f"with {n} sessions {rss[n]:.1f} MB")
    print(f"MB per extra session: {per:.2f} (endpoints); least-squares slope over 2..{n}: "
          f"{slope:.2f}")
    print(f"after each of the pages reloaded with another indicator (a reload replaces its session): "
          f"{after_rerun:.1f} MB ({after_rerun - ward_rss_before:+.1f} MB)")
    print(f"5 s after closing all browser contexts: {closed:.1f} MB")
    print(f"{load()} at end")
    print(f"target <= {TARGET_MB:.0f} MB per extra session: "
          f"{'MET' if per <= TARGET_MB else 'MISSED'} ({per:.2f} MB)")


if __name__ == "__main__":
    main()
