"""Build a torch MLP from a NetworkSpec: activations, normalisation, dropout, initialisation.

The activations and initialisations are records in models/activations.py and models/inits.py.
"""

from __future__ import annotations

import torch
from torch import nn

from models.activations import ACTIVATIONS, EXPRESSION
from models.config import LayerSpec, NetworkSpec
from models.expression_torch import ExpressionActivation
from models.features import PIXEL_FEATURES, PLANE_FEATURES, FeatureMap
from models.inits import INITS


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
        layers.append(activation_module(layer))
        if layer.dropout > 0:
            layers.append(nn.Dropout(layer.dropout))
        width = layer.units
    layers.append(_linear(width, spec.outputs))
    net = nn.Sequential(*layers)
    reinitialize(net, gen, spec.init)
    return net


def activation_module(layer: LayerSpec) -> nn.Module:
    """The module after the layer's Linear (and norms): its record's, or the learner's own
    expression's for activation "expr"."""
    if layer.activation == EXPRESSION:
        return ExpressionActivation(layer.expression)
    return ACTIVATIONS[layer.activation].build()


def reinitialize(net: nn.Module, gen: torch.Generator, init: str = "default") -> None:
    """Draw fresh weights for every nn.Linear in `net` from `gen` by the scheme `init`, in place.

    Norm layers go back to weight 1, bias 0 and fresh running statistics. Numbers are drawn on
    the CPU, from `gen` alone, and copied to the parameters' device: the same generator state
    gives the same network on any device.
    """
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; known: {', '.join(INITS)}")
    draw = INITS[init].draw
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.Linear):
                weight, bias = draw(module.in_features, module.out_features, gen)
                module.weight.copy_(weight)
                if module.bias is not None:
                    module.bias.copy_(bias)
            elif isinstance(module, nn.BatchNorm1d | nn.LayerNorm):
                module.reset_parameters()


def _linear(inputs: int, outputs: int) -> nn.Linear:
    """Return an nn.Linear whose parameters are left for reinitialize to fill.

    nn.Linear(...) on the CPU would draw from the global generator; built on the meta device
    it draws nothing (torch's skip_init does the same, untyped).
    """
    return nn.Linear(inputs, outputs, device="meta").to_empty(device="cpu")
