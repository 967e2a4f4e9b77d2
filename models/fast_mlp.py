"""A hand-derived forward and backward pass for plain MLPs trained with binary cross-entropy.

At batch 10 on a small net the arithmetic is tiny, and autograd's graph bookkeeping plus
torch.optim's Python step cost most of a training step. `FastMLP` runs the same maths as torch
ops under no_grad, writes the gradients into tensors allocated once, and hands them straight to
a fused optimizer kernel. Each activation's hand-derived backward is its record's `fast`
(models/activations.py). tests/models/test_fast_mlp.py checks it against autograd.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard, TypeVar

import torch
from torch import nn

from models.activations import IDENTITY, Pointwise, activation_of
from models.losses import LossFn, binary_cross_entropy
from models.optimizers import FusedOptimizer

M = TypeVar("M", bound=nn.Module)


def _is_exactly(module: nn.Module, kind: type[M]) -> TypeGuard[M]:
    """Return whether `module` is a `kind` itself, not a subclass that may compute otherwise."""
    return type(module) is kind


@dataclass(frozen=True, slots=True)
class _Layer:
    """One nn.Linear, the buffers its gradients go into, and the activation after it."""

    weight: torch.Tensor
    weight_t: torch.Tensor
    """`weight.t()`, made once: a view, so it follows the in-place updates, and each step skips
    the transpose that F.linear would dispatch."""
    bias: torch.Tensor
    weight_grad: torch.Tensor
    bias_grad: torch.Tensor
    activation: Pointwise


class FastMLP:
    """Loss, gradients and optimizer steps of a Linear/activation stack, without autograd.

    Holds the network's own parameters, so its steps change the network in place.
    """

    def __init__(self, layers: list[_Layer]) -> None:
        self._layers = layers
        self.params = [p for layer in layers for p in (layer.weight, layer.bias)]
        """The network's weights and biases, in `net.parameters()` order."""
        self.grads = [g for layer in layers for g in (layer.weight_grad, layer.bias_grad)]
        """d loss / d param for each of `params`, overwritten by every step."""

    def gradients(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Return the mean BCE on (x, y) and write its gradients into `grads`."""
        with torch.no_grad():
            return binary_cross_entropy(self._logits_and_grads(x, y), y)

    def train_step(
        self, x: torch.Tensor, y: torch.Tensor, optimizer: FusedOptimizer
    ) -> torch.Tensor:
        """Return the logits (B, 1) on x before one optimizer step on the gradients of the BCE.

        The loss itself is left to the caller: computing it for a whole chunk of steps at once
        costs one call instead of one a step (the loss kernel was a third of a step).
        """
        with torch.no_grad():
            logits = self._logits_and_grads(x, y)
            optimizer.step(self.grads)
        return logits

    def logits_of_columns(self, points_t: torch.Tensor) -> torch.Tensor:
        """Return the logits (1, N) of N points given as columns (2, N), under no_grad.

        For many points (a grid) the column layout is the fast one: every matmul is a small
        weight matrix times a long row, which on CPU ran 5x faster than (N, in) @ (in, out).
        """
        with torch.no_grad():
            h = points_t
            for layer in self._layers:
                h = layer.activation.forward(torch.addmm(layer.bias[:, None], layer.weight, h))
            return h

    def _logits_and_grads(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Return the logits (B, 1) on x and fill `grads`; under no_grad, which `out=` needs."""
        inputs, pre = self._forward(x)
        logits = inputs[-1]  # (B, 1)
        # d(mean BCE)/d logit = (sigmoid(logit) - y) / B: the log and the sigmoid cancel
        delta = torch.sigmoid(logits).sub_(y.view(-1, 1)).mul_(1.0 / len(y))  # (B, 1)
        self._backward(inputs, pre, delta)
        return logits

    def _forward(self, x: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Return each layer's input, then the logits, and each layer's pre-activation."""
        inputs, pre = [x], []
        for layer in self._layers:
            z = torch.addmm(layer.bias, inputs[-1], layer.weight_t)  # (B, in) -> (B, out)
            pre.append(z)
            inputs.append(layer.activation.forward(z))
        return inputs, pre

    def _backward(
        self, inputs: list[torch.Tensor], pre: list[torch.Tensor], delta: torch.Tensor
    ) -> None:
        """Write every layer's gradients, given delta = d loss / d logits (B, 1)."""
        for i in range(len(self._layers) - 1, -1, -1):
            layer = self._layers[i]
            torch.mm(delta.t(), inputs[i], out=layer.weight_grad)  # (out, B) @ (B, in)
            torch.sum(delta, 0, out=layer.bias_grad)  # (out,)
            if i:  # the input points need no gradient
                below = self._layers[i - 1]
                d_input = torch.mm(delta, layer.weight)  # (B, out) @ (out, in)
                delta = below.activation.backward(d_input, pre[i - 1], inputs[i])  # (B, in)


def compile_mlp(net: nn.Module, loss_fn: LossFn) -> FastMLP | None:
    """Return the fast path for training `net` on `loss_fn`, or None where it does not apply.

    It covers what build_network makes: an nn.Sequential of Linear, activation, ..., Linear
    with one output logit, trained with binary cross-entropy. Anything else (a module type
    added later, another loss) gets None, and the caller keeps autograd, which is always right.
    """
    if not _is_exactly(net, nn.Sequential) or loss_fn is not binary_cross_entropy:
        return None
    modules = list(net)
    if len(modules) % 2 == 0:  # a stack that does not end in a Linear has no logit to train
        return None
    layers = []
    for i in range(0, len(modules), 2):
        linear = modules[i]
        activation = activation_of(modules[i + 1]) if i + 1 < len(modules) else IDENTITY
        if not _is_exactly(linear, nn.Linear) or linear.bias is None or activation is None:
            return None
        weight, bias = linear.weight, linear.bias
        layers.append(
            _Layer(
                weight,
                weight.t(),
                bias,
                torch.zeros_like(weight),
                torch.zeros_like(bias),
                activation,
            )
        )
    if layers[-1].weight.shape[0] != 1:  # _loss_and_grads's BCE derivative is for one logit
        return None
    return FastMLP(layers)
