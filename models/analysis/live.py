"""How many linear regions a network has right now, exactly where that can be computed.

The one place that decides between the exact counters (regions.py in the plane, intervals.py
on a line) and the approximate one (patterns.py, activation patterns on a grid), and says
which it used. The server only sets the budget (server/limits.py) and packs the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from models.activations import ACTIVATIONS, PIECEWISE_LINEAR, PiecewiseLinear
from models.analysis.intervals import count_intervals, line_layers
from models.analysis.layers import eval_mode
from models.analysis.patterns import pattern_count_on_grid
from models.analysis.regions import Regions, compute_regions, count_regions, layers_from_module
from models.analysis.tiling import Box
from models.config import NetworkSpec
from models.expression_pwl import layer_pieces
from models.features import PLANE_FEATURES


@dataclass(frozen=True)
class RegionBudget:
    """How far a live count may go: past `max_count` it gives up, past `draw_max` it sends no
    polygons, and an approximate count samples a grid of `approx_resolution` a side. A
    network of more than `exact_max_units` hidden units gets the approximate count: an exact
    one takes seconds there (8 × 128 ReLU: ~10 s on a busy 2-core VM, issue 20)."""

    max_count: int
    draw_max: int
    approx_resolution: int
    exact_max_units: int | None = None


@dataclass(frozen=True)
class LiveRegions:
    """A network's linear regions over its box: the count, whether exact, the polygons."""

    count: int | None
    """None when there is no count: image data, non-finite weights, past the budget."""
    exact: bool = True
    regions: Regions | None = None
    """The polygons and their patterns, when exact, in the plane and few enough to draw."""


def is_piecewise_linear(activation: str) -> bool:
    """Whether the activation is affine on each of finitely many pieces (relu, not tanh)."""
    return activation in PIECEWISE_LINEAR


def live_regions(
    net: nn.Module, network: NetworkSpec, box: Box, dims: int, budget: RegionBudget
) -> LiveRegions:
    """Exact regions of a piecewise-linear network over its box, else an approximate count.

    Exact when every hidden layer has the same piecewise-linear activation (the counter takes
    one for all layers; an expression counts by its pieces, models/expression_pwl.py) and the
    map from the plane to the first layer is affine: the inputs are x1, x2 and no layer norm
    divides by a per-point spread (batch norm in eval mode is affine and folds into its Linear).
    Polygons come along when there are few enough to draw. Other networks, and those over the
    budget's exact_max_units, get the number of activation patterns on a grid, flagged as
    inexact. On 1D data the regions are intervals of the x range, counted exactly (no polygons)
    for the same kind of network. Runs in eval mode and gives `net` its own mode back.
    """
    pieces = {layer_pieces(layer) for layer in network.hidden} or {ACTIVATIONS["linear"].pieces}
    act = pieces.pop() if len(pieces) == 1 else None  # relu and max(0, x) are one activation
    with eval_mode(net):
        try:
            if dims == 1:
                return _line_regions(net, act, box, budget) if act is not None else _NONE
            if dims != 2:
                return _NONE
            affine_inputs = network.features == PLANE_FEATURES and not any(
                layer.layer_norm for layer in network.hidden
            )
            units = sum(layer.units for layer in network.hidden)
            too_large = budget.exact_max_units is not None and units > budget.exact_max_units
            if act is None or not affine_inputs or too_large:
                count = pattern_count_on_grid(net, "relu", box, budget.approx_resolution)
                return LiveRegions(count, exact=False)
            return _plane_regions(net, act, box, budget)
        except ValueError:  # too many regions, not piecewise linear in x, or NaN weights
            return _NONE


_NONE = LiveRegions(None)


def _plane_regions(
    net: nn.Module, activation: PiecewiseLinear, box: Box, budget: RegionBudget
) -> LiveRegions:
    layers = layers_from_module(net)
    count = count_regions(layers, activation, box, budget.max_count)
    if count > budget.draw_max:
        return LiveRegions(count)
    regions = compute_regions(layers, activation, box)
    return LiveRegions(regions.count, regions=regions)


def _line_regions(
    net: nn.Module, activation: PiecewiseLinear, box: Box, budget: RegionBudget
) -> LiveRegions:
    """Exact linear intervals of a 1D network over its x range (x², sin features or layer norm
    make it non-piecewise-linear in x: ValueError)."""
    count = count_intervals(line_layers(net), activation, (box[0], box[1]), budget.max_count)
    return LiveRegions(count)
