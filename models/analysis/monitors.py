"""Per-layer health numbers (monitors) of a network while it trains, for charts over steps.

Apart from inspect.py because it answers a different question: not what the net computes over
the input box, but how each layer's weights, gradients and activations are doing, and it keeps
state between looks (the previous weights) to measure updates.

The worker trains the same net between two looks, so `MonitorTracker.observe` runs it in eval
mode, gives each module its own mode back afterwards, and takes gradients with
torch.autograd.grad, which leaves the live parameters' `.grad` alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from models.activations import activation_of
from models.analysis.layers import LayerTrace, eval_mode, layer_modules, layer_name, trace_layers
from models.losses import LossFn


@dataclass(frozen=True)
class LayerMonitor:
    """Health numbers of one Linear layer at one step, for charts over training."""

    layer: int
    name: str
    weight_norm: float
    """Frobenius norm of the weight matrix."""
    grad_norm: float
    """Frobenius norm of d(data loss on the training set, eval mode) / d weights."""
    update_ratio: float | None
    """‖W − W_prev‖ / ‖W_prev‖ per step since the tracker's previous look; None when there is
    none, the step did not advance, or W_prev is all zeros."""
    activation_mean: float
    activation_std: float
    """Over all training points and units of the post (the logits for the output layer); the
    population std, so one value has std 0."""
    dead_fraction: float | None
    """Share of units whose activation has slope 0 at every training point; None for the output
    layer (and an activation fast_mlp does not know)."""


class MonitorTracker:
    """Per-layer monitors of one run; remembers the last weights seen to measure updates."""

    def __init__(self) -> None:
        self._previous: list[torch.Tensor] | None = None
        self._previous_step = 0

    def clear(self) -> None:
        """Forget the previous weights: a new run starts, with nothing to compare against."""
        self._previous = None

    def observe(
        self, net: nn.Module, loss_fn: LossFn, x: torch.Tensor, y: torch.Tensor, step: int
    ) -> list[LayerMonitor]:
        """Return one LayerMonitor per Linear layer on the full training set (x, y) at `step`.

        x and y must be ordinary tensors (not made under inference_mode): autograd saves x.
        """
        before, layers = layer_modules(net)
        weights = [modules.linear.weight for modules in layers]
        with eval_mode(net), torch.inference_mode(False), torch.enable_grad():
            _, traces = trace_layers(before, layers, x)
            grads = torch.autograd.grad(loss_fn(traces[-1].post, y), weights)
        previous = self._comparable(weights, step)
        with torch.no_grad():
            rows = [
                _statistics(w, g, None if previous is None else previous[i], traces[i])
                for i, (w, g) in enumerate(zip(weights, grads, strict=True))
            ]
            values = torch.stack(rows).tolist()  # one device sync for every number
            self._previous = [w.detach().clone() for w in weights]
        elapsed, self._previous_step = step - self._previous_step, step
        hidden_count = len(layers) - 1
        return [
            _monitor(i, hidden_count, row, previous is not None, elapsed)
            for i, row in enumerate(values)
        ]

    def _comparable(self, weights: list[torch.Tensor], step: int) -> list[torch.Tensor] | None:
        """Return the previous weights if an update ratio can be measured against them."""
        previous = self._previous
        if previous is None or step <= self._previous_step or len(previous) != len(weights):
            return None
        pairs = zip(previous, weights, strict=True)
        same = all(p.shape == w.shape and p.device == w.device for p, w in pairs)
        return previous if same else None


def _statistics(
    weight: torch.Tensor, grad: torch.Tensor, previous: torch.Tensor | None, trace: LayerTrace
) -> torch.Tensor:
    """Return [‖W‖, ‖dW‖, ‖W − W_prev‖, ‖W_prev‖, mean, std, dead fraction] as one tensor.

    Unknown entries are NaN and become None in `_monitor`.
    """
    nan = weight.new_tensor(math.nan)
    norm = torch.linalg.vector_norm
    change = (norm(weight - previous), norm(previous)) if previous is not None else (nan, nan)
    mean = trace.post.mean()
    std = norm(trace.post - mean) / math.sqrt(trace.post.numel())  # 7x faster than std_mean
    return torch.stack([norm(weight), norm(grad), *change, mean, std, _dead_fraction(trace, nan)])


def _dead_fraction(trace: LayerTrace, unknown: torch.Tensor) -> torch.Tensor:
    """Return the share of units whose activation's slope is 0 at every point, or `unknown`."""
    for module, z, a in trace.steps:
        activation = activation_of(module)
        if activation is not None:
            slope = activation.backward(torch.ones_like(z), z, a)  # (N, units)
            flat = slope.abs().amax(dim=0) == 0  # amax along points beats .all(dim=0) 8x
            return flat.to(unknown.dtype).mean()
    return unknown


def _monitor(
    index: int, hidden_count: int, row: list[float], compared: bool, elapsed: int
) -> LayerMonitor:
    """Return the LayerMonitor of one `_statistics` row."""
    weight_norm, grad_norm, change, previous_norm, mean, std, dead = row
    ratio = change / previous_norm / elapsed if compared and previous_norm > 0 else None
    output = index == hidden_count
    return LayerMonitor(
        index,
        layer_name(index, hidden_count),
        weight_norm,
        grad_norm,
        ratio,
        mean,
        std,
        None if output or math.isnan(dead) else dead,
    )
