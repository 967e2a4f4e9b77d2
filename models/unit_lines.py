"""A first-layer unit as a line in input space, and back: the geometry of dragging a unit.

A unit of the first hidden layer computes z = w · x + b on the raw point. Its zero set
w · x + b = 0 is a line in 2D (a point in 1D): the ReLU's kink, the centre of the sigmoid's or
tanh's step. The line is held as a point on it, the angle of its normal w (the side w points to
is the active side, z > 0) and its steepness |w| (how sharp the step is). The network feeds the
first layer the coordinates as they are (models/features.py: no scaling, no centring), so the
line lives in the data's own coordinates; `line_unavailable` says when that stops being true.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from torch import nn

from models.analysis.layers import linear_layers
from models.config import NetworkSpec
from models.features import LINE_FEATURES, PIXEL_FEATURES, PLANE_FEATURES
from models.guards import set_weight


@dataclass(frozen=True)
class UnitLine:
    """Where w · x + b = 0 lies: `point` on it, `angle` of the normal w (radians, from the x1
    axis towards x2), `steepness` = |w|. The active side (z > 0) is the side the normal faces."""

    point: tuple[float, float]
    angle: float
    steepness: float


@dataclass(frozen=True)
class UnitStep:
    """A 1D unit's step: z = w · (x − position), so `position` = −b / w and `slope` = w (its
    sign says which side is active)."""

    position: float
    slope: float


def line_from_weights(
    w1: float, w2: float, b: float, near: tuple[float, float] = (0.0, 0.0)
) -> UnitLine | None:
    """The unit's line, its point the one nearest `near` (the box's centre); None when w = 0
    (the unit is constant: no line)."""
    steepness = math.hypot(w1, w2)
    if steepness * steepness == 0.0 or not math.isfinite(steepness * steepness):
        return None
    # Move `near` along w until w · x + b = 0.
    t = (w1 * near[0] + w2 * near[1] + b) / (steepness * steepness)
    point = (near[0] - t * w1, near[1] - t * w2)
    return UnitLine(point, math.atan2(w2, w1), steepness)


def weights_from_line(line: UnitLine) -> tuple[float, float, float]:
    """(w1, w2, b) whose zero set is `line`, active on the side its normal faces."""
    w1 = line.steepness * math.cos(line.angle)
    w2 = line.steepness * math.sin(line.angle)
    return w1, w2, -(w1 * line.point[0] + w2 * line.point[1])


def step_from_weights(w: float, b: float) -> UnitStep | None:
    """The 1D unit's step; None when w = 0 (a constant unit has no step)."""
    if w == 0.0 or not math.isfinite(w):
        return None
    return UnitStep(-b / w, w)


def weights_from_step(step: UnitStep) -> tuple[float, float]:
    """(w, b) with the step at `step.position` and slope `step.slope`."""
    return step.slope, -step.slope * step.position


def line_unavailable(spec: NetworkSpec) -> str | None:
    """Why the first layer's units are not lines in the input plane (or points on the x axis),
    or None when they are: the inputs must be the raw coordinates, and nothing may sit between
    the first Linear layer and its activation that moves the zero."""
    if not spec.hidden:
        return "there is no hidden layer: add one to get units"
    if tuple(spec.features) == PIXEL_FEATURES:
        return "on image data a unit's zero set is a plane among all the pixels, not a line"
    if tuple(spec.features) not in (PLANE_FEATURES, LINE_FEATURES):
        return (
            "the inputs include computed features (not only x1, x2): a unit's zero set "
            "is then a curve, not a line"
        )
    first = spec.hidden[0]
    if first.batch_norm or first.layer_norm:
        return "normalisation after the first layer moves each unit's zero: turn it off"
    return None


def set_unit(net: nn.Module, layer: int, unit: int, weights: Sequence[float], bias: float) -> None:
    """Set every weight into `unit` of Linear `layer` and its bias, all or nothing.

    Raises ValueError (naming what is wrong) before changing anything when the layer or unit
    does not exist, the number of weights is not the layer's inputs, or a value is not finite.
    """
    linears = linear_layers(net)
    if 0 <= layer < len(linears):
        inputs = linears[layer].weight.shape[1]
        if len(weights) != inputs:
            raise ValueError(
                f"unit {unit} of layer {layer} has {inputs} inputs, got {len(weights)} weights"
            )
    values = [*weights, bias]
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
        raise ValueError("weights and bias must be finite numbers")
    set_weight(net, layer, unit, None, bias)  # checks the layer and unit before any change
    for col, value in enumerate(weights):
        set_weight(net, layer, unit, col, value)
