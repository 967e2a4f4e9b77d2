"""Brute-force activation patterns on a grid: the test oracle for exact region counts.

It can miss regions smaller than a grid cell and never finds extra ones; for networks that are
not piecewise linear (tanh, sigmoid) it is the only count there is, labelled an approximation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from models.activations import ACTIVATIONS, PiecewiseLinear
from models.analysis.regions import PIECEWISE_LINEAR_SLOPES, Layer, lookup_activation
from models.analysis.tiling import Box
from models.expression_torch import ExpressionActivation


def pattern_count_on_grid(
    net_or_layers: nn.Module | Sequence[Layer], activation: str, box: Box, resolution: int
) -> int:
    """Return how many distinct activation patterns the cell centres of a grid show.

    A brute-force oracle: it can miss regions smaller than a cell, never finds extra ones. A module
    is run itself (any activations, e.g. tanh) and each hidden pre-activation is classified by the
    kinks of `activation` if it is piecewise linear, else by its sign; bare layers are run with the
    piecewise-linear `activation`.
    """
    points = _grid(box, resolution)  # (resolution², 2)
    if isinstance(net_or_layers, nn.Module):
        pre = _module_preactivations(net_or_layers, points)
        act = PIECEWISE_LINEAR_SLOPES.get(activation, PIECEWISE_LINEAR_SLOPES["relu"])
    else:
        act = lookup_activation(activation)
        pre = _layers_preactivations(net_or_layers, act, points)
    if not pre:
        return 1
    pattern = np.concatenate([_piece(z, act) for z in pre], axis=1)  # (N, hidden units)
    rows = np.ascontiguousarray(pattern).view(np.dtype((np.void, pattern.shape[1])))
    return len(np.unique(rows))


def _grid(box: Box, resolution: int) -> NDArray[np.float64]:
    """Return the (resolution², 2) cell centres of a resolution x resolution grid on the box."""
    xmin, xmax, ymin, ymax = box
    xs = xmin + (np.arange(resolution) + 0.5) * ((xmax - xmin) / resolution)
    ys = ymin + (np.arange(resolution) + 0.5) * ((ymax - ymin) / resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def _piece(z: NDArray[np.float64], act: PiecewiseLinear) -> NDArray[np.int8]:
    """Return which piece of `act` each pre-activation is on, (N, units) int8."""
    kinks = np.asarray(act.kinks, dtype=np.float64)
    piece: NDArray[np.int8] = (z[..., None] > kinks).sum(axis=-1, dtype=np.int8)
    return piece


def _module_preactivations(
    net: nn.Module, points: NDArray[np.float64]
) -> list[NDArray[np.float64]]:
    """Return what enters every activation module on the points, running the module's children.

    That is the Linear's output, normalised first where the layer has BatchNorm or LayerNorm.
    """
    param = next(net.parameters())
    x = torch.as_tensor(points, dtype=param.dtype, device=param.device)
    activation_types = {type(record.build()) for record in ACTIVATIONS.values()}
    activation_types.add(ExpressionActivation)
    pre: list[NDArray[np.float64]] = []
    with torch.inference_mode():
        for module in net.children():
            if type(module) in activation_types:
                pre.append(x.double().cpu().numpy())
            x = module(x)
    return pre


def _layers_preactivations(
    layers: Sequence[Layer], act: PiecewiseLinear, points: NDArray[np.float64]
) -> list[NDArray[np.float64]]:
    """Return every hidden layer's pre-activations on the points, (N, units) each."""
    slopes, intercepts = np.asarray(act.slopes), np.asarray(act.intercepts)
    pre: list[NDArray[np.float64]] = []
    h = points
    for weight, bias in layers[:-1]:
        z = h @ weight.T + bias
        piece = _piece(z, act)
        h = slopes[piece] * z + intercepts[piece]
        pre.append(z)
    return pre
