"""Sweep throughput: 64 seeds trained as one stacked batch vs one Trainer after another."""

from __future__ import annotations

import dataclasses
import time

import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.sweep import train_many
from models.trainer import Trainer

SWEEP_SPEC = RunSpec(  # the engine bench's network: 2-8-8-1 tanh, Adam, batch 10
    network=NetworkSpec(hidden=(LayerSpec(8, "tanh"), LayerSpec(8, "tanh"))),
    data=DataSpec("circle", points=500),
    training=TrainSpec("adam", learning_rate=0.01, batch_size=10),
)


def sweep_speedup(models: int = 64, steps: int = 500) -> dict[str, float]:
    """Models trained per second, batched and one Trainer at a time, and their ratio.

    Both sides build the data and weights, train `steps` steps and evaluate, for the same
    `models` seeds, so both do the same work and reach the same weights.
    """
    specs = [dataclasses.replace(SWEEP_SPEC, seed=seed) for seed in range(models)]
    train_many(specs[:2], 20)  # warm-up
    started = time.perf_counter()
    train_many(specs, steps)
    batched = models / (time.perf_counter() - started)
    started = time.perf_counter()
    for spec in specs:
        trainer = Trainer(spec)
        trainer.step(steps)
        trainer.evaluate()
    sequential = models / (time.perf_counter() - started)
    return {
        "sweep_models_per_s_batched": round(batched, 2),
        "sweep_models_per_s_sequential": round(sequential, 2),
        "sweep_speedup": round(batched / sequential, 2),
    }


if __name__ == "__main__":
    torch.set_num_threads(1)  # as bench/__main__.py runs it: tiny nets, one thread
    print(sweep_speedup())
