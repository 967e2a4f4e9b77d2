"""Server -> client: every event."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from server import limits
from server.protocol.base import PROTOCOL_VERSION, Message
from server.protocol.settings import RunSettings


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
    steps_per_second: float | None = limits.DEFAULT_STEPS_PER_SECOND
    """The pace the session starts at (see the `speed` command); null is as fast as it goes."""


class SettingsEvent(Message):
    """The complete setup now in force, sent after every accepted configure."""

    type: Literal["settings"] = "settings"
    settings: RunSettings
    request_id: int | None = None
    """The `request_id` of the import this answers; null after a configure or a preset."""


class SpeedEvent(Message):
    """The pace now in force, sent after every accepted `speed` command."""

    type: Literal["speed"] = "speed"
    steps_per_second: float | None
    """Target optimizer steps per second while playing; null is as fast as it goes."""


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
    """Coordinates per point: 2, or 1 for 1D data (sine), whose points are [x], or the pixels
    of image data (64 for the 8×8 digits)."""
    image_shape: tuple[int, int] | None = None
    """(height, width) of each point's image for image data (digits: (8, 8)), row-major
    pixels in [0, 1]; None for points in the plane or on the line."""
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


class NetWeights(Message):
    """A small network's weights, for the page to evaluate the output grid itself.

    Sent instead of `grid` when the client asked for it (`/ws?grid=page`) and the page can
    evaluate every part of the network (server/page_grid.py says which); the page evaluates
    the same grid the server would send, at a resolution of its choice, in float32.
    """

    features: list[str]
    """The input features in order (models/features.py), computed from the point (x1, x2)."""
    ops: list[str]
    """The eval-mode forward pass in order: `linear:N` (a Linear to N units: weight N×in
    row-major, then bias N), `batch_norm` (weight, bias, running mean, running variance),
    `layer_norm` (weight, bias), or `act:NAME` (an activation of the catalog). Norms use
    eps 1e-5; dropout is the identity in eval mode and is left out."""
    head: Literal["sigmoid", "softmax", "identity"]
    """How the outputs become the grid: P(class 1), (most likely class, its probability), or
    the value (clamped to ±60,000 as the float16 grid is)."""
    data: bytes = Field(json_schema_extra={"tsType": "Uint8Array"})
    """Every tensor the ops read, little-endian float32, in op order."""


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


class WeightImages(Message):
    """Weights into each unit of a layer, laid out like the input images."""

    count: int
    height: int
    width: int
    data: bytes = Field(json_schema_extra={"tsType": "Uint8Array"})
    """float32 little-endian, count × height × width, row-major."""


class Metrics(Message):
    """The training and test sets' losses and accuracies, in a frame or a lane's frame."""

    train_loss: float
    test_loss: float
    train_accuracy: float | None
    """Fraction of training points classified right; None for regression."""
    test_accuracy: float | None
    loss_points: int | None = None
    """None: the numbers above are over every point. Else an estimate from at most this many evenly
    spread points of each set: a large network's frames while it trains, so that its frames
    keep their rate (server/frame_budget.py); every resting frame is exact again."""


class FrameEvent(Metrics):
    """A snapshot of training; sent as a binary msgpack frame, several per second."""

    type: Literal["frame"] = "frame"
    run: int
    """Increases whenever training restarts from step 0; a new run means a new loss history."""
    step: int
    """Optimizer steps taken since the run started."""
    running: bool
    """True while training continuously (after play, until pause)."""
    history: History
    grid: Grid | None
    """The output over the input box; None for image data, which has no box to draw, and
    when `weights` is sent instead."""
    weights: NetWeights | None = None
    """Set instead of `grid` for a client that evaluates small networks itself (`/ws?grid=page`)."""
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
    confusion: list[list[int]] | None = None
    """Image data: the test set's confusion matrix, rows the true class, columns the
    predicted one; None for other data."""
    weight_images: WeightImages | None = None
    """Image data: the first Linear layer's weights, one image per unit (per class for a
    linear model); None for other data."""
    loss_step: int | None = None
    """None: the losses, accuracies and `loss_points` above are of this frame's `step`. Else the
    earlier step (same run) they were computed at and this frame repeats: while training,
    frames can come faster than losses are computed (limits.MAX_LOSSES_PER_SECOND, e.g. 60
    frames/s of weights), and such a frame's `history` is empty, so the loss chart gets one
    point per evaluation, never an invented one."""


class ErrorEvent(Message):
    """A command was refused or training failed; the session keeps its state."""

    type: Literal["error"] = "error"
    message: str
    """What went wrong, for a person to read."""
    command: str | None = None
    """The `type` of the command that caused it, when one did."""
    undo_step: int | None = None
    """Set when training went non-finite: `undo` brings back the weights of this step."""
    diverged_at: int | None = None
    """Set when training went non-finite: the step it happened at (the frame says it too), so a
    client tells a divergence from other errors without reading the message."""
    request_id: int | None = None
    """The `request_id` of the refused command, when it carried one (`export`, `import`)."""


class OverfitResultEvent(Message):
    """The answer to `overfit_check`."""

    type: Literal["overfit_result"] = "overfit_result"
    passed: bool
    points: int
    steps: int
    """Full-batch steps taken: until the points were fitted, or the limit."""
    loss: float | None
    """The loss on those points at the end; None if it was not finite."""
    accuracy: float | None
    """On those points; None for regression."""
    attempts: int
    """Fresh initialisations tried: the one that fitted, else all of them."""
    message: str
    """The verdict in words, with what to try when it failed."""
