"""Lanes: N Trainers stepped in lockstep, fair turns, for comparing setups that differ in one thing.

Every lane is a plain Trainer built from its own RunSpec, so a lane is exactly the same setup
run alone: the same seed gives the same data split, batch order and (where the layer shapes
match) the same initial weights, because each Trainer draws them from its own copies of the
seed's streams. `step(k)` gives every lane that can still train the same k steps; a lane
whose loss went non-finite, or whose early stopping ran out of patience, stops where it is
while the others go on.

Fair turns rather than one batched computation (as models/sweep.py does for seeds × widths):
lanes may differ in anything a RunSpec holds (activation, optimizer, depth, dropout …), which
stacked weights cannot express; at 2–4 lanes the per-lane Python overhead stays small
(`make bench`'s lanes_vs_alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from models.config import RunSpec
from models.trainer import StepResult, Trainer


@dataclass
class Lane:
    """One lane: its trainer and why it stopped, if it did."""

    trainer: Trainer
    diverged_at: int | None = None
    early_stopped_at: int | None = None

    @property
    def stopped(self) -> bool:
        """Whether the lane trains no more (until a reset)."""
        return self.diverged_at is not None or self.early_stopped_at is not None


class Lanes:
    """Trainers that step together; lane 0 may be handed in already built (the main run)."""

    def __init__(self, trainers: Sequence[Trainer]) -> None:
        self.lanes = [Lane(t) for t in trainers]

    @classmethod
    def build(cls, specs: Sequence[RunSpec], device: torch.device | None = None) -> Lanes:
        """One fresh Trainer per spec, each at step 0."""
        return cls([Trainer(spec, device) for spec in specs])

    @property
    def trainers(self) -> list[Trainer]:
        """The lanes' trainers, in lane order."""
        return [lane.trainer for lane in self.lanes]

    def step(self, k: int) -> list[StepResult | None]:
        """Give every lane still training k steps (fewer only where early stopping ends it);
        None for a stopped lane."""
        results: list[StepResult | None] = []
        for lane in self.lanes:
            if lane.stopped:
                results.append(None)
                continue
            result = lane.trainer.step(k)
            if result.diverged_at is not None:
                lane.diverged_at = result.diverged_at
            elif result.early_stopped_at is not None:
                lane.early_stopped_at = result.early_stopped_at
            results.append(result)
        return results

    def reset(self) -> None:
        """New random weights in every lane, step 0; lanes of the same shapes get the same."""
        for lane in self.lanes:
            lane.trainer.reset()
            lane.diverged_at = lane.early_stopped_at = None
