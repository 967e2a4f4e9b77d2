"""Churn (issue 20): clients that connect and leave at once, back to back, then one that trains.

Before a closing session could leave the training gate's line, ~650 such cycles filled every
session slot with closes waiting their turn, and new sockets got 1013 (docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import msgpack
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from bench.sessions import AT_MAX_SPEED, SPIRAL_SETTING

TIMEOUT = 10.0


def churn(url: str, cycles: int = 2000) -> dict[str, Any]:
    """Seconds for `cycles` connect/hello/close cycles while one session plays beside them,
    how many were refused, and whether (and how soon) a new session then trains."""
    refused = 0
    with connect(url, proxy=None) as busy:  # keeps the gate busy, as on a real server
        busy.send(json.dumps(SPIRAL_SETTING))
        busy.send(json.dumps(AT_MAX_SPEED))
        busy.send(json.dumps({"type": "play"}))
        started = time.perf_counter()
        for _ in range(cycles):
            refused += not _hello(url)
        seconds = time.perf_counter() - started
    asked = time.perf_counter()
    with connect(url, proxy=None) as ws:
        ws.send(json.dumps({"type": "step", "steps": 5}))
        trained = False
        while not trained and time.perf_counter() - asked < TIMEOUT:
            message = ws.recv(timeout=TIMEOUT)
            if isinstance(message, bytes):
                frame: dict[str, Any] = msgpack.unpackb(message)
                trained = frame["type"] == "frame" and frame["step"] == 5
    return {
        f"churn_cycles_{cycles}_seconds": round(seconds, 2),
        f"churn_cycles_{cycles}_refused": refused,
        "churn_next_session_trained": trained,
        "churn_next_session_ms": round(1000 * (time.perf_counter() - asked), 1),
    }


def _hello(url: str) -> bool:
    """Connect, read the hello and leave at once; False when the server refused (1013)."""
    ws = connect(url, proxy=None, open_timeout=TIMEOUT)
    try:
        ws.recv(timeout=TIMEOUT)  # the hello, or a 1013 close
    except ConnectionClosed:
        return False
    finally:
        with contextlib.suppress(ConnectionClosed):  # a close the server did not answer
            ws.close()
    return True
