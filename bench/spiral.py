"""Time to learn: seconds from `play` to the first frame whose test loss is below 0.1.

TF Playground's spiral setting (bench/sessions.py: [8, 8] tanh, SGD 0.03, batch 10, 250
training points) at `max` pace, over the real websocket, as the page sees it: the clock starts
when `play` is sent and stops at the first binary frame reporting test loss < 0.1 (the frames
carry the full test set's loss). Each try configures afresh (new weights); the key is the
median of the tries, since how many steps the spiral takes depends on the initial weights.
`spiral_steps_to_0_1` is the step of that frame (the median try's), and `spiral_c_kernel`
says whether plain SGD ran in C (models/fast_kernel.c) or, without a C compiler, in NumPy.
"""

from __future__ import annotations

import json
import statistics
import time

import msgpack
from websockets.sync.client import connect

from bench.sessions import AT_MAX_SPEED, SPIRAL_SETTING
from models.fast_build import load

TARGET_LOSS = 0.1


def seconds_to_loss(url: str, timeout: float = 30.0) -> tuple[float, int]:
    """One try: seconds from play to the first frame with test loss < TARGET_LOSS, and that
    frame's step (inf and the last step seen if none)."""
    with connect(url, max_size=None) as ws:
        ws.send(json.dumps(SPIRAL_SETTING))
        ws.send(json.dumps(AT_MAX_SPEED))
        started = time.perf_counter()
        ws.send(json.dumps({"type": "play"}))
        step = 0
        while time.perf_counter() - started < timeout:
            message = ws.recv(timeout=5)
            if not isinstance(message, bytes):
                continue
            frame = msgpack.unpackb(message)
            step = frame.get("step", 0)
            if step > 0 and frame["test_loss"] < TARGET_LOSS:
                return time.perf_counter() - started, step
        return float("inf"), step


def spiral_seconds_to_0_1(url: str, tries: int = 5) -> dict[str, float]:
    """`spiral_seconds_to_0_1`: the median of `tries` fresh runs, and the best and worst."""
    runs = sorted(seconds_to_loss(url) for _ in range(tries))
    times = [seconds for seconds, _ in runs]
    return {
        "spiral_seconds_to_0_1": round(statistics.median(times), 3),
        "spiral_seconds_to_0_1_best": round(min(times), 3),
        "spiral_seconds_to_0_1_worst": round(max(times), 3),
        "spiral_steps_to_0_1": runs[len(runs) // 2][1],
        "spiral_c_kernel": int(load() is not None),
    }
