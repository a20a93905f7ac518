"""Growth: the ward choropleth for a SYNTHETIC national-size ward set (~7,000 polygons).

Method
------
Generates, in memory only (nothing is written, least of all into geodata/), a hexagonal grid
over England's bounding box in EPSG:27700 (x 85-655 km, y 10-657 km) with the cell size
chosen to give about ``--wards`` cells (default 7,000). Every hexagon's edges are segmentized
so the mean vertex count per ward matches the real WMCA bundle (6,758 vertices / 192 wards),
and every vertex is displaced by a smooth deterministic function of its own coordinates, so
shared edges stay shared (a coverage, like the simplified real wards) but lines are not
straight. Cells are grouped into about 300 SYNTHETIC "authorities" (blocks of the grid,
dissolved) for the outline trace. Ward codes are ``SYN000001``..., names ``SYNTHETIC ward n``,
values are synthetic (a smooth field plus noise, with a Wilson-like interval), and the
indicator's catalogue entry is the real ``disabled`` one.

For the synthetic set and for the real 192-ward bundle the script times, median of repeats:

* ``equity.charts.wards_geojson`` (built once per process in the app, via st.cache_resource),
* ``equity.charts.choropleth`` (with one selected ward and the authority outlines, as on a
  theme page),
* the marshalling: ``plotly.io.to_json(fig, validate=False)``, which the app's chart element
  (``equity.ui.elements.draw_chart``) runs, and ``plotly.tools.return_figure_from_figure_or_data(fig,
  validate_figure=True)``, which ``st.plotly_chart`` added before it and the app no longer
  runs (kept so that figures stay comparable with earlier runs; "total" includes it),

and reports the JSON payload bytes (plus a deflate-6 estimate) and the ratios
national / WMCA against the ward-count ratio.

Usage::

    python bench/bench_national.py [--wards 7000] [--repeats 5]

Prints plain text; not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ENGLAND_27700 = (85_000.0, 10_000.0, 655_000.0, 657_000.0)


def synthetic_wards(n_target: int, vertices_per_ward: float, seed: int = 7):
    """SYNTHETIC hexagonal ward coverage over England's bounding box, EPSG:4326."""
    import geopandas as gpd
    import numpy as np
    import shapely

    x0, y0, x1, y1 = ENGLAND_27700
    area = (x1 - x0) * (y1 - y0)
    # a pointy hexagon of circumradius r covers 1.5*sqrt(3)*r^2
    r = math.sqrt(area / n_target / (1.5 * math.sqrt(3)))
    w, h = math.sqrt(3) * r, 1.5 * r
    polys, cols, rows = [], [], []
    row = 0
    y = y0
    while y < y1:
        x = x0 + (w / 2 if row % 2 else 0.0)
        col = 0
        while x < x1:
            angles = np.radians(np.arange(6) * 60 + 30)
            polys.append(shapely.Polygon(np.column_stack([x + r * np.cos(angles),
                                                          y + r * np.sin(angles)])))
            cols.append(col)
            rows.append(row)
            x += w
            col += 1
        y += h
        row += 1
    geoms = np.array(polys, dtype=object)
    # densify: each hexagon has 6 sides; (vertices_per_ward - 1) segments in all
    seg = r / max(1.0, (vertices_per_ward - 1) / 6)
    geoms = shapely.segmentize(geoms, seg * 1.0001)
    amp = r * 0.12

    def wiggle(coords):
        xs, ys = coords[:, 0], coords[:, 1]
        dx = amp * np.sin(ys / (r * 0.37)) * np.cos(xs / (r * 0.53))
        dy = amp * np.sin(xs / (r * 0.41)) * np.cos(ys / (r * 0.29))
        return np.column_stack([xs + dx, ys + dy])

    geoms = shapely.transform(geoms, wiggle)
    rng = np.random.default_rng(seed)
    n = len(geoms)
    codes = [f"SYN{i:06d}" for i in range(1, n + 1)]
    cols_a, rows_a = np.array(cols), np.array(rows)
    block = max(1, round(math.sqrt(n / 300)))
    auth_id = (rows_a // block) * 1000 + (cols_a // block)
    auth_codes = {a: f"SYNA{j:04d}" for j, a in enumerate(sorted(set(auth_id)))}
    wards = gpd.GeoDataFrame({
        "ward_code": codes,
        "ward_name": [f"SYNTHETIC ward {i}" for i in range(1, n + 1)],
        "authority_code": [auth_codes[a] for a in auth_id],
        "authority": [f"SYNTHETIC authority {auth_codes[a][4:]}" for a in auth_id],
    }, geometry=list(geoms), crs=27700)
    authorities = wards.dissolve("authority_code", as_index=False)[
        ["authority_code", "authority", "geometry"]]
    cx = shapely.get_x(shapely.centroid(geoms))
    cy = shapely.get_y(shapely.centroid(geoms))
    field = 18 + 6 * np.sin(cx / 90_000) * np.cos(cy / 70_000) + rng.normal(0, 2, n)
    value = np.clip(field, 1, 60)
    denominator = rng.integers(4_000, 16_000, n)
    half = 1.96 * np.sqrt(value / 100 * (1 - value / 100) / denominator) * 100
    import pandas as pd

    values = pd.DataFrame({"ward_code": codes, "ward_name": wards.ward_name,
                           "authority": wards.authority, "value": value,
                           "lower": value - half, "upper": value + half})
    return wards.to_crs(4326), authorities.to_crs(4326), values


def measure(label, wards, authorities, values, indicator, repeats):
    import plotly.io
    import plotly.tools
    import shapely

    from equity import charts

    t0 = time.perf_counter()
    geo = charts.wards_geojson(wards)
    t_geo = time.perf_counter() - t0
    selected = wards.ward_code.iloc[len(wards) // 2]
    build, valid, ser = [], [], []
    spec = ""
    for _ in range(repeats):
        t0 = time.perf_counter()
        fig = charts.choropleth(wards, values, indicator, "quantiles", selected=selected,
                                authorities_gdf=authorities, geojson=geo)
        t1 = time.perf_counter()
        checked = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
        t2 = time.perf_counter()
        spec = plotly.io.to_json(checked, validate=False)
        t3 = time.perf_counter()
        build.append(t1 - t0)
        valid.append(t2 - t1)
        ser.append(t3 - t2)
    raw = spec.encode()
    out = {
        "label": label, "wards": len(wards),
        "vertices": int(shapely.get_num_coordinates(wards.geometry.values).sum()),
        "auth_vertices": int(shapely.get_num_coordinates(authorities.geometry.values).sum()),
        "geojson": t_geo, "build": statistics.median(build),
        "validate": statistics.median(valid), "to_json": statistics.median(ser),
        "bytes": len(raw), "deflate": len(zlib.compress(raw, 6)),
    }
    out["total"] = out["build"] + out["validate"] + out["to_json"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wards", type=int, default=7000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from equity.bundle import read_bundle

    print(f"bench_national: load average {os.getloadavg()} at start, {os.cpu_count()} cores")
    bundle = read_bundle()
    import shapely

    real_vertices = int(shapely.get_num_coordinates(bundle.wards.geometry.values).sum())
    per_ward = real_vertices / len(bundle.wards)
    indicator = bundle.indicator("disabled")
    t0 = time.perf_counter()
    wards, authorities, values = synthetic_wards(args.wards, per_ward)
    print(f"SYNTHETIC national ward set generated in memory in {time.perf_counter() - t0:.1f} s: "
          f"{len(wards)} hexagonal wards, {len(authorities)} authorities "
          f"(target {per_ward:.1f} vertices per ward, as in the real bundle)")

    real = measure("WMCA (real, 192 wards)", bundle.wards, bundle.authorities,
                   bundle.ward_values("disabled"), indicator, max(10, args.repeats))
    national = measure("SYNTHETIC national", wards, authorities, values, indicator,
                       args.repeats)
    print()
    print(f"{'case':<24} {'wards':>6} {'ward vtx':>9} {'LA vtx':>7} {'geojson':>8} "
          f"{'build':>8} {'validate':>9} {'to_json':>8} {'total':>8} {'JSON':>10} "
          f"{'deflate':>9}")
    for r in (real, national):
        print(f"{r['label']:<24} {r['wards']:6d} {r['vertices']:9d} {r['auth_vertices']:7d} "
              f"{r['geojson'] * 1000:6.0f}ms {r['build'] * 1000:6.0f}ms "
              f"{r['validate'] * 1000:7.0f}ms {r['to_json'] * 1000:6.0f}ms "
              f"{r['total'] * 1000:6.0f}ms {r['bytes'] / 1e6:8.2f}MB {r['deflate'] / 1e6:7.2f}MB")
    print()
    ratio_w = national["wards"] / real["wards"]
    print(f"ratios national / WMCA: wards x{ratio_w:.1f}, vertices "
          f"x{national['vertices'] / real['vertices']:.1f}; build x"
          f"{national['build'] / real['build']:.1f}, validate x"
          f"{national['validate'] / real['validate']:.1f}, to_json x"
          f"{national['to_json'] / real['to_json']:.1f}, figure total x"
          f"{national['total'] / real['total']:.1f}, JSON bytes x"
          f"{national['bytes'] / real['bytes']:.1f}")
    per_real = real["total"] / real["wards"] * 1e6
    per_nat = national["total"] / national["wards"] * 1e6
    print(f"per ward: {per_real:.0f} us (WMCA) vs {per_nat:.0f} us (national); "
          f"{real['bytes'] / real['wards']:.0f} B vs {national['bytes'] / national['wards']:.0f} B "
          "of JSON per ward")
    print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
