"""Client -> server: every command (the patches a configure carries are in settings.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from server import limits
from server.protocol.base import Message
from server.protocol.settings import DatasetPatch, NetworkPatch, TrainingPatch


class ConfigureCommand(Message):
    """Change the setup. Network, dataset or seed changes restart training from step 0."""

    type: Literal["configure"] = "configure"
    network: NetworkPatch | None = None
    """Architecture fields to change (the hidden list is replaced, not merged)."""
    dataset: DatasetPatch | None = None
    training: TrainingPatch | None = None
    """Changing only training settings keeps the weights and the step count."""
    seed: int | None = Field(None, ge=0, le=limits.MAX_SEED)


class PlayCommand(Message):
    """Train continuously until paused."""

    type: Literal["play"] = "play"


class PauseCommand(Message):
    """Stop training; the step counter stops."""

    type: Literal["pause"] = "pause"


class StepCommand(Message):
    """Run a number of optimizer steps, then pause and send a frame."""

    type: Literal["step"] = "step"
    steps: int = Field(1, ge=1, le=limits.MAX_STEPS_PER_COMMAND)
    """Optimizer steps to run, then pause."""


class ResetCommand(Message):
    """New random weights, step 0, same settings."""

    type: Literal["reset"] = "reset"


class PresetCommand(Message):
    """Load a hand-built network, paused at step 0 so the learner watches what it computes.

    - `folding`: ReLU [8] × depth with 16^depth linear regions, on the current data;
    - `xor_two_units`: the classic XOR (`xor4`) and tanh [2] weights that classify it all;
    - `sine_bumps`: the sine and a sigmoid layer of 2 × bumps units: each pair of shifted
      sigmoids makes one bump, and the bumps add up to a staircase that follows sin 2πx.
    """

    type: Literal["preset"] = "preset"
    name: Literal["folding", "xor_two_units", "sine_bumps"]
    depth: int = Field(1, ge=1, le=limits.FOLDING_MAX_DEPTH)
    """Folding layers; each multiplies the regions by 16 (folding only)."""
    bumps: int = Field(10, ge=1, le=limits.BUMPS_MAX)
    """Bumps of two sigmoids each (sine_bumps only)."""


class SetWeightCommand(Message):
    """Set one weight or bias while paused; the views update at once."""

    model_config = ConfigDict(allow_inf_nan=False)
    type: Literal["set_weight"] = "set_weight"
    layer: int = Field(ge=0, le=limits.MAX_HIDDEN_LAYERS)
    """The Linear layer: 0 is the first hidden layer, the number of hidden layers the output."""
    row: int = Field(ge=0)
    """The unit of that layer the weight leads into."""
    col: int | None = Field(None, ge=0)
    """The input (unit of the layer below, or feature) it comes from; None sets the bias."""
    value: float = Field(ge=-limits.MAX_WEIGHT_VALUE, le=limits.MAX_WEIGHT_VALUE)


class UndoCommand(Message):
    """After a divergence: bring back the last finite weights, paused."""

    type: Literal["undo"] = "undo"


class OverfitCheckCommand(Message):
    """The checklist's first test: can a fresh copy of this model fit a handful of points?"""

    type: Literal["overfit_check"] = "overfit_check"
    points: int = Field(8, ge=1, le=limits.OVERFIT_MAX_POINTS)
    """Training points to fit (the first ones, classes balanced where possible)."""


class SpeedCommand(Message):
    """Set the training pace; it applies at once and never restarts training.

    A pace is not a setting of the run: the same seed and settings give the same losses at
    any pace. The session answers with a `speed` event.
    """

    model_config = ConfigDict(allow_inf_nan=False)
    type: Literal["speed"] = "speed"
    steps_per_second: float | None = Field(
        ge=limits.MIN_STEPS_PER_SECOND, le=limits.MAX_STEPS_PER_SECOND, strict=True
    )
    """Target optimizer steps per second while playing, spread evenly; null trains as fast as
    the machine goes. At most one step per displayed frame (30 or fewer a second), every step
    gets its frame."""

    @field_validator("steps_per_second", mode="before")
    @classmethod
    def _max_is_null(cls, value: object) -> object:
        if value == "max":
            raise ValueError("send null for as fast as the machine goes, not 'max'")
        return value
