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

from models.datasets import DATASETS
from models.network import ACTIVATIONS, PIECEWISE_LINEAR
from models.optimizers import OPTIMIZERS
from server import limits

PROTOCOL_VERSION = 1  # bump on any change an old client cannot read


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
    """One hidden layer of the network."""

    units: int = Field(ge=1, le=limits.MAX_UNITS)
    """Number of neurons in the layer."""
    activation: str
    """Activation applied after the layer; a name from the catalog's `activations`."""

    @field_validator("activation")
    @classmethod
    def _activation_known(cls, value: str) -> str:
        return _known(value, ACTIVATIONS, "activation")


class NetworkSettings(Message):
    """The architecture: 2 inputs, these hidden layers, one output logit."""

    hidden: list[HiddenLayer] = Field(max_length=limits.MAX_HIDDEN_LAYERS)
    """Hidden layers from input to output; may be empty (a linear model)."""


class DatasetSettings(Message):
    """Which dataset and how it is drawn."""

    name: str
    """A name from the catalog's `datasets`."""
    points: int = Field(ge=limits.MIN_POINTS, le=limits.MAX_POINTS)
    """Total number of points, training and test together."""
    noise: float = Field(ge=0.0, le=limits.MAX_NOISE)
    """Noise as a fraction of the dataset's scale: 0 is clean."""
    train_fraction: float = Field(ge=limits.MIN_TRAIN_FRACTION, le=limits.MAX_TRAIN_FRACTION)
    """Share of the points used for training; the rest is the test set."""


class TrainingSettings(Message):
    """How the network is trained."""

    optimizer: str
    """A name from the catalog's `optimizers`."""
    learning_rate: float = Field(ge=limits.MIN_LEARNING_RATE, le=limits.MAX_LEARNING_RATE)
    """The optimizer's step size."""
    batch_size: int = Field(ge=1, le=limits.MAX_BATCH_SIZE)
    """Training points per optimizer step (capped at the training-set size)."""


class RunSettings(Message):
    """The complete setup in force; the same settings give the same losses."""

    network: NetworkSettings
    dataset: DatasetSettings
    training: TrainingSettings
    seed: int = Field(ge=0, le=limits.MAX_SEED)


# ---------------------------------------------------------------- client -> server


class DatasetPatch(Message):
    """Dataset fields to change; omitted fields keep their current value."""

    name: str | None = None
    points: int | None = Field(None, ge=limits.MIN_POINTS, le=limits.MAX_POINTS)
    noise: float | None = Field(None, ge=0.0, le=limits.MAX_NOISE)
    train_fraction: float | None = Field(
        None, ge=limits.MIN_TRAIN_FRACTION, le=limits.MAX_TRAIN_FRACTION
    )

    @field_validator("name")
    @classmethod
    def _name_known(cls, value: str | None) -> str | None:
        return None if value is None else _known(value, DATASETS, "dataset")


class TrainingPatch(Message):
    """Training fields to change; omitted fields keep their current value."""

    optimizer: str | None = None
    learning_rate: float | None = Field(
        None, ge=limits.MIN_LEARNING_RATE, le=limits.MAX_LEARNING_RATE
    )
    batch_size: int | None = Field(None, ge=1, le=limits.MAX_BATCH_SIZE)

    @field_validator("optimizer")
    @classmethod
    def _optimizer_known(cls, value: str | None) -> str | None:
        return None if value is None else _known(value, OPTIMIZERS, "optimizer")


class ConfigureCommand(Message):
    """Change the setup. Network, dataset or seed changes restart training from step 0."""

    type: Literal["configure"] = "configure"
    network: NetworkSettings | None = None
    """The whole architecture (the hidden list is replaced, not merged)."""
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
    """(xmin, xmax, ymin, ymax) of the input region drawn on the boundary canvas."""
    train_x: list[tuple[float, float]]
    train_y: list[int]
    """Training labels, 0 or 1."""
    test_x: list[tuple[float, float]]
    test_y: list[int]


class Grid(Message):
    """A heatmap of the output over the box: row-major float16, row 0 at the top (ymax)."""

    width: int
    height: int
    data: bytes = Field(json_schema_extra={"tsType": "Uint8Array"})
    """width*height little-endian float16 values: the probability of class 1 at cell centres."""


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
    train_accuracy: float
    test_accuracy: float
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


class Catalog(Message):
    """GET /api/catalog: every name the UI and the websocket accept, and every limit."""

    datasets: list[CatalogEntry]
    activations: list[CatalogEntry]
    optimizers: list[CatalogEntry]
    losses: list[CatalogEntry]
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
