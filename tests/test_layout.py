"""The code's shape: Streamlit only under equity/ui/, page scripts without logic."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted((REPO / "app_pages").glob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(p for p in (REPO / "equity").rglob("*.py")
                                        if "ui" not in p.relative_to(REPO / "equity").parts),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_streamlit_is_imported_only_in_the_screen_package(path):
    assert "streamlit" not in _imports(path), f"{path.relative_to(REPO)} imports streamlit"


def test_the_screen_package_is_where_streamlit_lives():
    users = [p for p in (REPO / "equity" / "ui").rglob("*.py") if "streamlit" in _imports(p)]
    assert len(users) >= 5


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_a_page_script_only_calls_its_page(path):
    """Each page script imports equity.ui and makes one call with literal arguments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = [n for n in tree.body
            if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    imports = [n for n in body if isinstance(n, ast.ImportFrom | ast.Import)]
    calls = [n for n in body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
    assert len(imports) + len(calls) == len(body), f"{path.name} holds more than a call"
    assert [ast.unparse(n) for n in imports] == ["from equity import ui"]
    assert len(calls) == 1
    call = calls[0].value
    assert ast.unparse(call.func).startswith("ui.") and ast.unparse(call.func).endswith("_page")
    assert all(isinstance(arg, ast.Constant) for arg in call.args) and not call.keywords


def test_every_page_script_is_routed():
    router = (REPO / "app.py").read_text(encoding="utf-8")
    for path in PAGES:
        assert f'"app_pages/{path.name}"' in router
