"""Client -> server: set a whole unit at once (a dragged unit line is one edit, not three)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from server import limits
from server.protocol.base import Message

WeightValue = Annotated[
    float, Field(ge=-limits.MAX_WEIGHT_VALUE, le=limits.MAX_WEIGHT_VALUE, allow_inf_nan=False)
]
"""A weight or bias, bounded as set_weight bounds it."""

MAX_UNIT_INPUTS = 64
"""The widest a layer's input gets: the 8×8 digits' pixels (more than limits.MAX_UNITS)."""


class SetUnitCommand(Message):
    """Set every weight into one unit and its bias while paused, as one edit: the views update
    once, with the unit's new line (models/unit_lines.py). The same rules as `set_weight`."""

    model_config = ConfigDict(allow_inf_nan=False)
    type: Literal["set_unit"] = "set_unit"
    layer: int = Field(ge=0, le=limits.MAX_HIDDEN_LAYERS)
    """The Linear layer: 0 is the first hidden layer (the one whose units are lines)."""
    unit: int = Field(ge=0)
    """The unit of that layer."""
    weights: list[WeightValue] = Field(min_length=1, max_length=MAX_UNIT_INPUTS)
    """One weight per input of the layer, in the order of its inputs (features x1, x2)."""
    bias: WeightValue
