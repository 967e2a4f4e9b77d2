"""A hand-derived forward and backward pass for plain MLPs trained with binary cross-entropy.

At batch 10 on a small net the arithmetic is tiny, and autograd's graph bookkeeping plus
torch.optim's Python step cost most of a training step. `FastMLP` runs the same maths as torch
ops under no_grad, writes the gradients into tensors allocated once, and hands them straight to
a fused optimizer kernel. tests/models/test_fast_mlp.py checks it against autograd.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeGuard, TypeVar

import torch
import torch.nn.functional as F
from torch import nn

from models.losses import LossFn, binary_cross_entropy
from models.network import Sin
from models.optimizers import FusedOptimizer

M = TypeVar("M", bound=nn.Module)

Backward = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]
"""(d loss / d output a, the pre-activation z, the output a) -> d loss / d z."""


@dataclass(frozen=True, slots=True)
class Activation:
    """An activation's forward function and its hand-derived backward."""

    forward: Callable[[torch.Tensor], torch.Tensor]
    backward: Backward


def _identity(z: torch.Tensor) -> torch.Tensor:
    """Return z: the linear activation, and the output layer's missing one."""
    return z


def _identity_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d unchanged: the identity's derivative is 1."""
    return d


def _relu_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d where z > 0 and 0 elsewhere, z = 0 included, as autograd does."""
    return torch.where(z > 0, d, 0.0)


def _leaky_relu_backward(
    d: torch.Tensor, z: torch.Tensor, a: torch.Tensor, *, slope: float
) -> torch.Tensor:
    """Return d where z > 0 and slope·d elsewhere."""
    return torch.where(z > 0, d, d * slope)


def _hardtanh_backward(
    d: torch.Tensor, z: torch.Tensor, a: torch.Tensor, *, low: float, high: float
) -> torch.Tensor:
    """Return d strictly inside (low, high) and 0 on the flat parts and at the kinks."""
    return torch.where((z > low) & (z < high), d, 0.0)


def _tanh_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·(1 - a²): tanh' from its output, so no second tanh."""
    return torch.addcmul(d, d, a * a, value=-1)  # d - d·a², one op fewer than d·(1 - a²)


def _sigmoid_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·a·(1 - a): sigmoid' from its output, so no second sigmoid."""
    return d * a * (1 - a)


def _elu_backward(
    d: torch.Tensor, z: torch.Tensor, a: torch.Tensor, *, alpha: float
) -> torch.Tensor:
    """Return d where z > 0 and d·(a + alpha) elsewhere: alpha·eˣ from the output."""
    return torch.where(z > 0, d, d * (a + alpha))


def _gelu_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·(Φ(z) + z·φ(z)), the derivative of the exact GELU z·Φ(z)."""
    cdf = 0.5 * (1 + torch.erf(z * _SQRT_HALF))
    pdf = torch.exp(-0.5 * z * z) * _INV_SQRT_2PI
    return d * (cdf + z * pdf)


def _softplus_backward(
    d: torch.Tensor, z: torch.Tensor, a: torch.Tensor, *, beta: float, threshold: float
) -> torch.Tensor:
    """Return d·sigmoid(beta·z), or d where torch's softplus turns linear (beta·z > threshold)."""
    return torch.where(z * beta > threshold, d, d * torch.sigmoid(z * beta))


def _sin_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·cos(z)."""
    return d * torch.cos(z)


_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)

IDENTITY = Activation(_identity, _identity_backward)

_ACTIVATIONS_WITHOUT_PARAMETERS: dict[type[nn.Module], Activation] = {
    nn.ReLU: Activation(torch.relu, _relu_backward),
    nn.Tanh: Activation(torch.tanh, _tanh_backward),
    nn.Sigmoid: Activation(torch.sigmoid, _sigmoid_backward),
    nn.Identity: IDENTITY,
    Sin: Activation(torch.sin, _sin_backward),
}


def _is_exactly(module: nn.Module, kind: type[M]) -> TypeGuard[M]:
    """Return whether `module` is a `kind` itself, not a subclass that may compute otherwise."""
    return type(module) is kind


def activation_of(module: nn.Module) -> Activation | None:
    """Return the forward and backward of an activation module, or None if it is not known."""
    if _is_exactly(module, nn.LeakyReLU):
        slope = module.negative_slope
        return Activation(
            partial(F.leaky_relu, negative_slope=slope),
            partial(_leaky_relu_backward, slope=slope),
        )
    if _is_exactly(module, nn.Hardtanh):
        low, high = module.min_val, module.max_val
        return Activation(
            partial(F.hardtanh, min_val=low, max_val=high),
            partial(_hardtanh_backward, low=low, high=high),
        )
    if _is_exactly(module, nn.ELU) and not module.inplace:
        alpha = module.alpha
        return Activation(partial(F.elu, alpha=alpha), partial(_elu_backward, alpha=alpha))
    if _is_exactly(module, nn.GELU) and module.approximate == "none":
        return Activation(F.gelu, _gelu_backward)
    if _is_exactly(module, nn.Softplus):
        beta, threshold = module.beta, module.threshold
        return Activation(
            partial(F.softplus, beta=beta, threshold=threshold),
            partial(_softplus_backward, beta=beta, threshold=threshold),
        )
    return _ACTIVATIONS_WITHOUT_PARAMETERS.get(type(module))


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
    activation: Activation


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
