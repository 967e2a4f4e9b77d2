"""The soak's playing clients, run in their own process by bench/soak.py so decoding frames costs
the server neither CPU nor GIL: `python -m bench.soak_players URL SESSIONS SECONDS` prints one
JSON line, per session the frames and the last step in each second."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import msgpack
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.sessions import AT_MAX_SPEED, SPIRAL_SETTING


async def play_all(url: str, sessions: int, seconds: float) -> dict[str, Any]:
    """Play every session for `seconds`; per session, frames and the last step in each second."""
    sockets = [await connect(url, proxy=None, max_size=None) for _ in range(sessions)]
    try:
        for ws in sockets:
            await ws.send(json.dumps(SPIRAL_SETTING))
            await ws.send(json.dumps(AT_MAX_SPEED))
            await ws.send(json.dumps({"type": "play"}))
        t0 = time.time()
        results = await asyncio.gather(*(_record(ws, t0, seconds) for ws in sockets))
        return {"t0": t0, "sessions": list(results)}
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets))


async def _record(ws: ClientConnection, t0: float, seconds: float) -> dict[str, Any]:
    buckets = int(seconds)
    frames, steps = [0] * buckets, [0] * buckets
    errors, closed, last_step = 0, False, 0
    while (now := time.time()) < t0 + buckets:
        try:
            message = await asyncio.wait_for(ws.recv(), timeout=t0 + buckets - now)
        except TimeoutError:
            break
        except ConnectionClosed:
            closed = True
            break
        second = int(time.time() - t0)
        if second >= buckets:
            break
        if isinstance(message, bytes):
            frame = msgpack.unpackb(message)
            if frame.get("type") == "frame" and frame["running"]:
                frames[second] += 1
                last_step = frame["step"]
        elif json.loads(message).get("type") == "error":
            errors += 1
        steps[second] = last_step
    for i in range(1, buckets):  # seconds without a frame keep the last step seen
        steps[i] = max(steps[i], steps[i - 1])
    return {"frames": frames, "steps": steps, "errors": errors, "closed": closed}


if __name__ == "__main__":
    url, count, length = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    print(json.dumps(asyncio.run(play_all(url, count, length))))
