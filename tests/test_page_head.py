"""Tests for equity.ui.page_head: the tags each page's head gets, and the middleware adding them."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from equity.ui import page_head

PAGE = b"<!DOCTYPE html><html><head><title>Streamlit</title></head><body></body></html>"


def _upstream(body: bytes = PAGE, content_type: bytes = b"text/html; charset=utf-8",
              status: int = 200, chunked: bool = False):
    seen: list[dict] = []

    async def app(scope, receive, send):
        seen.append(scope)
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
            (b"etag", b'"abc"'), (b"cache-control", b"no-cache")]})
        if chunked:
            half = len(body) // 2
            await send({"type": "http.response.body", "body": body[:half], "more_body": True})
            await send({"type": "http.response.body", "body": body[half:]})
        else:
            await send({"type": "http.response.body", "body": body})
    return app, seen


def _call(app, path: str, method: str = "GET",
          headers: list[tuple[bytes, bytes]] | None = None) -> list[dict]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": path, "headers": headers or []}
    call = page_head.HeadHints(app)(scope, receive, send)
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API may hold this thread's loop
        pool.submit(asyncio.run, call).result()
    return sent


@pytest.fixture
def hints():
    page_head.set_hints({"map": (b'<script src="/s.js"></script>', b'<link rel="preload">'),
                         "charts": (b"<script charts></script>", b""),
                         "plain": (b"<script plain></script>", b"")})
    yield
    page_head.set_hints({})


def test_tags_start_the_script_first_and_preload_the_rest():
    first, last = page_head.hint_tags(
        plotly_js="/app/static/plotly-equity.min.js", start_js="/app/static/start.js",
        modules=["/static/js/BidiComponent.x.js"], shapes=["/app/static/geo/w.json"])
    assert first == (b'<script src="/app/static/start.js" data-shapes="/app/static/geo/w.json" '
                     b'data-plotly="/app/static/plotly-equity.min.js"></script>')
    assert last == (b'<link rel="preload" as="script" href="/app/static/plotly-equity.min.js">'
                    b'<link rel="modulepreload" crossorigin href="/static/js/BidiComponent.x.js">')


def test_a_page_with_no_chart_gets_only_the_start_script():
    first, last = page_head.hint_tags(plotly_js=None, start_js="/s.js", modules=[], shapes=[])
    assert (first, last) == (b'<script src="/s.js"></script>', b"")


@pytest.mark.parametrize(("path", "kind"), [("/", "map"), ("/health", "map"), ("/trends/", "map"),
                                            ("/ward_profile", "charts"), ("/group_gaps", "charts"),
                                            ("/about", "plain"), ("/base/about", "plain")])
def test_what_each_page_is_sent_follows_what_it_draws(hints, path, kind):
    app, _ = _upstream()
    body = _call(app, path)[1]["body"]
    assert body.startswith(b"<!DOCTYPE html><html><head>" + page_head.HINTS[kind][0])


def test_the_pages_named_as_drawing_less_are_pages_of_the_app():
    router = (Path(__file__).resolve().parents[1] / "app.py").read_text(encoding="utf-8")
    for name in page_head.NO_WARD_MAP | page_head.NO_CHARTS:
        assert f'url_path="{name}"' in router, name


def test_without_the_start_script_the_shapes_are_preloaded_and_urls_are_escaped():
    first, last = page_head.hint_tags(plotly_js='/p"><script>.js', start_js=None, modules=[],
                                      shapes=["/geo/a.json", "/geo/b.json"])
    assert first == b""
    assert b'href="/p&quot;&gt;&lt;script&gt;.js"' in last and b"<script>" not in last
    assert last.count(b'rel="preload" as="fetch" crossorigin') == 2


def test_module_closure_follows_static_imports_and_skips_what_the_page_loads(tmp_path: Path):
    (tmp_path / "Chart.AAA.js").write_text(
        'import{a}from"./dep.B.js";import"./shared.C.js";const x=import("./lazy.D.js");')
    (tmp_path / "dep.B.js").write_text('import{b}from"./deeper.E.js";')
    (tmp_path / "deeper.E.js").write_text('import{c}from"./dep.B.js";')  # a cycle
    (tmp_path / "shared.C.js").write_text('import"./index.F.js";')
    (tmp_path / "lazy.D.js").write_text("")
    page = '<script type="module" src="./static/js/shared.C.js"></script>'
    assert page_head.module_closure(tmp_path, ["Chart"], page) == [
        "Chart.AAA.js", "dep.B.js", "deeper.E.js"]
    assert page_head.module_closure(tmp_path, ["Missing"], page) == []


def test_module_closure_finds_streamlits_chart_element_code():
    """Streamlit's own build: the components-v2 element's module exists and is not in the page
    (if a new Streamlit renames it, the preload silently stops helping: this says so)."""
    import streamlit

    frontend = Path(streamlit.__file__).parent / "static"
    found = page_head.module_closure(frontend / "static" / "js", page_head.ELEMENT_CODE,
                                     (frontend / "index.html").read_text("utf-8"))
    assert found and found[0].startswith("BidiComponent.")


def test_a_page_gets_the_tags_and_headers_that_fit_it(hints):
    app, seen = _upstream(chunked=True)
    sent = _call(app, "/health", headers=[(b"accept-encoding", b"gzip"),
                                          (b"if-none-match", b'"abc"'), (b"cookie", b"c=1")])
    body = sent[1]["body"]
    assert body == PAGE.replace(b"<head>", b'<head><script src="/s.js"></script>').replace(
        b"</head>", b'<link rel="preload"></head>')
    headers = dict(sent[0]["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"etag" not in headers and headers[b"cache-control"] == b"no-cache"
    # asked for uncompressed and whole, other headers kept
    assert dict(seen[0]["headers"]) == {b"cookie": b"c=1"}


@pytest.mark.parametrize("path", ["/_stcore/health", "/health/_stcore/host-config",
                                  "/app/static/plotly-equity.min.js", "/static/js/index.js",
                                  "/media/abc.csv"])
def test_other_paths_pass_through_untouched(hints, path):
    app, seen = _upstream()
    sent = _call(app, path, headers=[(b"accept-encoding", b"gzip")])
    assert sent[1]["body"] == PAGE
    assert dict(seen[0]["headers"]) == {b"accept-encoding": b"gzip"}


def test_what_is_not_a_whole_html_page_passes_through(hints):
    json_app, _ = _upstream(b'{"a": "<head></head>"}', b"application/json")
    assert _call(json_app, "/health")[1]["body"] == b'{"a": "<head></head>"}'
    missing, _ = _upstream(PAGE, status=404)
    assert _call(missing, "/health")[1]["body"] == PAGE
    head, _ = _upstream(PAGE)
    assert _call(head, "/health", method="HEAD")[1]["body"] == PAGE


def test_no_tags_until_set():
    page_head.set_hints({})
    app, seen = _upstream()
    assert _call(app, "/health", headers=[(b"accept-encoding", b"gzip")])[1]["body"] == PAGE
    assert seen[0]["headers"] == [(b"accept-encoding", b"gzip")]
