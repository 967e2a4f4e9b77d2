"""Frozen dataclasses describing a network, a dataset and a training setup.

Frozen, so "did the network change?" is a plain `!=`: exactly the test for whether a
configure restarts training. Names (activations, inits, features, losses, optimizers,
schedules, datasets) are keys of the registries in models/; these classes only hold them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Task = Literal["classification", "regression"]


@dataclass(frozen=True)
class LayerSpec:
    """One hidden layer: Linear, then optional normalisation, the activation, optional dropout."""

    units: int = 4
    """Number of neurons in the layer."""
    activation: str = "tanh"
    """Applied after the layer: a key of models.network.ACTIVATIONS (the catalog's activations);
    "expr" is the learner's own, written in `expression`."""
    batch_norm: bool = False
    """BatchNorm1d after the Linear, before the activation (batch statistics in training)."""
    layer_norm: bool = False
    """LayerNorm after the Linear (and after BatchNorm when both are on), before the activation."""
    dropout: float = 0.0
    """Probability of zeroing each unit after the activation while training; 0 is off."""
    expression: str = ""
    """The activation as an expression in x when `activation` is "expr" (models/expression.py),
    e.g. "x * sigmoid(1.5 * x)"; empty for every other activation."""


@dataclass(frozen=True)
class NetworkSpec:
    """A multilayer perceptron from the input features through the hidden layers to `outputs`.

    `outputs` follows the loss and the data (models/tasks.py): one logit for binary
    cross-entropy, one value for regression, one logit per class for cross-entropy.
    """

    hidden: tuple[LayerSpec, ...] = (LayerSpec(4, "tanh"), LayerSpec(2, "tanh"))
    """Hidden layers from input to output; may be empty (a linear model)."""
    outputs: int = 1
    """Width of the output layer: 1, or one logit per class for cross-entropy (follows the loss)."""
    features: tuple[str, ...] = ("x1", "x2")
    """Inputs the network sees, computed from the point (models/features.py): x1, x2, x1², …"""
    init: str = "default"
    """Weight initialisation scheme, a key of models.inits.INITS."""

    @property
    def inputs(self) -> int:
        """Width of the first Linear: one input per feature, or every pixel of image data."""
        from models.features import IMAGE_INPUTS, PIXEL_FEATURES  # here: config stays torch-free

        return IMAGE_INPUTS if self.features == PIXEL_FEATURES else len(self.features)


@dataclass(frozen=True)
class CustomData:
    """Points a user drew or uploaded: `x` rows of `dims` coordinates, `y` labels or values."""

    x: tuple[tuple[float, ...], ...]
    y: tuple[float, ...]
    task: Task = "classification"
    """Classification: y holds class indices 0 … classes-1. Regression: y holds values."""


@dataclass(frozen=True)
class DataSpec:
    """A seeded dataset: which generator, how many points, how noisy, how it is split."""

    name: str = "circle"
    """A key of models.datasets.DATASETS (the catalog's datasets), or "custom"."""
    points: int = 500
    """Total number of points, training and test together."""
    noise: float = 0.0
    """Fraction of the dataset's scale added as noise, 0 (clean) to 0.5 (very noisy)."""
    train_fraction: float = 0.5
    """Share of the points used for training; the rest is the test set."""
    classes: int = 2
    """Number of classes for datasets that draw any number (blobs, rings, spiral's arms)."""
    label_noise: float = 0.0
    """Fraction of training labels changed to another class at random (classification only)."""
    custom: CustomData | None = None
    """The points themselves when `name` is "custom"; generated datasets leave it None."""


@dataclass(frozen=True)
class TrainSpec:
    """How the network is trained: loss, optimizer, schedule and regularisation."""

    optimizer: str = "adam"
    """A key of models.optimizers.OPTIMIZERS (the catalog's optimizers)."""
    learning_rate: float = 0.01
    """The optimizer's base step size (the schedule scales it)."""
    batch_size: int = 10
    """Training points per optimizer step (capped at the training-set size)."""
    loss: str = "bce"
    """A key of models.losses.LOSSES; it decides the output head (models/tasks.py)."""
    momentum: float = 0.9
    """For the `momentum` optimizer (and rmsprop's momentum term, 0 there by default)."""
    nesterov: bool = False
    """Nesterov's look-ahead momentum, for the `momentum` optimizer."""
    schedule: str = "constant"
    """Learning-rate schedule, a key of models.schedules.SCHEDULES."""
    schedule_steps: int = 1000
    """Step decay halves the rate every this many steps; cosine anneals to 0 over them."""
    weight_decay: float = 0.0
    """Decoupled for adamw; added to the gradient (torch's convention) for the others."""
    clip_norm: float = 0.0
    """Clip the global gradient norm to this value before each step; 0 is off."""
    l1: float = 0.0
    """Coefficient of the L1 penalty on the weights (not biases) added to the training loss."""
    l2: float = 0.0
    """Coefficient of the L2 penalty (sum of squared weights, not biases) added to the loss."""
    input_noise: float = 0.0
    """Standard deviation of Gaussian noise added to each training batch's inputs."""
    early_stopping: int = 0
    """Patience in epochs without a better test loss before training stops; 0 is off."""
    readout: str = "trained"
    """How the output layer learns, a key of models.readout.READOUTS: "trained" by the
    optimizer with the rest, or "least_squares" (random features: hidden layers stay at their
    random start, the output layer is solved as the minimum-norm least-squares fit)."""


@dataclass(frozen=True)
class RunSpec:
    """Everything that defines a training run; the same RunSpec and seed give the same losses."""

    network: NetworkSpec = field(default_factory=NetworkSpec)
    data: DataSpec = field(default_factory=DataSpec)
    training: TrainSpec = field(default_factory=TrainSpec)
    seed: int = 0
