"""Benchmark the full ingest: rebuild the bundle from ../shared/data into a temporary folder.

Each build runs in its own Python process so its peak resident memory can be read from the
operating system (``os.wait4`` returns the child's ``rusage``; ``ru_maxrss``). The timed builds
run without tracing; one extra build runs under ``tracemalloc`` to report the peak of Python
allocations (tracing slows the build, so its time is not counted).

Usage::

    python bench/bench_ingest.py [--runs 3] [--raw ../shared/data]

Prints plain text lines; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RAW = REPO / ".." / "shared" / "data"
# ru_maxrss is in kilobytes on Linux and in bytes on macOS
RSS_UNIT = 1 if sys.platform == "darwin" else 1024


def child(raw: str, out: str, trace: bool) -> None:
    """Run one build in this process and print a JSON line of measurements."""
    import tracemalloc

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    from equity.ingest import ingest  # imports count towards the build, as on the CLI

    bundle = ingest(Path(raw), Path(out))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    size = sum(p.stat().st_size for p in Path(out).iterdir() if p.is_file())
    print(json.dumps({"build_s": elapsed, "tracemalloc_peak": peak, "bundle_bytes": size,
                      "values": len(bundle.values)}))


def run_child(raw: Path, out: Path, trace: bool) -> dict:
    """One build in a subprocess: its measurements, wall time and peak RSS."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(raw), str(out)]
    if trace:
        cmd.append("--trace")
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # wait4 gives this child's own resource usage (not the maximum over all children)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"build failed (exit {code}):\n{stderr.strip()}")
    record = json.loads(stdout.strip().splitlines()[-1])
    record["wall_s"] = wall
    record["max_rss"] = usage.ru_maxrss * RSS_UNIT
    return record


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed builds (default 3)")
    parser.add_argument("--raw", default=str(DEFAULT_RAW), help="raw data folder")
    parser.add_argument("--child", nargs=2, metavar=("RAW", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child, trace=args.trace)
        return 0
    raw = Path(args.raw).resolve()
    if not raw.is_dir():
        print(f"error: raw data folder {raw} not found", file=sys.stderr)
        return 2
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    print(f"ingest benchmark: {args.runs} build(s) from {raw}")
    print(f"python {sys.version.split()[0]} on {sys.platform}")
    records = []
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        for i in range(args.runs):
            rec = run_child(raw, Path(tmp) / f"run{i}" / "geodata", trace=False)
            records.append(rec)
            print(f"run {i + 1}: wall {rec['wall_s']:.2f} s (build {rec['build_s']:.2f} s "
                  f"in-process), peak RSS {mib(rec['max_rss'])}")
        traced = run_child(raw, Path(tmp) / "traced" / "geodata", trace=True)

    walls = [r["wall_s"] for r in records]
    builds = [r["build_s"] for r in records]
    rss = [r["max_rss"] for r in records]
    print(f"wall time (process start to exit): median {statistics.median(walls):.2f} s, "
          f"min {min(walls):.2f} s")
    print(f"build time (imports + ingest, in-process): median {statistics.median(builds):.2f} s, "
          f"min {min(builds):.2f} s")
    print(f"peak RSS of a build process: median {mib(statistics.median(rss))}, "
          f"max {mib(max(rss))}")
    print(f"peak Python allocations (tracemalloc, one extra traced build): "
          f"{mib(traced['tracemalloc_peak'])}")
    print(f"bundle written: {records[0]['bundle_bytes'] / 1024:.0f} KiB, "
          f"{records[0]['values']} value rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
