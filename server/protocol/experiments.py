"""Experiments on training (POST /api/experiments/*): XOR's seeds, approximation, optimizers.

Each request body and its answer; the generalisation experiments are in generalisation.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from models.activations import ACTIVATIONS, EXPRESSION
from models.datasets import DATASETS
from models.optimizers import OPTIMIZERS
from server import limits
from server.protocol.base import Message, known_name


class XorSeedsRequest(Message):
    """POST /api/experiments/xor_seeds: how often one hidden tanh layer of each width solves XOR."""

    widths: list[int] = Field([2, 3, 4, 8], min_length=1, max_length=limits.XOR_SEEDS_MAX_WIDTHS)
    """Hidden units of each trial, each 1 … max_units."""
    seeds: int = Field(100, ge=1, le=limits.XOR_SEEDS_MAX_SEEDS)
    """Runs per width: seeds 0 … seeds−1 (each its own initial weights and batch order)."""
    steps: int = Field(300, ge=1, le=limits.XOR_SEEDS_MAX_STEPS)
    """Adam steps (learning rate 0.03, batches of 10) per run."""
    data: Literal["corners", "quadrants"] = "corners"
    """`corners`: the classic XOR, four clusters at (±3, ±3); `quadrants`: the catalog's xor."""
    threshold: float = Field(0.95, ge=0.5, le=1.0)
    """Test accuracy a run must reach to count as solved."""

    @field_validator("widths")
    @classmethod
    def _widths_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= w <= limits.MAX_UNITS for w in value):
            raise ValueError(f"every width must be 1 … {limits.MAX_UNITS}")
        return value


class XorWidthResult(Message):
    """The runs of one width."""

    width: int
    runs: int
    successes: int
    rate: float
    """successes / runs."""
    accuracies: list[float]
    """Each seed's final test accuracy, seed 0 first."""


class XorSeedsResponse(Message):
    """Success counts per width, and the time it took."""

    results: list[XorWidthResult]
    narrowest_rate: float
    """The success rate of the first width asked for (two units in the lesson): checks read it."""
    seconds: float


class ApproximationRequest(Message):
    """POST /api/experiments/approximation: fit sin 2πx on [0, 1] with one ReLU layer of N units."""

    units: list[int] = Field(
        [5, 10, 20, 40], min_length=1, max_length=limits.APPROXIMATION_MAX_WIDTHS
    )
    """The widths N to compare, each 1 … approximation_max_units."""
    seeds: int = Field(4, ge=1, le=limits.APPROXIMATION_MAX_SEEDS)
    """Random starts per width; the best one is reported."""
    steps: int = Field(200, ge=1, le=limits.APPROXIMATION_MAX_STEPS)
    """Adam steps on the kinks (the output layer is solved by least squares at each step)."""

    @field_validator("units")
    @classmethod
    def _units_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= n <= limits.APPROXIMATION_MAX_UNITS for n in value):
            raise ValueError(f"every width must be 1 … {limits.APPROXIMATION_MAX_UNITS}")
        return value


class ApproximationResult(Message):
    """The fits of one width N."""

    units: int
    max_errors: list[float]
    """Maximum |f(x) − sin 2πx| over [0, 1] of each seed, seed 0 first."""
    best_error: float
    knots: list[float]
    """The best fit's kinks inside [0, 1], sorted: where its linear pieces meet."""
    curve: list[float]
    """The best fit at `curve_points` evenly spaced x from 0 to 1, ends included."""
    bump_error: float | None
    """Maximum error of the hand-built sigmoid net with the same units: ⌊units / 2⌋ bumps of two
    shifted sigmoids each (models.presets.sine_bumps); null below two units."""


class ApproximationResponse(Message):
    """Best fits per width, and the time it took."""

    results: list[ApproximationResult]
    curve_points: int
    widest_bump_error: float | None
    """bump_error of the widest N asked for: a check reads it."""
    widest_relu_error: float
    """best_error of the widest N asked for."""
    seconds: float


class OptimizerRun(Message):
    """One optimizer of the race and its learning rate (null: its usual default)."""

    optimizer: str
    learning_rate: float | None = Field(
        None, ge=limits.MIN_LEARNING_RATE, le=limits.MAX_LEARNING_RATE
    )

    @field_validator("optimizer")
    @classmethod
    def _optimizer_known(cls, value: str) -> str:
        return known_name(value, OPTIMIZERS, "optimizer")


def _default_runs() -> list[OptimizerRun]:
    return [
        OptimizerRun(optimizer=name, learning_rate=None)
        for name in ("sgd", "momentum", "rmsprop", "adam")
    ]


class OptimizersRequest(Message):
    """POST /api/experiments/optimizers: one problem, one seed, several optimizers."""

    runs: list[OptimizerRun] = Field(
        default_factory=_default_runs, min_length=1, max_length=limits.OPTIMIZERS_MAX_RUNS
    )
    dataset: str = "moons"
    """A two-class dataset from the catalog."""
    hidden: list[int] = Field([8, 8], max_length=limits.MAX_HIDDEN_LAYERS)
    """Hidden layer widths, each 1 … max_units."""
    activation: str = "tanh"
    steps: int = Field(300, ge=1, le=limits.OPTIMIZERS_MAX_STEPS)
    every: int = Field(10, ge=1)
    """Record the full-set losses every this many steps."""
    seed: int = Field(0, ge=0, le=limits.MAX_SEED)

    @field_validator("dataset")
    @classmethod
    def _two_classes(cls, value: str) -> str:
        info = DATASETS.get(value)
        if info is None or info.task != "classification" or info.min_classes != 2:
            two = [n for n, i in DATASETS.items() if i.task == "classification"]
            raise ValueError(f"dataset {value!r}: choose a two-class dataset ({', '.join(two)})")
        return value

    @field_validator("hidden")
    @classmethod
    def _widths_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= w <= limits.MAX_UNITS for w in value):
            raise ValueError(f"every width must be 1 … {limits.MAX_UNITS}")
        return value

    @field_validator("activation")
    @classmethod
    def _activation_known(cls, value: str) -> str:
        if value == EXPRESSION:
            raise ValueError("an own expression cannot race here: pick a named activation")
        return known_name(value, ACTIVATIONS, "activation")

    @model_validator(mode="after")
    def _few_enough_samples(self) -> OptimizersRequest:
        if self.steps // self.every > limits.OPTIMIZERS_MAX_CURVE_POINTS:
            most = limits.OPTIMIZERS_MAX_CURVE_POINTS
            raise ValueError(f"every: steps / every must be at most {most}")
        return self


class OptimizerCurveResult(Message):
    """One optimizer's loss curve."""

    optimizer: str
    learning_rate: float
    steps: list[int]
    """The steps the losses were measured at, 0 first."""
    train_loss: list[float | None]
    """Binary cross-entropy on the whole training set; null where it was not finite."""
    test_loss: list[float | None]
    test_accuracy: float | None
    diverged_at: int | None
    """The first step whose minibatch loss was not finite, if any."""


class OptimizersResponse(Message):
    """One curve per run, in the request's order."""

    results: list[OptimizerCurveResult]
    seconds: float
