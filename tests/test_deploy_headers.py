"""The public front's response headers and refusals (issue 12, point 4), checked over HTTP.

nginx with deploy/nginx-loopback.conf runs in front of one streamlit replica, started by
deploy/run_loopback.sh on free loopback ports (tests/nginx_front.py). Every kind of response a
visitor can get, a page, Streamlit's and the app's static files, a 404 from Streamlit, nginx's
own answers, a refused endpoint and the websocket handshake, must carry the security headers,
and none may name an internal address. Streamlit's metrics, script health check and agent API
are refused however the path is spelt. Whether the CSP lets every page draw is
tests/browser/test_csp_browser.py's job; the static checks at the end need no nginx.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import socket
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import streamlit

from tests.nginx_front import NGINX_CONF, REPO_ROOT, RUN_LOOPBACK, loopback_front

# The Content-Security-Policy, directive by directive (docs/DEPLOY.md says why each source).
EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'", "blob:", "'wasm-unsafe-eval'",
                   "'sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA='"},
    "style-src": {"'self'", "'unsafe-inline'"},
    "img-src": {"'self'", "data:", "blob:"},
    "font-src": {"'self'", "data:"},
    "connect-src": {"'self'"},
    "worker-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "object-src": {"'none'"},
}
EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
# Refused through nginx, each also under spellings that Streamlit would route to the same
# endpoint (it decodes %-escapes itself) or that nginx normalises.
REFUSED = [
    "/_stcore/metrics",
    "/_stcore/metrics?families=session_count",
    "/_stcore/%6Detrics",
    "/_stcore%2Fmetrics",
    "/_stcore/./metrics",
    "//_stcore/metrics",
    "/_stcore//metrics",
    "/health/../_stcore/metrics",
    "/_stcore/metrics/",
    "/_stcore/script-health-check",
    "/_stcore/agent/openapi.json",
    "/_stcore/agent/interact",
    "/_stcore/agent/mcp",
]
METRICS_MARKERS = (b"# TYPE", b"cache_memory_bytes", b"session_events", b"openapi")


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    with loopback_front(tmp_path_factory.mktemp("front")) as running:
        yield running


def _request(base: str, path: str, gzip: bool = False) -> tuple[int, list[tuple[str, str]], bytes]:
    """One GET with the path sent exactly as given (no client-side normalising)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip" if gzip else "identity"})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _websocket_handshake(base: str) -> tuple[int, list[tuple[str, str]]]:
    """The browser's upgrade request for /_stcore/stream; status and headers of the answer."""
    parts = urlsplit(base)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {parts.netloc}\r\nOrigin: {base}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request.encode())
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in head[1:] if ":" in line]
    return status, headers


def _csp(value: str) -> dict[str, set[str]]:
    out = {}
    for directive in filter(None, (d.strip() for d in value.split(";"))):
        name, *sources = directive.split()
        assert name not in out, f"directive {name} given twice"
        out[name] = set(sources)
    return out


def _one(headers: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in headers if k.lower() == name.lower()]
    assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
    return values[0] if values else None


def _assert_secure_headers(headers: list[tuple[str, str]], where: str, front) -> None:
    csp = _one(headers, "Content-Security-Policy")
    assert csp is not None, f"{where}: no Content-Security-Policy"
    assert _csp(csp) == EXPECTED_CSP, f"{where}: CSP is {csp!r}"
    for name, value in EXPECTED_HEADERS.items():
        assert _one(headers, name) == value, f"{where}: {name} is {_one(headers, name)!r}"
    assert _one(headers, "X-Upstream") is None, f"{where}: X-Upstream is still sent"
    assert _one(headers, "Server") == "nginx", f"{where}: Server is {_one(headers, 'Server')!r}"
    # No internal address or port anywhere: loopback, the replica's port, any private range.
    internal = re.compile(rf"127\.0\.0\.1|localhost|\b{front.replica_port}\b|\b10\.\d+\.\d+\.\d+\b"
                          r"|\b192\.168\.\d+\.\d+\b|\b172\.(1[6-9]|2\d|3[01])\.\d+\.\d+\b|\[?::1\]?")
    leaks = [(k, v) for k, v in headers if internal.search(v)]
    assert not leaks, f"{where}: internal address in {leaks}"


def _static_js(front) -> str:
    """Streamlit's main script, as the page links it."""
    _, _, body = _request(front.url, "/")
    match = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', body)
    assert match, "no index.*.js script in Streamlit's page"
    return "/" + match[1].decode()


# ----------------------------------------------------------------------------- through nginx
@pytest.mark.parametrize("kind, path, status", [
    ("page", "/", 200),
    ("page with a view in its URL", "/skills?indicator=no_qualifications&ward=E05011118", 200),
    ("the app's plotly.js build", "/app/static/plotly-equity.min.js", 200),
    ("a 404 from Streamlit", "/app/static/no-such-file.js", 404),
    ("a 404 for a download that is gone", "/media/no-such-file.csv", 404),
    ("Streamlit's health (proxied)", "/_stcore/health", 200),
    ("Streamlit's host config (the page needs it)", "/_stcore/host-config", 200),
    ("nginx's own health", "/nginx-health", 200),
    ("a refused endpoint", "/_stcore/metrics", 404),
])
def test_every_response_carries_the_security_headers(front, kind, path, status):
    got, headers, _ = _request(front.url, path)
    assert got == status, f"{kind} {path}: {got}"
    _assert_secure_headers(headers, f"{kind} {path}", front)


def test_streamlit_static_files_carry_the_security_headers(front):
    path = _static_js(front)
    status, headers, _ = _request(front.url, path)
    assert status == 200, path
    _assert_secure_headers(headers, path, front)
    assert _one(headers, "Content-Type").startswith(("application/javascript", "text/javascript"))


def test_websocket_handshake_names_the_replica_but_not_its_address(front):
    status, headers = _websocket_handshake(front.url)
    assert status == 101, headers
    _assert_secure_headers(headers, "websocket handshake", front)
    # The load test attributes sessions by this opaque name (bench/loadtest.py).
    assert _one(headers, "X-Replica") == "r1"


@pytest.mark.parametrize("path", REFUSED)
def test_internal_endpoints_are_refused(front, path):
    status, headers, body = _request(front.url, path)
    assert status == 404, f"{path}: {status} {body[:200]!r}"
    assert not any(marker in body for marker in METRICS_MARKERS), f"{path}: {body[:300]!r}"
    _assert_secure_headers(headers, path, front)


def test_metrics_stay_on_the_replicas_loopback_port(front):
    """The refusal is nginx's: the replica itself still serves metrics (and the escaped
    spellings reach them there), on an address only this machine can reach."""
    for path in ("/_stcore/metrics", "/_stcore/%6Detrics"):
        status, _, body = _request(front.replica_url, path)
        assert status == 200 and b"# TYPE" in body, (path, status, body[:200])


def test_endpoints_the_page_needs_still_answer(front):
    assert _request(front.url, "/_stcore/health")[2] == b"ok"
    status, _, body = _request(front.url, "/_stcore/host-config")
    assert status == 200 and body.startswith(b"{")
    status, headers, _ = _request(front.url, "/app/static/plotly-equity.min.js", gzip=True)
    assert status == 200 and _one(headers, "Content-Encoding") == "gzip"


# ----------------------------------------------------------------------------- static
def test_csp_hash_is_that_of_streamlits_inline_script():
    """The CSP allows Streamlit's one inline script by its hash; a Streamlit upgrade that
    changes the script must change the conf (and EXPECTED_CSP) with it."""
    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = [m["body"] for m in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>",
                                             html, re.S) if "src=" not in m["attrs"]]
    assert inline, "Streamlit's index.html has no inline script: drop the hash from the CSP"
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
              for s in inline}
    allowed = {s for s in EXPECTED_CSP["script-src"] if s.startswith("'sha256-")}
    assert hashes == allowed, f"index.html's inline scripts hash to {hashes}; the CSP allows {allowed}"
    conf = NGINX_CONF.read_text(encoding="utf-8")
    assert all(h in conf for h in hashes)


def test_conf_sets_headers_in_one_place_only():
    """nginx drops inherited add_header lines in a location that has its own, so every
    add_header must sit at server level (see the conf's comment)."""
    conf = NGINX_CONF.read_text(encoding="utf-8")
    for block in re.finditer(r"location\s[^{]*\{(?P<body>[^}]*)\}", conf):
        assert "add_header" not in block["body"], block[0]
    assert "X-Upstream" not in re.sub(r"#.*", "", conf)


def test_server_addresses():
    """Local runs and replicas: loopback only. The container: every interface of its own
    network namespace, so the published port reaches it (docs/DEPLOY.md, "Addresses")."""
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert cmd and '"--server.address", "0.0.0.0"' in cmd[1], "the container must listen on 0.0.0.0"
    script = RUN_LOOPBACK.read_text(encoding="utf-8")
    assert "--server.address 127.0.0.1" in script
    conf = re.sub(r"#.*", "", NGINX_CONF.read_text(encoding="utf-8"))
    assert re.findall(r"listen\s+([^;]+);", conf) == ["127.0.0.1:8600"]
    assert all(a.startswith("127.0.0.1:") for a in re.findall(r"server\s+(\S+:\d+)", conf))


def test_the_map_shapes_come_gzipped_through_the_front_and_cached_for_a_year(front):
    """The one shapes file every map names: compressed on the way, never fetched twice."""
    import gzip as gz

    from equity import static_files

    name = next(p.name for p in (REPO_ROOT / "static" / static_files.SHAPES_FOLDER).glob(
        "wards.*.json") if static_files.HASHED_NAME.search(p.name)
        and subprocess.run(["git", "ls-files", "--error-unmatch", str(p)], cwd=REPO_ROOT,
                           capture_output=True).returncode == 0)
    status, headers, body = _request(front.url, f"/app/static/geo/{name}", gzip=True)
    assert status == 200
    got = {k.lower(): v for k, v in headers}
    assert got["cache-control"] == "public, max-age=31536000, immutable"
    assert got["content-encoding"] == "gzip"
    shapes = gz.decompress(body)
    assert shapes == (REPO_ROOT / "static" / "geo" / name).read_bytes()
    assert len(body) < len(shapes) / 3
    _assert_secure_headers(headers, name, front)
    # A name without a content hash keeps Streamlit's own caching.
    _, plain, _ = _request(front.url, "/app/static/plotly-equity.min.js")
    assert "immutable" not in dict((k.lower(), v) for k, v in plain).get("cache-control", "")
