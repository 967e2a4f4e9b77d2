"""The computational graph of one point, held to autograd of the whole network in float64."""

import copy
import itertools
import math

import pytest
import torch
from torch import nn

from models.activations import ACTIVATIONS
from models.analysis.graph import ComputationGraph, GraphNode, computation_graph
from models.config import LayerSpec
from models.losses import LOSSES
from models.tasks import head_of
from tests.models.nets import F64, float64_net

POINT = [0.4, -0.7]

# The naive heads written from their definitions: the oracle for the head and log nodes.
NAIVE_PARTS = {
    "sigmoid": lambda z, y: _sigmoid_parts(z, y),
    "softmax": lambda z, y: _softmax_parts(z, y),
}


def _sigmoid_parts(z: torch.Tensor, y: float) -> list[torch.Tensor]:
    p = torch.sigmoid(z.reshape(-1))
    logs = torch.cat([torch.log(p), torch.log(1 - p)])
    return [p, logs, -(y * logs[0] + (1 - y) * logs[1]).reshape(1)]


def _softmax_parts(z: torch.Tensor, y: float) -> list[torch.Tensor]:
    p = torch.softmax(z.reshape(-1), dim=0)
    log_py = torch.log(p[int(y)]).reshape(1)
    return [p, log_py, -log_py]


def _target(loss: str) -> float:
    return {"sigmoid": 1.0, "softmax": 2.0, "identity": 0.7}[head_of(loss)]


def _net(activation: str, loss: str, seed: int = 0) -> nn.Sequential:
    """Features, BatchNorm, LayerNorm and dropout around the activation: every module kind."""
    hidden = (
        LayerSpec(4, activation, batch_norm=True),
        LayerSpec(3, activation, layer_norm=True, dropout=0.3),
    )
    outputs = 3 if head_of(loss) == "softmax" else 1
    return float64_net(hidden, ("x1", "x2", "x1_x2", "sin_x2"), outputs, seed).eval()


def _autograd(net: nn.Sequential, loss: str, target: float) -> dict[str, tuple]:
    """Node id -> (value, dL/dvalue) from autograd of the whole net and the session's loss."""
    net = copy.deepcopy(net).eval()
    outputs: list[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda m, a, o: outputs.append(o)) for m in net]
    x = torch.tensor([POINT], dtype=F64, requires_grad=True)
    y = torch.tensor([target], dtype=F64)
    logits = net(x)
    for hook in hooks:
        hook.remove()
    ids, linear, after = [], -1, 0
    for module in net:
        if isinstance(module, nn.Linear):
            linear, after = linear + 1, 0
            ids.append(f"l{linear}.bias")
        elif linear < 0:
            ids.append("features")
        else:
            ids.append(f"l{linear}.{after}")
            after += 1
    parts: list[torch.Tensor] = []
    if LOSSES[loss].naive:
        parts = NAIVE_PARTS[head_of(loss)](logits, target)
        value = parts[-1].sum()
    else:
        value = LOSSES[loss].fn(logits, y)
    watched = [x, *outputs, *parts[:-1]]
    grads = torch.autograd.grad(value, watched)
    found = {"input": (x, grads[0]), "loss": (value.reshape(1), torch.ones(1, dtype=F64))}
    for name, out, grad in zip(ids, outputs, grads[1:], strict=False):
        found[name] = (out, grad)
    naive_grads = grads[1 + len(outputs) :]
    for name, part, grad in zip(("head", "log"), parts[:-1], naive_grads, strict=False):
        found[name] = (part, grad)
    for i, module in enumerate(m for m in net if isinstance(m, nn.Linear)):
        z, grad = found[f"l{i}.bias"]
        found[f"l{i}.matmul"] = (z - module.bias, grad)  # + b passes the gradient on as it is
    return {k: (v.detach().reshape(-1), g.reshape(-1)) for k, (v, g) in found.items()}


def _close(got: list[float], want: torch.Tensor) -> bool:
    mine = torch.tensor(got, dtype=F64)
    return torch.allclose(mine, want, rtol=1e-10, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_every_value_and_gradient_is_autograds(activation: str, loss: str) -> None:
    net = _net(activation, loss)
    graph = computation_graph(net, loss, POINT, _target(loss))
    oracle = _autograd(net, loss, _target(loss))
    assert [n.id for n in graph.nodes] == list(_order(graph))
    assert set(oracle) == {n.id for n in graph.nodes}
    for node in graph.nodes:
        value, grad = oracle[node.id]
        assert _close(node.value, value), (node.id, node.value, value)
        assert _close(node.grad, grad), (node.id, node.grad, grad)
    assert graph.overflow_reason is None and not any(n.overflow for n in graph.nodes)


def _order(graph: ComputationGraph) -> list[str]:
    return [n.id for n in graph.nodes]


def _local(node: GraphNode) -> torch.Tensor:
    if node.local_diagonal is not None:
        return torch.diag(torch.tensor(node.local_diagonal, dtype=F64))
    assert node.local_matrix is not None
    return torch.tensor(node.local_matrix, dtype=F64)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_each_node_grad_is_upstream_times_the_local_derivative(loss: str) -> None:
    graph = computation_graph(_net("tanh", loss), loss, POINT, _target(loss))
    nodes = graph.nodes
    assert nodes[0].local_diagonal is None and nodes[0].local_matrix is None
    assert nodes[-1].grad == [1.0]
    for before, node in itertools.pairwise(nodes):
        local = _local(node)
        assert local.shape == (len(node.value), len(before.value)), node.id
        chained = torch.tensor(node.grad, dtype=F64) @ local
        assert torch.allclose(chained, torch.tensor(before.grad, dtype=F64)), node.id


def test_local_derivatives_are_the_ops_jacobians() -> None:
    """Each module's edge against autograd's Jacobian of that module at the node's input."""
    net = _net("gelu", "cross_entropy_naive")
    graph = computation_graph(net, "cross_entropy_naive", POINT, 2.0)
    by_id = {n.id: n for n in graph.nodes}
    modules = [m for m in net if not isinstance(m, nn.Linear)][1:]  # after the FeatureMap
    ids = ["l0.0", "l0.1", "l1.0", "l1.1", "l1.2"]
    order = [n.id for n in graph.nodes]
    for name, module in zip(ids, modules, strict=True):
        before = by_id[order[order.index(name) - 1]]
        inputs = torch.tensor([before.value], dtype=F64)
        want = torch.autograd.functional.jacobian(lambda v, m=module: m(v)[0], inputs)[:, 0]
        assert torch.allclose(_local(by_id[name]), want), name
    weight = net[-1].weight.detach()
    assert torch.equal(_local(by_id["l2.matmul"]), weight)
    p = torch.tensor(by_id["head"].value, dtype=F64)
    softmax = torch.autograd.functional.jacobian(lambda z: torch.softmax(z, 0), p.log())
    assert torch.allclose(_local(by_id["head"]), softmax)


def _huge_logit(loss: str, bias: list[float]) -> nn.Sequential:
    net = float64_net((LayerSpec(4, "tanh"), LayerSpec(2, "tanh")), outputs=len(bias))
    with torch.no_grad():
        net[-1].bias.copy_(torch.tensor(bias, dtype=F64))
    return net.eval()


@pytest.mark.parametrize(
    ("loss", "bias", "target", "loss_value"),
    [
        ("bce_naive", [1000.0], 0.0, math.inf),  # wrong and sure: log(1 − p) = −∞
        ("bce_naive", [1000.0], 1.0, math.nan),  # right and sure: 0 · (−∞)
        ("bce_naive", [-1000.0], 1.0, math.inf),  # log p = −∞
        ("cross_entropy_naive", [1000.0, 0.0, 0.0], 1.0, math.inf),
    ],
)
def test_the_naive_loss_at_a_large_logit_flags_the_log_node(
    loss: str, bias: list[float], target: float, loss_value: float
) -> None:
    net = _huge_logit(loss, bias)
    graph = computation_graph(net, loss, POINT, target)
    flagged = [n for n in graph.nodes if n.overflow]
    assert [n.op for n in flagged] == ["log"]
    assert -math.inf in flagged[0].value
    assert graph.overflow_reason is not None and "log 0 = −∞" in graph.overflow_reason
    loss_node = graph.nodes[-1]
    if math.isnan(loss_value):
        assert math.isnan(loss_node.value[0])
        assert "0 · ∞ is NaN" in graph.overflow_reason
    else:
        assert loss_node.value == [loss_value]
    oracle = _autograd(net, loss, target)  # autograd turns inf and NaN exactly where we do
    for node in graph.nodes:
        value, grad = oracle[node.id]
        assert _close(node.value, value), node.id
        assert _close(node.grad, grad), (node.id, node.grad, grad)


@pytest.mark.parametrize(("loss", "bias"), [("bce", [1000.0]), ("cross_entropy", [1000.0, 0, 0])])
def test_the_fused_loss_is_one_finite_node_at_the_same_logit(loss: str, bias: list[float]) -> None:
    graph = computation_graph(_huge_logit(loss, bias), loss, POINT, 0.0 if loss == "bce" else 2.0)
    assert [n.op for n in graph.nodes[-2:]] == ["add_bias", "loss"]
    assert graph.overflow_reason is None
    for node in graph.nodes:
        assert all(math.isfinite(v) for v in node.value + node.grad), node.id
    assert graph.nodes[-1].value[0] == pytest.approx(1000, rel=1e-3)


def test_float32_overflows_where_training_does() -> None:
    """In the app's float32 a logit of 20 already rounds σ(z) to 1; float64 holds it."""
    net = _huge_logit("bce_naive", [20.0])
    assert computation_graph(net, "bce_naive", POINT, 0.0).overflow_reason is None
    graph = computation_graph(net.float(), "bce_naive", POINT, 0.0)
    assert [n.op for n in graph.nodes if n.overflow] == ["log"]


def test_a_point_that_does_not_fit_is_refused() -> None:
    net = _huge_logit("bce", [0.0])
    with pytest.raises(ValueError, match="coordinates"):
        computation_graph(net, "bce", [0.1, 0.2, 0.3], 1.0)
    with pytest.raises(ValueError, match="unknown loss"):
        computation_graph(net, "hinge", POINT, 1.0)


def test_a_matrix_limit_leaves_wide_jacobians_out_and_the_gradients_as_they_were() -> None:
    net = _net("tanh", "cross_entropy")
    full = computation_graph(net, "cross_entropy", POINT, 2.0)
    slim = computation_graph(net, "cross_entropy", POINT, 2.0, matrix_limit=9)
    for big, small in zip(full.nodes, slim.nodes, strict=True):
        assert small.grad == big.grad and small.local_diagonal == big.local_diagonal
        kept = (
            big.local_matrix is not None and len(big.local_matrix) * len(big.local_matrix[0]) <= 9
        )
        assert (small.local_matrix is not None) == kept, big.id
    assert slim.nodes[-1].local_matrix is not None  # the loss's (1, 3) row stays
