"""The step of K same-shaped MLPs stacked as (K, out, in) weights: forward, hand-derived
backward, BCE on one logit. models/sweep.py (seeds × widths) and models/lanes.py (lanes that
share their shapes) both train through it.

Why hand-derived backward passes on stacked tensors rather than torch.func: on CPU,
`vmap(grad(functional_call(...)))` over 64 stacked 2-8-8-1 nets took ~3 ms a step for the
gradients alone; the baddbmm/bmm step below takes ~0.5 ms with the Adam update included.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from models.activations import ACTIVATIONS, IDENTITY, Pointwise, activation_of
from models.config import NetworkSpec


def stacked_gradients(
    params: list[torch.Tensor],
    grads: list[torch.Tensor],
    activations: Sequence[Pointwise],
    x: torch.Tensor,
    y: torch.Tensor,
) -> torch.Tensor:
    """Return the logits (K, B, 1) of K stacked nets on x (K, B, in) and write into `grads`
    the gradients of each net's mean BCE on its labels y (K, B); call it under no_grad."""
    inputs, pre = stacked_forward(params, activations, x)
    logits = inputs[-1]  # (K, B, 1)
    # d(mean BCE)/d logit = (sigmoid(logit) - y) / B, as in FastMLP
    delta = torch.sigmoid(logits).sub_(y.unsqueeze(2)).div_(y.shape[1])  # (K, B, 1)
    for i in range(len(activations) - 1, -1, -1):
        torch.bmm(delta.transpose(1, 2), inputs[i], out=grads[2 * i])  # (K, out, in)
        torch.sum(delta, 1, out=grads[2 * i + 1])  # (K, out)
        if i:
            d_input = torch.bmm(delta, params[2 * i])  # (K, B, out) @ (K, out, in)
            delta = activations[i - 1].backward(d_input, pre[i - 1], inputs[i])
    return logits


def stacked_forward(
    params: list[torch.Tensor], activations: Sequence[Pointwise], x: torch.Tensor
) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Return each layer's input, then the logits (K, B, 1), and each pre-activation, of the
    stacked nets params = [W1 (K, h1, in), b1 (K, h1), W2, ...] on x (K, B, in)."""
    inputs, pre = [x], []
    for i, activation in enumerate(activations):
        weight, bias = params[2 * i], params[2 * i + 1]
        z = torch.baddbmm(bias.unsqueeze(1), inputs[-1], weight.transpose(1, 2))  # (K, B, out)
        pre.append(z)
        inputs.append(activation.forward(z))
    return inputs, pre


def stacked_activations(network: NetworkSpec) -> list[Pointwise]:
    """The hidden layers' activations of `network`, hand-derived, then the logit layer's."""
    return [*(_activation(layer.activation) for layer in network.hidden), IDENTITY]


def _activation(name: str) -> Pointwise:
    """Return the forward and hand-derived backward of a registered activation."""
    activation = activation_of(ACTIVATIONS[name].build()) if name in ACTIVATIONS else None
    if activation is None:
        raise ValueError(f"activation {name!r} has no hand-derived backward for a Sweep")
    return activation
