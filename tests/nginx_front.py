"""The deploy front for tests: Debian's nginx with deploy/nginx-loopback.conf before one replica.

``deploy/run_loopback.sh`` itself starts it (so the tests exercise the script and the conf the
deployment uses), on free loopback ports given through ``ST_LISTEN_PORT`` and
``ST_REPLICA_PORTS``. Without nginx the tests are skipped locally and fail in CI (CI=true),
as tests/browser/conftest.py does for chromium.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import wait_until_healthy

REPO_ROOT = Path(__file__).resolve().parents[1]
RUN_LOOPBACK = REPO_ROOT / "deploy" / "run_loopback.sh"
NGINX_CONF = REPO_ROOT / "deploy" / "nginx-loopback.conf"
START_TIMEOUT = 150.0  # a cold replica imports the app and reads the bundle first


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def nginx_path() -> str:
    """Debian's nginx; skipped locally when missing, a hard failure in CI."""
    path = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if Path(p).exists()), None)
    if path is None:
        message = ("nginx is not installed; the deploy tests run Debian's nginx in front of a "
                   "replica (apt-get install nginx; scripts/install-test-deps.sh installs it).")
        if in_ci():
            pytest.fail(f"CI must install nginx: {message}", pytrace=False)
        pytest.skip(message)
    return path


@dataclass(frozen=True)
class Front:
    url: str          # nginx, what a visitor reaches
    replica_url: str  # the one replica, straight (loopback only)
    replica_port: int
    log: Path


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _stop(process: subprocess.Popen) -> None:
    """TERM the script (its trap stops nginx and the replica by pid), then kill what is left."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            pass
    # Anything of its process group that outlived it (start_new_session: the group is ours).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


@contextlib.contextmanager
def loopback_front(tmp_dir: Path) -> Iterator[Front]:
    """Run ``deploy/run_loopback.sh`` with one replica on free ports; yield its addresses."""
    nginx = nginx_path()
    listen, replica = _free_ports(2)
    log_path = tmp_dir / "run_loopback.log"
    env = {**os.environ, "ST_LISTEN_PORT": str(listen), "ST_REPLICA_PORTS": str(replica),
           "NGINX": nginx, "PYTHON": sys.executable, "TMPDIR": str(tmp_dir),
           "HEALTH_TIMEOUT": str(int(START_TIMEOUT - 20))}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(["bash", str(RUN_LOOPBACK)], cwd=REPO_ROOT, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{listen}"
    try:
        wait_until_healthy(process, f"{url}/_stcore/health", START_TIMEOUT, log_path,
                           "deploy/run_loopback.sh (nginx + replica)", poll=0.5)
        yield Front(url=url, replica_url=f"http://127.0.0.1:{replica}", replica_port=replica,
                    log=log_path)
    finally:
        _stop(process)
