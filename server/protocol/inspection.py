"""Looking inside the network: the inspect subscription and the inspection event it brings.

Inspections are heavy (a heatmap per neuron) and only some views need them, so the client
says what it looks at, and the server computes and sends only that, newest wins.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field
from pydantic.config import JsonDict

from models.analysis.backprop import ProbeLayer
from server import limits
from server.protocol.base import Message
from server.protocol.derive import wire_model
from server.protocol.graph import GraphView

BYTES: JsonDict = {"tsType": "Uint8Array"}
"""Binary fields: msgpack bytes, a Uint8Array in the generated TypeScript."""


class NeuronRef(Message):
    """One neuron: `layer` counts the Linear layers (0 = first hidden, H = the output layer)."""

    layer: int = Field(ge=0, le=limits.MAX_HIDDEN_LAYERS)
    unit: int = Field(ge=0, lt=limits.MAX_UNITS)


class ProbeRequest(Message):
    """A point to follow through the network, forward and backward, with its target."""

    model_config = ConfigDict(allow_inf_nan=False)
    point: list[float] = Field(min_length=1, max_length=2, fail_fast=True)
    """The input: [x1, x2], or [x] on 1D data."""
    target: float
    """The class index (classification) or the value (regression) the loss compares with."""


class InspectCommand(Message):
    """Subscribe to views inside the network; replaces the previous subscription whole."""

    type: Literal["inspect"] = "inspect"
    neurons: bool = False
    """Every neuron's activation over the input box, as small heatmaps (the diagram)."""
    focus: NeuronRef | None = None
    """One neuron at a higher resolution (the large view)."""
    hidden_layer: int | None = Field(None, ge=0, lt=limits.MAX_HIDDEN_LAYERS)
    """Where this hidden layer maps the training points and a grid of the input box."""
    monitors: bool = False
    """Per-layer norms, gradient norms, update ratios, activation statistics, dead units."""
    probe: ProbeRequest | None = None
    """Forward and backward pass for one point."""
    graph: bool = False
    """With `probe`: also the point's computational graph, one node per operation."""


class InspectedLayer(Message):
    """One Linear layer's parameters, for drawing the diagram's edges."""

    layer: int
    name: str
    """"hidden layer 1" … "output layer"."""
    inputs: int
    units: int
    activation: str | None
    """The activation after it; None for the output layer (its head follows the loss)."""
    weight: bytes = Field(json_schema_extra=BYTES)
    """float32 little-endian, units × inputs, row-major (torch's nn.Linear layout)."""
    bias: bytes = Field(json_schema_extra=BYTES)
    """float32 little-endian, units."""


class NeuronPlanes(Message):
    """Each neuron's value over the input box: the inputs, every hidden unit, the outputs."""

    width: int
    height: int
    """1 on 1D data: one row across the x range."""
    counts: list[int]
    """Planes per column: input features, then each hidden layer's units, then the outputs."""
    data: bytes = Field(json_schema_extra=BYTES)
    """float16 little-endian planes of width·height, in the order of `counts`, row 0 at the top
    (ymax) as in the output grid. Hidden units show their activation; the outputs show the head
    (probability or value)."""


class FocusPlane(Message):
    """One neuron at a higher resolution."""

    layer: int
    unit: int
    width: int
    height: int
    data: bytes = Field(json_schema_extra=BYTES)
    """float32 little-endian, width·height, row 0 at the top."""


class HiddenSpaceView(Message):
    """Where one hidden layer puts the training points and a grid of the input box."""

    layer: int
    units: int
    projected: bool
    """True for more than 2 units: a fixed orthonormal projection to 2D (the same every time)."""
    count: int
    points: bytes = Field(json_schema_extra=BYTES)
    """float32 (count × 2): the training points' coordinates in the layer, in dataset order."""
    labels: bytes = Field(json_schema_extra=BYTES)
    """float32 (count): their labels or values."""
    lines: int
    samples: int
    grid: bytes = Field(json_schema_extra=BYTES)
    """float32 (lines × samples × 2): the images of the box's grid lines (one line on 1D data)."""


class LayerMonitorStats(Message):
    """The debugging checklist's signals for one Linear layer; None where a value is not
    finite (after a divergence) or not defined."""

    layer: int
    name: str
    weight_norm: float | None
    grad_norm: float | None
    """Norm of the full training set's loss gradient with respect to the weights."""
    update_ratio: float | None
    """‖ΔW‖ / ‖W‖ per step, averaged since the previous inspection; None at first."""
    activation_mean: float | None
    activation_std: float | None
    dead_fraction: float | None
    """Share of units whose activation has zero slope on every training point; None for the
    output layer."""


class MonitorSample(Message):
    """The monitors of every Linear layer at one step of the run."""

    step: int
    layers: list[LayerMonitorStats]


_ProbeStage = wire_model(ProbeLayer, "_ProbeStage", {})


class ProbeStage(_ProbeStage):  # type: ignore[misc,valid-type]
    """One Linear layer on the probe's way: forward values and the loss's gradients (the fields
    of models.analysis.backprop.ProbeLayer)."""


class ProbeResult(Message):
    """The forward and backward pass of one point, layer by layer."""

    point: list[float]
    target: float
    output: list[float]
    loss: float | None
    """None when the loss is not finite (a naive loss at a large logit)."""
    layers: list[ProbeStage]


class InspectionEvent(Message):
    """What the inspect subscription asked for, newest wins; sent as binary msgpack."""

    type: Literal["inspection"] = "inspection"
    run: int
    step: int
    layers: list[InspectedLayer]
    neurons: NeuronPlanes | None = None
    focus: FocusPlane | None = None
    hidden_space: HiddenSpaceView | None = None
    monitors: list[LayerMonitorStats] | None = None
    monitor_history: list[MonitorSample] | None = None
    """The run's monitors before this inspection, oldest first and thinned to a bounded number
    of samples; recorded from the run's start whether or not anyone watched. Sent with the
    first inspection after monitors are subscribed; the client replaces what it held."""
    probe: ProbeResult | None = None
    graph: GraphView | None = None
    """The probed point's computational graph, when `graph` and `probe` are subscribed."""
