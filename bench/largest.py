"""The largest network on the most points (issue 20): a live session's rates and what a frame costs.

`largest_session` plays 8 hidden layers of 128 ReLU units on 10,000 spiral points at max pace
over the websocket; `largest_costs` times the parts of its frames in this process, one thread.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

import msgpack
import torch
from websockets.sync.client import connect

from bench.sessions import AT_MAX_SPEED
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.trainer import Trainer
from server import limits
from server.frames import live_regions, output_grid
from server.inspection import Inspector

LARGEST_HIDDEN = [{"units": limits.MAX_UNITS, "activation": "relu"}] * limits.MAX_HIDDEN_LAYERS
LARGEST_SETTING = {
    "type": "configure",
    "network": {"hidden": LARGEST_HIDDEN},
    "dataset": {"name": "spiral", "points": limits.MAX_POINTS},
    "training": {"optimizer": "adam", "learning_rate": 0.001, "batch_size": 10},
}
LARGEST_SPEC = RunSpec(
    network=NetworkSpec(
        hidden=tuple(LayerSpec(limits.MAX_UNITS, "relu") for _ in range(limits.MAX_HIDDEN_LAYERS))
    ),
    data=DataSpec("spiral", points=limits.MAX_POINTS),
    training=TrainSpec("adam", learning_rate=0.001, batch_size=10),
)


def largest_session(url: str, seconds: float = 5.0) -> dict[str, float]:
    """Steps/s and frames/s one client sees while the largest network trains at max pace."""
    with connect(url, max_size=None, proxy=None) as ws:
        ws.send(json.dumps(LARGEST_SETTING))
        ws.send(json.dumps(AT_MAX_SPEED))
        ws.send(json.dumps({"type": "play"}))
        seen: list[tuple[float, int]] = []
        warm_up_until = end = math.inf  # building 10,000 points and the net takes seconds
        while (now := time.perf_counter()) < end:
            try:
                message = ws.recv(timeout=min(max(end - now, 0.001), 30.0))
            except TimeoutError:
                break
            if not isinstance(message, bytes):
                continue
            frame: dict[str, Any] = msgpack.unpackb(message)
            if frame["type"] != "frame" or not frame["running"]:
                continue
            if warm_up_until == math.inf:  # the first running frame: a second of warm-up
                warm_up_until = now + 1.0
                end = warm_up_until + seconds
            elif now >= warm_up_until:
                seen.append((time.perf_counter(), frame["step"]))
    if len(seen) < 2:
        return {"largest_steps_per_s": 0.0, "largest_frames_per_s": len(seen) / seconds}
    (first_at, first_step), (last_at, last_step) = seen[0], seen[-1]
    return {
        "largest_steps_per_s": (last_step - first_step) / (last_at - first_at),
        "largest_frames_per_s": len(seen) / seconds,
    }


def largest_costs(repeats: int = 3) -> dict[str, float]:
    """Milliseconds (best of `repeats`) of each part of a frame of the largest network."""
    trainer = Trainer(LARGEST_SPEC)
    trainer.step(20)
    inspector = Inspector()
    parts = {
        "largest_evaluate_ms": trainer.evaluate,
        "largest_grid_100_ms": lambda: output_grid(trainer, limits.GRID_RESOLUTION),
        "largest_grid_50_ms": lambda: output_grid(trainer, limits.GRID_RESOLUTION_CROWDED),
        "largest_regions_ms": lambda: live_regions(trainer),
        "largest_monitors_ms": lambda: inspector.record(trainer, running=False),
    }
    costs = {}
    for key, part in parts.items():
        best = float("inf")
        for _ in range(repeats):
            inspector.new_run()  # the monitors record again
            started = time.perf_counter()
            part()
            best = min(best, time.perf_counter() - started)
        costs[key] = 1000 * best
    torch.set_num_threads(1)
    return costs
