"""The HTTP edge: websocket origins, CORS, security headers, body limits, no unsafe loaders."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message
from starlette.websockets import WebSocketDisconnect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.typing import Origin

from server import limits
from server.app import create_app
from server.security import content_security_policy
from server.settings import Settings
from server.ws import CLOSE_POLICY_VIOLATION
from tests.conftest import receive_event
from tests.server.live import serving

SCHOOL = "https://school.example"
EVIL = "https://evil.example"


def expect_refused(client: TestClient, origin: str) -> str:
    """Open /ws as a page from `origin`, expect a 1008 close, and return its reason."""
    with (
        client.websocket_connect("/ws", headers={"origin": origin}) as ws,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        ws.receive_text()
    assert closed.value.code == CLOSE_POLICY_VIOLATION
    return str(closed.value.reason)


def expect_hello(client: TestClient, headers: dict[str, str]) -> None:
    with client.websocket_connect("/ws", headers=headers) as ws:
        assert receive_event(ws)["type"] == "hello"


# --- websocket origins ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},  # no Origin: not a browser (scripts, the bench)
        {"origin": "http://testserver"},  # the page this server served (TestClient's Host)
        {"origin": "https://testserver"},  # the same page behind a proxy that terminates TLS
        {"origin": "http://localhost:5173", "host": "localhost:5173"},  # the Vite dev proxy
        {"origin": "http://[::1]:8000", "host": "[::1]:8000"},
    ],
)
def test_sockets_from_no_origin_or_the_pages_own_origin_open(
    client: TestClient, headers: dict[str, str]
) -> None:
    expect_hello(client, headers)


@pytest.mark.parametrize(
    "origin",
    [
        EVIL,
        "http://testserver:8080",  # same host, another port: another origin
        "http://testserver.evil.example",
        "null",  # sandboxed frames and file:// pages
        "http://testserver:notaport",
        "ftp://testserver",
    ],
)
def test_sockets_from_other_origins_are_closed_with_1008_naming_the_origin(
    client: TestClient, origin: str
) -> None:
    assert origin in expect_refused(client, origin)


def test_a_long_origin_still_fits_the_close_reason(client: TestClient) -> None:
    origin = "https://" + "a" * 300 + ".example"
    reason = expect_refused(client, origin)
    assert reason.startswith("origin https://aaa") and len(reason.encode()) <= 123


def test_configured_origins_open_and_others_are_still_refused() -> None:
    settings = Settings(device="cpu", allowed_origins=[SCHOOL + "/", "http://Lab.example:8080"])
    with TestClient(create_app(settings)) as client:
        expect_hello(client, {"origin": SCHOOL})
        expect_hello(client, {"origin": "http://lab.example:8080"})
        expect_hello(client, {"origin": "http://testserver"})
        assert EVIL in expect_refused(client, EVIL)


def test_the_origin_is_checked_before_a_session_is_made() -> None:
    with TestClient(create_app(Settings(device="cpu", max_sessions=1))) as client:
        with client.websocket_connect("/ws") as held:
            assert receive_event(held)["type"] == "hello"
            expect_refused(client, EVIL)  # 1008, not 1013: it never asked for a session
        expect_hello(client, {})  # and it took no slot


def test_allowed_origins_come_comma_separated_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NNP_ALLOWED_ORIGINS", f" {SCHOOL}/ , http://lab.example:8080")
    assert Settings().allowed_origins == [SCHOOL, "http://lab.example:8080"]
    monkeypatch.setenv("NNP_ALLOWED_ORIGINS", "school.example")
    with pytest.raises(ValueError, match="not an origin"):
        Settings()


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    """The app under uvicorn on a free port, for what TestClient does not show: the wire."""
    with serving(create_app(Settings(device="cpu"))) as (host, port):
        yield f"{host}:{port}"


def test_a_real_client_from_another_origin_reads_1008_and_the_reason(live_url: str) -> None:
    with (
        connect(f"ws://{live_url}/ws", origin=Origin(EVIL), proxy=None) as ws,
        pytest.raises(ConnectionClosed) as closed,
    ):
        ws.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == CLOSE_POLICY_VIOLATION
    assert EVIL in closed.value.rcvd.reason
    own = Origin(f"http://{live_url}")
    with connect(f"ws://{live_url}/ws", origin=own, proxy=None) as ws:
        assert '"hello"' in str(ws.recv(timeout=10))


# --- CORS ---------------------------------------------------------------------------------------


def preflight(client: TestClient, origin: str) -> Any:
    headers = {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    }
    return client.options("/api/regions", headers=headers)


def test_cors_is_closed_by_default(client: TestClient) -> None:
    answer = preflight(client, SCHOOL)
    assert answer.status_code >= 400
    assert "access-control-allow-origin" not in answer.headers
    health = client.get("/api/health", headers={"origin": SCHOOL})
    assert "access-control-allow-origin" not in health.headers


def test_cors_allows_exactly_the_configured_origins() -> None:
    with TestClient(create_app(Settings(device="cpu", allowed_origins=[SCHOOL]))) as client:
        answer = preflight(client, SCHOOL)
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == SCHOOL
        assert "POST" in answer.headers["access-control-allow-methods"]
        health = client.get("/api/health", headers={"origin": SCHOOL})
        assert health.headers["access-control-allow-origin"] == SCHOOL
        assert preflight(client, EVIL).status_code >= 400
        other = client.get("/api/health", headers={"origin": EVIL})
        assert "access-control-allow-origin" not in other.headers


# --- security headers ---------------------------------------------------------------------------


@pytest.fixture
def built_page(tmp_path: Path) -> Iterator[TestClient]:
    """The app serving a stand-in built frontend, so the test does not need `npm run build`."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<script type="module" src="/assets/app.js"></script>')
    (tmp_path / "assets" / "app.js").write_text("export {};")
    with TestClient(create_app(Settings(device="cpu", static_dir=str(tmp_path)))) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/assets/app.js"),
        ("GET", "/api/health"),
        ("GET", "/api/catalog"),
        ("GET", "/api/nothing-here"),  # 404
        ("POST", "/api/regions"),  # 422
    ],
)
def test_every_response_carries_the_security_headers(
    built_page: TestClient, method: str, path: str
) -> None:
    answer = built_page.request(method, path, json={} if method == "POST" else None)
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "connect-src 'self' ws://testserver wss://testserver" in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cross-origin-opener-policy"] == "same-origin"


def test_an_odd_host_header_stays_out_of_the_policy() -> None:
    csp = content_security_policy("evil.example; script-src *")
    assert "connect-src 'self';" in csp and "evil" not in csp
    assert "wss://[::1]:8000" in content_security_policy("[::1]:8000")


# --- request bodies -----------------------------------------------------------------------------


LIMITS = [
    ("/api/pytorch", limits.MAX_REQUEST_BYTES),
    ("/api/datasets/csv", limits.MAX_REQUEST_BYTES),
    ("/api/weights/from-safetensors", limits.MAX_SAFETENSORS_BYTES),
    ("/api/weights/safetensors", limits.MAX_MESSAGE_BYTES),  # the largest weights as JSON
    ("/api/regions", limits.MAX_REGIONS_REQUEST_BYTES),  # the largest network it takes is 2-3 MB
]


@pytest.mark.parametrize(("path", "limit"), LIMITS)
def test_a_body_over_the_limit_is_413_by_its_content_length(
    client: TestClient, path: str, limit: int
) -> None:
    body = b"[" + b"0," * (limit // 2) + b"0]"
    answer = client.post(path, content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["detail"] == (
        f"request body too large: {len(body)} bytes; the limit is {limit} bytes"
    )
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("path", "limit"), LIMITS)
def test_a_chunked_body_over_the_limit_is_413(client: TestClient, path: str, limit: int) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: sent with Transfer-Encoding: chunked
        for _ in range(limit // (100 * 1024) + 1):
            yield b"x" * (100 * 1024)

    answer = client.post(path, content=chunks())
    assert answer.status_code == 413
    assert answer.json()["detail"].endswith(f"the limit is {limit} bytes")


def test_bodies_under_the_limit_reach_their_route(client: TestClient) -> None:
    small = client.post("/api/datasets/csv", content=b"x1,x2,label\n0,0,0\n1,1,1\n")
    assert small.status_code == 200
    csv = client.post("/api/datasets/csv", content=b"x" * (limits.MAX_CSV_BYTES + 1))
    assert csv.status_code == 413 and str(limits.MAX_CSV_BYTES) in csv.json()["detail"]


def test_an_endless_chunked_body_is_read_only_up_to_the_limit() -> None:
    """At the ASGI level, where chunks arrive one by one, as uvicorn delivers them."""
    app = create_app(Settings(device="cpu"))
    chunk = b"x" * 65536
    reads = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/datasets/csv",
        "raw_path": b"/api/datasets/csv",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    # A thread of its own: the browser tests' sync Playwright leaves an event loop running in
    # this one, and asyncio.run refuses to start inside it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: asyncio.run(asyncio.wait_for(app(scope, receive, send), 10))).result()
    assert sent[0]["status"] == 413
    assert reads == limits.MAX_REQUEST_BYTES // len(chunk) + 1
