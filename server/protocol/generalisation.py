"""Experiments on generalisation (POST /api/experiments/*): double descent, suspicious results."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from server import limits
from server.protocol.base import Message


def _default_feature_counts() -> list[int]:
    return [10, 20, 40, 60, 80, 90, 100, 110, 125, 150, 200, 300, 500, 1000, 2000]


class DoubleDescentRequest(Message):
    """POST /api/experiments/double_descent: one ReLU layer of p units on two moons.

    `random_features`: the hidden layer stays random, n = 100 training points, p up to 2,000;
    `trained`: the hidden layer is trained by Adam for `steps` steps, n = 40, p up to 400. Either
    way the output layer is the minimum-norm least-squares fit.
    """

    model: Literal["random_features", "trained"] = "random_features"
    steps: int = Field(100, ge=1, le=limits.DOUBLE_DESCENT_MAX_STEPS)
    """Adam steps on the hidden layer (trained only)."""

    features: list[int] = Field(
        default_factory=_default_feature_counts,
        min_length=1,
        max_length=limits.DOUBLE_DESCENT_MAX_COUNTS,
    )
    """The feature counts p to fit, each 1 … double_descent_max_features."""
    seeds: int = Field(5, ge=1, le=limits.DOUBLE_DESCENT_MAX_SEEDS)
    label_noise: float = Field(0.0, ge=0.0, le=limits.MAX_LABEL_NOISE)
    """Share of training labels flipped; the test labels stay clean."""

    @field_validator("features")
    @classmethod
    def _counts_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= p <= limits.DOUBLE_DESCENT_MAX_FEATURES for p in value):
            raise ValueError(f"every count must be 1 … {limits.DOUBLE_DESCENT_MAX_FEATURES}")
        return value

    @model_validator(mode="after")
    def _trained_widths(self) -> DoubleDescentRequest:
        most = limits.DOUBLE_DESCENT_TRAINED_MAX_WIDTH
        if self.model == "trained" and max(self.features) > most:
            raise ValueError(f"features: a trained network's width must be 1 … {most}")
        return self


class FeatureCountResult(Message):
    """The fits with p random features."""

    features: int
    test_mse: float
    """Median over seeds of the test mean squared error on labels ±1."""
    test_error: float
    """Mean over seeds of the test classification error."""
    train_mse: float
    """Median over seeds of the training mean squared error (0 once p ≥ n)."""


class DoubleDescentResponse(Message):
    """Test error against the number of features; the peak is at p = train_points."""

    model: Literal["random_features", "trained"]
    train_points: int
    results: list[FeatureCountResult]
    threshold_features: int | None
    """The smallest p whose median training MSE is at most 0.001 (fits every point), if any."""
    peak_features: int
    """The p whose median test MSE is highest."""
    peak_test_mse: float
    """That highest median test MSE (random features: about 2.6 clean, 180 with label noise 0.2;
    trained: 0.43 and 350)."""
    peak_at_threshold: float
    """1 when the peak sits at the interpolation threshold (0.8 n ≤ p ≤ 1.25 n), else 0."""
    seconds: float


class SuspiciousRequest(Message):
    """POST /api/experiments/suspicious: a leaking test set and a broadcasting loss, together."""

    seed: int = Field(0, ge=0, le=limits.MAX_SEED)
    """Draws the points, the label noise and the initial weights."""
    steps: int = Field(300, ge=1, le=limits.SUSPICIOUS_MAX_STEPS)
    """Full-batch Adam steps of each of the three small nets."""


class SuspiciousResult(Message):
    """One pitfall: the number that looked fine and the number that tells the truth."""

    pitfall: Literal["leakage", "shape_bug"]
    measure: str
    """What both numbers are, e.g. "test accuracy"."""
    shown: float
    """What the mistake shows: accuracy on a leaked test set; test MSE of the net trained with
    the broadcasting loss."""
    truth: float
    """The same measure done right: accuracy on fresh points; the test MSE trained with
    shapes asserted."""


class SuspiciousResponse(Message):
    """Both pitfalls, and the numbers a lesson's checks read."""

    results: list[SuspiciousResult]
    leak_gap: float
    """Leaked test accuracy − honest test accuracy (about 0.2)."""
    honest_accuracy: float
    shape_bug_ratio: float
    """Test MSE trained with the broadcasting loss ÷ test MSE trained right (thousands)."""
    shape_bug_spread: float
    """max − min of the buggy net's outputs on [0, 1]: about 0, it learned a flat line."""
    seconds: float
