"""Evidence for optimisations of the theme page's figures (what-if timings, nothing edited).

Times, on the real bundle and in memory only, variants of what the /health page builds:

* the choropleth as built now (shapes inline), and without the authority outlines;
* coarser geometry: the current wards re-simplified with ``shapely.coverage_simplify`` in
  EPSG:27700 at larger tolerances, and coordinates at 4 instead of 5 decimals;
* ``gap_to_benchmark`` with and without its two ``fig.add_hline`` calls (the lines added
  as plain layout shapes instead);
* the sidebar's ward-label ``format_func`` (``_ward_label``: a ``set_index`` on the
  GeoDataFrame then 192 lookups) against a plain dict.

Each variant: median of ``--repeats`` of build + ``return_figure_from_figure_or_data`` +
``plotly.io.to_json`` (st.plotly_chart's marshalling), and the JSON bytes.

Usage::

    python bench/bench_map_options.py [--repeats 15]

Prints plain text; not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def timeit(fn, repeats):
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    import plotly.graph_objects as go
    import plotly.io
    import plotly.tools
    import shapely

    from equity import charts, views
    from equity.bundle import read_bundle

    print(f"bench_map_options: load average {os.getloadavg()} at start, {os.cpu_count()} cores")
    b = read_bundle()
    ind = b.indicator("disabled")
    values = views.ward_frame(b, ind)
    sel = b.wards.ward_code.iloc[0]
    n = args.repeats

    def marshal(fig):
        return plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(
            fig, validate_figure=True), validate=False)

    def row(label, build):
        ms_build, fig = timeit(build, n)
        ms_marshal, spec = timeit(lambda: marshal(fig), n)
        print(f"  {label:<58} build {ms_build:6.1f} ms  marshal {ms_marshal:6.1f} ms  "
              f"total {ms_build + ms_marshal:6.1f} ms  JSON {len(spec) / 1000:6.1f} KB")

    print("Choropleth variants (disabled, one selected ward):")
    geo = charts.wards_geojson(b.wards, b.authorities)
    row("shapes inline, with outlines", lambda: charts.choropleth(
        b.wards, values, ind, "quantiles", selected=sel, authorities_gdf=b.authorities,
        geojson=geo))
    row("without authority outlines", lambda: charts.choropleth(
        b.wards, values, ind, "quantiles", selected=sel, geojson=geo))

    metric = b.wards.to_crs(27700)
    for tol, prec in ((None, 4), (150, 5), (150, 4), (300, 4)):
        gdf = metric
        if tol:
            gdf = metric.set_geometry(shapely.coverage_simplify(metric.geometry.values, tol))
        gdf = gdf.to_crs(4326)
        g = charts.wards_geojson(gdf, precision=prec)
        nv = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
        row(f"re-simplified {tol or 80} m, {prec} decimals ({nv} vertices)",
            lambda gdf=gdf, g=g: charts.choropleth(gdf, values, ind, "quantiles", selected=sel,
                                                   authorities_gdf=b.authorities, geojson=g))

    print("gap_to_benchmark variants:")
    comparison = views.benchmark_comparison(b, ind, b.wards.ward_code)
    shown, bench_name, bench_value = (comparison.wards, comparison.benchmark_name,
                                      comparison.benchmark_value)
    la, eng = comparison.authority_values, comparison.england_value
    row("as now", lambda: charts.gap_to_benchmark(shown, ind, bench_value, la, eng,
                                                  benchmark_label=bench_name))
    original = go.Figure.add_hline

    def plain_hline(self, y, line=None, annotation_text=None, **_):
        self.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=y, y1=y,
                       line=line)
        if annotation_text:
            self.add_annotation(xref="paper", x=0, yref="y", y=y, text=annotation_text,
                                showarrow=False, xanchor="left", yanchor="bottom")
        return self
    go.Figure.add_hline = plain_hline
    try:
        row("add_hline replaced by add_shape + add_annotation",
            lambda: charts.gap_to_benchmark(shown, ind, bench_value, la, eng,
                                            benchmark_label=bench_name))
    finally:
        go.Figure.add_hline = original

    print("Sidebar ward labels (192 format_func calls per run):")
    from equity.ui.sidebar import ward_label_of as _ward_label
    codes = b.wards.ward_code.tolist()
    ms_now, _ = timeit(lambda: [_ward_label(b)(c) for c in codes[:1]] and
                       [f(c) for f in [_ward_label(b)] for c in codes], n)
    labels = {r.ward_code: f"{r.ward_name} ({r.authority})" for r in b.wards.itertuples()}
    ms_dict, _ = timeit(lambda: [labels[c] for c in codes], n)
    print(f"  _ward_label as now {ms_now:6.2f} ms per run; dict built once "
          f"{ms_dict:6.3f} ms per run")
    print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
