"""What the page's ``<head>`` starts, so that the first map is drawn sooner.

Without help the browser learns what a map needs (the plotly.js build, the chart element's
code, Streamlit's code for that element and the wards' shapes) only once the page's first
script run has arrived and the map's element is mounted; each then waits for the one before
it, behind the rest of the page. Measured on /health (``bench/bench_first_map.py``), the
first map came 0.45 s after a bare page's. Served by ``serve.py``, every page's head now:

* runs ``equity/page_start.js`` first, which tells Streamlit's page where its server is (it
  otherwise probes ``<page>/_stcore/health``, gets a 404 and retries 0.1 s later), fetches
  and parses the ward shapes, and evaluates plotly.js once the page is idle, waiting for the
  server;
* preloads the plotly.js build and the chart element's code, and Streamlit's code for
  components-v2 elements (``BidiComponent`` and what it imports), which Streamlit would
  otherwise load only when the page first shows such an element, after the sidebar's widgets.

:class:`HeadHints` is the ASGI middleware that adds the tags :func:`set_hints` was given to
every HTML page; :func:`first_map_hints` makes them once the shapes are published. A page with
no ward map is not sent the shapes, and one with no chart not plotly.js either.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

LOG = logging.getLogger(__name__)

HINTS: dict[str, tuple[bytes, bytes]] = {}
"""By kind of page (see :func:`page_kind`), the tags added at the start and at the end of its
head; none until :func:`set_hints`."""

# The pages (their url_path in app.py) that draw charts but no ward map, and those that draw
# no chart: they are not sent the shapes, or plotly.js either, that they would not use.
NO_WARD_MAP = frozenset({"ward_profile", "group_gaps"})
NO_CHARTS = frozenset({"about"})

START_JS = Path(__file__).resolve().parent.parent / "page_start.js"

# The paths Streamlit serves other things than its page from (after any base URL path).
NOT_A_PAGE = re.compile(r"/(_stcore|static|app/static|media|component|components|~)(/|$)")

# Request headers a page request is passed on without: the page is asked for uncompressed, so
# that it can be edited (the nginx front compresses it), and whole, since a 304 would keep a
# copy cached before the tags changed.
UNWANTED = (b"accept-encoding", b"if-none-match", b"if-modified-since")

# Streamlit's validators and length describe its file, not the page sent.
STALE = (b"content-length", b"etag", b"last-modified")

# The code of the chart element (a components-v2 element). Not the sidebar widgets' code as
# well: with it at hand, Streamlit drew them before the chart, and the map came 0.1 s later.
ELEMENT_CODE = ["BidiComponent"]

STATIC_IMPORT = re.compile(rb'(?:import|from)\s*"\./([\w.-]+\.js)"')


def hint_tags(*, plotly_js: str | None, start_js: str | None, modules: list[str],
              shapes: list[str]) -> tuple[bytes, bytes]:
    """The tags for the start and for the end of each page's head, as UTF-8 HTML.

    Parameters
    ----------
    plotly_js : str or None
        URL of the plotly.js build, preloaded as a script and evaluated by the start script;
        None on a page with no chart.
    start_js : str or None
        URL of ``equity/page_start.js`` as published, run first; None where it could not be
        published (the shapes are then only preloaded).
    modules : list of str
        URLs of JavaScript modules the page will import (``modulepreload``).
    shapes : list of str
        URLs of the map shapes files the start script fetches.

    Returns
    -------
    first, last : bytes
        What goes straight after ``<head>`` and straight before ``</head>``.
    """
    def attr(url: str) -> str:
        return html.escape(url, quote=True)

    last = [f'<link rel="preload" as="script" href="{attr(plotly_js)}">'] if plotly_js else []
    last += [f'<link rel="modulepreload" crossorigin href="{attr(url)}">' for url in modules]
    if not start_js:
        last += [f'<link rel="preload" as="fetch" crossorigin href="{attr(url)}">'
                 for url in shapes]
        return b"", "".join(last).encode("utf-8")
    data = (f' data-shapes="{attr(" ".join(shapes))}"' if shapes else "") + (
        f' data-plotly="{attr(plotly_js)}"' if plotly_js else "")
    first = f'<script src="{attr(start_js)}"{data}></script>'
    return first.encode("utf-8"), "".join(last).encode("utf-8")


def module_closure(folder: Path, entry_prefixes: list[str], page: str = "") -> list[str]:
    """The JavaScript modules ``<prefix>.*.js`` in ``folder`` and every module they import.

    Parameters
    ----------
    folder : Path
        Streamlit's frontend code (``streamlit/static/static/js``).
    entry_prefixes : list of str
        The start of each entry module's name; one matching no single file is skipped.
    page : str
        Streamlit's ``index.html``: modules it names are loaded already and are left out, with
        what they import.

    Returns
    -------
    list of str
        File names, entries first, each once.
    """
    entries = [matches[0].name for prefix in entry_prefixes
               if len(matches := sorted(folder.glob(f"{prefix}.*.js"))) == 1]
    found: list[str] = []
    queue = list(entries)
    while queue:
        name = queue.pop(0)
        if name in found or name in page or not (folder / name).is_file():
            continue
        found.append(name)
        queue += [m.decode() for m in STATIC_IMPORT.findall((folder / name).read_bytes())]
    return found


def first_map_hints() -> dict[str, tuple[bytes, bytes]]:
    """The tags for this server by kind of page (see :func:`hint_tags`).

    All of them where the page has a ward map, no shapes where it has charts only, only the
    start script where it has no chart. Publishes the start script.

    Call it once the ward shapes are published (``equity.ui.cache.warm_process``).
    """
    import streamlit

    from equity import static_files
    from equity.ui import cache, elements

    static = cache.static_folder()
    frontend = Path(streamlit.__file__).parent / "static"
    modules = [url for url in (elements.PUBLISHED_CODE.get("equity-chart"),) if url]
    modules += [static.removesuffix("app/static/") + "static/js/" + name
                for name in module_closure(frontend / "static" / "js", ELEMENT_CODE,
                                           (frontend / "index.html").read_text("utf-8"))]
    shapes = cache.map_shapes()
    name, body = start_script()
    try:
        static_files.publish(cache.STATIC_DIR, name, body)
        start: str | None = static + name
    except OSError as exc:
        LOG.warning("page start script not used: cannot publish %s (%s)", name, exc)
        start = None
    plotly_js = static + "plotly-equity.min.js"
    return {"map": hint_tags(plotly_js=plotly_js, start_js=start, modules=modules,
                             shapes=[shapes] if isinstance(shapes, str) else []),
            "charts": hint_tags(plotly_js=plotly_js, start_js=start, modules=modules,
                                shapes=[]),
            "plain": hint_tags(plotly_js=None, start_js=start, modules=[], shapes=[])}


def start_script() -> tuple[str, bytes]:
    """The page start script as published: its hashed file name and its body.

    The shapes fetcher it shares with the chart element's code comes first.
    """
    from equity import static_files
    from equity.ui import elements

    code = elements.component_js(elements.FETCH_SHAPES_JS) + "\n" + elements.component_js(START_JS)
    return static_files.hashed_text(code, "equity-start", "js")


def set_hints(tags: dict[str, tuple[bytes, bytes]]) -> None:
    """From now on, add to each kind of page its ``tags`` (start and end of the head)."""
    HINTS.clear()
    HINTS.update(tags)


def page_kind(path: str) -> str:
    """``"plain"``, ``"charts"`` or ``"map"``: what the page at ``path`` draws."""
    name = path.strip("/").rsplit("/", 1)[-1]
    return "plain" if name in NO_CHARTS else "charts" if name in NO_WARD_MAP else "map"


def page_path(scope: dict) -> str | None:
    """The path of the app page an ASGI request asks for; None if not a page request.

    A page is Streamlit's ``index.html``, whatever the path; other paths serve other things.
    """
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return None
    path = scope.get("path", "")
    root = (scope.get("root_path") or "").rstrip("/")
    if root and path.startswith(root):
        path = path[len(root):]
    return None if NOT_A_PAGE.search(path) else path


def with_tags(body: bytes, first: bytes, last: bytes) -> bytes:
    """``body`` with ``first`` after its ``<head>`` and ``last`` before its ``</head>``."""
    if b"<head>" not in body or b"</head>" not in body:
        return body
    body = body.replace(b"<head>", b"<head>" + first, 1)
    return body.replace(b"</head>", last + b"</head>", 1)


class HeadHints:
    """ASGI middleware: add the tags to each HTML page Streamlit sends."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        """Pass everything through; rewrite a page's body once it is complete."""
        path = page_path(scope)
        first, last = HINTS.get(page_kind(path or ""), (b"", b""))
        if path is None or not (first or last):
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", [])
                                      if k.lower() not in UNWANTED]}
        start: dict | None = None
        chunks: list[bytes] = []

        async def rewrite(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if message.get("status") == 200 and content_type.startswith(b"text/html"):
                    start = message
                    return
            elif start is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = with_tags(b"".join(chunks), first, last)
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in STALE]
                await send({**start, "headers": [
                    *headers, (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, rewrite)
