"""A dragged unit line sets weights whose zero set is the dropped line (models/unit_lines.py).

Oracle: the unit's pre-activation evaluated by the network itself, at points on the dropped
line (zero) and on either side of it (the signs of the active and the inactive side).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from models.config import LayerSpec, NetworkSpec
from models.unit_lines import (
    UnitLine,
    UnitStep,
    line_from_weights,
    line_unavailable,
    set_unit,
    step_from_weights,
    weights_from_line,
    weights_from_step,
)

coord = st.floats(-6, 6, allow_nan=False)
steep = st.floats(0.05, 50, allow_nan=False)
angle = st.floats(-math.pi, math.pi, allow_nan=False)


def _net(inputs: int) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(inputs, 3), nn.ReLU(), nn.Linear(3, 1)).double()


def _first(net: nn.Sequential) -> nn.Linear:
    first = net[0]
    assert isinstance(first, nn.Linear)
    return first


def _z(net: nn.Sequential, unit: int, points: Sequence[Sequence[float]]) -> list[float]:
    """The unit's pre-activation at each point, as the network computes it."""
    with torch.no_grad():
        z = _first(net)(torch.tensor(points, dtype=torch.float64))[:, unit]
    return [float(v) for v in z]


@settings(max_examples=60, deadline=None)
@given(x=coord, y=coord, a=angle, s=steep, unit=st.integers(0, 2))
def test_the_zero_set_passes_through_the_dropped_line(
    x: float, y: float, a: float, s: float, unit: int
) -> None:
    net = _net(2)
    before = _first(net).weight.detach().clone()
    line = UnitLine((x, y), a, s)
    w1, w2, b = weights_from_line(line)
    set_unit(net, 0, unit, [w1, w2], b)
    along = (-math.sin(a), math.cos(a))  # the line's direction
    normal = (math.cos(a), math.sin(a))
    on = [(x + t * along[0], y + t * along[1]) for t in (-3.0, 0.0, 2.5)]
    assert _z(net, unit, on) == pytest.approx([0, 0, 0], abs=1e-9 * (1 + s * 10))
    off = [(x + 0.1 * normal[0], y + 0.1 * normal[1]), (x - 0.1 * normal[0], y - 0.1 * normal[1])]
    active, inactive = _z(net, unit, off)
    assert active == pytest.approx(0.1 * s) and inactive == pytest.approx(-0.1 * s)
    others = [u for u in range(3) if u != unit]
    assert torch.equal(_first(net).weight.detach()[others], before[others])  # one unit only


@settings(max_examples=60, deadline=None)
@given(w1=coord, w2=coord, b=coord, cx=coord, cy=coord)
def test_weights_to_line_and_back_is_the_same_unit(
    w1: float, w2: float, b: float, cx: float, cy: float
) -> None:
    line = line_from_weights(w1, w2, b, near=(cx, cy))
    if math.hypot(w1, w2) < 1e-6:
        return
    assert line is not None
    assert weights_from_line(line) == pytest.approx((w1, w2, b), abs=1e-6 * (1 + abs(b)))
    # The point is the foot of the perpendicular from the box's centre.
    px, py = line.point
    assert (px - cx) * -w2 + (py - cy) * w1 == pytest.approx(0, abs=1e-6 * (1 + abs(b)) * 10)


def test_a_constant_unit_has_no_line_and_no_step() -> None:
    assert line_from_weights(0.0, 0.0, 1.0) is None
    assert step_from_weights(0.0, 2.0) is None


@pytest.mark.parametrize(("position", "slope"), [(0.25, 16.0), (0.8, -3.0), (-1.5, 0.5)])
def test_a_dropped_step_puts_the_unit_zero_there_with_that_slope(
    position: float, slope: float
) -> None:
    net = _net(1)
    w, b = weights_from_step(UnitStep(position, slope))
    set_unit(net, 0, 1, [w], b)
    z = _z(net, 1, [(position,), (position + 0.01,)])
    assert z[0] == pytest.approx(0, abs=1e-12)
    assert z[1] == pytest.approx(0.01 * slope)
    assert step_from_weights(w, b) == UnitStep(pytest.approx(position), slope)  # type: ignore[arg-type]


def test_set_unit_refuses_bad_edits_and_changes_nothing() -> None:
    net = _net(2)
    before = [p.detach().clone() for p in net.parameters()]
    with pytest.raises(ValueError, match="has 2 inputs, got 3 weights"):
        set_unit(net, 0, 0, [1.0, 2.0, 3.0], 0.0)
    with pytest.raises(ValueError, match="row must be 0 to 2"):
        set_unit(net, 0, 5, [1.0, 2.0], 0.0)
    with pytest.raises(ValueError, match="finite"):
        set_unit(net, 0, 0, [math.nan, 2.0], 0.0)
    with pytest.raises(ValueError, match="no layer 4"):
        set_unit(net, 4, 0, [1.0, 2.0], 0.0)
    assert all(torch.equal(a, b) for a, b in zip(before, net.parameters(), strict=True))


def test_lines_are_unavailable_when_the_inputs_are_not_the_raw_point() -> None:
    assert line_unavailable(NetworkSpec()) is None
    assert line_unavailable(NetworkSpec(features=("x1",))) is None
    assert "curve" in (line_unavailable(NetworkSpec(features=("x1", "x2", "x1_x2"))) or "")
    assert "image data" in (line_unavailable(NetworkSpec(features=("pixels",))) or "")
    assert "no hidden layer" in (line_unavailable(NetworkSpec(hidden=())) or "")
    normed = NetworkSpec(hidden=(LayerSpec(4, "relu", batch_norm=True),))
    assert "normalisation" in (line_unavailable(normed) or "")
