"""Compare in lanes: fork the run into 2–4 lanes that differ in one setting, train them together.

Lane 1 is the main run (its frames stay the ordinary `frame`s); every lane, lane 1 included,
also appears in the `lanes_frame`. Play, pause, step, speed and reset act on all lanes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from server import limits
from server.protocol.base import Message
from server.protocol.events import Grid, History, Metrics

CompareSetting = Literal[
    "activation",
    "learning_rate",
    "optimizer",
    "width",
    "depth",
    "batch_size",
    "l2",
    "dropout",
    "init",
]
"""What a comparison may vary: the activation, width or dropout of every hidden layer, the
number of hidden layers (the last one repeated or dropped), or one training setting."""

LaneValue = str | float
"""A lane's value of the compared setting: a catalog name or a number."""


class CompareCommand(Message):
    """Fork the run into lanes, one per value, all from step 0 with the session's seed.

    Lane 1 takes values[0] (the page puts the current value there). Every lane gets the same
    data and, where the layer shapes match, the same initial weights; pausing or playing
    stays as it was. A value the setting cannot take is refused and nothing changes.
    """

    model_config = ConfigDict(allow_inf_nan=False)
    type: Literal["compare"] = "compare"
    setting: CompareSetting
    values: list[LaneValue] = Field(min_length=2, max_length=limits.MAX_LANES)
    """One value per lane, in lane order; repeating a value is allowed (the lanes match)."""


class PromoteLaneCommand(Message):
    """Make one lane the main run, its weights, step and setup kept; the other lanes end."""

    type: Literal["promote_lane"] = "promote_lane"
    lane: int = Field(ge=0, lt=limits.MAX_LANES)
    """0-based lane index (lane 1 on the page is 0)."""


class EndCompareCommand(Message):
    """Drop every lane but the first, which goes on as the single run."""

    type: Literal["end_compare"] = "end_compare"


class LanesEvent(Message):
    """What is being compared: after each accepted `compare`, and with setting null when the
    comparison ends (end_compare, promote_lane, or a configure that replaced the run)."""

    type: Literal["lanes"] = "lanes"
    setting: CompareSetting | None
    values: list[LaneValue]
    """The lanes' values of `setting`, in lane order; empty when not comparing."""


class LaneFrame(Metrics):
    """One lane's state in a lanes frame."""

    step: int
    history: History
    """Loss samples since the previous lanes frame."""
    grid: Grid | None
    """The lane's output over the box on a coarse grid (limits.LANE_GRID_RESOLUTION); None
    for image data."""
    regions: int | None = None
    """Linear regions over the box, sent about once a second; null in between."""
    diverged_at: int | None = None
    """The step where this lane's loss went non-finite; it trains no more."""
    early_stopped_at: int | None = None


class LanesFrameEvent(Message):
    """Every lane's losses, metrics and output grid; binary msgpack, newest wins, sent with
    each frame while comparing."""

    type: Literal["lanes_frame"] = "lanes_frame"
    run: int
    """The run's number, as in frames: a new one means new lane histories."""
    running: bool
    lanes: list[LaneFrame]
