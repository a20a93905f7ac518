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

For the synthetic set and for the real 192-ward bundle the script times what the app does
(issue 17: shapes sent once, figures carry values only):

* the shapes file: ``equity.charts.wards_geojson`` (wards and authorities) written as the
  content-hashed JSON ``equity.static_files.hashed_file`` makes, once per bundle; its size
  raw and gzipped (what a browser fetches once and then caches);
* each map figure, median of repeats: ``equity.charts.choropleth`` by reference to that
  file's URL (with one selected ward and the authority outlines, as on a theme page) and
  ``plotly.io.to_json(fig, validate=False)``, which the chart element runs; its JSON bytes
  (and a deflate-6 estimate): what every interaction sends.

Targets (issue 17): a national map <= 500 KB per interaction, built in <= 150 ms.

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
TARGET_KB = 500
TARGET_MS = 150
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
    """Time what the app does: publish the shapes once, then build and send each map figure."""
    import gzip

    import plotly.io
    import shapely

    from equity import charts, static_files, views

    t0 = time.perf_counter()
    name, body = static_files.hashed_file(charts.wards_geojson(wards, authorities), "wards")
    t_shapes = time.perf_counter() - t0
    url = f"/app/static/geo/{name}"
    values = views.ranked(values, indicator.polarity)
    selected = wards.ward_code.iloc[len(wards) // 2]
    build, ser = [], []
    spec = ""
    for _ in range(repeats):
        t0 = time.perf_counter()
        fig = charts.choropleth(wards, values, indicator, "quantiles", selected=selected,
                                authorities_gdf=authorities, geojson=url)
        t1 = time.perf_counter()
        spec = plotly.io.to_json(fig, validate=False)
        t2 = time.perf_counter()
        build.append(t1 - t0)
        ser.append(t2 - t1)
    raw = spec.encode()
    out = {
        "label": label, "wards": len(wards),
        "vertices": int(shapely.get_num_coordinates(wards.geometry.values).sum()),
        "auth_vertices": int(shapely.get_num_coordinates(authorities.geometry.values).sum()),
        "shapes_time": t_shapes, "shapes_bytes": len(body),
        "shapes_gzip": len(gzip.compress(body, 6)),
        "build": statistics.median(build), "to_json": statistics.median(ser),
        "bytes": len(raw), "deflate": len(zlib.compress(raw, 6)),
    }
    out["total"] = out["build"] + out["to_json"]
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
    print("Shapes: published once per bundle as one content-hashed static file, fetched once "
          "per page and cached by the browser:")
    for r in (real, national):
        print(f"  {r['label']:<24} {r['wards']:6d} wards, {r['vertices']:7d} ward and "
              f"{r['auth_vertices']:6d} authority vertices: file {r['shapes_bytes'] / 1e6:6.2f} MB "
              f"({r['shapes_gzip'] / 1e6:5.2f} MB gzipped), built in {r['shapes_time']:.2f} s")
    print("Each map figure (what every interaction sends), built by reference to that file:")
    print(f"  {'case':<24} {'build':>8} {'to_json':>8} {'server':>8} {'JSON':>9} {'deflate':>9}")
    for r in (real, national):
        print(f"  {r['label']:<24} {r['build'] * 1000:6.0f}ms {r['to_json'] * 1000:6.0f}ms "
              f"{r['total'] * 1000:6.0f}ms {r['bytes'] / 1e3:7.0f}KB {r['deflate'] / 1e3:7.0f}KB")
    ok_bytes = national["bytes"] <= TARGET_KB * 1000
    ok_time = national["total"] <= TARGET_MS / 1000
    print(f"target national map <= {TARGET_KB} KB per interaction: "
          f"{'MET' if ok_bytes else 'MISSED'} ({national['bytes'] / 1e3:.0f} KB of JSON; "
          f"floor: the {national['wards']} ward codes alone are "
          f"{national['wards'] * 13 / 1e3:.0f} KB)")
    print(f"target national figure built in <= {TARGET_MS} ms of server time: "
          f"{'MET' if ok_time else 'MISSED'} ({national['total'] * 1000:.0f} ms: build "
          f"{national['build'] * 1000:.0f} + to_json {national['to_json'] * 1000:.0f})")
    print(f"per ward: {real['bytes'] / real['wards']:.0f} B (WMCA) vs "
          f"{national['bytes'] / national['wards']:.0f} B (national) of JSON")
    print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
