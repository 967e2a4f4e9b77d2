"""Hand-built networks a lesson loads: which setup each needs, and its weights.

- `folding`: ReLU layers of 8 whose regions multiply by 16 a layer, on the current two-class
  plane data; the data stays.
- `xor_two_units`: the classic XOR (xor4) and a tanh 2-2-1 net that classifies it.
- `sine_bumps`: the sine and one sigmoid layer whose pairs of units make bumps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec
from models.fit import data_shape
from models.tasks import is_naive, outputs_for
from models.trainer import Trainer

Box = tuple[float, float, float, float]
Layers = list[tuple[NDArray[np.float64], NDArray[np.float64]]]

FOLDING_TEETH = 4
"""Each layer folds each input axis into this many teeth, multiplying the regions by 4² = 16."""
FOLDING_UNITS = 2 * FOLDING_TEETH
"""Hidden units per folding layer: one sawtooth of FOLDING_TEETH ReLUs per input axis."""
_LIFT = 2.0


def folding_layers(depth: int, box: tuple[float, float, float, float]) -> Layers:
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


def load_layers(net: nn.Module, layers: Layers) -> None:
    """Copy (weight, bias) pairs into the nn.Linear modules of `net`, in order, in place."""
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    if len(linears) != len(layers):
        raise ValueError(f"the network has {len(linears)} linear layers, the weights {len(layers)}")
    with torch.no_grad():
        for module, (weight, bias) in zip(linears, layers, strict=True):
            module.weight.copy_(torch.as_tensor(weight, dtype=module.weight.dtype))
            module.bias.copy_(torch.as_tensor(bias, dtype=module.bias.dtype))


XOR_SLOPE = 2.0
"""Steepness of the two tanh units of the XOR solution, per unit of x1 − x2."""
XOR_HALF_BAND = 3.0
"""The band |x1 − x2| < 3 holds class 1: the clusters at (3, 3) and (−3, −3) sit on its middle
line, those at (3, −3) and (−3, 3) six units away from it."""
XOR_GAIN = 4.0
"""Output logit ±4 inside and outside the band: probabilities 0.98 and 0.02."""


def xor_two_unit_layers() -> Layers:
    """Weights of a tanh 2-2-1 net that solves the classic XOR with one logit.

    h1 = tanh(a(x1 − x2 + c)) and h2 = tanh(a(x1 − x2 − c)) are two parallel steps; h1 − h2 is
    about 2 inside the band |x1 − x2| < c and about 0 outside, so the logit k(h1 − h2) − k is
    +k on the diagonal pair (class 1: signs agree) and −k on the other pair (class 0).
    """
    a, c, k = XOR_SLOPE, XOR_HALF_BAND, XOR_GAIN
    hidden = (np.array([[a, -a], [a, -a]]), np.array([a * c, -a * c]))
    readout = (np.array([[k, -k]]), np.array([-k]))
    return [hidden, readout]


BUMP_STEEPNESS = 8.0
"""Each sigmoid's slope is this many times the number of bumps: the steps get sharper as the
bumps narrow, keeping each edge about an eighth of a bump wide."""


def bump(
    x: NDArray[np.float64], left: float, right: float, steepness: float
) -> NDArray[np.float64]:
    """σ(s(x − left)) − σ(s(x − right)): about 1 between left and right, about 0 outside."""
    return 1 / (1 + np.exp(-steepness * (x - left))) - 1 / (1 + np.exp(-steepness * (x - right)))


def sine_bump_layers(bumps: int) -> Layers:
    """Weights of a 1-(2·bumps)-1 sigmoid net that draws sin 2πx on [0, 1] as a row of bumps.

    Bump j covers [j/N, (j+1)/N] (N = bumps) and is made of two units: σ(s(x − j/N)) with
    output weight +h_j and σ(s(x − (j+1)/N)) with weight −h_j, h_j = sin 2π(j + ½)/N its height,
    s = BUMP_STEEPNESS · N. The sum is a staircase through the sine's values at the bump
    centres: the lecture's proof that one hidden layer of sigmoids approximates any continuous
    function, one bump per piece.
    """
    n = bumps
    edges = np.arange(n + 1) / n
    heights = np.sin(2 * np.pi * (np.arange(n) + 0.5) / n)
    s = BUMP_STEEPNESS * n
    lefts, rights = edges[:-1], edges[1:]
    centres = np.stack([lefts, rights], axis=1).reshape(-1)  # (2N,): left, right of each bump
    weight = np.full((2 * n, 1), s)
    bias = -s * centres
    readout = np.stack([heights, -heights], axis=1).reshape(1, -1)  # (1, 2N)
    return [(weight, bias), (readout, np.zeros(1))]


def sine_bumps(x: NDArray[np.float64], bumps: int) -> NDArray[np.float64]:
    """The bump network's output at x, in closed form: Σ_j h_j · bump_j(x)."""
    n = bumps
    s = BUMP_STEEPNESS * n
    total = np.zeros_like(x)
    for j in range(n):
        total += np.sin(2 * np.pi * (j + 0.5) / n) * bump(x, j / n, (j + 1) / n, s)
    return total


class PresetError(ValueError):
    """The preset cannot run on the current setup; the message says why, for a person."""


@dataclass(frozen=True)
class Preset:
    """The setup a preset runs on, and its weights given the data's box."""

    spec: RunSpec
    layers: Callable[[Box], Layers]

    def trainer(self, device: torch.device) -> Trainer:
        """A trainer on the preset's setup at step 0, the preset's weights loaded."""
        trainer = Trainer(self.spec, device)
        load_layers(trainer.net, self.layers(trainer.split.box))
        return trainer


def folding_preset(current: RunSpec, depth: int) -> Preset:
    """The folding net over the current data, which must be two classes in the plane."""
    if data_shape(current.data) != ("classification", 2, 2):
        raise PresetError(
            "The folding preset draws a two-class boundary: pick a 2D two-class dataset."
        )
    hidden = tuple(LayerSpec(FOLDING_UNITS, "relu") for _ in range(depth))
    network = NetworkSpec(hidden=hidden, outputs=1, init=current.network.init)
    loss = "bce_naive" if is_naive(current.training.loss) else "bce"
    spec = replace(current, network=network, training=replace(current.training, loss=loss))
    return Preset(spec, lambda box: folding_layers(depth, box))


def xor_two_units_preset(current: RunSpec) -> Preset:
    """The classic XOR, noise-free, and the tanh 2-2-1 net that classifies it."""
    data = replace(current.data, name="xor4", noise=0.0, label_noise=0.0, custom=None)
    spec = _on(current, data, LayerSpec(2, "tanh"), ("x1", "x2"), "bce")
    layers = xor_two_unit_layers()
    return Preset(spec, lambda _box: layers)


def sine_bumps_preset(current: RunSpec, bumps: int) -> Preset:
    """The noise-free sine and the sigmoid layer that draws it as `bumps` bumps."""
    data = replace(current.data, name="sine", noise=0.0, custom=None)
    spec = _on(current, data, LayerSpec(2 * bumps, "sigmoid"), ("x1",), "mse")
    layers = sine_bump_layers(bumps)
    return Preset(spec, lambda _box: layers)


def _on(
    current: RunSpec, data: DataSpec, layer: LayerSpec, features: tuple[str, ...], loss: str
) -> RunSpec:
    """`current` with this data, one hidden layer, these features and loss, default init."""
    classes = data_shape(data)[1]
    network = NetworkSpec((layer,), outputs_for(loss, classes), features, init="default")
    return replace(
        current, network=network, data=data, training=replace(current.training, loss=loss)
    )


def build_preset(current: RunSpec, name: str, *, depth: int = 1, bumps: int = 10) -> Preset:
    """The preset `name` over the `current` setup; PresetError when it cannot run there."""
    if name == "folding":
        return folding_preset(current, depth)
    if name == "xor_two_units":
        return xor_two_units_preset(current)
    if name == "sine_bumps":
        return sine_bumps_preset(current, bumps)
    raise PresetError(f"unknown preset {name!r}; known: folding, xor_two_units, sine_bumps")
