"""What the tests that start a server share: waiting until it answers as healthy."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def health(url: str) -> str | None:
    """The text a health URL answers with, or None if it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace").strip()
    except (urllib.error.URLError, OSError):
        return None


def wait_until_healthy(process: subprocess.Popen, url: str, timeout: float, log_path: Path,
                       what: str, poll: float = 0.25) -> None:
    """Wait until ``url`` answers "ok"; fail the test with the log's tail if it never does."""
    deadline = time.monotonic() + timeout
    while health(url) != "ok":
        if process.poll() is not None:
            pytest.fail(f"{what} exited with code {process.returncode} before it was healthy:\n"
                        f"{log_path.read_text(errors='replace')[-3000:]}", pytrace=False)
        if time.monotonic() > deadline:
            pytest.fail(f"{what} was not healthy within {timeout:.0f} s:\n"
                        f"{log_path.read_text(errors='replace')[-3000:]}", pytrace=False)
        time.sleep(poll)
