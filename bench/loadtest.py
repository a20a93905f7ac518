"""Bounded loopback load test (and optional failover test) of the dashboard behind nginx.

Each simulated viewer is a real Streamlit session, opened the way the browser opens one:

1. ``GET /<page>?<query>`` through nginx (the sticky ``st_replica`` cookie is set here),
2. ``GET /_stcore/health`` (sets Streamlit's ``_streamlit_xsrf`` cookie),
3. a websocket to ``/_stcore/stream`` with subprotocols ``["streamlit", <xsrf token>]`` and
   the cookies, whose handshake response carries nginx's ``X-Replica`` (which replica, by
   an opaque name: r1, r2; never its address),
4. ``BackMsg.rerun_script`` (query string + page name) and ``ForwardMsg``s read until
   ``script_finished``: that round trip is one rerun's latency.

A viewer then keeps its session open and, after a think time, navigates to the next view
(another rerun) until the run ends. With ``--failover`` one replica is killed part-way
through; its viewers reconnect the way Streamlit's frontend does (ping ``/_stcore/health``
through nginx, reopen the websocket offering the old session id, re-send the URL's query
string) and the report says where they landed, how long it took and whether the view that
came back is the one in the URL. ``--browser`` adds the same check with a real page in
Debian's chromium (Playwright), killing the replica that page is on.

Every target must be a loopback address; the run is bounded (at most 60 s of load, 50
viewers, 30 s per message) and stops by itself. Typical use, with the stack started by
``deploy/run_loopback.sh`` (which exports ST_URL and ST_REPLICAS, "name:port:pid ...")::

    deploy/run_loopback.sh python bench/loadtest.py                      # load only
    deploy/run_loopback.sh python bench/loadtest.py --failover --browser # + failover
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import signal
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

MAX_DURATION = 60.0
MAX_VIEWERS = 50
MSG_TIMEOUT = 30.0
RECONNECT_WINDOW = 30.0  # how long an orphaned viewer keeps trying, like the frontend
# (page url_path, query string): a spread of the app's views, the README's example first.
VIEWS = [
    ("skills", "indicator=no_qualifications&la=E08000025&char=aged_16_24&min=15&ward=E05011118"),
    ("overview", ""),
    ("health", ""),
    ("jobs", "scheme=natural_breaks"),
    ("youth_unemployment", "la=E08000026"),
    ("ward_profile", "ward=E05011118"),
    ("group_gaps", ""),
    ("trends", ""),
    ("impact", ""),
    ("about", ""),
]
BROWSER_VIEW = ("skills", "indicator=no_qualifications&ward=E05011118")
CHROMIUM = "/usr/bin/chromium"


# ----------------------------------------------------------------------------- plumbing
def require_loopback(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    sys.exit(f"refusing to load-test {url!r}: only loopback targets are allowed")


def http_get(url: str, cookies: dict[str, str], timeout: float = 10.0) -> tuple[int, dict]:
    """GET ``url`` sending ``cookies``; store any Set-Cookie back into ``cookies``."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            status, hdrs = resp.status, resp.headers
    except urllib.error.HTTPError as exc:
        status, hdrs = exc.code, exc.headers
    for raw in hdrs.get_all("Set-Cookie") or []:
        name, _, value = raw.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return status, {"x-replica": hdrs.get("X-Replica", "")}


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median_s": round(statistics.median(values), 3),
            "p95_s": round(pct(values, 0.95), 3), "max_s": round(max(values), 3)}


def view_restored(sent_query: str, got_query: str | None) -> bool:
    """Every key=value that the URL asked for is in the query string the app settled on."""
    if got_query is None:
        return False
    got = urllib.parse.parse_qs(got_query)
    return all(got.get(k) == v for k, v in urllib.parse.parse_qs(sent_query).items())


# ----------------------------------------------------------------------------- records
@dataclass
class Rerun:
    t: float            # seconds since start, when the rerun finished
    viewer: int
    replica: str
    kind: str           # first | rerun | recovery
    latency: float
    page: str
    restored: bool


@dataclass
class Stats:
    t0: float = field(default_factory=time.monotonic)
    reruns: list[Rerun] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    closes: list[dict] = field(default_factory=list)
    reconnects: list[dict] = field(default_factory=list)
    handshakes: dict[str, int] = field(default_factory=dict)
    open_sessions: dict[int, str] = field(default_factory=dict)  # viewer -> replica
    samples: list[tuple[float, int, dict]] = field(default_factory=list)
    kill: dict | None = None

    def now(self) -> float:
        return time.monotonic() - self.t0

    def error(self, viewer: int, what: str, detail: str) -> None:
        self.errors.append({"t": round(self.now(), 2), "viewer": viewer, "what": what,
                            "detail": detail[:200]})


# ----------------------------------------------------------------------------- a viewer
class Viewer:
    def __init__(self, idx: int, base: str, stats: Stats, deadline: float, think: float):
        self.idx, self.base, self.stats = idx, base.rstrip("/"), stats
        self.deadline, self.think = deadline, think
        self.cookies: dict[str, str] = {}
        self.session_id = ""
        self.view = idx % len(VIEWS)
        self.url_page, self.url_query = VIEWS[self.view]  # what the address bar says
        self.replica = ""

    async def _open(self, existing_session: str = ""):
        """Cookies, then the websocket; returns it with the replica that answered."""
        if "st_replica" not in self.cookies:
            await asyncio.to_thread(http_get, f"{self.base}/{self.url_page}?{self.url_query}",
                                    self.cookies)
        status, _ = await asyncio.to_thread(http_get, f"{self.base}/_stcore/health", self.cookies)
        if status != 200:
            raise ConnectionError(f"health {status}")
        protocols = ["streamlit", self.cookies.get("_streamlit_xsrf", "")]
        if existing_session:
            protocols.append(existing_session)
        ws = await connect(
            self.base.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=protocols,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                                "Origin": self.base},
            max_size=None, open_timeout=10, ping_interval=None)
        replica = ws.response.headers.get("X-Replica", "?")
        self.stats.handshakes[replica] = self.stats.handshakes.get(replica, 0) + 1
        return ws, replica

    async def _rerun(self, ws, kind: str, started: float | None = None) -> None:
        """One rerun. ``first``/``recovery`` send the URL (page + query string) as a browser
        does on load or reconnect; ``rerun`` navigates to the next page the way a click in
        the sidebar does (page name, empty query string; the view lives in the session)."""
        if kind == "rerun":
            self.view = (self.view + 1) % len(VIEWS)
            page, query = VIEWS[self.view][0], ""
        else:
            page, query = self.url_page, self.url_query
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        t_send = time.monotonic()
        await ws.send(msg.SerializeToString())
        settled_query = None
        while True:
            raw = await asyncio.wait_for(ws.recv(), MSG_TIMEOUT)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            which = fwd.WhichOneof("type")
            if which == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            elif which == "page_info_changed":
                settled_query = fwd.page_info_changed.query_string
            elif which == "delta" and fwd.delta.WhichOneof("type") == "new_element" \
                    and fwd.delta.new_element.WhichOneof("type") == "exception":
                self.stats.error(self.idx, "exception",
                                 f"{page}: {fwd.delta.new_element.exception.message}")
            elif which == "script_finished":
                break
        end = time.monotonic()
        # The URL the browser would now show: what the app wrote with st.query_params, or
        # (no page_info_changed) the query string that was sent.
        shown = settled_query if settled_query is not None else query
        restored = kind == "rerun" or view_restored(query, shown)
        self.url_page, self.url_query = page, shown
        self.stats.reruns.append(Rerun(round(end - self.stats.t0, 3), self.idx, self.replica, kind,
                                       end - (started or t_send), page, restored))

    async def run(self) -> None:
        kind, started, existing = "first", None, ""
        while time.monotonic() < self.deadline:
            try:
                ws, self.replica = await self._open(existing)
            except (TimeoutError, OSError, InvalidHandshake, InvalidStatus, ConnectionError) as exc:
                if kind != "recovery":
                    self.stats.error(self.idx, "connect", repr(exc))
                    return
                if time.monotonic() - started > RECONNECT_WINDOW:
                    self.stats.error(self.idx, "reconnect gave up", repr(exc))
                    return
                await asyncio.sleep(0.5)  # the frontend's first retry interval
                continue
            if kind == "recovery":
                self.stats.reconnects.append({"viewer": self.idx, "to": self.replica,
                                              "t": round(self.stats.now(), 2)})
            self.stats.open_sessions[self.idx] = self.replica
            try:
                await self._rerun(ws, kind, started)
                while time.monotonic() + self.think < self.deadline:
                    await asyncio.sleep(self.think)
                    await self._rerun(ws, "rerun")
                # Hold the session (idle, as an open tab does) until the run ends.
                await asyncio.sleep(max(0.0, self.deadline - time.monotonic()))
                await ws.close()
                self.stats.open_sessions.pop(self.idx, None)
                return
            except ConnectionClosed as exc:
                self.stats.open_sessions.pop(self.idx, None)
                code = exc.rcvd.code if exc.rcvd else None
                self.stats.closes.append({"viewer": self.idx, "replica": self.replica,
                                          "t": round(self.stats.now(), 2), "code": code})
                # Reconnect like the frontend: same cookies (so the same sticky key, which
                # nginx now maps to a live replica), the old session id offered, the URL's
                # query string re-sent.
                kind, started, existing = "recovery", time.monotonic(), self.session_id
            except TimeoutError:
                self.stats.error(self.idx, "timeout", f"no script_finished in {MSG_TIMEOUT}s")
                self.stats.open_sessions.pop(self.idx, None)
                await ws.close()
                return


# ----------------------------------------------------------------------------- browser
async def browser_check(base: str, stats: Stats, pinned: asyncio.Future, killed: asyncio.Event,
                        shots: str) -> dict:
    """Open BROWSER_VIEW in chromium, report its replica, then watch it through the kill."""
    from playwright.async_api import async_playwright

    page_path, query = BROWSER_VIEW
    url = f"{base}/{page_path}?{query}"
    idle_js = """() => { const a = document.querySelector('[data-testid="stApp"]');
        return !!a && a.dataset.testScriptState === 'notRunning'
            && a.dataset.testConnectionState === 'CONNECTED'; }"""
    state_js = """() => { const a = document.querySelector('[data-testid="stApp"]');
        return a ? a.dataset.testConnectionState : null; }"""
    view_js = """() => {
        const main = document.querySelector('[data-testid="stMain"]');
        const side = document.querySelector('[data-testid="stSidebar"]');
        const box = (scope, label) => { const i = scope && scope.querySelector(
            `input[aria-label="${label}"]`); return i ? i.value : null; };
        const h = main ? [...main.querySelectorAll('h1, h3')].map(e => e.innerText.trim()) : [];
        return {h: h, indicator: box(main, 'Indicator'), ward: box(side, 'Find a ward'),
                exceptions: document.querySelectorAll('[data-testid="stException"]').length,
                url: location.pathname + location.search}; }"""
    out: dict = {"url": url}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        try:
            page = await browser.new_page(viewport={"width": 1400, "height": 1000})
            await page.goto(url, timeout=30_000)
            await page.wait_for_function(idle_js, timeout=45_000)
            await page.wait_for_timeout(500)
            out["before"] = await page.evaluate(view_js)
            cookie = {c["name"]: c["value"] for c in await page.context.cookies()}
            _, hdr = await asyncio.to_thread(http_get, f"{base}/_stcore/health",
                                             {"st_replica": cookie.get("st_replica", "")})
            out["replica_before"] = hdr["x-replica"]
            await page.screenshot(path=f"{shots}/failover-before.png")
            pinned.set_result(out["replica_before"])
            await killed.wait()
            t_kill = time.monotonic()
            transitions, last = [], None
            while time.monotonic() - t_kill < RECONNECT_WINDOW:
                state = await page.evaluate(state_js)
                if state != last:
                    transitions.append((round(time.monotonic() - t_kill, 2), state))
                    last = state
                if state == "CONNECTED" and len(transitions) > 1 and await page.evaluate(idle_js):
                    break
                await page.wait_for_timeout(100)
            out["connection_states_after_kill"] = transitions
            try:
                await page.wait_for_function(idle_js, timeout=20_000)
                await page.wait_for_timeout(1500)  # let the rerun's elements settle
                out["recovered_after_s"] = round(time.monotonic() - t_kill, 2)
            except Exception as exc:
                out["recovered_after_s"] = None
                out["recover_error"] = repr(exc)[:200]
            out["after"] = await page.evaluate(view_js)
            _, hdr = await asyncio.to_thread(http_get, f"{base}/_stcore/health",
                                             {"st_replica": cookie.get("st_replica", "")})
            out["replica_after"] = hdr["x-replica"]
            await page.screenshot(path=f"{shots}/failover-after.png")
            b, a = out["before"], out["after"]
            out["same_view"] = all(b[k] == a[k] for k in ("h", "indicator", "ward", "url"))
        finally:
            await browser.close()
    return out


# ----------------------------------------------------------------------------- driver
def parse_replicas(text: str) -> dict[str, tuple[str, int]]:
    """``"r1:8511:123 r2:8512:456"`` -> ``{"r1": ("127.0.0.1:8511", 123), ...}``, keyed by the
    name nginx's X-Replica header gives each replica."""
    out = {}
    for item in text.split():
        name, port, pid = item.split(":")
        out[name] = (f"127.0.0.1:{port}", int(pid))
    return out


async def sampler(stats: Stats, deadline: float) -> None:
    while time.monotonic() < deadline:
        per: dict[str, int] = {}
        for rep in stats.open_sessions.values():
            per[rep] = per.get(rep, 0) + 1
        stats.samples.append((round(stats.now(), 1), len(stats.open_sessions), per))
        await asyncio.sleep(0.5)


async def warm_up(replicas: dict[str, tuple[str, int]]) -> dict:
    """One session straight to each replica (not through nginx), loading every view once, so
    the measured run sees warm per-process caches (st.cache_resource/cache_data)."""
    async def one(addr: str) -> list[float]:
        stats = Stats()
        viewer = Viewer(0, f"http://{addr}", stats, time.monotonic() + 120, 0)
        ws, viewer.replica = await viewer._open()
        try:
            await viewer._rerun(ws, "first")
            for _ in range(len(VIEWS) - 1):
                await viewer._rerun(ws, "rerun")
        finally:
            await ws.close()
        return [round(r.latency, 2) for r in stats.reruns]
    results = await asyncio.gather(*(one(a) for a, _ in replicas.values()), return_exceptions=True)
    return {n: (r if isinstance(r, list) else repr(r)[:200]) for n, r in zip(replicas, results, strict=True)}


async def main_async(args) -> dict:
    replicas = parse_replicas(args.replicas)
    warm = await warm_up(replicas) if args.warmup and replicas else None
    stats = Stats()
    deadline = stats.t0 + args.duration
    shots = args.out or "."
    tasks = [asyncio.create_task(sampler(stats, deadline))]
    browser_task = None
    pinned: asyncio.Future = asyncio.get_running_loop().create_future()
    killed = asyncio.Event()
    if args.browser:
        browser_task = asyncio.create_task(browser_check(args.url, stats, pinned, killed, shots))

    viewers = []
    for i in range(args.viewers):  # ramp up over ~2 s
        viewers.append(asyncio.create_task(
            Viewer(i, args.url, stats, deadline, args.think).run()))
        await asyncio.sleep(2.0 / max(1, args.viewers))

    if args.failover:
        await asyncio.sleep(max(0.0, stats.t0 + args.kill_at - time.monotonic()))
        target = None
        if args.browser:
            try:
                target = await asyncio.wait_for(pinned, 45)
            except TimeoutError:
                stats.error(-1, "browser", "page never pinned to a replica")
        if target is None:  # the replica holding most sessions
            counts: dict[str, int] = {}
            for rep in stats.open_sessions.values():
                counts[rep] = counts.get(rep, 0) + 1
            target = max(counts, key=counts.get) if counts else next(iter(replicas), None)
        pid = replicas[target][1] if target in replicas else None
        if pid is None:
            stats.error(-1, "failover", f"no pid for {target}; pass --replicas NAME:PORT:PID ...")
        else:
            on_target = sum(1 for r in stats.open_sessions.values() if r == target)
            os.kill(pid, signal.SIGKILL if args.signal == "KILL" else signal.SIGTERM)
            stats.kill = {"t": round(stats.now(), 2), "replica": target, "pid": pid,
                          "signal": args.signal, "sessions_on_it": on_target,
                          "sessions_total": len(stats.open_sessions)}
        killed.set()

    await asyncio.gather(*viewers)
    for t in tasks:
        t.cancel()
    browser = None
    if browser_task:
        killed.set()
        try:
            browser = await asyncio.wait_for(browser_task, 90)
        except Exception as exc:
            browser = {"error": repr(exc)[:300]}
    result = report(stats, args, browser)
    result["warmup_latencies_s"] = warm
    return result


def report(stats: Stats, args, browser: dict | None) -> dict:
    def lat(kind, replica=None, after=None, before=None):
        return [r.latency for r in stats.reruns if r.kind == kind
                and (replica is None or r.replica == replica)
                and (after is None or r.t >= after) and (before is None or r.t < before)]

    held = [n for t, n, _ in stats.samples if 3.0 <= t <= args.duration - 1.0] or [0]
    out = {
        "target": args.url, "viewers": args.viewers, "duration_s": args.duration,
        "think_s": args.think,
        "sessions": {"max_held": max(n for _, n, _ in stats.samples) if stats.samples else 0,
                     "min_held_after_ramp": min(held),
                     "handshakes_per_replica": stats.handshakes},
        "latency": {"first_load": summary(lat("first")), "rerun": summary(lat("rerun"))},
        "latency_per_replica": {rep: {"first_load": summary(lat("first", rep)),
                                      "rerun": summary(lat("rerun", rep))}
                                for rep in sorted(stats.handshakes)},
        "reruns_completed": len(stats.reruns),
        "loads_whose_view_differs_from_url": sum(1 for r in stats.reruns if not r.restored),
        "errors": {"count": len(stats.errors), "first": stats.errors[:10]},
    }
    if stats.kill:
        k = stats.kill
        closed = [c for c in stats.closes if c["t"] >= k["t"]]
        rec = [r for r in stats.reruns if r.kind == "recovery"]
        survivors = [rep for rep in stats.handshakes if rep != k["replica"]]
        out["failover"] = {
            **k,
            "websockets_closed": len(closed),
            "close_codes": sorted({str(c["code"]) for c in closed}),
            "reconnected": len(stats.reconnects),
            "reconnected_to": {rep: sum(1 for r in stats.reconnects if r["to"] == rep)
                               for rep in {r["to"] for r in stats.reconnects}},
            "recovery_close_to_script_finished": summary([r.latency for r in rec]),
            "recovery_kill_to_script_finished": summary([r.t - k["t"] for r in rec]),
            "recovered_view_matches_url": f"{sum(r.restored for r in rec)}/{len(rec)}",
            "survivor_rerun_latency_before_kill": {rep: summary(lat("rerun", rep, before=k["t"]))
                                                   for rep in survivors},
            "survivor_rerun_latency_after_kill": {rep: summary(lat("rerun", rep, after=k["t"]))
                                                  for rep in survivors},
        }
    if browser is not None:
        out["browser"] = browser
    out["sessions_timeline"] = [(t, n, per) for t, n, per in stats.samples][::4]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default=os.environ.get("ST_URL", "http://127.0.0.1:8600"))
    p.add_argument("--viewers", "-k", type=int, default=20)
    p.add_argument("--duration", type=float, default=45.0, help=f"seconds, at most {MAX_DURATION:.0f}")
    p.add_argument("--think", type=float, default=2.0, help="seconds between a viewer's reruns")
    p.add_argument("--failover", action="store_true", help="kill one replica during the run")
    p.add_argument("--kill-at", type=float, default=15.0, help="seconds into the run")
    p.add_argument("--signal", choices=["KILL", "TERM"], default="KILL")
    p.add_argument("--replicas", default=os.environ.get("ST_REPLICAS", ""),
                   help='"NAME:PORT:PID ..." (run_loopback.sh exports ST_REPLICAS)')
    p.add_argument("--browser", action="store_true",
                   help="also watch a real chromium page on the replica that is killed")
    p.add_argument("--no-warmup", dest="warmup", action="store_false",
                   help="skip loading every view once on each replica before measuring")
    p.add_argument("--out", default="", help="folder for report.json and screenshots")
    args = p.parse_args(argv)
    require_loopback(args.url)
    args.viewers = max(1, min(args.viewers, MAX_VIEWERS))
    args.duration = max(5.0, min(args.duration, MAX_DURATION))
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    result = asyncio.run(asyncio.wait_for(main_async(args), args.duration + 150))
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        with open(os.path.join(args.out, "report.json"), "w") as fh:
            fh.write(text + "\n")
    return 0 if not result["errors"]["count"] else 1


if __name__ == "__main__":
    sys.exit(main())
