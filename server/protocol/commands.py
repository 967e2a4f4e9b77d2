"""Client -> server: every command, and the patches a configure carries."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from models.csv_data import MAX_TARGET
from models.datasets import BOX, DATASETS
from models.features import FEATURES
from models.inits import INITS
from models.losses import LOSSES
from models.optimizers import OPTIMIZERS
from models.schedules import SCHEDULES
from server import limits
from server.protocol.base import CUSTOM_DATASET, Message, known_name
from server.protocol.settings import HiddenLayer, distinct_known_features

MAX_DATASET_CLASSES = max(info.max_classes for info in DATASETS.values())
"""The most classes any dataset has (digits' ten): what `settings` may report."""


class NetworkPatch(Message):
    """Network fields to change; omitted fields keep their current value."""

    hidden: list[HiddenLayer] | None = Field(
        None, max_length=limits.MAX_HIDDEN_LAYERS, fail_fast=True
    )
    """The hidden layers, replaced whole."""
    features: list[str] | None = Field(None, min_length=1, max_length=len(FEATURES), fail_fast=True)
    init: str | None = None
    outputs: int | None = Field(None, ge=1, le=MAX_DATASET_CLASSES)
    """Accepted so the settings can be sent back whole: it follows the loss and the data, and a
    value that contradicts them is refused."""

    @field_validator("features")
    @classmethod
    def _features_known(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else distinct_known_features(value)

    @field_validator("init")
    @classmethod
    def _init_known(cls, value: str | None) -> str | None:
        return None if value is None else known_name(value, INITS, "init")


class CustomPoints(Message):
    """The user's own points: 2D coordinates inside the box and a label or value each."""

    model_config = ConfigDict(allow_inf_nan=False)
    x: list[tuple[float, float]] = Field(
        min_length=limits.MIN_CUSTOM_POINTS, max_length=limits.MAX_POINTS, fail_fast=True
    )
    y: list[float] = Field(max_length=limits.MAX_POINTS, fail_fast=True)
    """Class indices 0 … max_classes−1 for classification, any finite value for regression."""
    task: Literal["classification", "regression"] = "classification"

    @model_validator(mode="after")
    def _consistent(self) -> CustomPoints:
        if len(self.y) != len(self.x):
            raise ValueError(f"y: needs one entry per point ({len(self.x)}), got {len(self.y)}")
        xmin, xmax, ymin, ymax = BOX
        for i, (a, b) in enumerate(self.x):
            if not (xmin <= a <= xmax and ymin <= b <= ymax):
                raise ValueError(f"x[{i}]: ({a}, {b}) lies outside the box [{xmin}, {xmax}]²")
        if self.task == "regression":
            for i, value in enumerate(self.y):
                if abs(value) > MAX_TARGET:
                    raise ValueError(
                        f"y[{i}]: {value:g} is too large; regression values must lie within"
                        f" ±{MAX_TARGET:g} (training computes in float32)"
                    )
        if self.task == "classification":
            for i, label in enumerate(self.y):
                if label != int(label) or not 0 <= label < limits.MAX_CLASSES:
                    raise ValueError(
                        f"y[{i}]: a class label is an integer 0 … {limits.MAX_CLASSES - 1},"
                        f" got {label}"
                    )
        return self


class DatasetPatch(Message):
    """Dataset fields to change; omitted fields keep their current value."""

    name: str | None = None
    """A catalog dataset, or "custom" together with `custom`."""
    points: int | None = Field(None, ge=limits.MIN_CUSTOM_POINTS, le=limits.MAX_POINTS)
    """Generated datasets take min_points … max_points; the count `settings` reports for the
    user's points or the digits is accepted back and changes nothing."""
    noise: float | None = Field(None, ge=0.0, le=limits.MAX_NOISE)
    train_fraction: float | None = Field(
        None, ge=limits.MIN_TRAIN_FRACTION, le=limits.MAX_TRAIN_FRACTION
    )
    classes: int | None = Field(None, ge=1, le=MAX_DATASET_CLASSES)
    """Generated datasets that draw any number take 2 … max_classes; the one `settings`
    reports for the others (1 for regression, 10 for digits) is accepted back and changes
    nothing."""
    label_noise: float | None = Field(None, ge=0.0, le=limits.MAX_LABEL_NOISE)
    custom: CustomPoints | None = None
    """The points themselves; implies name "custom"."""

    @field_validator("name")
    @classmethod
    def _name_known(cls, value: str | None) -> str | None:
        if value is None or value == CUSTOM_DATASET:
            return value
        return known_name(value, DATASETS, "dataset")

    @model_validator(mode="after")
    def _custom_with_points(self) -> DatasetPatch:
        if self.custom is not None and self.name not in (None, CUSTOM_DATASET):
            raise ValueError(f"custom: points come with name 'custom', not {self.name!r}")
        return self


class TrainingPatch(Message):
    """Training fields to change; omitted fields keep their current value."""

    optimizer: str | None = None
    learning_rate: float | None = Field(
        None, ge=limits.MIN_LEARNING_RATE, le=limits.MAX_LEARNING_RATE
    )
    batch_size: int | None = Field(None, ge=1, le=limits.MAX_BATCH_SIZE)
    loss: str | None = None
    momentum: float | None = Field(None, ge=0.0, le=limits.MAX_MOMENTUM)
    nesterov: bool | None = None
    schedule: str | None = None
    schedule_steps: int | None = Field(
        None, ge=limits.MIN_SCHEDULE_STEPS, le=limits.MAX_SCHEDULE_STEPS
    )
    weight_decay: float | None = Field(None, ge=0.0, le=limits.MAX_WEIGHT_DECAY)
    clip_norm: float | None = Field(None, ge=0.0, le=limits.MAX_CLIP_NORM)
    l1: float | None = Field(None, ge=0.0, le=limits.MAX_PENALTY)
    l2: float | None = Field(None, ge=0.0, le=limits.MAX_PENALTY)
    input_noise: float | None = Field(None, ge=0.0, le=limits.MAX_INPUT_NOISE)
    early_stopping: int | None = Field(None, ge=0, le=limits.MAX_PATIENCE)

    @field_validator("optimizer")
    @classmethod
    def _optimizer_known(cls, value: str | None) -> str | None:
        return None if value is None else known_name(value, OPTIMIZERS, "optimizer")

    @field_validator("loss")
    @classmethod
    def _loss_known(cls, value: str | None) -> str | None:
        return None if value is None else known_name(value, LOSSES, "loss")

    @field_validator("schedule")
    @classmethod
    def _schedule_known(cls, value: str | None) -> str | None:
        return None if value is None else known_name(value, SCHEDULES, "schedule")


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
