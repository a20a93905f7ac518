"""Shared helpers for the browser benchmarks: a loopback Streamlit server and Chromium.

Not a benchmark itself. The server is ``streamlit run serve.py`` on a free 127.0.0.1 port,
started as a child process (its own process group) and stopped by its pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# True once a page's ward map (a plotly choropleth on a geo subplot, drawn as SVG) has drawn
# ward polygons: a path with a shape, inside the figure.
MAP_DRAWN_JS = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!(gd._fullLayout && gd._fullLayout.geo)) continue;
    const path = gd.querySelector('path.choroplethlocation');
    if (path && path.getAttribute('d') && path.getBoundingClientRect().width > 0) return true;
  }
  return false;
}"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min), {os.cpu_count()} cores"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident set size of one process, MB (psutil if installed, else /proc VmRSS)."""
    try:
        import psutil  # type: ignore

        return psutil.Process(pid).memory_info().rss / 1e6
    except ImportError:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError("no VmRSS")


@contextlib.contextmanager
def streamlit_server(timeout: float = 90.0, script: Path | None = None):
    """Start ``streamlit run serve.py`` (or ``script``) on a free loopback port.

    The health check answers 200 only once the server is warm (equity.ui.serving).

    Yields (base_url, Popen). A ``script`` outside the repo runs from its own folder.
    """
    port = free_port()
    script = script or REPO / "serve.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script),
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    log = open(os.devnull, "wb")
    proc = subprocess.Popen(cmd, cwd=script.parent, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not become healthy in time")
            time.sleep(0.2)
        yield base, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                      headless=True)


def wait_for_map(page, timeout_ms: float = 60000) -> None:
    page.wait_for_function(MAP_DRAWN_JS, timeout=timeout_ms, polling=50)
