"""The HTTP edge: which origins may open a socket, security headers, and a bound on bodies.

Two ASGI middlewares and one check. They are plain ASGI rather than BaseHTTPMiddleware, so a
response streams through untouched and a body is never buffered to be measured.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection, Mapping
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_CLOSE_REASON_BYTES = 123
"""A websocket close frame carries at most 123 bytes of reason (RFC 6455 §5.5)."""

SAFE_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
"""A Host header that may be written into the CSP as it is (no spaces, quotes or `;`)."""


def normalize_origin(origin: str) -> str:
    """`scheme://host[:port]` in lower case without a trailing slash, as browsers send it."""
    return origin.strip().rstrip("/").lower()


def origin_allowed(origin: str | None, host: str | None, allowed: Collection[str]) -> bool:
    """Whether a websocket whose handshake says `Origin: origin` and `Host: host` may open.

    No Origin means no browser (scripts, the bench, tests); browsers always send one. Then the
    page's own origin, and the configured `allowed` ones (normalized). Only the host and port
    of the page's own origin are compared with the Host header, not the scheme: behind a proxy
    that terminates TLS the server sees `ws` for a page served over https, and what the check
    stops, another site's page opening sockets from its visitors' browsers, always has another
    host. Gorilla's websocket CheckOrigin compares the same way.
    """
    if origin is None:
        return True
    origin = normalize_origin(origin)
    if origin in allowed:
        return True
    return host is not None and _same_host(origin, host.strip().lower())


def host_allowed(
    host: str | None, server: tuple[str, int] | list[object] | None, allowed: Collection[str]
) -> bool:
    """Whether a request's `Host` names this server, against DNS rebinding.

    A page of evil.example whose name is made to resolve to 127.0.0.1 reaches a loopback
    server with `Host: evil.example` (and the same Origin, so the origin check passes). A
    server listening on loopback only (`server`, the socket's local address) is reached by
    localhost names and IP addresses, and by the `allowed` names; with `allowed` set, that
    holds for any server. Without a Host header there is no name to rebind.
    """
    if host is None:
        return True
    if not allowed and not _is_loopback(server):
        return True  # a public server has names of its own; NNP_ALLOWED_HOSTS lists them
    name = urlsplit(f"//{host.strip().lower()}").hostname or ""
    if name in allowed or name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(server: tuple[str, int] | list[object] | None) -> bool:
    try:
        return server is not None and ipaddress.ip_address(str(server[0])).is_loopback
    except ValueError:  # a name, such as TestClient's "testserver", or a unix socket path
        return False


def host_refusal(host: str) -> str:
    """The answer to a refused Host, cut to fit a close frame."""
    shown = host if len(host) <= 60 else host[:57] + "..."
    reason = f"host {shown} is not allowed; see NNP_ALLOWED_HOSTS"
    return reason.encode()[:MAX_CLOSE_REASON_BYTES].decode(errors="ignore")


class HostCheck:
    """Answers HTTP requests whose Host fails `host_allowed` with 400 (websockets: ws.py)."""

    def __init__(self, app: ASGIApp, allowed: Collection[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = Headers(scope=scope).get("host")
            if not host_allowed(host, scope.get("server"), self.allowed):
                response = JSONResponse({"detail": host_refusal(host or "")}, status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _same_host(origin: str, host: str) -> bool:
    try:
        page = urlsplit(origin)
        server = urlsplit(f"//{host}")
        default = DEFAULT_PORTS.get(page.scheme)
        if default is None or not page.hostname or page.hostname != server.hostname:
            return False
        return (page.port or default) == (server.port or default)
    except ValueError:  # a port that is not a number, or out of range
        return False


def origin_refusal(origin: str) -> str:
    """The close reason for a refused origin, cut to fit a close frame."""
    shown = origin if len(origin) <= 60 else origin[:57] + "..."
    reason = f"origin {shown} is not allowed; see NNP_ALLOWED_ORIGINS"
    return reason.encode()[:MAX_CLOSE_REASON_BYTES].decode(errors="ignore")


def content_security_policy(host: str | None) -> str:
    """The CSP for every response: nothing inline, nothing from elsewhere, never framed.

    Styles need no 'unsafe-inline': the built page has no inline styles, and Svelte sets
    `style:` directives through the CSSOM (element.style), which CSP does not govern.
    """
    connect = "'self'"
    if host is not None and SAFE_HOST.fullmatch(host):
        connect += f" ws://{host} wss://{host}"  # 'self' covers these only in CSP level 3
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            f"connect-src {connect}",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
    )


STATIC_SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}


class SecurityHeaders:
    """Adds the CSP and the headers above to every HTTP response, unless the route set them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = content_security_policy(Headers(scope=scope).get("host"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", csp)
                for name, value in STATIC_SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """413 for a request body over the limit; an HTTPException, so FastAPI passes it through."""

    def __init__(self, limit: int, size: int | None = None) -> None:
        sent = f"{size} bytes" if size is not None else f"more than {limit} bytes"
        super().__init__(413, f"request body too large: {sent}; the limit is {limit} bytes")


class RequestBodyLimit:
    """Refuses HTTP bodies over `max_bytes` (`per_path` for the paths it names) with 413.

    The answer is JSON with a `detail`, never a 500. A declared Content-Length over the limit
    is answered before a byte of the body is read; a chunked body is counted as it streams in,
    and the request fails on the chunk that crosses the limit, so at most the limit plus one
    chunk is ever held.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, per_path: Mapping[str, int]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = per_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope["path"], self.max_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(BodyTooLarge(limit, declared), scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge as exc:
            if started:  # too late to answer; no route here responds before reading its body
                raise
            await _refuse(exc, scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None  # the server rejects a malformed length; otherwise counting still applies


async def _refuse(exc: BodyTooLarge, scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    await response(scope, receive, send)
