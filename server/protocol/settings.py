"""The setup in force, as `hello` and `settings` send it, and the patches a configure carries.

Every model here is derived from a dataclass of models/config.py (server/protocol/derive.py):
the dataclass gives the fields, types, defaults and descriptions; the tables below add only
what the wire checks (bounds from server/limits.py, names from the registries). The settings
are the complete form, the patches the all-optional one (an omitted field keeps its value).
The classes subclass their derived form only to get a name and a docstring of their own.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from models.activations import ACTIVATIONS, EXPRESSION
from models.config import DataSpec, LayerSpec, NetworkSpec, TrainSpec
from models.datasets import DATASETS
from models.expression import ExpressionError, parse
from models.features import FEATURES
from models.inits import INITS
from models.losses import LOSSES
from models.optimizers import OPTIMIZERS
from models.readout import READOUTS
from models.schedules import SCHEDULES
from server import limits
from server.protocol.base import CUSTOM_DATASET, Message, known_name
from server.protocol.custom import CustomPoints
from server.protocol.derive import bounded, known, wire_model

MAX_DATASET_CLASSES = max(info.max_classes for info in DATASETS.values())
"""The most classes any dataset has (digits' ten): what `settings` may report."""


def distinct_known_features(value: list[str]) -> list[str]:
    """`value` if it names at least one feature, each known and none twice; else a ValueError.

    Checked here rather than as the schema's minItems, which TypeScript would read as a tuple.
    """
    if not value:
        raise ValueError("the network needs at least one feature")
    for name in value:
        known_name(name, FEATURES, "feature")
    if len(set(value)) != len(value):
        raise ValueError("each feature may appear once")
    return value


def check_expression(text: str) -> str:
    """`text` if it parses as an activation expression; else a ValueError naming the position
    and the reason, e.g. "expression: unknown name 'foo' at 4"."""
    try:
        parse(text)
    except ExpressionError as error:
        raise ValueError(f"expression: {error}") from None
    return text


def _dataset_name(value: str) -> str:
    return value if value == CUSTOM_DATASET else known_name(value, DATASETS, "dataset")


LAYER_FIELDS: dict[str, Any] = {
    "units": bounded(int, 1, limits.MAX_UNITS),
    "activation": known(dict.fromkeys([*ACTIVATIONS, EXPRESSION]), "activation"),
    "dropout": bounded(float, 0.0, limits.MAX_DROPOUT),
}


_HiddenLayer = wire_model(LayerSpec, "_HiddenLayer", LAYER_FIELDS, required={"units", "activation"})


class HiddenLayer(_HiddenLayer):  # type: ignore[misc,valid-type]
    """One hidden layer: Linear, [BatchNorm], [LayerNorm], activation, [Dropout]."""

    @model_validator(mode="after")
    def _readable_expression(self) -> HiddenLayer:
        """Activation "expr" needs an expression that parses; others carry none."""
        if self.activation != EXPRESSION:
            self.expression = ""
        else:
            check_expression(self.expression)
        return self


NETWORK_FIELDS: dict[str, Any] = {
    "hidden": Annotated[
        list[HiddenLayer], Field(max_length=limits.MAX_HIDDEN_LAYERS, fail_fast=True)
    ],
    "features": Annotated[
        list[str],
        Field(max_length=len(FEATURES), fail_fast=True),
        AfterValidator(distinct_known_features),
    ],
    "init": known(INITS, "init"),
    "outputs": bounded(int, 1, MAX_DATASET_CLASSES),
}

DATASET_FIELDS: dict[str, Any] = {
    "name": Annotated[str, AfterValidator(_dataset_name)],
    "points": bounded(int, limits.MIN_CUSTOM_POINTS, limits.MAX_POINTS),
    "noise": bounded(float, 0.0, limits.MAX_NOISE),
    "train_fraction": bounded(float, limits.MIN_TRAIN_FRACTION, limits.MAX_TRAIN_FRACTION),
    "classes": bounded(int, 1, MAX_DATASET_CLASSES),
    "label_noise": bounded(float, 0.0, limits.MAX_LABEL_NOISE),
}
"""`custom` stays out: the points travel apart (`dataset` event, a patch's CustomPoints)."""

TRAINING_FIELDS: dict[str, Any] = {
    "optimizer": known(OPTIMIZERS, "optimizer"),
    "learning_rate": bounded(float, limits.MIN_LEARNING_RATE, limits.MAX_LEARNING_RATE),
    "batch_size": bounded(int, 1, limits.MAX_BATCH_SIZE),
    "loss": known(LOSSES, "loss"),
    "momentum": bounded(float, 0.0, limits.MAX_MOMENTUM),
    "schedule": known(SCHEDULES, "schedule"),
    "schedule_steps": bounded(int, limits.MIN_SCHEDULE_STEPS, limits.MAX_SCHEDULE_STEPS),
    "weight_decay": bounded(float, 0.0, limits.MAX_WEIGHT_DECAY),
    "clip_norm": bounded(float, 0.0, limits.MAX_CLIP_NORM),
    "l1": bounded(float, 0.0, limits.MAX_PENALTY),
    "l2": bounded(float, 0.0, limits.MAX_PENALTY),
    "input_noise": bounded(float, 0.0, limits.MAX_INPUT_NOISE),
    "early_stopping": bounded(int, 0, limits.MAX_PATIENCE),
    "readout": known(READOUTS, "readout"),
}

_NO_CUSTOM = ("custom",)


_NetworkSettings = wire_model(NetworkSpec, "_Network", NETWORK_FIELDS)


class NetworkSettings(_NetworkSettings):  # type: ignore[misc,valid-type]
    """The architecture: the input features, these hidden layers, the output layer."""


_DatasetSettings = wire_model(DataSpec, "_Dataset", DATASET_FIELDS, exclude=_NO_CUSTOM)


class DatasetSettings(_DatasetSettings):  # type: ignore[misc,valid-type]
    """Which dataset and how it is drawn (the points of custom data come in `dataset`)."""


ADDED_LATER = frozenset({"readout"})
"""Training fields newer than saved setup files and published runs: a file without them loads
with the dataclass's default (the behaviour it was saved with)."""
_TrainingSettings = wire_model(
    TrainSpec,
    "_Training",
    TRAINING_FIELDS,
    required={f.name for f in dataclasses.fields(TrainSpec)} - ADDED_LATER,
)


class TrainingSettings(_TrainingSettings):  # type: ignore[misc,valid-type]
    """How the network is trained."""


_NetworkPatch = wire_model(NetworkSpec, "_NetworkPatch", NETWORK_FIELDS, optional=True)


class NetworkPatch(_NetworkPatch):  # type: ignore[misc,valid-type]
    """Network fields to change; omitted fields keep their current value. The hidden list is
    replaced whole; `outputs` is accepted so the settings can be sent back whole: it follows
    the loss and the data, and a value that contradicts them is refused."""


_DatasetPatch = wire_model(
    DataSpec, "_DatasetPatch", DATASET_FIELDS, optional=True, exclude=_NO_CUSTOM
)


class DatasetPatch(_DatasetPatch):  # type: ignore[misc,valid-type]
    """Dataset fields to change; omitted fields keep their current value. Generated datasets
    take min_points … max_points and their own classes; the points and classes `settings`
    reports for the user's points, the digits or a regression are accepted back unchanged."""

    custom: CustomPoints | None = None
    """The points themselves; implies name "custom"."""

    @model_validator(mode="after")
    def _custom_with_points(self) -> DatasetPatch:
        if self.custom is not None and self.name not in (None, CUSTOM_DATASET):
            raise ValueError(f"custom: points come with name 'custom', not {self.name!r}")
        return self


_TrainingPatch = wire_model(TrainSpec, "_TrainingPatch", TRAINING_FIELDS, optional=True)


class TrainingPatch(_TrainingPatch):  # type: ignore[misc,valid-type]
    """Training fields to change; omitted fields keep their current value."""


class RunSettings(Message):
    """The complete setup in force; the same settings give the same losses."""

    network: NetworkSettings
    dataset: DatasetSettings
    training: TrainingSettings
    seed: int
