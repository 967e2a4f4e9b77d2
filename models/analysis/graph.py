"""One point's computational graph: every operation as a node, forward values and backward grads.

The lecture's picture: the forward pass is a chain of operations (matmul, add bias, the norms,
the activation, the head, the log, the loss), and "the backward pass is a computational graph
itself": each edge carries the local derivative ∂(node)/∂(its input), and the gradient arriving
at a node is the gradient of the node after it times that local derivative (the chain rule).
A fused loss (BCE with logits, cross-entropy on logits) is one node; its naive twin is two or
three (sigmoid or softmax, then log, then the sum), so at a large logit the log node shows
log 0 = −∞ and is flagged. Values are in the net's dtype: float32 in the app, where the naive
loss overflows as training sees it; tests/models/test_graph.py holds a float64 net to autograd.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import torch
from torch import nn

from models.activations import ACTIVATIONS, activation_of
from models.analysis.backprop import _check_probe, output_gradients
from models.analysis.layers import eval_mode, layer_modules, layer_name, run_features
from models.losses import LOSSES
from models.tasks import head_of, is_naive

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_ACTIVATION_NAMES = {type(record.build()): name for name, record in ACTIVATIONS.items()}


@dataclass(frozen=True)
class GraphNode:
    """One operation of the forward pass, with what flows through it both ways."""

    id: str
    """Unique in the graph, e.g. "l1.matmul", "head", "loss"."""
    op: str
    """input, features, matmul, add_bias, batch_norm, layer_norm, dropout, activation, sigmoid,
    softmax, log or loss."""
    label: str
    """What the node computes, for people: "W₁·x", "+ b₁", "tanh", "log", "BCE with logits"."""
    symbol: str
    """The name of its value: "x", "z₁", "h₁", "p", "L"."""
    layer: int | None
    """The Linear layer (0-based) the node belongs to; None for input, head, log and loss."""
    value: list[float]
    """Forward: the node's output for the point (±inf and NaN kept)."""
    grad: list[float]
    """Backward: dL/d(value), the gradient arriving at the node."""
    local_diagonal: list[float] | None
    """∂value/∂(previous node's value) of an elementwise op: the Jacobian's diagonal."""
    local_matrix: list[list[float]] | None
    """∂value/∂(previous node's value) otherwise, (len(value), len(previous value)); both are
    None for the input, which has no edge coming in, and this one for a matrix larger than the
    caller's `matrix_limit` (a wide layer, which the view draws collapsed)."""
    overflow: bool = False
    """The first node whose value is not finite although everything before it was."""


@dataclass(frozen=True)
class ComputationGraph:
    """The chain of operations for one point: nodes[i]'s edge comes from nodes[i − 1]."""

    loss: str
    target: float
    nodes: list[GraphNode]
    overflow_reason: str | None
    """Why the flagged node is not finite, in a sentence; None when every value is finite."""


@dataclass(frozen=True)
class _Step:
    """A node's forward part: its op, value (1, n) and local Jacobian (n, previous n)."""

    id: str
    op: str
    label: str
    symbol: str
    layer: int | None
    value: torch.Tensor
    jacobian: torch.Tensor | None
    diagonal: bool


def computation_graph(
    net: nn.Module,
    loss: str,
    point: Sequence[float],
    target: float,
    matrix_limit: int | None = None,
) -> ComputationGraph:
    """Return the graph of `point` with `target` under `loss`, forward and backward, in eval mode.

    `target` is a class index (as a float) for bce and cross_entropy, a value for mse; the net
    is an nn.Sequential as build_network makes it. Local Jacobians with more than
    `matrix_limit` entries are left out of the nodes (the gradients still use them).
    """
    before, layers = layer_modules(net)
    like = layers[0].linear.weight
    _check_probe(before, layers, loss, point, target)
    x = torch.tensor([list(point)], dtype=like.dtype, device=like.device)  # (1, dims)
    y = torch.tensor([target], dtype=like.dtype, device=like.device)  # (1,)
    with eval_mode(net):
        steps = _forward(net, x, y, loss)
    nodes = _backward(steps, matrix_limit)
    index = _first_overflow(nodes)
    reason = None
    if index is not None:
        nodes[index] = replace(nodes[index], overflow=True)
        reason = _overflow_reason(nodes, index, loss, target)
    return ComputationGraph(loss, target, nodes, reason)


def _forward(net: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: str) -> list[_Step]:
    """Every node's value and local Jacobian, input first, loss last."""
    before, layers = layer_modules(net)
    steps = [_Step("input", "input", "the point", "x", None, x, None, False)]
    h = x
    if before:
        with torch.no_grad():
            h = run_features(before, x)
        jac = _jacobian(lambda v: run_features(before, v), x)
        steps.append(_Step("features", "features", "features φ(x)", "φ", None, h, jac, False))
    hidden = len(layers) - 1
    for i, layer in enumerate(layers):
        n = str(i + 1).translate(_SUBSCRIPTS)
        weight, bias = layer.linear.weight.detach(), layer.linear.bias.detach()
        source = steps[-1].symbol
        wx = h @ weight.t()  # (1, in) @ (in, out)
        steps.append(_Step(f"l{i}.matmul", "matmul", f"W{n}·{source}", f"W{n}{source}", i, wx,
                           weight, False))  # fmt: skip
        h = wx + bias
        symbol = "z" if i == hidden else f"z{n}"
        ones = torch.ones_like(h[0])
        steps.append(_Step(f"l{i}.bias", "add_bias", f"+ b{n}", symbol, i, h, ones, True))
        for k, module in enumerate(layer.after):
            op, label = _module_op(module)
            with torch.no_grad():
                out = module(h)
            jac, diagonal = _module_jacobian(module, h, out)
            symbol = f"h{n}" if op == "activation" else f"{symbol}′"
            steps.append(_Step(f"l{i}.{k}", op, label, symbol, i, out, jac, diagonal))
            h = out
    return steps + _head_steps(h, y, loss, layer_name(hidden, hidden))


def _module_op(module: nn.Module) -> tuple[str, str]:
    """The op and label of a module after a Linear."""
    if isinstance(module, nn.BatchNorm1d):
        return "batch_norm", "BatchNorm"
    if isinstance(module, nn.LayerNorm):
        return "layer_norm", "LayerNorm"
    if isinstance(module, nn.Dropout):
        return "dropout", "dropout (off: eval)"
    return "activation", _ACTIVATION_NAMES.get(type(module), type(module).__name__.lower())


def _module_jacobian(
    module: nn.Module, inputs: torch.Tensor, outputs: torch.Tensor
) -> tuple[torch.Tensor, bool]:
    """The local derivative of one module at `inputs` (1, n): (diagonal (n,), True) for an
    elementwise op, else (the Jacobian (n, n), False)."""
    activation = activation_of(module)
    if activation is not None:  # the registry's hand-derived slope, the fast path's own
        return activation.backward(torch.ones_like(outputs), inputs, outputs)[0], True
    if isinstance(module, nn.Dropout):
        return torch.ones_like(inputs[0]), True
    if isinstance(module, nn.BatchNorm1d) and module.running_var is not None:
        # eval BatchNorm is (x − mean)/√(var + eps)·w + b with the running statistics: affine
        scale = torch.rsqrt(module.running_var + module.eps)
        return (scale if module.weight is None else scale * module.weight).detach(), True
    if isinstance(module, nn.LayerNorm) and len(module.normalized_shape) == 1:
        return _layer_norm_jacobian(module, inputs[0].detach()), False  # it mixes the units
    jac = _jacobian(module, inputs)
    off = jac - torch.diag(torch.diagonal(jac))
    if bool((off == 0).all()):  # an activation without a fast path (e.g. written by the user)
        return torch.diagonal(jac), True
    return jac, False


def _layer_norm_jacobian(module: nn.LayerNorm, x: torch.Tensor) -> torch.Tensor:
    """∂LayerNorm(x)/∂x for one x (n,): diag(w)/σ · (I − 1/n − x̂ x̂ᵀ/n), x̂ = (x − mean)/σ,
    σ² the biased variance + eps (jacrev takes a quarter of a second at 128 units)."""
    n = x.shape[0]
    sigma = torch.sqrt(x.var(unbiased=False) + module.eps)
    x_hat = (x - x.mean()) / sigma
    centre = torch.eye(n, dtype=x.dtype, device=x.device) - 1 / n - torch.outer(x_hat, x_hat) / n
    scale = 1 / sigma if module.weight is None else module.weight.detach() / sigma
    return scale[..., None] * centre if module.weight is not None else scale * centre


def _jacobian(fn: nn.Module | object, inputs: torch.Tensor) -> torch.Tensor:
    """∂fn(v)/∂v at v = inputs[0] for a fn of a batch (1, n) -> (1, m): an (m, n) matrix."""

    def one(v: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = fn(v[None])[0]  # type: ignore[operator]
        return out

    jac: torch.Tensor = torch.func.jacrev(one)(inputs[0].detach())
    return jac.detach()


def _head_steps(z: torch.Tensor, y: torch.Tensor, loss: str, output_name: str) -> list[_Step]:
    """The head, log and loss nodes after the logits z (1, k): one fused node, or the naive
    twin's sigmoid/softmax, log and sum."""
    head = head_of(loss)
    z = z.detach()
    if head == "identity":
        value = ((z - y[:, None]) ** 2).reshape(1, 1)
        return [_loss_step("(z − y)²", value, 2 * (z - y[:, None]))]
    if not is_naive(loss):
        _, _, grad_logits = output_gradients(loss, z, y)  # σ(z) − y or p − onehot, stable
        label = "BCE with logits" if head == "sigmoid" else "CE on logits"
        value = LOSSES[loss].fn(z, y).detach().reshape(1, 1)  # the session's own
        return [_loss_step(label, value, grad_logits)]
    if head == "sigmoid":
        p = torch.sigmoid(z)  # (1, 1)
        logs = torch.cat([torch.log(p), torch.log(1 - p)], dim=1)  # (1, 2)
        log_jac = torch.stack([1 / p[0], -1 / (1 - p[0])])  # (2, 1)
        weights = torch.stack([y, 1 - y], dim=1)  # (1, 2)
        value = -(weights * logs).sum(dim=1, keepdim=True)
        return [
            _Step("head", "sigmoid", "σ (sigmoid)", "p", None, p, p[0] * (1 - p[0]), True),
            _Step("log", "log", "log p, log(1−p)", "log", None, logs, log_jac, False),
            _loss_step("−(y, 1−y)·logs", value, -weights),
        ]
    p = torch.softmax(z, dim=-1)  # (1, k)
    cls = int(y.item())
    softmax_jac = torch.diag(p[0]) - p[0][:, None] * p[0][None, :]  # diag(p) − p pᵀ
    log_py = torch.log(p[:, cls : cls + 1])  # (1, 1)
    log_jac = torch.zeros_like(p)
    log_jac[0, cls] = 1 / p[0, cls]
    return [
        _Step("head", "softmax", "softmax", "p", None, p, softmax_jac, False),
        _Step("log", "log", f"log p_{cls}", "log p_y", None, log_py, log_jac, False),
        _loss_step("−log p_y", -log_py, -torch.ones_like(log_py)),
    ]


def _loss_step(label: str, value: torch.Tensor, jacobian: torch.Tensor) -> _Step:
    """The loss node: a scalar L (1, 1), its Jacobian (1, n) on the node before it."""
    return _Step("loss", "loss", label, "L", None, value, jacobian.reshape(1, -1), False)


def _backward(steps: list[_Step], matrix_limit: int | None) -> list[GraphNode]:
    """Every node with its gradient: dL/dL = 1 at the loss, then back along the chain, each
    node's grad = the next node's grad times the next edge's local derivative."""
    grads = [torch.ones(1, dtype=steps[-1].value.dtype)] * len(steps)
    for i in range(len(steps) - 1, 0, -1):
        step, upstream = steps[i], grads[i]
        assert step.jacobian is not None
        if step.diagonal:
            grads[i - 1] = upstream * step.jacobian
        else:
            grads[i - 1] = upstream @ step.jacobian  # (out,) @ (out, in)
    return [_node(step, grad, matrix_limit) for step, grad in zip(steps, grads, strict=True)]


def _node(step: _Step, grad: torch.Tensor, matrix_limit: int | None) -> GraphNode:
    """The node of a forward step, with the gradient arriving at it."""
    jac = step.jacobian
    too_big = jac is not None and matrix_limit is not None and jac.numel() > matrix_limit
    local = None if jac is None or (too_big and not step.diagonal) else jac.tolist()
    diagonal, matrix = (local, None) if step.diagonal else (None, local)
    value = step.value[0].tolist()
    return GraphNode(step.id, step.op, step.label, step.symbol, step.layer, value, grad.tolist(),
                     diagonal, matrix)  # fmt: skip


def _first_overflow(nodes: list[GraphNode]) -> int | None:
    """The index of the first node with a value that is not finite, if any."""
    for i, node in enumerate(nodes):
        if not all(math.isfinite(v) for v in node.value):
            return i
    return None


def _overflow_reason(nodes: list[GraphNode], index: int, loss: str, target: float) -> str:
    """A sentence on why node `index` overflowed: log 0 behind a naive loss, or bad weights."""
    node = nodes[index]
    if node.op != "log":
        return (
            f"{node.label} gives a value that is not finite: the weights or the input already "
            "hold inf or NaN (the run diverged)."
        )
    z = nodes[index - 2].value  # the logits, before the head
    if head_of(loss) == "sigmoid":
        term, rounded = ("log(1 − p)", "1") if z[0] > 0 else ("log p", "0")
        sentence = f"At logit z = {z[0]:.4g}, p = σ(z) rounds to {rounded}: {term} = log 0 = −∞."
        if (target == 1) == (z[0] > 0):  # right and sure: the −∞ meets a zero weight
            sentence += " The loss multiplies it by a zero weight, and 0 · ∞ is NaN."
    else:
        sentence = (
            f"The target class's logit trails the largest by {max(z) - z[int(target)]:.4g}, so "
            "softmax rounds its probability to exactly 0 and log 0 = −∞."
        )
    twin = LOSSES[loss].twin
    return sentence + f" The fused loss ({twin}) works on the logits and stays finite."
