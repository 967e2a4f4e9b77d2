"""Inside the network: each neuron's map over the input box, and where a hidden layer sends
the data.

The worker trains the same net between two looks, so every function here runs it in eval mode
(layers.eval_mode) and gives each module its own mode back afterwards. The layer walk itself
lives in layers.py; per-layer health numbers while training live in monitors.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from models.analysis.grid import Box, grid_points, line_points
from models.analysis.layers import (
    LayerModules,
    apply_head,
    eval_mode,
    layer_modules,
    layer_name,
    run_features,
    run_layer,
)


def _like(net: nn.Module) -> torch.Tensor:
    """Return a parameter of `net`: inputs go to its device and dtype."""
    return next(net.parameters())


def _grid(box: Box, dims: int, resolution: int) -> tuple[torch.Tensor, tuple[int, int]]:
    """Return the grid's points (N, dims) and its (height, width): rows top-down, 1 row for 1D."""
    if dims == 2:
        return grid_points(box, resolution), (resolution, resolution)
    if dims == 1:
        return line_points(box, resolution), (1, resolution)
    raise ValueError(f"data must have 1 or 2 dimensions, got {dims}")


def _planes(values: torch.Tensor, shape: tuple[int, int]) -> torch.Tensor:
    """Return per-point values (N, C) as C images (C, height, width)."""
    return values.t().reshape(-1, *shape)


@dataclass(frozen=True)
class NeuronMaps:
    """Every neuron's value over the grid: row 0 at the top (ymax), x across; 1 row for 1D data."""

    inputs: torch.Tensor
    """(F, H, W): the features the first Linear sees."""
    hidden: list[torch.Tensor]
    """(units_i, H, W) per hidden layer: its post (after norms and the activation)."""
    outputs: torch.Tensor
    """(O, H, W): the head applied to the logits, probabilities or values."""


def neuron_maps(net: nn.Module, box: Box, dims: int, resolution: int, head: str) -> NeuronMaps:
    """Return every neuron's map over a resolution² grid of the box (resolution points for 1D)."""
    before, layers = layer_modules(net)
    points, shape = _grid(box, dims, resolution)
    with eval_mode(net), torch.inference_mode():
        h = run_features(before, points.to(_like(net)))
        inputs, hidden = _planes(h, shape), []
        for layer in layers[:-1]:
            h = run_layer(layer, h).post
            hidden.append(_planes(h, shape))
        outputs = apply_head(run_layer(layers[-1], h).post, head)
    return NeuronMaps(inputs, hidden, _planes(outputs, shape))


def neuron_map(
    net: nn.Module, box: Box, dims: int, resolution: int, layer: int, unit: int, head: str
) -> torch.Tensor:
    """Return one neuron's map (H, W) for the large view; `layer` is a Linear index.

    Only the layers up to `layer` run, so a large map of an early neuron stays cheap.
    """
    before, layers = layer_modules(net)
    _check_unit(layers, layer, unit)
    points, shape = _grid(box, dims, resolution)
    with eval_mode(net), torch.inference_mode():
        h = run_features(before, points.to(_like(net)))
        for modules in layers[: layer + 1]:
            h = run_layer(modules, h).post
        if layer == len(layers) - 1:
            h = apply_head(h, head)
    return h[:, unit].reshape(shape)


def _check_unit(layers: list[LayerModules], layer: int, unit: int) -> None:
    """Raise ValueError, naming the valid range, unless (layer, unit) is a neuron of the net."""
    if not 0 <= layer < len(layers):
        raise ValueError(f"layer must be 0 to {len(layers) - 1}, got {layer}")
    units = layers[layer].linear.out_features
    if not 0 <= unit < units:
        name = layer_name(layer, len(layers) - 1)
        raise ValueError(f"{name} has units 0 to {units - 1}, got {unit}")


@dataclass(frozen=True)
class HiddenSpace:
    """Where a hidden layer sends the data and a grid of the input box, drawn in the plane."""

    layer: int
    units: int
    projected: bool
    """True when units > 2 and the picture is `fixed_projection(units)` of the activations."""
    points: torch.Tensor
    """(N, 2): the given points' coordinates."""
    lines: torch.Tensor
    """(L, S, 2): L polylines of S samples; 2D data: horizontal lines (y from ymin up to ymax),
    then vertical ones (x from xmin to xmax), each sampled from one edge of the box to the other;
    1D data: one line along x."""


def fixed_projection(units: int) -> torch.Tensor:
    """Return a (units, 2) matrix with orthonormal columns that draws unit i's axis at 2πi/units.

    It depends on `units` alone, so the picture moves only because the network changes; the
    axes spread evenly round the circle, as in a star plot. 2 units keep their own axes.
    """
    if units < 2:
        raise ValueError(f"a projection to the plane needs at least 2 units, got {units}")
    if units == 2:
        return torch.eye(2)
    angles = torch.arange(units, dtype=torch.float64) * (2 * math.pi / units)
    # Σcos² = Σsin² = units/2 and Σcos·sin = 0 for units ≥ 3: scaled, the columns are orthonormal
    return (torch.stack([angles.cos(), angles.sin()], dim=1) * math.sqrt(2 / units)).float()


def hidden_space(
    net: nn.Module,
    layer: int,
    points: torch.Tensor,
    box: Box,
    dims: int,
    lines_per_axis: int = 11,
    samples: int = 41,
) -> HiddenSpace:
    """Return where hidden layer `layer` (a Linear index) maps `points` (N, dims) and box lines."""
    before, layers = layer_modules(net)
    if not 0 <= layer < len(layers) - 1:
        raise ValueError(f"hidden layer must be 0 to {len(layers) - 2}, got {layer}")
    lines = _box_lines(box, dims, lines_per_axis, samples)  # (L, S, dims)
    like = _like(net)
    inputs = torch.cat([points.to(like), lines.reshape(-1, dims).to(like)])
    with eval_mode(net), torch.inference_mode():
        h = run_features(before, inputs)
        for modules in layers[: layer + 1]:
            h = run_layer(modules, h).post
        plane = _to_plane(h)  # (N + L·S, 2)
    units, count = h.shape[1], len(points)
    lines_2d = plane[count:].reshape(*lines.shape[:2], 2)
    return HiddenSpace(layer, units, units > 2, plane[:count], lines_2d)


def _box_lines(box: Box, dims: int, count: int, samples: int) -> torch.Tensor:
    """Return `count` horizontal then `count` vertical lines across the box (2·count, samples, 2).

    1D data gets the one line along x (1, samples, 1); count 0 gives no lines (image data has
    no box to draw lines across).
    """
    if count == 0:
        return torch.zeros(0, samples, dims)
    xmin, xmax, ymin, ymax = box
    along_x = torch.linspace(xmin, xmax, samples)
    if dims == 1:
        return along_x.reshape(1, samples, 1)
    if dims != 2:
        raise ValueError(f"data must have 1 or 2 dimensions, got {dims}")
    along_y = torch.linspace(ymin, ymax, samples)
    at_y = torch.linspace(ymin, ymax, count)[:, None].expand(count, samples)
    at_x = torch.linspace(xmin, xmax, count)[:, None].expand(count, samples)
    horizontal = torch.stack([along_x.expand(count, samples), at_y], dim=-1)
    vertical = torch.stack([at_x, along_y.expand(count, samples)], dim=-1)
    return torch.cat([horizontal, vertical])


def _to_plane(activations: torch.Tensor) -> torch.Tensor:
    """Return activations (N, units) as plane coordinates (N, 2): (a, 0) for one unit."""
    units = activations.shape[1]
    if units == 1:
        return torch.cat([activations, torch.zeros_like(activations)], dim=1)
    if units == 2:
        return activations
    return activations @ fixed_projection(units).to(activations)
