"""Tests for equity.charts itself: every chart module's public names are re-exported."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

from equity import charts


def _public_names(module) -> set[str]:
    """Names a module defines at its top level (not imports) without a leading underscore."""
    names = set()
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {name for name in names if not name.startswith("_")}


def test_every_public_name_is_reexported_as_the_same_object():
    modules = [importlib.import_module(f"equity.charts.{info.name}")
               for info in pkgutil.iter_modules(charts.__path__)]
    assert {m.__name__.rsplit(".", 1)[1] for m in modules} >= {
        "style", "geometry", "map", "benchmark", "fifths", "spine", "groups", "trends",
        "impact", "small_screen"}
    for module in modules:
        for name in _public_names(module):
            assert name in charts.__all__, f"{module.__name__}.{name} is not re-exported"
            assert getattr(charts, name) is getattr(module, name)
    assert all(hasattr(charts, name) for name in charts.__all__)
    # private names used outside the package (tests, bench/bench_map_options.py)
    assert callable(charts._fade)
