"""Weight initialisations: one frozen record each (catalog text, how to draw, PyTorch code).

Every scheme draws on the CPU from the generator it is given, never the global one, so the
same generator state gives the same network on any device.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from models.registry import by_name

Draw = Callable[[int, int, torch.Generator], tuple[torch.Tensor, torch.Tensor]]
"""(fan_in, fan_out, generator) -> a CPU (weight (out, in), bias (out,)) pair."""


@dataclass(frozen=True)
class InitRecord:
    """One initialisation scheme, by wire name."""

    name: str
    description: str
    """One sentence for the catalog."""
    draw: Draw
    """Draws a layer's weight and bias on the CPU from the given generator alone."""
    code: tuple[str, ...] = ()
    """The statements "Copy as PyTorch" runs on each `layer`; none for nn.Linear's own."""


ZERO_BIAS = "nn.init.zeros_(layer.bias)"


def _default(fan_in: int, fan_out: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """The bound nn.Linear.reset_parameters uses, uniform in ±1/√fan_in, on our generator."""
    bound = 1.0 / fan_in**0.5
    weight = (torch.rand(fan_out, fan_in, generator=gen) * 2 - 1) * bound
    bias = (torch.rand(fan_out, generator=gen) * 2 - 1) * bound
    return weight, bias


def _weights(fill: Callable[[torch.Tensor, torch.Generator], object]) -> Draw:
    """A scheme that fills the weights with `fill` and leaves the biases at 0."""

    def draw(fan_in: int, fan_out: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        weight = torch.empty(fan_out, fan_in)
        fill(weight, gen)
        return weight, torch.zeros(fan_out)

    return draw


INITS: dict[str, InitRecord] = by_name(
    InitRecord(
        "default",
        "PyTorch's default: weights and biases uniform in ±1/√fan_in.",
        _default,
        (),
    ),
    InitRecord(
        "xavier_uniform",
        "Glorot: weights uniform in ±√(6/(fan_in + fan_out)), biases 0; for tanh.",
        _weights(lambda w, gen: nn.init.xavier_uniform_(w, generator=gen)),
        ("nn.init.xavier_uniform_(layer.weight)", ZERO_BIAS),
    ),
    InitRecord(
        "xavier_normal",
        "Glorot: weights N(0, 2/(fan_in + fan_out)), biases 0; for tanh.",
        _weights(lambda w, gen: nn.init.xavier_normal_(w, generator=gen)),
        ("nn.init.xavier_normal_(layer.weight)", ZERO_BIAS),
    ),
    InitRecord(
        "he",
        "Kaiming: weights N(0, 2/fan_in), biases 0; keeps ReLU activations from shrinking.",
        _weights(
            lambda w, gen: nn.init.kaiming_normal_(
                w, mode="fan_in", nonlinearity="relu", generator=gen
            )
        ),
        ('nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")', ZERO_BIAS),
    ),
    InitRecord(
        "zeros",
        "Every weight and bias 0: all units stay identical, so symmetry never breaks.",
        _weights(lambda w, gen: w.zero_()),
        ("nn.init.zeros_(layer.weight)", ZERO_BIAS),
    ),
    InitRecord(
        "large_normal",
        "Weights N(0, 3²), biases 0: tanh and sigmoid units start saturated.",
        _weights(lambda w, gen: nn.init.normal_(w, 0.0, 3.0, generator=gen)),
        ("nn.init.normal_(layer.weight, std=3.0)", ZERO_BIAS),
    ),
)
"""Every initialisation by wire name; NetworkSpec.init is one of these keys."""
