"""A learner's sweep (issue 19): 1,000 spiral models through the sweep engine, against Trainer
one at a time; and a live session's frames per second while a sweep runs in the same process."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from websockets.sync.client import connect

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.trainer import Trainer
from models.user_sweep import Axis, UserSweep, expand, plan_chunks
from models.user_sweep_chunk import train_chunk
from server.sweeps_job import LOCAL_CHUNK_RUNS, SEQUENTIAL_CHUNK_RUNS

SPIRAL = RunSpec(  # TensorFlow Playground's spiral, as bench/sessions.py plays it
    network=NetworkSpec(hidden=(LayerSpec(8, "tanh"), LayerSpec(8, "tanh"))),
    data=DataSpec("spiral", points=500),
    training=TrainSpec("sgd", learning_rate=0.03, batch_size=10),
)
WIDTHS = tuple(float(w) for w in range(2, 22, 2))
"""10 widths of both hidden layers."""


def sweep_speed(seeds: int = 100, steps: int = 500, sample: int = 20) -> dict[str, float]:
    """`sweep_models_per_s`: 10 widths × `seeds` spiral models of `steps` steps each through
    the engine (the local engine's chunks, trained without the gate's rests); and
    `sweep_vs_sequential`, its ratio to Trainer one at a time, timed on `sample` of the same
    runs (spread over the widths) and scaled to all of them."""
    sweep = UserSweep((Axis("width", WIDTHS),), seeds, steps)
    runs = expand(SPIRAL, sweep)
    started = time.perf_counter()
    for chunk in plan_chunks(runs, LOCAL_CHUNK_RUNS, SEQUENTIAL_CHUNK_RUNS):
        train_chunk(chunk, steps)
    batched = len(runs) / (time.perf_counter() - started)
    picked = runs[:: max(1, len(runs) // sample)][:sample]
    started = time.perf_counter()
    for run in picked:
        trainer = Trainer(run.spec)
        trainer.step(steps)
        trainer.evaluate()
    sequential = len(picked) / (time.perf_counter() - started)
    return {
        "sweep_models": len(runs),
        "sweep_models_per_s": round(batched, 1),
        "sweep_sequential_models_per_s": round(sequential, 2),
        "sweep_vs_sequential": round(batched / sequential, 1),
    }


def frames_during_sweep(
    url: str, live_session: Callable[[str], tuple[float, float, float]]
) -> float:
    """Frames a second of one live spiral session while another session's sweep trains in the
    same process (the sweep runs all along: 100 seeds × 20,000 steps)."""
    spiral = {
        "type": "configure",
        "network": {"hidden": [{"units": 8, "activation": "tanh"}] * 2},
        "dataset": {"name": "spiral", "points": 500},
    }
    long = {"axes": [{"setting": "seed", "values": list(range(100))}], "steps": 20_000}
    with connect(url, max_size=None) as sweeper:
        sweeper.send(json.dumps(spiral))
        sweeper.send(json.dumps({"type": "start_sweep", "sweep": long}))
        time.sleep(1.0)  # the sweep has taken its first turns
        frames = live_session(url)[1]  # (examples/s, frames/s, bytes per frame)
        sweeper.send(json.dumps({"type": "cancel_sweep"}))
    return frames


if __name__ == "__main__":
    import torch

    torch.set_num_threads(1)
    print(sweep_speed(seeds=10, steps=200))
