"""Frozen dataclasses describing a network, a dataset and a training setup.

Frozen, so "did the network change?" is a plain `!=`: exactly the test for whether a
configure restarts training.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LayerSpec:
    """One hidden layer: its width and the activation applied after it."""

    units: int = 4
    activation: str = "tanh"


@dataclass(frozen=True)
class NetworkSpec:
    """A multilayer perceptron from `inputs` through the hidden layers to `outputs` logits."""

    hidden: tuple[LayerSpec, ...] = (LayerSpec(4, "tanh"), LayerSpec(2, "tanh"))
    inputs: int = 2
    outputs: int = 1


@dataclass(frozen=True)
class DataSpec:
    """A seeded 2D dataset: which generator, how many points, how noisy, how it is split."""

    name: str = "circle"
    points: int = 500
    noise: float = 0.0
    """Fraction of the dataset's scale added as noise, 0 (clean) to 0.5 (very noisy)."""
    train_fraction: float = 0.5


@dataclass(frozen=True)
class TrainSpec:
    """How the network is trained: optimizer, step size, minibatch size."""

    optimizer: str = "adam"
    learning_rate: float = 0.01
    batch_size: int = 10


@dataclass(frozen=True)
class RunSpec:
    """Everything that defines a training run; the same RunSpec and seed give the same losses."""

    network: NetworkSpec = field(default_factory=NetworkSpec)
    data: DataSpec = field(default_factory=DataSpec)
    training: TrainSpec = field(default_factory=TrainSpec)
    seed: int = 0
