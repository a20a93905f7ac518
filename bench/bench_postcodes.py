"""Postcode look-up: server time to resolve one postcode, and what the bundle's table costs.

    python bench/bench_postcodes.py

Prints the median and 99th percentile of one look-up (normalising the text and finding its
ward and neighbour) over every postcode of the bundle, the time to build the index once per
process, and the size of geodata/postcodes.csv. Target: a look-up within 5 ms; the bundle
grows by at most 2 MB.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from equity.bundle import read_bundle  # noqa: E402
from equity.postcodes import PostcodeIndex  # noqa: E402


def main() -> None:
    bundle = read_bundle(REPO / "geodata")
    start = time.perf_counter()
    index = PostcodeIndex(bundle.postcodes, list(bundle.wards.ward_code))
    build_ms = (time.perf_counter() - start) * 1000
    texts = [p.lower().replace(" ", "") for p in bundle.postcodes.postcode]
    times = []
    for text in texts:
        t0 = time.perf_counter()
        index.find(text)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    median = statistics.median(times)
    p99 = times[int(0.99 * len(times))]
    size = (REPO / "geodata" / "postcodes.csv").stat().st_size
    print(f"postcodes in the bundle: {len(texts):,}; index built in {build_ms:.0f} ms once a process")
    print(f"one look-up: median {median * 1000:.1f} µs, p99 {p99 * 1000:.1f} µs, "
          f"max {times[-1] * 1000:.1f} µs")
    print(f"geodata/postcodes.csv: {size / 1e6:.2f} MB")
    print(f"target look-up <= 5 ms: {'MET' if p99 <= 5 else 'MISSED'}; "
          f"target bundle growth <= 2 MB: {'MET' if size <= 2e6 else 'MISSED'}")


if __name__ == "__main__":
    main()
