"""The code passes ruff (including numpydoc docstring rules), as CI enforces."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_passes():
    if shutil.which("ruff") is None and not os.environ.get("CI"):
        pytest.skip("ruff is not installed (requirements-test.txt installs it)")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
