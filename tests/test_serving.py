"""Tests for equity.ui.serving: 503 until warm, then a long cache for hashed static files."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from equity.ui import serving


async def _upstream(scope, receive, send):
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"cache-control", b"no-cache")]})
    await send({"type": "http.response.body", "body": b"from the app"})


def _call(path: str, kind: str = "http") -> list[dict]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    call = serving.ReadyWhenWarm(_upstream)({"type": kind, "path": path}, receive, send)
    # In a thread of its own: Playwright's sync API may have left a loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, call).result()
    return sent


def _headers(messages) -> dict[bytes, bytes]:
    return dict(messages[0].get("headers", []))


@pytest.fixture
def cold():
    serving.WARM.clear()
    yield
    serving.WARM.set()


def test_a_warming_server_is_not_ready_and_says_when_to_come_back(cold):
    health = _call("/_stcore/health")
    assert health[0]["status"] == 503 and health[1]["body"] == b"warming up"
    assert _headers(health)[b"retry-after"] == b"2"
    page = _call("/health")
    assert page[0]["status"] == 503 and b"starting up" in page[1]["body"]
    assert b'http-equiv="refresh"' in page[1]["body"]  # a lone server's visitor just waits
    assert _call("/_stcore/stream", "websocket") == [{"type": "websocket.close", "code": 1013}]


def test_a_warm_server_passes_requests_through():
    serving.WARM.set()
    assert _call("/_stcore/health")[0]["status"] == 200
    assert _call("/_stcore/stream", "websocket") == [{"type": "websocket.accept"}]
    plain = _headers(_call("/app/static/plotly-equity.min.js"))
    assert plain[b"cache-control"] == b"no-cache"


def test_content_hashed_files_are_cached_for_a_year():
    serving.WARM.set()
    messages = _call("/app/static/geo/wards.0123456789abcdef.json")
    headers = messages[0]["headers"]
    assert [v for k, v in headers if k == b"cache-control"] == [serving.LONG_CACHE]
    assert messages[1]["body"] == b"from the app"


def test_warm_up_builds_the_figures_and_marks_the_process_ready(cold, monkeypatch):
    from equity.ui import cache

    calls = []
    monkeypatch.setattr(cache, "warm_process", lambda: calls.append("warm") or 3)
    assert not serving.WARM.is_set()
    serving.warm_up()
    assert calls == ["warm"]
    assert serving.WARM.is_set()


def test_a_failed_warm_up_still_lets_the_server_answer(cold, monkeypatch):
    from equity.bundle import BundleError
    from equity.ui import cache

    def missing():
        raise BundleError("no bundle at /nowhere")

    monkeypatch.setattr(cache, "cached_bundle", missing)
    serving.warm_up()
    assert serving.WARM.is_set()  # the pages then say the data could not be loaded
