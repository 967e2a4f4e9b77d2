"""Build a torch MLP from a NetworkSpec, and the activations it may use."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from models.config import NetworkSpec

ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,  # slope 0.01 below zero, torch's default
    "hardtanh": nn.Hardtanh,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "linear": nn.Identity,
}
"""name -> module factory. Descriptions for the catalog live in ACTIVATION_INFO."""

ACTIVATION_INFO: dict[str, str] = {
    "relu": "max(0, x): piecewise linear, gradients do not vanish, units can die.",
    "leaky_relu": "x for x > 0, 0.01·x below: a ReLU whose units cannot die completely.",
    "hardtanh": "x clipped to [-1, 1]: a piecewise-linear tanh with two kinks.",
    "tanh": "Squashes to (-1, 1), zero-centred; saturates for large inputs.",
    "sigmoid": "Squashes to (0, 1); saturates and its gradient vanishes far from 0.",
    "linear": "The identity: stacked linear layers stay one linear map.",
}

PIECEWISE_LINEAR = frozenset({"relu", "leaky_relu", "hardtanh", "linear"})
"""Activations whose networks cut the input box into finitely many linear regions."""


def build_network(spec: NetworkSpec, gen: torch.Generator) -> nn.Sequential:
    """Return Linear, activation, ..., Linear with weights drawn from `gen`.

    Initialisation is PyTorch's default (Kaiming-uniform weights, uniform biases), drawn from
    the given generator instead of the global one so sessions never disturb each other.
    """
    layers: list[nn.Module] = []
    width = spec.inputs
    for layer in spec.hidden:
        layers += [nn.Linear(width, layer.units), ACTIVATIONS[layer.activation]()]
        width = layer.units
    layers.append(nn.Linear(width, spec.outputs))
    net = nn.Sequential(*layers)
    reinitialize(net, gen)
    return net


def reinitialize(net: nn.Module, gen: torch.Generator) -> None:
    """Draw fresh default-initialised weights for every nn.Linear in `net` from `gen`."""
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.Linear):
                bound = 1.0 / module.in_features**0.5  # torch's default for both, see nn.Linear
                module.weight.copy_(_uniform_like(module.weight, bound, gen))
                module.bias.copy_(_uniform_like(module.bias, bound, gen))


def _uniform_like(t: torch.Tensor, bound: float, gen: torch.Generator) -> torch.Tensor:
    return (torch.rand(t.shape, generator=gen) * 2 - 1) * bound
