"""The forward and backward pass of one point, layer by layer, with the chain rule written out.

Autograd gives the same gradients in one call; the point here is to show what backpropagation
multiplies: dL/dlogits in closed form per loss, a Linear's backward as two matrix products, an
activation's slope from models.fast_mlp, BatchNorm in eval mode as the affine map it is.
Only LayerNorm (its derivative mixes the units) goes through torch.func.vjp of the module alone.
tests/models/test_backprop.py holds every number to autograd of the whole network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from models.activations import activation_of
from models.analysis.layers import (
    LayerModules,
    LayerTrace,
    eval_mode,
    layer_modules,
    layer_name,
    trace_layers,
)
from models.losses import LOSSES
from models.tasks import head_of, is_naive


@dataclass(frozen=True)
class ProbeLayer:
    """One Linear layer's forward values and gradients for the probed point."""

    layer: int
    name: str
    pre: list[float]
    """The Linear's output z."""
    post: list[float]
    """After norms and the activation; for the output layer the head (probabilities/values)."""
    grad_pre: list[float]
    """dL/dz."""
    grad_post: list[float]
    """dL/dpost; for the output layer dL/d(probabilities or values)."""
    grad_weight: list[list[float]]
    """dL/dW, (out, in): dL/dz times the layer's input, an outer product."""
    grad_bias: list[float]


@dataclass(frozen=True)
class Probe:
    """The forward and backward pass of one point through the network."""

    point: list[float]
    target: float
    output: list[float]
    """The output layer's post: probabilities for bce/cross_entropy, the value for mse."""
    loss: float
    """The session's loss on this one point; inf or NaN are kept (naive losses overflow)."""
    layers: list[ProbeLayer]
    features: list[float]
    """What the first Linear sees: the point itself, or its FeatureMap features; the first
    layer's grad_weight is dL/dz times these."""


def probe_point(net: nn.Module, loss: str, point: Sequence[float], target: float) -> Probe:
    """Return the forward and backward pass of `point` with `target` under `loss`, in eval mode.

    `target` is a class index (as a float) for bce and cross_entropy, a value for mse.
    """
    before, layers = layer_modules(net)
    like = layers[0].linear.weight
    _check_probe(before, layers, loss, point, target)
    x = torch.tensor([list(point)], dtype=like.dtype, device=like.device)  # (1, dims)
    y = torch.tensor([target], dtype=like.dtype, device=like.device)  # (1,)
    with eval_mode(net), torch.no_grad():
        features, traces = trace_layers(before, layers, x)
        h = traces[-1].post
        value = LOSSES[loss].fn(h, y)
        output, grad_output, grad_logits = output_gradients(loss, h, y)
        probed = _backward(layers, traces, features, grad_logits, output, grad_output)
    return Probe(
        list(point), target, output[0].tolist(), value.item(), probed, features[0].tolist()
    )


def output_gradients(
    loss: str, logits: torch.Tensor, y: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return the head's output p, dL/dp and dL/dlogits for a batch of one, (1, outputs) each.

    The stable losses fold the head into the log, so dL/dlogits is p − y (sigmoid), p − onehot
    (softmax) or 2(z − y) (mse), finite for any logit. The naive ones take the log of p
    computed first, so their gradient runs through p as autograd's does, and turns inf or NaN
    exactly where theirs does.
    """
    head = head_of(loss)
    if head == "identity":
        grad = 2 * (logits - y[:, None])
        return logits, grad, grad
    if head == "sigmoid":
        return _sigmoid_gradients(logits, y[:, None], is_naive(loss))
    onehot = torch.zeros_like(logits).scatter_(1, y.long()[:, None], 1.0).bool()
    return _softmax_gradients(logits, onehot, is_naive(loss))


def _sigmoid_gradients(
    z: torch.Tensor, y: torch.Tensor, naive: bool
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return p, dL/dp and dL/dz of L = −(y log p + (1 − y) log(1 − p)), p = sigmoid(z)."""
    p = torch.sigmoid(z)
    if naive:
        grad_p = -y / p + (1 - y) / (1 - p)
        return p, grad_p, grad_p * p * (1 - p)  # sigmoid' = p(1 − p)
    # 1/p = 1 + e^−z and 1/(1 − p) = 1 + e^z stay accurate where p rounds to 0 or 1
    grad_p = torch.where(y != 0, -y * (1 + torch.exp(-z)), 0.0) + torch.where(
        y != 1, (1 - y) * (1 + torch.exp(z)), 0.0
    )
    # p − y, written as −sigmoid(−z) where y = 1: in float32 p rounds to 1 past z ≈ 17, and
    # p − 1 would read 0 beside a loss of 1e-8; sigmoid(−z) keeps the gradient's digits.
    return p, grad_p, torch.where(y == 1, -torch.sigmoid(-z), p - y)


def _softmax_gradients(
    z: torch.Tensor, onehot: torch.Tensor, naive: bool
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return p, dL/dp and dL/dz of L = −log p_y, p = softmax(z)."""
    p = torch.softmax(z, dim=-1)
    if naive:
        grad_p = torch.where(onehot, -1 / p, 0.0)
        # softmax's Jacobian is diag(p) − p pᵀ: Jᵀg = p ⊙ (g − p·g)
        return p, grad_p, p * (grad_p - (grad_p * p).sum(dim=-1, keepdim=True))
    inverse_p_y = torch.exp(torch.logsumexp(z, dim=-1, keepdim=True) - z)  # 1/p, no underflow
    # p_y − 1 = −Σ_(k≠y) p_k, summed from the small terms: p_y rounds to 1 long before they do.
    others = torch.where(onehot, 0.0, p).sum(dim=-1, keepdim=True)
    return p, torch.where(onehot, -inverse_p_y, 0.0), torch.where(onehot, -others, p)


def _backward(
    layers: list[LayerModules],
    traces: list[LayerTrace],
    features: torch.Tensor,
    grad_logits: torch.Tensor,
    output: torch.Tensor,
    grad_output: torch.Tensor,
) -> list[ProbeLayer]:
    """Return every layer's ProbeLayer, going backward from dL/dlogits with the chain rule."""
    inputs = [features] + [trace.post for trace in traces[:-1]]
    hidden_count = len(layers) - 1
    probed: list[ProbeLayer] = []
    grad_pre, post, grad_post = grad_logits, output, grad_output
    for i in range(hidden_count, -1, -1):
        probed.append(
            ProbeLayer(
                i,
                layer_name(i, hidden_count),
                traces[i].pre[0].tolist(),
                post[0].tolist(),
                grad_pre[0].tolist(),
                grad_post[0].tolist(),
                (grad_pre.t() @ inputs[i]).tolist(),  # (out, 1) @ (1, in)
                grad_pre[0].tolist(),
            )
        )
        if i:  # dL/d(this layer's input) is dL/d(the previous layer's post)
            grad_post = grad_pre @ layers[i].linear.weight  # (1, out) @ (out, in)
            post = traces[i - 1].post
            grad_pre = _through_modules(traces[i - 1], grad_post)
    return probed[::-1]


def _through_modules(trace: LayerTrace, grad: torch.Tensor) -> torch.Tensor:
    """Return dL/dz of a layer from dL/dpost, back through its modules after the Linear."""
    for module, inputs, outputs in reversed(trace.steps):
        grad = _module_backward(module, inputs, outputs, grad)
    return grad


def _module_backward(
    module: nn.Module, inputs: torch.Tensor, outputs: torch.Tensor, grad: torch.Tensor
) -> torch.Tensor:
    """Return dL/d(module input) from dL/d(module output), for a module in eval mode."""
    activation = activation_of(module)
    if activation is not None:
        return activation.backward(grad, inputs, outputs)
    if isinstance(module, nn.Dropout):
        return grad  # the identity in eval mode
    if isinstance(module, nn.BatchNorm1d) and module.running_var is not None:
        # eval BatchNorm is (x − mean)/√(var + eps)·w + b with the running statistics: affine
        scale = torch.rsqrt(module.running_var + module.eps)
        return grad * (scale if module.weight is None else scale * module.weight)
    pullback = torch.func.vjp(module, inputs)[1]  # LayerNorm mixes the units: its own vjp
    result: torch.Tensor = pullback(grad)[0]
    return result


def _check_probe(
    before: tuple[nn.Module, ...],
    layers: list[LayerModules],
    loss: str,
    point: Sequence[float],
    target: float,
) -> None:
    """Raise ValueError, for a person to read, if the point, target or loss do not fit the net."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; known: {', '.join(LOSSES)}")
    inputs = layers[0].linear.in_features
    if not before and len(point) != inputs:
        raise ValueError(f"the point needs {inputs} coordinates, got {len(point)}")
    outputs = layers[-1].linear.out_features
    if head_of(loss) != "softmax":
        if outputs != 1:
            raise ValueError(f"loss {loss!r} reads one output, the network has {outputs}")
    elif target != int(target) or not 0 <= target < outputs:
        raise ValueError(f"the target must be a class from 0 to {outputs - 1}, got {target}")
