"""The server around the app (``serve.py``): warm before visitors, ready only when warm.

``streamlit run serve.py`` runs ``app.py`` inside Streamlit's ``st.App`` with this module's
lifespan and middleware:

* **Warm-up when the process starts.** The lifespan starts :func:`warm_up` in a thread as the
  server starts: it reads the bundle, publishes the map shapes and builds what the pages
  share, every theme page's unfiltered figures among them (``equity.ui.cache.warm_process``),
  then freezes them out of the collector's sight.
  Without it, the first visitor after a start waited for all of that (5.75 s to the map on
  /health, against 2.27 s for the next visitor).
* **Ready only when warm.** Until then :class:`ReadyWhenWarm` answers every request with 503
  and ``Retry-After``: the health check (``/_stcore/health``, which Docker's HEALTHCHECK
  probes) says "warming up", and the nginx front, told to try the next replica on a 503
  (``proxy_next_upstream http_503``), sends visitors to a warm replica. A visitor who reaches
  a lone warming server gets a short page that reloads itself.
* **Long cache for hashed files.** Files under ``/app/static/`` whose names carry their
  content's hash (``equity.static_files.HASHED_NAME``: the map shapes) are sent with
  ``Cache-Control: public, max-age=31536000, immutable``; Streamlit sends none.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from equity.static_files import HASHED_NAME

LOG = logging.getLogger(__name__)

WARM = threading.Event()
"""Set once :func:`warm_up` has finished (whether or not the bundle could be read)."""

LONG_CACHE = b"public, max-age=31536000, immutable"
RETRY_AFTER_SECONDS = 2

WARMING_PAGE = (
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    f"<meta http-equiv=\"refresh\" content=\"{RETRY_AFTER_SECONDS}\">"
    "<title>Starting up</title></head><body><p>The dashboard is starting up and will open in "
    "a moment. This page reloads itself.</p></body></html>").encode()


def warm_up() -> float:
    """Build what every visitor needs once, then mark the process ready; return the seconds.

    A bundle that cannot be read is logged and the process still becomes ready: every page
    then says the data could not be loaded, which is better than a server that never answers.
    """
    from equity.bundle import BundleError
    from equity.ui import cache

    started = time.perf_counter()
    try:
        built = cache.warm_process()
        _start_page_hints()
        LOG.info("warm: %d indicators' figures built in %.2f s", built,
                 time.perf_counter() - started)
    except BundleError as exc:
        LOG.error("warm-up: ward data bundle not loaded: %s", exc)
    except Exception:  # a failed warm-up must not leave the server unready for good
        LOG.exception("warm-up failed; pages will build their figures on first use")
    finally:
        WARM.set()
    return time.perf_counter() - started


def _start_page_hints() -> None:
    """Give every page the head that starts its first map early (``equity.ui.page_head``)."""
    from equity.ui import page_head

    try:
        page_head.set_hints(page_head.first_map_hints())
    except Exception:  # pages still work without the hints, only a little slower
        LOG.exception("page head hints not used")


@asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    """Start :func:`warm_up` as the server starts; the server answers 503 until it ends."""
    threading.Thread(target=warm_up, name="equity-warm-up", daemon=True).start()
    yield


def _is_health(path: str) -> bool:
    return path.rstrip("/").endswith("/_stcore/health")


class ReadyWhenWarm:
    """ASGI middleware: 503 until warm, then a long cache for content-hashed static files."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        """Answer 503 while warming; afterwards pass through, long-caching hashed files."""
        kind = scope.get("type")
        if kind == "websocket" and not WARM.is_set():
            # 1013 "try again later": Streamlit's page reconnects by itself.
            await send({"type": "websocket.close", "code": 1013})
            return
        if kind != "http":
            await self.app(scope, receive, send)
            return
        if not WARM.is_set():
            await self._warming(scope, send)
            return
        if not HASHED_NAME.search(scope.get("path", "")):
            await self.app(scope, receive, send)
            return

        async def send_long_cached(message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", LONG_CACHE)]}
            await send(message)

        await self.app(scope, receive, send_long_cached)

    @staticmethod
    async def _warming(scope, send) -> None:
        health = _is_health(scope.get("path", ""))
        body = b"warming up" if health else WARMING_PAGE
        await send({"type": "http.response.start", "status": 503, "headers": [
            (b"content-type", b"text/plain; charset=utf-8" if health
             else b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
            (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": body})
