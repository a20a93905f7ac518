"""Fixtures for the browser tests: a real ``streamlit run`` server and Debian's chromium.

The server is started once per session from the repository root on a free local port; the
browser is launched once per session with Playwright against ``/usr/bin/chromium`` (never a
Playwright-downloaded browser), and each test gets a fresh context and page.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import wait_until_healthy

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
SERVER_START_TIMEOUT = 60.0


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server and its whole process group, then kill it if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium; skipped locally when missing, a hard failure in CI."""
    if not CHROMIUM.exists():
        message = (f"{CHROMIUM} is not installed; the browser tests drive Debian's chromium "
                   "(apt-get install chromium), not a Playwright-downloaded browser.")
        if _in_ci():
            pytest.fail(f"CI must install chromium: {message}", pytrace=False)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def app_url(chromium_path: str, tmp_path_factory: pytest.TempPathFactory):
    """Start ``streamlit run serve.py`` on a free port and yield its base URL once warm."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(process, f"{base}/_stcore/health", SERVER_START_TIMEOUT, log_path,
                           "streamlit")
        yield base
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    """One headless chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser):
    """Factory for pages in fresh browser contexts (no shared cookies or storage)."""
    contexts = []

    def _make():
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield _make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A fresh 1400x1000 page."""
    return new_page()
