"""Hand-built networks that show what depth can do, loaded into a trainer's weights."""

from __future__ import annotations

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

FOLDING_TEETH = 4
"""Each layer folds each input axis into this many teeth, multiplying the regions by 4² = 16."""
FOLDING_UNITS = 2 * FOLDING_TEETH
"""Hidden units per folding layer: one sawtooth of FOLDING_TEETH ReLUs per input axis."""
_LIFT = 2.0


def folding_layers(
    depth: int, box: tuple[float, float, float, float]
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Weights (out, in) and biases of a ReLU net [8] * depth with 16**depth regions over the box.

    After Montúfar et al. 2014: per axis, units h_k = relu(4t - k), k = 0..3, of t in [0, 1]
    combine as g = h_0 - 2 h_1 + 2 h_2 - 2 h_3, a zigzag mapping each quarter of [0, 1] onto
    all of [0, 1]. The next layer reads g through its weights, so each layer multiplies the
    pieces per axis by 4, and the box is cut into a (4**depth)² grid of regions.

    h_0's kink would sit exactly on the box edge (and, deeper, on the valleys where g = 0), so
    float32 rounding would cut slivers there; h_0 = relu(4t + LIFT) - LIFT moves it safely
    outside, and the layers reading g subtract the lifted constant.
    """
    teeth = FOLDING_TEETH
    offsets = -np.arange(teeth, dtype=np.float64)  # (4,): kinks at t = 0, 1/4, 1/2, 3/4
    offsets[0] = _LIFT  # h_0 = relu(4t + LIFT): linear on all of [0, 1]
    zigzag = np.array([1.0, -2.0, 2.0, -2.0])[:teeth]  # (4,): g from the four ReLUs
    xmin, xmax, ymin, ymax = box
    scale = np.array([1 / (xmax - xmin), 1 / (ymax - ymin)])  # box -> [0, 1]²
    shift = -np.array([xmin, ymin]) * scale
    layers = []
    for layer in range(depth):
        weight = np.zeros((2 * teeth, 2 if layer == 0 else 2 * teeth))
        bias = np.tile(offsets, 2)
        for axis in range(2):
            rows = slice(axis * teeth, (axis + 1) * teeth)
            if layer == 0:  # t is the input coordinate, scaled to [0, 1]
                weight[rows, axis] = teeth * scale[axis]
                bias[rows] += teeth * shift[axis]
            else:  # t is the previous layer's zigzag g (lifted by LIFT) of the same axis
                weight[rows, rows] = teeth * zigzag[None, :]
                bias[rows] -= teeth * _LIFT
        layers.append((weight, bias))
    readout = np.concatenate([zigzag, zigzag])[None, :]  # (1, 8): g_x + g_y
    layers.append((readout, np.array([-1.0 - 2 * _LIFT])))
    return layers


def load_layers(
    net: nn.Module, layers: list[tuple[NDArray[np.float64], NDArray[np.float64]]]
) -> None:
    """Copy (weight, bias) pairs into the nn.Linear modules of `net`, in order, in place."""
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    if len(linears) != len(layers):
        raise ValueError(f"the network has {len(linears)} linear layers, the weights {len(layers)}")
    with torch.no_grad():
        for module, (weight, bias) in zip(linears, layers, strict=True):
            module.weight.copy_(torch.as_tensor(weight, dtype=module.weight.dtype))
            module.bias.copy_(torch.as_tensor(bias, dtype=module.bias.dtype))
