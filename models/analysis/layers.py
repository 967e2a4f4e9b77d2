"""Walking a network layer by layer: the helpers every look inside the net shares.

A "layer" is one nn.Linear and the modules after it up to the next Linear (BatchNorm, LayerNorm,
the activation, Dropout), as build_network orders an nn.Sequential. inspect.py (neuron maps,
hidden space), monitors.py (per-layer health while training) and backprop.py (the chain rule
written out) all run the net this way, so the walk lives here once.

The worker trains the same net between two looks, so callers run it under `eval_mode`, which
gives each module its own mode back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import get_args

import torch
from torch import nn

from models.losses import Head


@contextmanager
def eval_mode(net: nn.Module) -> Iterator[None]:
    """Run the block with `net` in eval mode, then give every module back its own mode.

    Eval mode switches dropout off and makes BatchNorm use its running statistics, so one point
    gets the same output whatever else is in the batch; restoring keeps the trainer's mode.
    """
    modes = [(module, module.training) for module in net.modules()]
    net.eval()
    try:
        yield
    finally:
        for module, training in modes:
            module.training = training


@dataclass(frozen=True)
class LayerModules:
    """One nn.Linear and the modules after it up to the next Linear."""

    linear: nn.Linear
    after: tuple[nn.Module, ...]
    """BatchNorm1d, LayerNorm, the activation, Dropout, as build_network orders them; empty for
    the output layer."""


@dataclass(frozen=True)
class LayerTrace:
    """One layer's forward pass on a batch, kept for a backward pass or for statistics."""

    pre: torch.Tensor
    """The Linear's output z, (N, units)."""
    post: torch.Tensor
    """The output of the last module of the layer, (N, units)."""
    steps: list[tuple[nn.Module, torch.Tensor, torch.Tensor]]
    """(module, its input, its output) for each module after the Linear, in order."""


def layer_modules(net: nn.Module) -> tuple[tuple[nn.Module, ...], list[LayerModules]]:
    """Return the modules before the first Linear (a FeatureMap) and each Linear with its followers.

    Raises TypeError for a net that is not an nn.Sequential with at least one Linear: the
    order of its modules is what makes "layer" mean something.
    """
    if not isinstance(net, nn.Sequential):
        raise TypeError(f"expected an nn.Sequential network, got {type(net).__name__}")
    before: list[nn.Module] = []
    layers: list[tuple[nn.Linear, list[nn.Module]]] = []
    for module in net:
        if isinstance(module, nn.Linear):
            layers.append((module, []))
        elif layers:
            layers[-1][1].append(module)
        else:
            before.append(module)
    if not layers:
        raise TypeError("the network has no nn.Linear layer")
    return tuple(before), [LayerModules(linear, tuple(after)) for linear, after in layers]


def linear_layers(net: nn.Module) -> list[nn.Linear]:
    """Return the net's nn.Linear modules in order: hidden layers first, the output layer last."""
    return [module for module in net.modules() if isinstance(module, nn.Linear)]


def layer_name(index: int, hidden_count: int) -> str:
    """Return the people-facing name of Linear `index`: "hidden layer 1" … or "output layer"."""
    return "output layer" if index == hidden_count else f"hidden layer {index + 1}"


def run_features(before: tuple[nn.Module, ...], points: torch.Tensor) -> torch.Tensor:
    """Return what the first Linear sees: the points through the modules before it."""
    for module in before:
        points = module(points)
    return points


def run_layer(layer: LayerModules, h: torch.Tensor) -> LayerTrace:
    """Run one layer on h (N, in), keeping every module's input and output."""
    pre = layer.linear(h)
    steps, out = [], pre
    for module in layer.after:
        nxt = module(out)
        steps.append((module, out, nxt))
        out = nxt
    return LayerTrace(pre, out, steps)


def trace_layers(
    before: tuple[nn.Module, ...], layers: list[LayerModules], x: torch.Tensor
) -> tuple[torch.Tensor, list[LayerTrace]]:
    """Run x (N, dims) through the features and every layer: (what the first Linear sees, each
    layer's trace); the last trace's `post` is the network's output."""
    h = features = run_features(before, x)
    traces = []
    for layer in layers:
        traces.append(run_layer(layer, h))
        h = traces[-1].post
    return features, traces


def apply_head(logits: torch.Tensor, head: str) -> torch.Tensor:
    """Return what the output layer says: probabilities for sigmoid or softmax, the values for
    identity; `head` is a models.losses.Head, e.g. head_of(loss)."""
    if head == "sigmoid":
        return torch.sigmoid(logits)
    if head == "softmax":
        return torch.softmax(logits, dim=-1)
    if head == "identity":
        return logits
    raise ValueError(f"unknown head {head!r}; known: {', '.join(get_args(Head))}")
