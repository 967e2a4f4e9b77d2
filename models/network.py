"""Build a torch MLP from a NetworkSpec: activations, normalisation, dropout, initialisation."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from models.config import NetworkSpec
from models.features import PIXEL_FEATURES, PLANE_FEATURES, FeatureMap


class Sin(nn.Module):
    """sin(x) elementwise: torch has the function but no module for it."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return sin(x)."""
        return torch.sin(x)


ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,  # slope 0.01 below zero, torch's default
    "elu": nn.ELU,  # alpha 1
    "gelu": nn.GELU,  # the exact erf form, torch's default
    "hardtanh": nn.Hardtanh,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "softplus": nn.Softplus,  # beta 1
    "sin": Sin,
    "linear": nn.Identity,
}
"""name -> module factory. Descriptions for the catalog live in ACTIVATION_INFO."""

ACTIVATION_INFO: dict[str, str] = {
    "relu": "max(0, x): piecewise linear, gradients do not vanish, units can die.",
    "leaky_relu": "x for x > 0, 0.01·x below: a ReLU whose units cannot die completely.",
    "elu": "x for x > 0, eˣ - 1 below: a smooth ReLU whose outputs can be negative.",
    "gelu": "x·Φ(x), x weighted by the Gaussian's CDF: a smooth ReLU used in transformers.",
    "hardtanh": "x clipped to [-1, 1]: a piecewise-linear tanh with two kinks.",
    "tanh": "Squashes to (-1, 1), zero-centred; saturates for large inputs.",
    "sigmoid": "Squashes to (0, 1); saturates and its gradient vanishes far from 0.",
    "softplus": "log(1 + eˣ): a smooth ReLU, always positive, with the sigmoid as its slope.",
    "sin": "sin(x): periodic, so a layer of it can fit waves and repeating patterns.",
    "linear": "The identity: stacked linear layers stay one linear map.",
}

PIECEWISE_LINEAR = frozenset({"relu", "leaky_relu", "hardtanh", "linear"})
"""Activations whose networks cut the input box into finitely many linear regions."""

INIT_INFO: dict[str, str] = {
    "default": "PyTorch's default: weights and biases uniform in ±1/√fan_in.",
    "xavier_uniform": "Glorot: weights uniform in ±√(6/(fan_in + fan_out)), biases 0; for tanh.",
    "xavier_normal": "Glorot: weights N(0, 2/(fan_in + fan_out)), biases 0; for tanh.",
    "he": "Kaiming: weights N(0, 2/fan_in), biases 0; keeps ReLU activations from shrinking.",
    "zeros": "Every weight and bias 0: all units stay identical, so symmetry never breaks.",
    "large_normal": "Weights N(0, 3²), biases 0: tanh and sigmoid units start saturated.",
}
"""init name -> one sentence for the catalog; NetworkSpec.init is one of these keys."""


def build_network(spec: NetworkSpec, gen: torch.Generator) -> nn.Sequential:
    """Return [FeatureMap], then per hidden layer Linear, [BatchNorm1d], [LayerNorm],
    activation, [Dropout], then the output Linear, with weights drawn from `gen`.

    The global random generator is never touched, so sessions never disturb each other.
    """
    layers: list[nn.Module] = []
    if spec.features not in (PLANE_FEATURES, PIXEL_FEATURES):
        layers.append(FeatureMap(spec.features))
    width = spec.inputs
    for layer in spec.hidden:
        layers.append(_linear(width, layer.units))
        if layer.batch_norm:
            layers.append(nn.BatchNorm1d(layer.units))
        if layer.layer_norm:
            layers.append(nn.LayerNorm(layer.units))
        layers.append(ACTIVATIONS[layer.activation]())
        if layer.dropout > 0:
            layers.append(nn.Dropout(layer.dropout))
        width = layer.units
    layers.append(_linear(width, spec.outputs))
    net = nn.Sequential(*layers)
    reinitialize(net, gen, spec.init)
    return net


def reinitialize(net: nn.Module, gen: torch.Generator, init: str = "default") -> None:
    """Draw fresh weights for every nn.Linear in `net` from `gen` by the scheme `init`, in place.

    Norm layers go back to weight 1, bias 0 and fresh running statistics. Numbers are drawn on
    the CPU, from `gen` alone, and copied to the parameters' device: the same generator state
    gives the same network on any device.
    """
    if init not in INIT_INFO:
        raise ValueError(f"unknown init {init!r}; known: {', '.join(INIT_INFO)}")
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.Linear):
                weight, bias = _draw(module.in_features, module.out_features, init, gen)
                module.weight.copy_(weight)
                if module.bias is not None:
                    module.bias.copy_(bias)
            elif isinstance(module, nn.BatchNorm1d | nn.LayerNorm):
                module.reset_parameters()


def _draw(
    fan_in: int, fan_out: int, init: str, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return a CPU (weight (out, in), bias (out,)) pair drawn from `gen` by the scheme `init`."""
    weight, bias = torch.empty(fan_out, fan_in), torch.zeros(fan_out)
    if init == "default":  # the bound nn.Linear.reset_parameters uses, on our generator
        bound = 1.0 / fan_in**0.5
        weight = (torch.rand(weight.shape, generator=gen) * 2 - 1) * bound
        bias = (torch.rand(bias.shape, generator=gen) * 2 - 1) * bound
    elif init == "xavier_uniform":
        nn.init.xavier_uniform_(weight, generator=gen)
    elif init == "xavier_normal":
        nn.init.xavier_normal_(weight, generator=gen)
    elif init == "he":
        nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="relu", generator=gen)
    elif init == "zeros":
        weight.zero_()
    else:  # large_normal
        nn.init.normal_(weight, 0.0, 3.0, generator=gen)
    return weight, bias


def _linear(inputs: int, outputs: int) -> nn.Linear:
    """Return an nn.Linear whose parameters are left for reinitialize to fill.

    nn.Linear(...) on the CPU would draw from the global generator; built on the meta device
    it draws nothing (torch's skip_init does the same, untyped).
    """
    return nn.Linear(inputs, outputs, device="meta").to_empty(device="cpu")
