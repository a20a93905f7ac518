"""Server time per interaction on a theme page (/health), with a bare one-line page as floor.

Method
------
The app runs in-process under ``streamlit.testing.v1.AppTest`` (``AppTest.from_file("app.py")``,
then ``switch_page("app_pages/health.py")``). Each interaction sets one widget and reruns:

* ``indicator`` - the page's "Indicator" selectbox (key ``ind_health``) cycles through the
  five health indicators;
* ``filter``    - the sidebar "Local authorities" multiselect (key ``f_la``) cycles through
  each single authority and "none" (so about half the runs turn a filter on, half off);
* ``ward``      - the sidebar "Find a ward" selectbox (key ``f_ward``) cycles through wards.

The three interactions are interleaved round-robin with a run of the floor page
(``AppTest.from_string("import streamlit as st\\nst.write('x')")``) so that changing machine
load (2 cores, other test runs) affects all of them alike. State therefore accumulates as a
user's would: most runs have a ward selected and about half have an authority filter.

Three times are recorded for every run:

* ``script``   - server script time: from the ScriptRunner's ``SCRIPT_STARTED`` event to its
  ``SCRIPT_STOPPED_WITH_SUCCESS`` event (timestamps taken by an extra receiver attached to
  the runner's ``on_event`` signal). This is what a real server spends running the page;
  it excludes AppTest's own thread start-up, its 1 ms completion polling and the parsing of
  the element tree.
* ``proto``    - protobuf serialisation of every ForwardMsg the run produced
  (``SerializeToString``), which a real server also does before writing to the websocket;
  the bytes are reported too (app data per rerun).
* ``apptest``  - wall time of ``AppTest.run()`` (upper bound, includes AppTest overhead).

"server" = script + proto, plus the post-run collection, is compared with the 60 ms target.

Figure share: inside the same runs, ``equity.ui.elements.draw_chart`` (the chart element: phone re-layout,
``plotly.io.to_json`` and the chart component's mount), ``plotly.io.to_json`` and the figure
builders ``equity.charts.*`` are wrapped with timers (monkeypatched in this process only; no
file is edited), so the page reports how much of its script time is spent building figures
and how much marshalling them (``_plot``, of which ``plotly.io.to_json``;
``return_figure_from_figure_or_data`` is timed too and stays 0 since charts no longer go
through ``st.plotly_chart``, which ran it). A standalone section then times the marshalling
steps on the real choropleth, with its JSON size, beside the validation ``st.plotly_chart``
added.

Usage::

    python bench/bench_interactions.py [--runs 40] [--warmup 5]

Prints plain text; not a test.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.chdir(REPO)

import logging  # noqa: E402

logging.getLogger("streamlit").setLevel(logging.ERROR)


TARGET_MS = 60
"""Issue 17: median server time per interaction, post-run garbage collection included."""


def pct(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def ms(x):
    return f"{x * 1000:7.1f}"


# ----------------------------------------------------------------------------- instrumentation
FIGURE_BUILDERS = ("choropleth", "gap_to_benchmark", "gap_by_characteristic")
CURRENT: dict[str, float] = defaultdict(float)  # per-run accumulators (seconds)
RUNNERS: list = []


def timed(name, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            CURRENT[name] += time.perf_counter() - t0
    return wrapper


def install_instrumentation():
    import plotly.io
    import plotly.tools
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent
    from streamlit.testing.v1 import local_script_runner as lsr

    import equity.charts as charts

    plotly.io.to_json = timed("to_json", plotly.io.to_json)
    plotly.tools.return_figure_from_figure_or_data = timed(
        "validate", plotly.tools.return_figure_from_figure_or_data)
    import sys

    import equity.ui  # noqa: F401  (imports every page module)
    from equity.ui import elements

    # Pages import draw_chart by name, so each module's reference is wrapped.
    original_draw = elements.draw_chart
    timed_draw = timed("plot", original_draw)
    for name, module in list(sys.modules.items()):
        if name.startswith("equity.ui") and getattr(module, "draw_chart", None) is original_draw:
            module.draw_chart = timed_draw
    for name in FIGURE_BUILDERS:
        setattr(charts, name, timed(name, getattr(charts, name)))

    original_init = lsr.LocalScriptRunner.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.bench_times = {}

        def receiver(sender, event, **_):
            if event == ScriptRunnerEvent.SCRIPT_STARTED:
                self.bench_times.setdefault("start", time.perf_counter())
            elif event == ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS:
                self.bench_times["stop"] = time.perf_counter()

        self.on_event.connect(receiver, weak=False)
        RUNNERS.append(self)

    lsr.LocalScriptRunner.__init__ = init


def timed_run(at):
    """Run once; return dict of seconds (script, proto, apptest) and bytes."""
    CURRENT.clear()
    RUNNERS.clear()
    t0 = time.perf_counter()
    at.run()
    wall = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"app raised: {at.exception[0].message}")
    runner = RUNNERS[-1]
    script = runner.bench_times["stop"] - runner.bench_times["start"]
    t1 = time.perf_counter()
    nbytes = sum(len(m.SerializeToString()) for m in runner.forward_msgs())
    proto = time.perf_counter() - t1
    out = {"script": script, "proto": proto, "server": script + proto, "apptest": wall,
           "bytes": nbytes}
    out.update({k: v for k, v in CURRENT.items()})
    out["build_figures"] = sum(CURRENT.get(name, 0.0) for name in FIGURE_BUILDERS)
    return out


# ----------------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40, help="timed reruns per interaction")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", type=int, default=10, metavar="N",
                        help="after timing, cProfile N more rounds of the three interactions "
                             "and print the top functions by cumulative time (0: skip)")
    args = parser.parse_args()
    runs = max(30, args.runs)

    from streamlit.testing.v1 import AppTest

    from equity.catalogue import AUTHORITIES, indicators_for_theme

    install_instrumentation()
    print(f"bench_interactions: Streamlit AppTest, page /health, {runs} timed runs per "
          f"interaction after {args.warmup} warm-up rounds; cores={os.cpu_count()}")
    print(f"load average at start (1, 5, 15 min): {os.getloadavg()}")

    t0 = time.perf_counter()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/health.py")
    at.run()
    print(f"cold start (bundle load + first two runs): {time.perf_counter() - t0:.2f} s")
    floor = AppTest.from_string("import streamlit as st\nst.write('x')", default_timeout=30)
    floor.run()

    indicators = [i.id for i in indicators_for_theme("health")]
    la_states = [[code] for code in AUTHORITIES] + [[]]
    wards = at.selectbox(key="f_ward").options  # labels; values come from the bundle
    from equity.ui import load_bundle
    ward_codes = load_bundle().wards.sort_values("ward_name").ward_code.tolist()
    del wards
    counters = defaultdict(int)

    def step(kind):
        i = counters[kind]
        counters[kind] += 1
        if kind == "floor":
            return timed_run(floor)
        if kind == "indicator":
            at.selectbox(key="ind_health").set_value(indicators[(i + 1) % len(indicators)])
        elif kind == "filter":
            at.multiselect(key="f_la").set_value(la_states[i % len(la_states)])
        elif kind == "ward":
            at.selectbox(key="f_ward").set_value(ward_codes[(i * 37) % len(ward_codes)])
        return timed_run(at)

    kinds = ("floor", "indicator", "filter", "ward")
    for _ in range(args.warmup):
        for kind in kinds:
            step(kind)
    results = defaultdict(list)
    for _ in range(runs):
        for kind in kinds:
            results[kind].append(step(kind))
    load_end = os.getloadavg()

    print()
    print("Per-run times, milliseconds (median / p95 / max), n =", runs)
    print(f"{'interaction':<12} {'server':>21} {'script':>21} {'proto':>13} "
          f"{'AppTest.run wall':>21} {'msg KB':>7}")
    for kind in kinds:
        rows = results[kind]
        cols = []
        for key in ("server", "script"):
            v = [r[key] for r in rows]
            cols.append(f"{ms(statistics.median(v))}/{ms(pct(v, .95))}/{ms(max(v))}")
        v = [r["proto"] for r in rows]
        cols.append(f"{ms(statistics.median(v))}/{ms(pct(v, .95))}")
        v = [r["apptest"] for r in rows]
        cols.append(f"{ms(statistics.median(v))}/{ms(pct(v, .95))}/{ms(max(v))}")
        kb = statistics.median(r["bytes"] for r in rows) / 1000
        label = "floor(1 line)" if kind == "floor" else kind
        print(f"{label:<12} {cols[0]:>21} {cols[1]:>21} {cols[2]:>13} {cols[3]:>21} "
              f"{kb:7.1f}")

    print()
    print("Where the theme-page script time goes (median ms per run; share = median of "
          "per-run share of script time):")
    print(f"{'interaction':<12} {'build figs':>11} {'draw_chart':>16} {'of which to_json':>17}"
          f" {'of which validate':>18} {'figs total share':>17} {'marshal share':>14}")
    for kind in kinds[1:]:
        rows = results[kind]
        med = {k: statistics.median(r.get(k, 0.0) for r in rows)
               for k in ("build_figures", "plot", "to_json", "validate")}
        share_all = statistics.median((r.get("build_figures", 0) + r.get("plot", 0))
                                      / r["script"] for r in rows)
        share_marshal = statistics.median(r.get("plot", 0) / r["script"] for r in rows)
        print(f"{kind:<12} {ms(med['build_figures']):>11} {ms(med['plot']):>16} "
              f"{ms(med['to_json']):>17} {ms(med['validate']):>18} "
              f"{share_all * 100:16.0f}% {share_marshal * 100:13.0f}%")

    print("figure build, median ms per run: " + ", ".join(
        f"{name} {statistics.median(r.get(name, 0.0) for r in results[k]) * 1000:.1f}"
        f" ({k})" for k in kinds[1:] for name in FIGURE_BUILDERS))

    gc_ms = post_run_gc()
    standalone_marshalling()
    if args.profile:
        profile(at, step, args.profile)

    meds = {k: statistics.median(r["server"] for r in results[k]) for k in kinds[1:]}
    print()
    print(f"load average at end (1, 5, 15 min): {load_end}")
    floor = statistics.median(r["server"] for r in results["floor"]) * 1000
    print(f"target median server time <= {TARGET_MS} ms for every interaction, the post-run "
          f"collection ({gc_ms:.1f} ms) included; floor (a one-line page) {floor:.1f} ms:")
    for kind, median in meds.items():
        total = median * 1000 + gc_ms
        print(f"  {kind:<10} {median * 1000:5.1f} + {gc_ms:.1f} = {total:5.1f} ms  "
              f"{'MET' if total <= TARGET_MS else 'MISSED'}")


def post_run_gc(repeats: int = 5) -> float:
    """Time the ``gc.collect(2)`` a real server runs after every script run.

    AppTest's times above stop at the script's end; ``streamlit run`` then collects garbage
    (``runner.postScriptGC``) with the GIL held, so nothing is sent meanwhile. The app freezes
    its long-lived objects after warm-up (``equity.ui.cache.freeze_long_lived_objects``); the same
    heap is timed unfrozen for comparison, then frozen again.
    """
    import gc

    def collect_ms() -> float:
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            gc.collect(2)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    frozen = gc.get_freeze_count()
    with_freeze = collect_ms()
    gc.unfreeze()
    without = collect_ms()
    gc.freeze()
    print()
    print(f"Post-run gc.collect(2) (runner.postScriptGC; real server only), median of {repeats}: "
          f"{with_freeze:.1f} ms with the app's {frozen:,} long-lived objects frozen; "
          f"{without:.1f} ms if they were not")
    return with_freeze


def standalone_marshalling(repeats: int = 30) -> None:
    """Time the chart marshalling steps on the real choropleth, outside a script run."""
    import plotly.io
    import plotly.tools

    from equity import charts, views
    from equity.ui.cache import load_bundle, map_shapes

    # the wrapped versions count into CURRENT; use the originals
    to_json = getattr(plotly.io.to_json, "__wrapped__", plotly.io.to_json)
    validate = getattr(plotly.tools.return_figure_from_figure_or_data, "__wrapped__",
                       plotly.tools.return_figure_from_figure_or_data)
    choropleth = getattr(charts.choropleth, "__wrapped__", charts.choropleth)
    bundle = load_bundle()
    geo = map_shapes()
    ind = bundle.indicator("disabled")
    values = views.ward_frame(bundle, ind)
    code = bundle.wards.ward_code.iloc[0]
    build, val, ser, dumps = [], [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fig = choropleth(bundle.wards, values, ind, "quantiles", selected=code,
                         authorities_gdf=bundle.authorities, geojson=geo)
        t1 = time.perf_counter()
        fig2 = validate(fig, validate_figure=True)
        t2 = time.perf_counter()
        spec = to_json(fig2, validate=False)
        t3 = time.perf_counter()
        build.append(t1 - t0)
        val.append(t2 - t1)
        ser.append(t3 - t2)
    import json
    t0 = time.perf_counter()
    for _ in range(5):
        json.dumps(json.loads(spec))
    dumps.append((time.perf_counter() - t0) / 5)
    d = json.loads(spec)
    geo_bytes = sum(len(json.dumps(t.get("geojson", {}), separators=(",", ":")))
                    for t in d["data"] if isinstance(t.get("geojson"), dict))
    tmpl = len(json.dumps(d["layout"].get("template", {}), separators=(",", ":")))
    print()
    print(f"Standalone, real choropleth (disabled, selected ward, authority outlines), "
          f"median of {repeats}:")
    print(f"  charts.choropleth build                      {ms(statistics.median(build))} ms")
    print(f"  return_figure_from_figure_or_data(validate)  {ms(statistics.median(val))} ms "
          "(st.plotly_chart ran this; the chart component does not)")
    print(f"  plotly.io.to_json(validate=False) [{plotly.io.json.config.default_engine}→orjson "
          f"if installed] {ms(statistics.median(ser))} ms")
    print(f"  (stdlib json.dumps of the same spec, for comparison {ms(dumps[0])} ms)")
    print(f"  spec size {len(spec) / 1000:.1f} KB, of which geojson {geo_bytes / 1000:.1f} KB, "
          f"layout.template {tmpl / 1000:.1f} KB; traces {len(d['data'])}")


def profile(at, step, rounds: int) -> None:
    """cProfile the three interactions (script thread only) and print the heaviest calls."""
    import cProfile
    import pstats
    import threading

    prof = cProfile.Profile()
    from streamlit.runtime.scriptrunner import script_runner as sr

    original = sr.ScriptRunner._run_script

    def run_script(self, *a, **k):
        prof.enable()
        try:
            return original(self, *a, **k)
        finally:
            prof.disable()

    sr.ScriptRunner._run_script = run_script
    try:
        for _ in range(rounds):
            for kind in ("indicator", "filter", "ward"):
                step(kind)
    finally:
        sr.ScriptRunner._run_script = original
    del threading
    stats = pstats.Stats(prof)
    total = stats.total_tt
    print()
    print(f"cProfile of {rounds} rounds x 3 interactions (profiler inflates times; read the "
          f"shares): top functions by cumulative time, ms per run")
    rows = []
    for (file, line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if ("equity" in file or "plotly_chart" in file or "dataframe" in file
                or func in ("to_json", "to_json_plotly", "clean_to_json_compatible",
                            "return_figure_from_figure_or_data", "__init__")
                and ("plotly" in file)):
            rows.append((ct, nc, f"{Path(file).parent.name}/{Path(file).name}:{line}({func})"))
    rows.sort(reverse=True)
    n = rounds * 3
    for ct, nc, name in rows[:28]:
        print(f"  {ct / n * 1000:8.1f} ms  {ct / total * 100:5.1f}%  calls/run {nc / n:7.1f}  {name}")


if __name__ == "__main__":
    main()
