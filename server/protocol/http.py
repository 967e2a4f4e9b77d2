"""HTTP bodies: the catalog, the regions and explore requests and answers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from server import limits
from server.protocol.base import Message, piecewise_linear_name
from server.protocol.limits import Limits
from server.protocol.settings import RunSettings


class CatalogEntry(Message):
    """One choosable thing: its wire name and a one-sentence explanation."""

    name: str
    description: str
    piecewise_linear: bool = False
    """For activations: True when networks using it have countable linear regions."""
    task: Literal["classification", "regression"] | None = None
    """For datasets and losses: what they are for."""
    dims: int | None = None
    """For datasets: coordinates per point (1 or 2), or pixels per image (64 for digits); for
    features: 2 when it needs x2, 64 for "pixels" (image data only)."""
    image_shape: tuple[int, int] | None = None
    """For image datasets: (height, width) of each image; None for points."""
    min_classes: int | None = None
    max_classes: int | None = None
    """For datasets: the range of `classes` it accepts (fixed two-class sets: 2 and 2)."""


class LossEntry(CatalogEntry):
    """A loss, with the facts the page needs to offer it: its head and its twin."""

    head: Literal["sigmoid", "softmax", "identity"]
    """What the outputs go through: one logit through a sigmoid, one logit per class through a
    softmax, or one value as it is (regression)."""
    naive: bool
    """True when it takes the log of a probability computed first (inf or NaN on large logits)."""
    twin: str | None
    """The same loss computed the other way: a stable loss's naive twin, a naive one's stable
    one; None for a loss without one."""


class Catalog(Message):
    """GET /api/catalog: every name the UI and the websocket accept, and every limit."""

    datasets: list[CatalogEntry]
    activations: list[CatalogEntry]
    own_activation: CatalogEntry
    """Activation "expr": the learner's own, written as HiddenLayer.expression."""
    optimizers: list[CatalogEntry]
    losses: list[LossEntry]
    inits: list[CatalogEntry]
    features: list[CatalogEntry]
    schedules: list[CatalogEntry]
    readouts: list[CatalogEntry]
    """How the output layer learns (TrainingSettings.readout): trained, or least squares."""
    limits: Limits
    """Every bound from server/limits.py by lower-case name (max_units, max_points, ...)."""
    defaults: RunSettings
    """The setup a new session starts with."""


WeightRow = Annotated[list[float], Field(max_length=limits.REGIONS_MAX_UNITS, fail_fast=True)]
"""One unit's incoming weights."""


class LayerWeights(Message):
    """One affine layer in torch's nn.Linear convention."""

    model_config = ConfigDict(allow_inf_nan=False)
    weight: list[WeightRow] = Field(
        min_length=1, max_length=limits.REGIONS_MAX_UNITS, fail_fast=True
    )
    """Shape [out, in]."""
    bias: list[float] = Field(max_length=limits.REGIONS_MAX_UNITS, fail_fast=True)
    """Shape [out]."""


class RegionsRequest(Message):
    """POST /api/regions: a piecewise-linear network and the 2D box to partition."""

    model_config = ConfigDict(allow_inf_nan=False)
    layers: list[LayerWeights] = Field(
        min_length=1, max_length=limits.REGIONS_MAX_LAYERS + 1, fail_fast=True
    )
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
        return piecewise_linear_name(value)

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
    depths: list[int] = Field(min_length=1, max_length=limits.EXPLORE_MAX_DEPTHS, fail_fast=True)
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
        return piecewise_linear_name(value)


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
