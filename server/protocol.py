"""Every websocket message, both ways, as pydantic models.

Client -> server classes end in `Command`, server -> client ones in `Event`; the discriminator
is always `type`. `python -m server.protocol` prints the JSON schema that `make codegen` turns
into frontend/src/lib/protocol.gen.ts. docs/protocol.md describes each message with an example.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from models.datasets import BOX, DATASETS
from models.features import FEATURE_INFO
from models.losses import LOSSES
from models.network import ACTIVATIONS, INIT_INFO, PIECEWISE_LINEAR
from models.optimizers import OPTIMIZERS, SCHEDULES
from server import limits

PROTOCOL_VERSION = 2  # bump on any change an old client cannot read

CUSTOM_DATASET = "custom"
"""The dataset name of points the user drew or uploaded (sent in `dataset.custom`)."""


class Message(BaseModel):
    # Defaults count as required in serialization schemas: the server always sends every field,
    # so the generated TypeScript has no needless optionals (and `type` narrows the unions).
    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        json_schema_serialization_defaults_required=True,
    )


def _known(value: str, registry: Mapping[str, object], what: str) -> str:
    if value not in registry:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(registry)}")
    return value


def _piecewise_linear(value: str) -> str:
    if value not in PIECEWISE_LINEAR:
        known = ", ".join(sorted(PIECEWISE_LINEAR))
        raise ValueError(f"activation {value!r} is not piecewise linear; choose one of {known}")
    return value


# ---------------------------------------------------------------- settings (shared pieces)


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
        return _known(value, ACTIVATIONS, "activation")


def _check_features(value: list[str]) -> list[str]:
    for name in value:
        _known(name, FEATURE_INFO, "feature")
    if len(set(value)) != len(value):
        raise ValueError("each feature may appear once")
    return value


class NetworkSettings(Message):
    """The architecture: the input features, these hidden layers, the output layer."""

    hidden: list[HiddenLayer] = Field(max_length=limits.MAX_HIDDEN_LAYERS)
    """Hidden layers from input to output; may be empty (a linear model)."""
    features: list[str]
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


# ---------------------------------------------------------------- client -> server


class NetworkPatch(Message):
    """Network fields to change; omitted fields keep their current value."""

    hidden: list[HiddenLayer] | None = Field(None, max_length=limits.MAX_HIDDEN_LAYERS)
    """The hidden layers, replaced whole."""
    features: list[str] | None = Field(None, min_length=1)
    init: str | None = None

    @field_validator("features")
    @classmethod
    def _features_known(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_features(value)

    @field_validator("init")
    @classmethod
    def _init_known(cls, value: str | None) -> str | None:
        return None if value is None else _known(value, INIT_INFO, "init")


class CustomPoints(Message):
    """The user's own points: 2D coordinates inside the box and a label or value each."""

    model_config = ConfigDict(allow_inf_nan=False)
    x: list[tuple[float, float]] = Field(
        min_length=limits.MIN_CUSTOM_POINTS, max_length=limits.MAX_POINTS
    )
    y: list[float]
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
    points: int | None = Field(None, ge=limits.MIN_POINTS, le=limits.MAX_POINTS)
    noise: float | None = Field(None, ge=0.0, le=limits.MAX_NOISE)
    train_fraction: float | None = Field(
        None, ge=limits.MIN_TRAIN_FRACTION, le=limits.MAX_TRAIN_FRACTION
    )
    classes: int | None = Field(None, ge=2, le=limits.MAX_CLASSES)
    label_noise: float | None = Field(None, ge=0.0, le=limits.MAX_LABEL_NOISE)
    custom: CustomPoints | None = None
    """The points themselves; implies name "custom"."""

    @field_validator("name")
    @classmethod
    def _name_known(cls, value: str | None) -> str | None:
        if value is None or value == CUSTOM_DATASET:
            return value
        return _known(value, DATASETS, "dataset")

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
        return None if value is None else _known(value, OPTIMIZERS, "optimizer")

    @field_validator("loss")
    @classmethod
    def _loss_known(cls, value: str | None) -> str | None:
        return None if value is None else _known(value, LOSSES, "loss")

    @field_validator("schedule")
    @classmethod
    def _schedule_known(cls, value: str | None) -> str | None:
        return None if value is None else _known(value, SCHEDULES, "schedule")


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
    """Load a hand-built network: `folding` is ReLU [8] × depth with 16^depth linear regions."""

    type: Literal["preset"] = "preset"
    name: Literal["folding"]
    depth: int = Field(ge=1, le=limits.FOLDING_MAX_DEPTH)
    """Folding layers; each multiplies the regions by 16."""


ClientCommand = Annotated[
    ConfigureCommand | PlayCommand | PauseCommand | StepCommand | ResetCommand | PresetCommand,
    Field(discriminator="type"),
]
CLIENT_COMMAND = TypeAdapter(ClientCommand)


# ---------------------------------------------------------------- server -> client


class HelloEvent(Message):
    """First message on every connection."""

    type: Literal["hello"] = "hello"
    protocol: int = PROTOCOL_VERSION
    version: str
    """The server's package version."""
    device: Literal["cpu", "cuda"]
    """Where this session trains."""
    settings: RunSettings
    """The setup the session starts with."""


class SettingsEvent(Message):
    """The complete setup now in force, sent after every accepted configure."""

    type: Literal["settings"] = "settings"
    settings: RunSettings


class DatasetEvent(Message):
    """The data points, sent once per dataset (after hello and each data-changing configure)."""

    type: Literal["dataset"] = "dataset"
    box: tuple[float, float, float, float]
    """(xmin, xmax, ymin, ymax) of the input region drawn on the boundary canvas; for 1D
    data, the x range and then the range of values to plot."""
    task: Literal["classification", "regression"]
    classes: int
    """Number of classes (labels are 0 … classes−1); 1 for regression."""
    dims: int
    """Coordinates per point: 2, or 1 for 1D data (sine), whose points are [x]."""
    train_x: list[list[float]]
    train_y: list[float]
    """Training labels (class indices) or values."""
    test_x: list[list[float]]
    test_y: list[float]


class Grid(Message):
    """The network's output over the box: row-major float16 planes, row 0 at the top (ymax).

    For 1D data the grid is one row: the function at `width` points across the x range.
    """

    width: int
    height: int
    kind: Literal["probability", "class", "value"] = "probability"
    """probability: one plane, P(class 1). class: two planes, the most likely class and its
    probability. value: one plane, the regression output."""
    data: bytes = Field(json_schema_extra={"tsType": "Uint8Array"})
    """width·height little-endian float16 values per plane, plane after plane."""


class History(Message):
    """Loss samples since the previous frame, as columns (uPlot's `setData` takes columns)."""

    steps: list[int]
    train_loss: list[float]
    test_loss: list[float]


class RegionPolygons(Message):
    """Linear regions as flat little-endian arrays, for drawing edges and colouring by pattern."""

    count: int
    offsets: bytes = Field(json_schema_extra={"tsType": "Uint8Array"})
    """uint32 × (count + 1): polygon i has vertices offsets[i] .. offsets[i + 1] - 1."""
    vertices: bytes = Field(json_schema_extra={"tsType": "Uint8Array"})
    """float32 (x, y) pairs in input coordinates, counter-clockwise per polygon."""
    pattern_ids: bytes = Field(json_schema_extra={"tsType": "Uint8Array"})
    """uint32 per polygon: a hash of its activation pattern, for a stable colour."""


class FrameEvent(Message):
    """A snapshot of training; sent as a binary msgpack frame, several per second."""

    type: Literal["frame"] = "frame"
    run: int
    """Increases whenever training restarts from step 0; a new run means a new loss history."""
    step: int
    """Optimizer steps taken since the run started."""
    running: bool
    """True while training continuously (after play, until pause)."""
    train_loss: float
    test_loss: float
    train_accuracy: float | None
    """Fraction of training points classified right; None for regression."""
    test_accuracy: float | None
    history: History
    grid: Grid
    regions: int | None = None
    """Linear regions over the box: exact for piecewise-linear networks, else see regions_exact."""
    regions_exact: bool = True
    """False when `regions` only counts distinct activation patterns on a grid (smooth nets)."""
    region_polygons: RegionPolygons | None = None
    """Every region's polygon, with exact counts of at most limits.REGIONS_DRAW_MAX regions."""
    diverged_at: int | None = None
    """The step where the loss first became NaN or infinite; training stopped there."""
    early_stopped_at: int | None = None
    """The step where early stopping ended training (this run), its best weights restored."""
    best_step: int | None = None
    """The step of the restored best weights, when early stopping has stopped training."""


class ErrorEvent(Message):
    """A command was refused or training failed; the session keeps its state."""

    type: Literal["error"] = "error"
    message: str
    """What went wrong, for a person to read."""
    command: str | None = None
    """The `type` of the command that caused it, when one did."""


ServerEvent = Annotated[
    HelloEvent | SettingsEvent | DatasetEvent | FrameEvent | ErrorEvent,
    Field(discriminator="type"),
]


# ---------------------------------------------------------------- HTTP answers


class CatalogEntry(Message):
    """One choosable thing: its wire name and a one-sentence explanation."""

    name: str
    description: str
    piecewise_linear: bool = False
    """For activations: True when networks using it have countable linear regions."""
    task: Literal["classification", "regression"] | None = None
    """For datasets and losses: what they are for."""
    dims: int | None = None
    """For datasets: coordinates per point (1 or 2); for features: 2 when it needs x2."""
    min_classes: int | None = None
    max_classes: int | None = None
    """For datasets: the range of `classes` it accepts (fixed two-class sets: 2 and 2)."""


class Catalog(Message):
    """GET /api/catalog: every name the UI and the websocket accept, and every limit."""

    datasets: list[CatalogEntry]
    activations: list[CatalogEntry]
    optimizers: list[CatalogEntry]
    losses: list[CatalogEntry]
    inits: list[CatalogEntry]
    features: list[CatalogEntry]
    schedules: list[CatalogEntry]
    limits: dict[str, float]
    """Every bound from server/limits.py by lower-case name (max_units, max_points, ...)."""
    defaults: RunSettings
    """The setup a new session starts with."""


class LayerWeights(Message):
    """One affine layer in torch's nn.Linear convention."""

    model_config = ConfigDict(allow_inf_nan=False)
    weight: list[list[float]] = Field(min_length=1, max_length=limits.REGIONS_MAX_UNITS)
    """Shape [out, in]."""
    bias: list[float]
    """Shape [out]."""


class RegionsRequest(Message):
    """POST /api/regions: a piecewise-linear network and the 2D box to partition."""

    model_config = ConfigDict(allow_inf_nan=False)
    layers: list[LayerWeights] = Field(min_length=1, max_length=limits.REGIONS_MAX_LAYERS + 1)
    """Input (in = 2) to output; the activation follows every layer but the last."""
    activation: str
    """A piecewise-linear activation from the catalog (relu, leaky_relu, linear, hardtanh)."""
    bounds: tuple[float, float, float, float]
    """[xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax."""
    polygons: bool = False
    """Also return every region's vertices."""

    @field_validator("activation")
    @classmethod
    def _activation_piecewise_linear(cls, value: str) -> str:
        return _piecewise_linear(value)

    @model_validator(mode="after")
    def _shapes_chain(self) -> RegionsRequest:
        width = 2
        for i, layer in enumerate(self.layers):
            rows = {len(row) for row in layer.weight}
            if rows != {width}:
                raise ValueError(f"layers[{i}].weight: every row must have {width} entries")
            if len(layer.bias) != len(layer.weight):
                raise ValueError(f"layers[{i}].bias: needs {len(layer.weight)} entries")
            width = len(layer.weight)
        xmin, xmax, ymin, ymax = self.bounds
        if not (xmin < xmax and ymin < ymax):
            raise ValueError("bounds: the box is empty; need xmin < xmax and ymin < ymax")
        return self


class RegionsResponse(Message):
    """The exact linear regions of the network over the box."""

    count: int
    """Connected regions on which the network is affine (neighbours with equal maps count apart)."""
    seconds: float
    """Time spent computing."""
    polygons: list[list[tuple[float, float]]] | None = None
    """Each region's vertices, counter-clockwise, when asked for."""


class ExploreRequest(Message):
    """POST /api/regions/explore: region counts of random nets of several depths, same budget."""

    budget: int = Field(ge=1, le=limits.EXPLORE_MAX_BUDGET)
    """Hidden neurons in total; a net of depth L has budget // L units a layer."""
    depths: list[int] = Field(min_length=1, max_length=limits.EXPLORE_MAX_DEPTHS)
    """The depths to compare, each 1 … explore_max_depth."""
    seeds: int = Field(5, ge=1, le=limits.EXPLORE_MAX_SEEDS)
    """Random initialisations per depth."""
    activation: str = "relu"

    @field_validator("depths")
    @classmethod
    def _depths_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= d <= limits.EXPLORE_MAX_DEPTH for d in value):
            raise ValueError(f"every depth must be 1 … {limits.EXPLORE_MAX_DEPTH}")
        return value

    @field_validator("activation")
    @classmethod
    def _activation_piecewise_linear(cls, value: str) -> str:
        return _piecewise_linear(value)


class DepthCounts(Message):
    """Region counts for one depth."""

    depth: int
    width: int
    counts: list[int]
    mean: float
    std: float
    min: int
    max: int


class ExploreResponse(Message):
    """Counts per depth over the datasets' box, and the time it took."""

    results: list[DepthCounts]
    seconds: float


def json_schema() -> dict[str, object]:
    """One JSON schema holding both unions, for the TypeScript code generator.

    Commands use the validation schema (defaults are optional to send); events use the
    serialization schema (every field is always present).
    """
    unions, top = TypeAdapter.json_schemas(
        [
            ("ClientCommand", "validation", TypeAdapter(ClientCommand)),
            ("ServerEvent", "serialization", TypeAdapter(ServerEvent)),
            ("Catalog", "serialization", TypeAdapter(Catalog)),
            ("ExploreRequest", "validation", TypeAdapter(ExploreRequest)),
            ("ExploreResponse", "serialization", TypeAdapter(ExploreResponse)),
        ],
        ref_template="#/$defs/{model}",
    )
    defs = dict(top["$defs"])
    for (name, _mode), schema in unions.items():
        if "$ref" not in schema:  # the unions; Catalog is already a def of its own
            defs[name] = {**schema, "title": name}
    return {"title": "Protocol", "$defs": defs}


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2, sort_keys=True))
