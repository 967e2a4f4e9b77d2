"""Train one chunk of a user sweep, resumably: `advance` a few steps at a time, then `outcomes`.

The local engine advances a chunk a slice of steps per turn at the training gate; a Ray task
calls `train_chunk`, which advances it all the way. Both run this same code, so the same seeds
give the same numbers from either engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from models.config import RunSpec
from models.sweep import Sweep
from models.trainer import Trainer
from models.user_sweep import Chunk, parameter_count


@dataclass(frozen=True)
class RunOutcome:
    """A finished run: its index in grid order and its final full-set numbers (NaN when the
    loss is not finite; accuracies None for regression)."""

    index: int
    train_loss: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None
    diverged: bool


class ChunkRun:
    """One chunk in training: a Sweep of its runs, or their Trainers one after another."""

    def __init__(self, chunk: Chunk, steps: int, device: torch.device | None = None) -> None:
        self.chunk = chunk
        self.total_steps = steps
        self.steps = 0
        specs: list[RunSpec] = [run.spec for run in chunk.runs]
        self._sweep = Sweep(specs, device) if chunk.batched else None
        self._trainers = [] if chunk.batched else [Trainer(spec, device) for spec in specs]
        self._diverged = [False] * len(specs)

    @property
    def done(self) -> bool:
        return self.steps >= self.total_steps

    def advance(self, steps: int) -> None:
        """Train every run of the chunk up to `steps` more steps (never past the total)."""
        k = min(steps, self.total_steps - self.steps)
        if k <= 0:
            return
        if self._sweep is not None:
            bad = ~torch.isfinite(self._sweep.step(k)).all(0)  # (runs,)
            self._diverged = [a or b for a, b in zip(self._diverged, bad.tolist(), strict=True)]
        else:
            for i, trainer in enumerate(self._trainers):
                if trainer.step(k).diverged_at is not None:
                    self._diverged[i] = True
        self.steps += k

    def outcomes(self) -> list[RunOutcome]:
        """Each run's final numbers, in the chunk's order."""
        if self._sweep is not None:
            train_loss, test_loss, train_acc, test_acc = self._sweep.evaluate().tolist()
            numbers = list(zip(train_loss, test_loss, train_acc, test_acc, strict=True))
        else:
            numbers = []
            for trainer in self._trainers:
                e = trainer.evaluate()
                numbers.append((e.train_loss, e.test_loss, e.train_accuracy, e.test_accuracy))
        return [
            RunOutcome(run.index, *values, diverged=diverged)
            for run, values, diverged in zip(self.chunk.runs, numbers, self._diverged, strict=True)
        ]

    def cost(self) -> float:
        """Multiply-adds of one training step of the whole chunk, roughly (for estimates)."""
        return float(sum(step_cost(run.spec) for run in self.chunk.runs))


def step_cost(spec: RunSpec) -> int:
    """Multiply-adds of one forward and backward pass on one minibatch, about 3 × parameters ×
    batch; what the sweep's time estimate scales by."""
    return 3 * parameter_count(spec.network) * max(1, spec.training.batch_size)


def train_chunk(
    chunk: Chunk,
    steps: int,
    slice_steps: int = 100,
    cancelled: Callable[[], bool] | None = None,
) -> list[RunOutcome] | None:
    """Train a whole chunk and return its outcomes; None if `cancelled()` turned true between
    slices of `slice_steps` steps. What a Ray task runs."""
    torch.set_num_threads(1)
    run = ChunkRun(chunk, steps)
    while not run.done:
        if cancelled is not None and cancelled():
            return None
        run.advance(slice_steps)
    return run.outcomes()


def finite_or_none(value: float | None) -> float | None:
    """The number, or None where it is NaN or infinite (JSON has neither)."""
    return value if value is not None and math.isfinite(value) else None
