"""The websocket endpoint: accept, hello, then a receiver and a sender until the client leaves."""

from __future__ import annotations

import asyncio
import time
from typing import Literal

import anyio
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from models.config import RunSpec
from server import __version__, limits
from server.encode import encode_event
from server.latest import Outbox
from server.protocol import HelloEvent
from server.security import host_allowed, host_refusal, origin_allowed, origin_refusal
from server.session import Session
from server.state import AppState, AppStateDep

CLOSE_POLICY_VIOLATION = 1008
"""Close code for a page from an origin that is neither this server's nor allowed_origins."""
CLOSE_TRY_AGAIN_LATER = 1013
"""Close code for a socket over this process's Settings.max_sessions."""


async def serve_socket(websocket: WebSocket, state: AppStateDep) -> None:
    """Run one session for as long as its websocket is open; free it when the client leaves."""
    # Refusals accept, then close: a close before accept reaches a browser as a bare HTTP 403.
    await websocket.accept()
    origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
    if origin is not None and not origin_allowed(origin, host, state.settings.allowed_origins):
        await websocket.close(CLOSE_POLICY_VIOLATION, origin_refusal(origin))
        return
    if not host_allowed(host, websocket.scope.get("server"), state.settings.allowed_hosts):
        await websocket.close(CLOSE_POLICY_VIOLATION, host_refusal(host or ""))
        return
    if state.open_sessions >= state.settings.max_sessions:
        reason = f"server busy: {state.open_sessions} sessions open, try again later"
        await websocket.close(CLOSE_TRY_AGAIN_LATER, reason)
        return
    state.open_sessions += 1  # only the event loop counts, so no lock
    try:
        await _run_session(websocket, state)
    finally:
        state.open_sessions -= 1


async def _run_session(websocket: WebSocket, state: AppState) -> None:
    device = state.device
    page_grid = websocket.query_params.get("grid") == "page"
    outbox = Outbox(asyncio.get_running_loop(), page_grid=page_grid)
    session = Session(RunSpec(), device, outbox, state.gate)
    kind: Literal["cpu", "cuda"] = "cuda" if device.type == "cuda" else "cpu"
    hello = HelloEvent(version=__version__, device=kind, settings=session.settings)
    await websocket.send_text(hello.model_dump_json())
    session.start()  # after the hello, only the sender writes to the socket
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(_send_events, websocket, outbox)
            await _receive_commands(websocket, session)  # returns when the client leaves
            tg.cancel_scope.cancel()
    finally:
        # Shielded: when the session's task is cancelled (the client vanished, or a shutdown
        # ran past its grace period) the join must still happen, or the worker thread lives on.
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(session.close)  # joins the worker off the loop


async def _receive_commands(websocket: WebSocket, session: Session) -> None:
    budget = ByteBudget(limits.MAX_RECEIVE_BYTES_PER_SECOND, 2 * limits.MAX_MESSAGE_BYTES)
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            session.refuse("binary messages are not accepted; send commands as JSON text")
        elif len(text) > limits.MAX_MESSAGE_BYTES:
            session.refuse(
                f"message too large: {len(text)} bytes, limit {limits.MAX_MESSAGE_BYTES}"
            )
        else:
            session.handle_text(text)
        # A message already buffered is received without a pause: yield, so one client's
        # pipelined messages never hold the event loop from the other sessions and routes;
        # and read a client that sends faster than the budget more slowly.
        await asyncio.sleep(budget.spend(len(text or message.get("bytes") or b"")))


class ByteBudget:
    """A token bucket: `rate` bytes a second on average, bursts up to `burst`."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.at = burst, time.monotonic()

    def spend(self, size: int) -> float:
        """Take `size` bytes; returns how long to wait before reading on (0 within budget)."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate) - size
        self.at = now
        return max(0.0, -self.tokens / self.rate)


async def _send_events(websocket: WebSocket, outbox: Outbox) -> None:
    try:
        while websocket.application_state == WebSocketState.CONNECTED:
            for event in await outbox.get():
                payload = encode_event(event)
                if isinstance(payload, bytes):
                    await websocket.send_bytes(payload)
                else:
                    await websocket.send_text(payload)
    except (WebSocketDisconnect, RuntimeError):
        return  # the client left mid-send; the receiver ends the session
