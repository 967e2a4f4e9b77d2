"""Sweeps of the session's own setup: many runs along one or two axes, trained off the live run.

The sweep varies the session's current setup along its axes; each grid point trains
`seeds_per_point` runs (seeds current seed + 0 … k−1). Results stream back in `sweep_progress`
events as runs finish; closing the socket cancels the sweep.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from server import limits
from server.protocol.base import Message
from server.protocol.setup import Requested

SweepSetting = Literal[
    "seed",
    "width",
    "depth",
    "learning_rate",
    "batch_size",
    "weight_decay",
    "dropout",
    "label_noise",
    "points",
]
"""What a sweep axis varies: the seed, the width of one hidden layer (or of all), the number of
hidden layers (new ones copy the last), a training setting, or the data's label noise or size."""

SWEEP_RANGES: dict[str, tuple[float, float, bool]] = {
    "seed": (0, limits.MAX_SEED, True),
    "width": (1, limits.MAX_UNITS, True),
    "depth": (0, limits.MAX_HIDDEN_LAYERS, True),
    "learning_rate": (limits.MIN_LEARNING_RATE, limits.MAX_LEARNING_RATE, False),
    "batch_size": (1, limits.MAX_BATCH_SIZE, True),
    "weight_decay": (0.0, limits.MAX_WEIGHT_DECAY, False),
    "dropout": (0.0, limits.MAX_DROPOUT, False),
    "label_noise": (0.0, limits.MAX_LABEL_NOISE, False),
    "points": (limits.MIN_POINTS, limits.MAX_POINTS, True),
}
"""Each setting's smallest and largest value, and whether it takes whole numbers only."""


class SweepAxis(Message):
    """One axis of the grid: a setting and the explicit values it takes (the page expands
    linear and log ranges into lists)."""

    model_config = ConfigDict(allow_inf_nan=False)
    setting: SweepSetting
    values: list[float] = Field(max_length=limits.MAX_SWEEP_AXIS_VALUES)
    """At least one (checked here, not as minItems, which TypeScript would read as a tuple)."""
    layer: int | None = Field(None, ge=0, lt=limits.MAX_HIDDEN_LAYERS)
    """Width only: which hidden layer (0-based); null = every hidden layer."""

    @model_validator(mode="after")
    def _values_in_range(self) -> SweepAxis:
        if not self.values:
            raise ValueError(f"values: a {self.setting} axis needs at least one value")
        low, high, whole = SWEEP_RANGES[self.setting]
        for value in self.values:
            if whole and value != math.floor(value):
                raise ValueError(f"{self.setting} takes whole numbers, got {value:g}")
            if not low <= value <= high:
                raise ValueError(f"{self.setting} must be in [{low:g}, {high:g}], got {value:g}")
        if self.layer is not None and self.setting != "width":
            raise ValueError(f"layer is for a width axis only, not {self.setting}")
        return self


class SweepRequest(Message):
    """A grid of runs around the session's current setup: axis 0 outer, axis 1 inner, seeds
    innermost."""

    axes: list[SweepAxis] = Field(max_length=2)
    """One or two axes, of different settings (at least one: checked, not minItems)."""
    seeds_per_point: int = Field(1, ge=1, le=limits.MAX_SWEEP_SEEDS)
    """Runs per grid point, seeds current seed + 0 … k−1; 1 when "seed" is an axis."""
    steps: int = Field(ge=1, le=limits.MAX_SWEEP_STEPS)
    """Optimizer steps of every run."""

    @model_validator(mode="after")
    def _axes_fit(self) -> SweepRequest:
        settings = [axis.setting for axis in self.axes]
        if not settings:
            raise ValueError("axes: a sweep needs one or two axes, got none")
        if len(set(settings)) != len(settings):
            raise ValueError(f"the two axes must vary different settings, got {settings[0]} twice")
        if "seed" in settings and self.seeds_per_point != 1:
            raise ValueError(
                "seeds_per_point must be 1 when seed is an axis (its values are the seeds),"
                f" got {self.seeds_per_point}"
            )
        return self


class PlanSweepCommand(Requested):
    """Ask what a sweep would cost (answered by `sweep_plan`, or an `error` naming the limit)."""

    type: Literal["plan_sweep"] = "plan_sweep"
    sweep: SweepRequest


class StartSweepCommand(Requested):
    """Start a sweep (answered by `sweep_progress` events); refused while one runs."""

    type: Literal["start_sweep"] = "start_sweep"
    sweep: SweepRequest


class CancelSweepCommand(Message):
    """Stop the running sweep; a last `sweep_progress` with state "cancelled" follows."""

    type: Literal["cancel_sweep"] = "cancel_sweep"


SweepEngine = Literal["local", "ray"]
"""Where the runs train: batched in this process, or as Ray tasks (NNP_SWEEP_BACKEND=ray)."""


class SweepPlanEvent(Message):
    """What a sweep would cost, before it starts."""

    type: Literal["sweep_plan"] = "sweep_plan"
    request_id: int | None = None
    runs: int
    points: int
    """Grid points: the product of the axes' lengths."""
    engine: SweepEngine
    estimate_seconds: float
    """Expected wall time at this process's sweep share (docs/protocol.md, "Sweeps")."""
    parameters: list[int]
    """Each grid point's fitted parameters, in grid order: the whole network's, or the output
    layer's alone when the read-out is solved by least squares."""
    sequential_runs: int = 0
    """Runs that cannot train batched (dropout, normalisation, several classes, …) and train
    one at a time instead; the estimate counts them as such."""


class SweepRunResult(Message):
    """One finished run of a sweep."""

    index: int
    """The run's place in grid order (point × seeds_per_point + seed offset)."""
    values: list[float]
    """The run's value of each axis, in axis order."""
    seed: int
    parameters: int
    """The parameters training fits (as `sweep_plan`'s)."""
    train_loss: float | None
    """Null when the loss is NaN or infinite."""
    test_loss: float | None
    train_accuracy: float | None
    """Null for regression, which has no classes."""
    test_accuracy: float | None
    diverged: bool
    """The minibatch loss went NaN or infinite at some step."""


class SweepProgressEvent(Message):
    """The running sweep's progress, at most limits.SWEEP_PROGRESS_PER_SECOND a second and at
    least once a second, with the runs finished since the previous one (often none); the last
    has state done, cancelled or failed."""

    type: Literal["sweep_progress"] = "sweep_progress"
    request_id: int | None = None
    """The `start_sweep`'s request_id."""
    state: Literal["running", "done", "cancelled", "failed"]
    runs_done: int
    runs_total: int
    fraction: float = 0.0
    """The share of the sweep's training steps done, 0 to 1, counting the steps of runs still
    training (the local engine's chunk), so a progress bar moves before a chunk's runs end."""
    engine: SweepEngine
    elapsed_seconds: float
    message: str | None = None
    """Why the sweep failed or was cancelled, for a person to read."""
    results: list[SweepRunResult]
