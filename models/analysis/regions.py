"""Exact linear regions of a piecewise-linear MLP over a 2D box.

A region is a set of inputs on which every hidden unit stays on one piece of its activation, so
the network is one affine map there. The output layer splits nothing. Two neighbouring regions
whose affine maps happen to agree are still counted separately, as CONTRACT.md section 2 allows.

Algorithm: the box starts as one convex polygon. Layer by layer, every polygon knows the affine map
from the input to the layer's pre-activations (z = A x + c, shared by all pieces of one polygon of
the previous layer, their "parent"). Each unit and each kink of the activation is a line in the
parent, and the polygons are replaced by the cells their lines cut them into, all polygons and
lines at once in a fixed number of NumPy calls (arrange.py: the cells' vertices are the polygons'
corners, the lines' chord ends and their crossings inside, grouped by their sides of the lines).
Where lines meet degenerately a layer is cut instead, line by line (tiling.py: in rounds, every
polygon meeting the next line that may cross it, looked up in a table of which lines cross which
polygon), whose band handles every case. At the end of a layer each polygon's pattern fixes the
slopes of the activation, hence the next layer's map. `count_regions` only counts the last
layer's cells, by Euler's formula (cells.py), and cuts instead only where lines meet
degenerately; `compute_regions` always builds them.

Tolerance policy (float64): a vertex lies on a line when |A_j x + c_j - kink| <= 1e-9 * scale,
where scale = (|A_j0| + |A_j1|) * max|box| + |c_j - kink| bounds the terms summed; a polygon is
cut only by a line with vertices clearly on both sides. Rounding is ~1e-16 * scale, so the band
absorbs it: duplicate units, lines through existing vertices and zero weights cut nothing and
make no slivers, while only cells thinner than 1e-9 of the box could be missed. Nothing is ever
dropped by area: each piece keeps a vertex beyond the band, so the polygons always tile the box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from models.activations import ACTIVATIONS, PiecewiseLinear
from models.analysis.arrange import arrange_layer
from models.analysis.cells import cell_count
from models.analysis.tiling import Box, Tiling, cut_layer, make_lines, within
from models.features import FeatureMap

Layer = tuple[NDArray[np.float64], NDArray[np.float64]]
"""(weight (out, in), bias (out,)), torch's nn.Linear convention."""

_BLAS_CHUNK = 1 << 18  # multiply-adds per matmul call, at most: OpenBLAS runs it on one thread


@dataclass(frozen=True)
class Regions:
    """Linear regions of a network over a box."""

    polygons: list[NDArray[np.float64]]
    """Each region's vertices, (V, 2), counter-clockwise."""
    patterns: NDArray[np.int8]
    """(count, hidden units): the piece of each hidden unit's activation, e.g. 1 = active ReLU."""
    count: int


def count_regions(
    layers: Sequence[Layer],
    activation: str | PiecewiseLinear,
    box: Box,
    max_regions: int | None = None,
) -> int:
    """Return the number of linear regions of the network over the box (no polygons built).

    Raises ValueError for bad input, and once the count passes max_regions if one is given.
    """
    return _tile(layers, activation, box, max_regions, count_last=True)[1]


def compute_regions(
    layers: Sequence[Layer],
    activation: str | PiecewiseLinear,
    box: Box,
    max_regions: int | None = None,
) -> Regions:
    """Return every linear region of the network over the box with its polygon and pattern.

    Raises ValueError for bad input, and once the count passes max_regions if one is given.
    """
    tiling, count = _tile(layers, activation, box, max_regions)
    units = [len(bias) for _, bias in layers[:-1]]
    pieces = _pieces(tiling, units, len(lookup_activation(activation).kinks))
    return Regions(tiling.polygons(), pieces, count)


def layers_from_module(net: nn.Module) -> list[Layer]:
    """Return the affine layers of `net` in order, as float64 numpy (weight, bias) pairs.

    Each nn.Linear is one layer. An eval-mode BatchNorm1d right after it is an affine map per
    unit, gamma·(z - mean)/√(var + eps) + beta, so it folds into that Linear, with its running
    statistics: the layers describe the network as it predicts in eval mode. Dropout is the
    identity in eval mode and is skipped, as are the activations (the caller names those).
    LayerNorm divides by a norm of the whole layer and FeatureMap squares or takes sines, so a
    network with either is not piecewise linear in its input: ValueError.
    """
    layers: list[Layer] = []
    for module in net.modules():
        if isinstance(module, nn.LayerNorm | FeatureMap):
            raise ValueError(
                f"a network with {type(module).__name__} is not piecewise linear in its input"
            )
        if isinstance(module, nn.Linear):
            weight = _float64(module.weight)
            bias = np.zeros(len(weight)) if module.bias is None else _float64(module.bias)
            layers.append((weight, bias))
        elif isinstance(module, nn.BatchNorm1d):
            layers[-1] = _fold_batch_norm(layers, module)
    return layers


def _fold_batch_norm(layers: list[Layer], norm: nn.BatchNorm1d) -> Layer:
    """Return the last of `layers` followed by `norm` in eval mode, as one affine layer."""
    if not layers or len(layers[-1][1]) != norm.num_features:
        raise ValueError("a BatchNorm1d must follow a Linear of the same width")
    if norm.running_mean is None or norm.running_var is None:
        raise ValueError("a BatchNorm1d without running statistics is not piecewise linear")
    weight, bias = layers[-1]
    scale = 1.0 / np.sqrt(_float64(norm.running_var) + norm.eps)  # (units,)
    beta = np.zeros_like(scale)
    if norm.affine:
        scale, beta = scale * _float64(norm.weight), _float64(norm.bias)
    return weight * scale[:, None], (bias - _float64(norm.running_mean)) * scale + beta


def _float64(t: torch.Tensor) -> NDArray[np.float64]:
    """Return a float64 numpy copy of a tensor."""
    return t.detach().cpu().double().numpy().copy()


def _tile(
    layers: Sequence[Layer],
    activation: str | PiecewiseLinear,
    box: Box,
    max_regions: int | None,
    count_last: bool = False,
) -> tuple[Tiling, int]:
    """Return the tiling of the box by the linear regions, and how many regions there are.

    With count_last the last hidden layer is only counted (see cell_count), not cut.
    """
    limit = np.inf if max_regions is None else max_regions
    act = lookup_activation(activation)
    layers = [(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)) for w, b in layers]
    _check(layers, box)
    units = [len(bias) for _, bias in layers[:-1]]
    kinks = len(act.kinks)
    tiling = Tiling(box, kinks * sum(units))
    if not kinks:
        return tiling, within(1, limit)
    reach = max(abs(c) for c in box)
    coef = np.array([[[1.0, 0.0]], [[0.0, 1.0]], [[0.0, 0.0]]])  # (3, P, 2): (x, y, 1) -> (x, y)
    piece = None
    for i, (weight, bias) in enumerate(layers[:-1]):
        parents = coef.take(tiling.parent[: tiling.size], axis=1)  # C order, unlike coef[:, p]
        coef = _next_coef(parents, weight, bias, piece, act)
        tiling.parent[: tiling.size] = np.arange(tiling.size)
        lines = make_lines(coef, act.kinks, reach)
        if count_last and i == len(units) - 1:
            count = cell_count(tiling, lines, reach)
            if count is not None:
                return tiling, within(count, limit)
        # All of a layer's cells at once, a fixed number of NumPy calls; cut line by line
        # only where lines meet degenerately.
        if not arrange_layer(tiling, lines, kinks * sum(units[:i]), reach, limit):
            cut_layer(tiling, lines, kinks * sum(units[:i]), limit)
        piece = _pieces(tiling, units[: i + 1], kinks)[:, -units[i] :]
    return tiling, within(tiling.size, limit)


def _pieces(tiling: Tiling, units: list[int], kinks: int) -> NDArray[np.int8]:
    """Return the piece of each unit of the given layers, (P, units): the kinks it lies above."""
    if not kinks or not units:
        return np.zeros((tiling.size, sum(units)), dtype=np.int8)
    side = tiling.side[: tiling.size, : kinks * sum(units)]
    if kinks == 1:
        return side
    blocks = np.split(side, np.cumsum(units)[:-1] * kinks, axis=1)
    return np.concatenate([b.reshape(len(b), kinks, -1).sum(1, np.int8) for b in blocks], axis=1)


def _next_coef(
    coef: NDArray[np.float64],
    weight: NDArray[np.float64],
    bias: NDArray[np.float64],
    piece: NDArray[np.int8] | None,
    act: PiecewiseLinear,
) -> NDArray[np.float64]:
    """Return each polygon's map from (x, y, 1) to the next pre-activations, (3, P, out).

    coef (3, P, units) gives the previous pre-activations; piece (P, units) the piece of the
    activation each unit is on, or None before the first layer (coef is then the identity).
    """
    h = coef
    if piece is not None and act.slopes == (0.0, 1.0) and act.intercepts == (0.0, 0.0):
        h = coef * piece  # ReLU: the active units pass on
    elif piece is not None:
        h = coef * np.asarray(act.slopes)[piece]
        h[2] += np.asarray(act.intercepts)[piece]
    rows = h.reshape(-1, h.shape[2])
    flat = np.empty((len(rows), len(weight)))
    # OpenBLAS wakes its threads above 2^18 multiply-adds a call; on a shared box they cost
    # more than they bring (6 ms against 0.8 ms for 6,000 x 32 x 32), so one thread's chunks.
    step = max(1, _BLAS_CHUNK // max(1, weight.size))
    for start in range(0, len(rows), step):
        np.matmul(rows[start : start + step], weight.T, out=flat[start : start + step])
    out: NDArray[np.float64] = flat.reshape(3, h.shape[1], -1)
    out[2] += bias
    return out


def lookup_activation(activation: str | PiecewiseLinear) -> PiecewiseLinear:
    """Return the named piecewise-linear activation (or the pieces given, e.g. an expression's,
    models/expression_pwl.py), or raise ValueError naming the known ones."""
    if isinstance(activation, PiecewiseLinear):
        return activation
    if activation not in PIECEWISE_LINEAR_SLOPES:
        known = ", ".join(sorted(PIECEWISE_LINEAR_SLOPES))
        raise ValueError(f"activation {activation!r} is not piecewise linear; use one of {known}")
    return PIECEWISE_LINEAR_SLOPES[activation]


def _check(layers: Sequence[Layer], box: Box) -> None:
    """Raise ValueError unless the layers chain from 2 inputs and the box is finite, not empty."""
    xmin, xmax, ymin, ymax = box
    if not all(np.isfinite(box)) or not (xmin < xmax and ymin < ymax):
        raise ValueError(f"box must be finite with xmin < xmax and ymin < ymax, got {box}")
    check_layers(layers, inputs=2)


def check_layers(layers: Sequence[Layer], inputs: int) -> None:
    """Raise ValueError unless the layers chain from `inputs` inputs and are all finite."""
    if not layers:
        raise ValueError("need at least one layer (the output layer)")
    width = inputs
    for i, (weight, bias) in enumerate(layers):
        if weight.ndim != 2 or weight.shape[1] != width or bias.shape != (weight.shape[0],):
            raise ValueError(
                f"layer {i}: weight must be (out, {width}) and bias (out,), "
                f"got {weight.shape} and {bias.shape}"
            )
        if not (np.isfinite(weight).all() and np.isfinite(bias).all()):
            raise ValueError(f"layer {i}: weights and biases must be finite")
        width = weight.shape[0]


PIECEWISE_LINEAR_SLOPES: dict[str, PiecewiseLinear] = {
    name: record.pieces for name, record in ACTIVATIONS.items() if record.pieces is not None
}
"""Piecewise-linear activations by name, from their records; the region counter accepts exactly
these."""
