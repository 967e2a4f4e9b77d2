"""A real uvicorn on loopback, for what TestClient does not show (the wire, close frames, slow
clients), and readers of the events a real websocket client receives."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgpack
import uvicorn
from fastapi import FastAPI
from websockets.sync.client import ClientConnection

Event = dict[str, Any]


@contextmanager
def serving(app: FastAPI, **config: Any) -> Iterator[tuple[str, int]]:
    """Run `app` under uvicorn on a free loopback port in a thread; yields (host, port).

    `config` goes to uvicorn.Config (e.g. ws_max_size). The server stops on exit.
    """
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", **config)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(10)


def events_within(ws: ClientConnection, seconds: float) -> list[Event]:
    """Every event received in the next `seconds`, decoded from JSON text or msgpack bytes."""
    out, end = [], time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        try:
            message = ws.recv(timeout=left)
        except TimeoutError:
            break
        out.append(msgpack.unpackb(message) if isinstance(message, bytes) else json.loads(message))
    return out


def frames_within(ws: ClientConnection, seconds: float) -> list[Event]:
    """Every frame received in the next `seconds`."""
    return [e for e in events_within(ws, seconds) if e["type"] == "frame"]
