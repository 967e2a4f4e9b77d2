"""The same problem trained by several optimizers: one loss curve each, for an overlay.

Every run shares the dataset, the network and its initial weights (one seed), so the curves
differ only by the update rule. The runs go through models.sweep.train_many, which trains them
exactly as a session's Trainer would and records the full-set losses every `every` steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.sweep import train_many
from models.trainer import Trainer

DEFAULT_LEARNING_RATES: dict[str, float] = {
    "sgd": 0.1,
    "momentum": 0.03,
    "rmsprop": 0.01,
    "adam": 0.01,
}
"""A sensible step size for each optimizer on the playground's problems: plain SGD needs a
larger one, momentum's running sum makes its effective step about ten times its rate."""


@dataclass(frozen=True)
class OptimizerCurve:
    """One optimizer's run: its learning rate, losses every few steps and final accuracy."""

    optimizer: str
    learning_rate: float
    steps: tuple[int, ...]
    train_loss: tuple[float, ...]
    test_loss: tuple[float, ...]
    test_accuracy: float
    diverged_at: int | None


def race_optimizers(
    runs: Sequence[tuple[str, float]],
    dataset: str,
    hidden: Sequence[int],
    activation: str,
    steps: int,
    every: int,
    seed: int = 0,
    points: int = 200,
    noise: float = 0.1,
    batch_size: int = 10,
) -> list[OptimizerCurve]:
    """Train one network per (optimizer, learning rate) in `runs`; their curves in that order.

    The curves start with the losses at step 0, before any update.
    """
    network = NetworkSpec(hidden=tuple(LayerSpec(units, activation) for units in hidden))
    data = DataSpec(dataset, points=points, noise=noise)
    specs = [
        RunSpec(network, data, TrainSpec(name, learning_rate=lr, batch_size=batch_size), seed)
        for name, lr in runs
    ]
    start = [Trainer(spec).evaluate() for spec in specs]  # the same weights at step 0
    results = train_many(specs, steps, history_every=every)
    return [
        OptimizerCurve(
            optimizer=name,
            learning_rate=lr,
            steps=(0, *r.history_steps),
            train_loss=(s.train_loss, *r.history_train_loss),
            test_loss=(s.test_loss, *r.history_test_loss),
            test_accuracy=r.test_accuracy,
            diverged_at=r.diverged_at,
        )
        for (name, lr), s, r in zip(runs, start, results, strict=True)
    ]
