"""The hand-built networks a lesson loads (`preset` commands): which setup each needs, and
its weights. The worker builds the trainer and loads them; the rules live here.

- `folding`: ReLU layers of 8 whose regions multiply by 16 a layer (models/presets.py), on
  the current two-class plane data; the data stays.
- `xor_two_units`: the classic XOR (xor4) and a tanh 2-2-1 net that classifies it.
- `sine_bumps`: the sine and one sigmoid layer whose pairs of units make bumps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from models.config import LayerSpec, NetworkSpec, RunSpec
from models.fit import data_shape
from models.presets import FOLDING_UNITS, folding_layers, sine_bump_layers, xor_two_unit_layers
from models.tasks import is_naive
from server.protocol import ConfigureCommand, PresetCommand
from server.specs import ConfigureError, apply_configure

Box = tuple[float, float, float, float]
Layers = list[tuple[NDArray[np.float64], NDArray[np.float64]]]


@dataclass(frozen=True)
class Preset:
    """The setup a preset runs on, and its weights given the data's box."""

    spec: RunSpec
    layers: Callable[[Box], Layers]


def preset(current: RunSpec, command: PresetCommand) -> Preset:
    """The preset `command` names over the `current` setup; ConfigureError when it cannot be."""
    if command.name == "folding":
        return _folding(current, command.depth)
    if command.name == "xor_two_units":
        patch: dict[str, object] = {
            "network": {"hidden": [{"units": 2, "activation": "tanh"}], "features": ["x1", "x2"]},
            "dataset": {"name": "xor4", "noise": 0.0, "label_noise": 0.0},
            "training": {"loss": "bce"},
        }
        layers = xor_two_unit_layers()
    else:
        patch = {
            "network": {
                "hidden": [{"units": 2 * command.bumps, "activation": "sigmoid"}],
                "features": ["x1"],
            },
            "dataset": {"name": "sine", "noise": 0.0},
            "training": {"loss": "mse"},
        }
        layers = sine_bump_layers(command.bumps)
    spec = apply_configure(current, ConfigureCommand.model_validate(patch))
    spec = replace(spec, network=replace(spec.network, init="default"))
    return Preset(spec, lambda _box: layers)


def _folding(current: RunSpec, depth: int) -> Preset:
    """The folding net over the current data, which must be two classes in the plane."""
    if data_shape(current.data) != ("classification", 2, 2):
        raise ConfigureError(
            "The folding preset draws a two-class boundary: pick a 2D two-class dataset."
        )
    hidden = tuple(LayerSpec(FOLDING_UNITS, "relu") for _ in range(depth))
    network = NetworkSpec(hidden=hidden, outputs=1, init=current.network.init)
    loss = "bce_naive" if is_naive(current.training.loss) else "bce"
    spec = replace(current, network=network, training=replace(current.training, loss=loss))
    return Preset(spec, lambda box: folding_layers(depth, box))
