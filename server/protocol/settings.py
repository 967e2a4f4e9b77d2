"""The setup in force, as `hello` and `settings` send it; HiddenLayer also goes in commands."""

from __future__ import annotations

from pydantic import Field, field_validator

from models.activations import ACTIVATIONS
from models.features import FEATURES
from server import limits
from server.protocol.base import Message, known_name


class HiddenLayer(Message):
    """One hidden layer: Linear, [BatchNorm], [LayerNorm], activation, [Dropout]."""

    units: int = Field(ge=1, le=limits.MAX_UNITS)
    """Number of neurons in the layer."""
    activation: str
    """Activation applied after the layer; a name from the catalog's `activations`."""
    batch_norm: bool = False
    """Normalise each unit over the batch (running statistics in eval mode)."""
    layer_norm: bool = False
    """Normalise the layer's units per point."""
    dropout: float = Field(0.0, ge=0.0, le=limits.MAX_DROPOUT)
    """Probability of zeroing each unit while training; 0 is off."""

    @field_validator("activation")
    @classmethod
    def _activation_known(cls, value: str) -> str:
        return known_name(value, ACTIVATIONS, "activation")


def distinct_known_features(value: list[str]) -> list[str]:
    """`value` if every name is a known feature and none repeats; else a ValueError."""
    for name in value:
        known_name(name, FEATURES, "feature")
    if len(set(value)) != len(value):
        raise ValueError("each feature may appear once")
    return value


class NetworkSettings(Message):
    """The architecture: the input features, these hidden layers, the output layer."""

    hidden: list[HiddenLayer] = Field(max_length=limits.MAX_HIDDEN_LAYERS, fail_fast=True)
    """Hidden layers from input to output; may be empty (a linear model)."""
    features: list[str] = Field(max_length=len(FEATURES), fail_fast=True)
    """Inputs computed from each point, names from the catalog's `features` (x1, x2, …)."""
    init: str
    """Weight initialisation, a name from the catalog's `inits`."""
    outputs: int
    """Width of the output layer: 1, or one logit per class for cross-entropy (follows the loss)."""


class DatasetSettings(Message):
    """Which dataset and how it is drawn (the points of custom data come in `dataset`)."""

    name: str
    """A name from the catalog's `datasets`, or "custom"."""
    points: int
    """Total number of points, training and test together."""
    noise: float
    """Noise as a fraction of the dataset's scale: 0 is clean."""
    train_fraction: float
    """Share of the points used for training; the rest is the test set."""
    classes: int
    """Classes drawn by multi-class generators (blobs, rings, spiral); the custom data's count."""
    label_noise: float
    """Fraction of training labels changed to another class."""


class TrainingSettings(Message):
    """How the network is trained."""

    optimizer: str
    """A name from the catalog's `optimizers`."""
    learning_rate: float
    """The optimizer's base step size (the schedule scales it)."""
    batch_size: int
    """Training points per optimizer step (capped at the training-set size)."""
    loss: str
    """A name from the catalog's `losses`; it decides the output head."""
    momentum: float
    nesterov: bool
    schedule: str
    schedule_steps: int
    weight_decay: float
    clip_norm: float
    """Largest global gradient norm; 0 is off."""
    l1: float
    l2: float
    input_noise: float
    """Standard deviation of Gaussian noise added to training inputs."""
    early_stopping: int
    """Patience in epochs without a better test loss; 0 is off."""


class RunSettings(Message):
    """The complete setup in force; the same settings give the same losses."""

    network: NetworkSettings
    dataset: DatasetSettings
    training: TrainingSettings
    seed: int
