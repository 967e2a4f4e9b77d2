"""A hand-derived forward and backward pass for plain MLPs trained with binary cross-entropy.

At batch 10 on a small net the arithmetic is tiny, and autograd's graph bookkeeping plus
torch.optim's Python step cost most of a training step. `FastMLP` runs the same maths as torch
ops under no_grad, writes the gradients into tensors allocated once, and hands them straight to
a fused optimizer kernel. Each activation's hand-derived backward is its record's `fast`
(models/activations.py). tests/models/test_fast_mlp.py checks it against autograd.

Plain SGD on CPU through tanh, ReLU and linear units (TF Playground's setups) goes further: the
same step in NumPy, on views of the same weights, since a NumPy call on a 10 x 8 array costs a
fraction of a torch op's dispatch (a spiral step took 2.4x less time). Where a C compiler is,
the same step runs in C instead, a whole chunk of minibatches a call (`train_steps`,
models/fast_kernel.py: ~10x less again); the NumPy step is its fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard, TypeVar

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from models.activations import IDENTITY, Pointwise, activation_of
from models.fast_kernel import KernelSGD
from models.losses import LossFn, binary_cross_entropy
from models.optimizers import FusedOptimizer, FusedSGD

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
        self._numpy = _NumpySGD.of(layers)
        self._kernel = None if self._numpy is None else KernelSGD.of(*self._numpy.arrays())
        """The C loop (models/fast_kernel.py) where plain SGD has a NumPy step and the kernel
        builds; every plain SGD step goes through it then, one or a chunk at a time alike."""

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
        if self._kernel is not None and type(optimizer) is FusedSGD:
            return self.train_steps(x[None], y[None], optimizer)[0]
        if self._numpy is not None and type(optimizer) is FusedSGD:
            lr = optimizer.param_groups[0]["lr"]
            with np.errstate(all="ignore"):  # diverging runs overflow quietly, as torch's do
                return torch.from_numpy(self._numpy.step(x.numpy(), y.numpy(), lr))
        with torch.no_grad():
            logits = self._logits_and_grads(x, y)
            optimizer.step(self.grads)
        return logits

    def in_c(self, optimizer: object) -> bool:
        """Whether `train_steps` with `optimizer` runs in the C loop (plain SGD, one logit)."""
        return self._kernel is not None and type(optimizer) is FusedSGD

    def train_steps(
        self, x: torch.Tensor, y: torch.Tensor, optimizer: FusedOptimizer
    ) -> torch.Tensor:
        """`train_step` on k minibatches x (k, B, inputs), y (k, B) in order: their logits
        (k, B, 1), each before its own step. Plain SGD takes all k in one call to the C loop;
        anything else steps one minibatch at a time, exactly as `train_step`."""
        if type(optimizer) is FusedSGD and y.dim() == 2:
            lr = optimizer.param_groups[0]["lr"]
            if self._kernel is not None:
                return torch.from_numpy(self._kernel.run(x.numpy(), y.numpy(), lr))
            if self._numpy is not None:
                step = self._numpy.step
                with np.errstate(all="ignore"):
                    logits = [step(xs, ys, lr) for xs, ys in zip(x.numpy(), y.numpy(), strict=True)]
                return torch.from_numpy(np.stack(logits))
        return torch.stack(
            [self.train_step(xs, ys, optimizer) for xs, ys in zip(x, y, strict=True)]
        )

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


class _NumpySGD:
    """FastMLP's step under plain SGD in NumPy, on views of the network's own weights."""

    def __init__(
        self,
        weights: list[NDArray[np.float32]],
        biases: list[NDArray[np.float32]],
        kinds: list[str],
    ) -> None:
        self.weights, self.biases, self.kinds = weights, biases, kinds
        self.weights_t = [w.T for w in weights]

    @staticmethod
    def of(layers: list[_Layer]) -> _NumpySGD | None:
        """The NumPy step for these layers, or None unless they are float32 CPU tensors whose
        activations it knows (tanh, ReLU, linear)."""
        kinds = [_numpy_kind(layer.activation) for layer in layers]
        tensors = [t for layer in layers for t in (layer.weight, layer.bias)]
        if any(k is None for k in kinds) or any(
            t.device.type != "cpu" or t.dtype != torch.float32 for t in tensors
        ):
            return None
        weights = [layer.weight.detach().numpy() for layer in layers]  # views: same memory
        biases = [layer.bias.detach().numpy() for layer in layers]
        return _NumpySGD(weights, biases, [k for k in kinds if k is not None])

    def arrays(
        self,
    ) -> tuple[list[NDArray[np.float32]], list[NDArray[np.float32]], list[str]]:
        """The weights, biases and activation names, as KernelSGD.of takes them."""
        return self.weights, self.biases, self.kinds

    def step(
        self, x: NDArray[np.float32], y: NDArray[np.float32], lr: float
    ) -> NDArray[np.float32]:
        """Return the logits (B, 1) on x before one SGD step on the gradients of the mean BCE."""
        inputs, pre = [x], []
        for weight_t, bias, kind in zip(self.weights_t, self.biases, self.kinds, strict=True):
            z = inputs[-1] @ weight_t
            z += bias
            pre.append(z)
            inputs.append(
                np.tanh(z) if kind == "tanh" else np.maximum(z, 0) if kind == "relu" else z
            )
        logits = inputs[-1]
        # d(mean BCE)/d logit = (sigmoid(logit) - y) / B; sigmoid as tanh, which cannot overflow.
        # Scaled by the learning rate from the start, every gradient below is its SGD update.
        delta = np.tanh(0.5 * logits)
        delta *= 0.5
        delta += 0.5 - y[:, None]
        delta *= np.float32(lr / len(y))
        for i in range(len(self.weights) - 1, -1, -1):
            update_w, update_b = delta.T @ inputs[i], np.add.reduce(delta, axis=0)
            if i:
                delta = delta @ self.weights[i]  # before this layer's update, as torch has it
                kind = self.kinds[i - 1]
                if kind == "tanh":
                    delta -= delta * (inputs[i] * inputs[i])
                elif kind == "relu":
                    delta *= pre[i - 1] > 0
            self.weights[i] -= update_w
            self.biases[i] -= update_b
        return logits


def _numpy_kind(activation: Pointwise) -> str | None:
    """The name _NumpySGD knows an activation by, or None."""
    if activation is IDENTITY:
        return "linear"
    if activation.forward is torch.tanh:
        return "tanh"
    return "relu" if activation.forward is torch.relu else None
