"""Lanes throughput: 4 lanes of the spiral setting in one live session, against one lane alone.

`lanes_vs_alone` is the 4 lanes' examples/s together over 4 × the examples/s of the same
session training one lane (session_examples_per_s): 1.0 would be four lanes for the price of
one, 0.25 no better than training them one after another.
"""

from __future__ import annotations

import json
import time
from typing import Any

import msgpack
from websockets.sync.client import ClientConnection, connect

from bench.sessions import AT_MAX_SPEED, SPIRAL_SETTING

LANES = 4
FOUR_ALIKE = {"type": "compare", "setting": "activation", "values": ["tanh"] * LANES}
"""Four lanes of the spiral setting itself: the same work in every lane."""


def _next_lanes_frame(ws: ClientConnection) -> dict[str, Any]:
    while True:
        message = ws.recv(timeout=5)
        if isinstance(message, bytes):
            event: dict[str, Any] = msgpack.unpackb(message)
            if event["type"] == "lanes_frame":
                return event


def lanes_examples_per_s(url: str, seconds: float = 5.0) -> float:
    """Training examples/s of all lanes together while the session streams to a client."""
    batch = 10  # SPIRAL_SETTING's batch size
    with connect(url, max_size=None) as ws:
        for command in (SPIRAL_SETTING, AT_MAX_SPEED, FOUR_ALIKE, {"type": "play"}):
            ws.send(json.dumps(command))
        first: tuple[float, int] | None = None
        last: tuple[float, int] | None = None
        deadline = time.perf_counter() + seconds + 1
        while time.perf_counter() < deadline:
            lanes = _next_lanes_frame(ws)["lanes"]
            step = int(lanes[0]["step"])
            if step == 0 or len(lanes) != LANES:
                continue
            last = (time.perf_counter(), step)
            first = first or last  # the clock starts on the first frame that trained
        assert first is not None and last is not None and last[0] > first[0]
        steps = int(last[1]) - int(first[1])
        return steps * batch * LANES / (last[0] - first[0])


def lanes_vs_alone(url: str, alone_examples_per_s: float) -> dict[str, float]:
    """The lanes' examples/s and their ratio to 4 × one lane alone."""
    together = lanes_examples_per_s(url)
    return {
        "lanes_examples_per_s": round(together, 1),
        "lanes_vs_alone": round(together / (LANES * alone_examples_per_s), 3),
    }
