"""The plotly.js build in static/ can draw every trace type the package equity/charts/ makes.

Every chart is drawn in the browser by static/plotly-equity.min.js, built from
frontend/entry.js (scripts/build-plotly-bundle.sh). A trace type missing from that build would
leave its chart blank, so adding one to any module of equity/charts/ must fail here until
entry.js registers it and the build is redone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import plotly.graph_objects as go

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "frontend" / "entry.js"
BUILT = ROOT / "static" / "plotly-equity.min.js"
CHARTS = ROOT / "equity" / "charts"
# plotly.js/lib/core registers scatter itself.
IN_CORE = {"scatter"}


def _registered() -> set[str]:
    return set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", ENTRY.read_text())) - {"core"}


def _trace_types_in_charts() -> set[str]:
    modules = sorted(CHARTS.rglob("*.py"))
    assert len(modules) > 1, "equity/charts/ is not a package of modules"
    names = set()
    for module in modules:
        names |= set(re.findall(r"\bgo\.([A-Z]\w+)\(", module.read_text()))
    types = set()
    for name in names - {"Figure"}:
        trace = getattr(go, name)
        if issubclass(trace, go.Figure) or not hasattr(trace, "type"):
            continue
        types.add(trace().type)
    return types


def test_every_trace_type_charts_make_is_in_the_build():
    types = _trace_types_in_charts()
    assert {"choropleth", "scattergeo", "scatter", "bar"} <= types  # the parse found them
    missing = types - _registered() - IN_CORE
    assert not missing, f"frontend/entry.js does not register {sorted(missing)}"


def test_built_bundle_holds_the_registered_trace_modules():
    text = BUILT.read_text(encoding="utf-8")
    assert text.startswith("(()=>{"), "not esbuild's minified IIFE output"
    for name in _registered() | IN_CORE:
        assert f'name:"{name}"' in text or f"name:'{name}'" in text, name
    assert "window.Plotly=" in text.replace(" ", "")


def test_build_versions_are_pinned_and_licensed():
    package = json.loads((ROOT / "frontend" / "package.json").read_text())
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())
    for name, version in package["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    licences = (ROOT / "static" / "THIRD_PARTY_LICENSES.txt").read_text()
    assert f"plotly.js {package['devDependencies']['plotly.js']}" in licences
    assert "MIT License" in licences and "BSD-3-Clause" in licences
