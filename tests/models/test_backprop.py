import copy
import math

import pytest
import torch
from torch import nn

from models.activations import ACTIVATIONS
from models.analysis.backprop import Probe, output_gradients, probe_point
from models.config import LayerSpec, NetworkSpec
from models.losses import LOSSES, predictions
from models.network import build_network
from models.tasks import head_of

F64 = torch.float64

# Each loss as a function of what its head outputs, written from its definition: the oracle for
# dL/d(output layer's post), which the stable losses never compute.
LOSS_OF_OUTPUT = {
    "sigmoid": lambda p, y: -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).sum(),
    "softmax": lambda p, y: -torch.log(p[0, int(y.item())]),
    "identity": lambda p, y: ((p - y) ** 2).sum(),
}


def _targets(loss: str) -> list[float]:
    return {"sigmoid": [0.0, 1.0], "softmax": [0.0, 2.0], "identity": [0.7]}[head_of(loss)]


def _net(
    activation: str,
    loss: str,
    features: tuple[str, ...] = ("x1", "x2", "x1_x2", "sin_x2"),
    seed: int = 0,
) -> nn.Sequential:
    """A float64 net with BatchNorm (non-trivial running statistics), LayerNorm and dropout."""
    outputs = 3 if head_of(loss) == "softmax" else 1
    hidden = (
        LayerSpec(5, activation, batch_norm=True),
        LayerSpec(4, activation, layer_norm=True, dropout=0.5),
        LayerSpec(3, activation, batch_norm=True, layer_norm=True),
    )
    spec = NetworkSpec(hidden=hidden, outputs=outputs, features=features)
    gen = torch.Generator().manual_seed(seed)
    net = build_network(spec, gen).double()
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.BatchNorm1d | nn.LayerNorm):
                module.weight.copy_(1 + 0.5 * torch.randn(module.weight.shape, generator=gen))
                module.bias.copy_(0.3 * torch.randn(module.bias.shape, generator=gen))
            if isinstance(module, nn.BatchNorm1d):
                module.running_mean.copy_(0.2 * torch.randn(module.num_features, generator=gen))
                module.running_var.copy_(0.5 + torch.rand(module.num_features, generator=gen))
    return net


def _autograd(net: nn.Sequential, loss: str, point: list[float], target: float) -> dict:
    """Every number of the probe from autograd of the whole network on one point (the oracle)."""
    net = copy.deepcopy(net).eval()
    starts = [i for i, module in enumerate(net) if isinstance(module, nn.Linear)]
    ends = [i - 1 for i in starts[1:]]  # the last module of each hidden layer
    seen: dict[int, torch.Tensor] = {}
    hooks = [
        net[i].register_forward_hook(lambda m, a, out, i=i: seen.__setitem__(i, out))
        for i in starts + ends
    ]
    x = torch.tensor([point], dtype=F64, requires_grad=True)
    y = torch.tensor([target], dtype=F64)
    logits = net(x)
    for hook in hooks:
        hook.remove()
    value = LOSSES[loss].fn(logits, y)
    pre, post = [seen[i] for i in starts], [seen[i] for i in ends]
    weights = [net[i].weight for i in starts]
    biases = [net[i].bias for i in starts]
    grads = torch.autograd.grad(value, pre + post + weights + biases)
    n = len(starts)
    output = predictions(logits.detach(), loss).reshape(1, -1).requires_grad_()
    (grad_output,) = torch.autograd.grad(LOSS_OF_OUTPUT[head_of(loss)](output, y), [output])
    return {
        "loss": value.item(),
        "features": net[: starts[0]](x)[0],
        "pre": [t[0] for t in pre],
        "post": [t[0] for t in post] + [output[0]],
        "grad_pre": [g[0] for g in grads[:n]],
        "grad_post": [g[0] for g in grads[n : 2 * n - 1]] + [grad_output[0]],
        "grad_weight": list(grads[2 * n - 1 : 3 * n - 1]),
        "grad_bias": list(grads[3 * n - 1 :]),
    }


def _assert_probe_matches(probe: Probe, want: dict, *, tol: float = 1e-10, outputs=True) -> None:
    def same(got: object, expected: torch.Tensor) -> None:
        torch.testing.assert_close(
            torch.tensor(got, dtype=F64), expected.detach().to(F64), rtol=tol, atol=tol
        )

    assert probe.loss == pytest.approx(want["loss"], rel=tol)
    same(probe.features, want["features"])
    same(probe.output, want["post"][-1])
    assert [layer.layer for layer in probe.layers] == list(range(len(want["pre"])))
    for i, layer in enumerate(probe.layers):
        same(layer.pre, want["pre"][i])
        same(layer.post, want["post"][i])
        same(layer.grad_pre, want["grad_pre"][i])
        if outputs or i < len(probe.layers) - 1:
            same(layer.grad_post, want["grad_post"][i])
        same(layer.grad_weight, want["grad_weight"][i])
        same(layer.grad_bias, want["grad_bias"][i])


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_probe_equals_autograd_of_the_whole_network(activation: str, loss: str) -> None:
    net = _net(activation, loss)
    for seed, target in enumerate(_targets(loss)):
        point = (2 * torch.rand(2, generator=torch.Generator().manual_seed(seed)) - 1).tolist()
        want = _autograd(net, loss, point, target)
        _assert_probe_matches(probe_point(net, loss, point, target), want)


@pytest.mark.parametrize("loss", ["bce", "mse", "cross_entropy_naive"])
@pytest.mark.parametrize("features", [("x1",), ("x1", "sin_x1", "x1_squared")])
def test_probe_of_one_dimensional_data_equals_autograd(
    features: tuple[str, ...], loss: str
) -> None:
    net = _net("tanh", loss, features)
    target = _targets(loss)[-1]
    _assert_probe_matches(
        probe_point(net, loss, [0.4], target), _autograd(net, loss, [0.4], target)
    )


def test_probe_of_a_network_without_hidden_layers_equals_autograd() -> None:
    net = build_network(NetworkSpec(hidden=()), torch.Generator().manual_seed(0)).double()
    probe = probe_point(net, "bce", [0.3, -0.2], 1.0)
    assert [layer.name for layer in probe.layers] == ["output layer"]
    _assert_probe_matches(probe, _autograd(net, "bce", [0.3, -0.2], 1.0))


def test_layer_names_and_shapes() -> None:
    net = _net("relu", "cross_entropy")
    probe = probe_point(net, "cross_entropy", [0.1, 0.2], 2)
    names = [layer.name for layer in probe.layers]
    assert names == ["hidden layer 1", "hidden layer 2", "hidden layer 3", "output layer"]
    widths = [(len(layer.grad_weight), len(layer.grad_weight[0])) for layer in probe.layers]
    assert widths == [(5, 4), (4, 5), (3, 4), (3, 3)]
    assert probe.point == [0.1, 0.2] and probe.target == 2
    assert sum(probe.output) == pytest.approx(1.0)


def _saturate(net: nn.Sequential, scale: float) -> None:
    """Make the first output's logit about +scale and the last's about -scale."""
    with torch.no_grad():
        net[-1].bias.copy_(torch.linspace(scale, -scale, net[-1].out_features))


@pytest.mark.parametrize("loss", ["bce", "cross_entropy"])
def test_stable_losses_keep_finite_gradients_at_huge_logits(loss: str) -> None:
    net = _net("tanh", loss)
    _saturate(net, 1000.0)
    target = _targets(loss)[0]
    probe = probe_point(net, loss, [0.5, 0.5], target)
    assert math.isfinite(probe.loss)
    assert all(math.isfinite(g) for layer in probe.layers for g in layer.grad_pre)
    _assert_probe_matches(probe, _autograd(net, loss, [0.5, 0.5], target), outputs=False)


@pytest.mark.parametrize("loss", ["bce_naive", "cross_entropy_naive"])
def test_naive_losses_report_the_same_inf_and_nan_as_autograd(loss: str) -> None:
    net = _net("tanh", loss)
    _saturate(net, 1000.0)
    losses = []
    for target in _targets(loss):
        probe = probe_point(net, loss, [0.5, 0.5], target)
        want = _autograd(net, loss, [0.5, 0.5], target)
        losses.append(probe.loss)
        assert probe.loss == want["loss"] or (math.isnan(probe.loss) and math.isnan(want["loss"]))
        for i, layer in enumerate(probe.layers):
            for key in ("grad_pre", "grad_weight", "grad_bias"):
                got = torch.tensor(getattr(layer, key), dtype=F64)
                torch.testing.assert_close(got, want[key][i], equal_nan=True)
    assert not all(map(math.isfinite, losses)), "some target should make the naive loss overflow"


def test_a_float32_network_matches_autograd_to_float32_precision() -> None:
    net = _net("gelu", "bce").float()
    probe = probe_point(net, "bce", [0.3, -0.8], 1.0)
    _assert_probe_matches(probe, _autograd(net.double(), "bce", [0.3, -0.8], 1.0), tol=1e-4)


def test_the_live_network_is_left_as_it_was() -> None:
    net = _net("relu", "bce").train()
    state = copy.deepcopy(net.state_dict())
    probe_point(net, "bce", [0.2, 0.1], 1.0)
    assert all(module.training for module in net.modules())
    assert all(p.grad is None for p in net.parameters())
    after = net.state_dict()
    assert all(torch.equal(state[key], after[key]) for key in state)


def test_bad_points_targets_and_losses_are_refused_readably() -> None:
    plain = build_network(NetworkSpec(), torch.Generator().manual_seed(0))
    with pytest.raises(ValueError, match="the point needs 2 coordinates, got 1"):
        probe_point(plain, "bce", [0.5], 1.0)
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        probe_point(plain, "hinge", [0.5, 0.5], 1.0)
    three = build_network(NetworkSpec(outputs=3), torch.Generator().manual_seed(0))
    with pytest.raises(ValueError, match="a class from 0 to 2, got 3"):
        probe_point(three, "cross_entropy", [0.5, 0.5], 3.0)
    with pytest.raises(ValueError, match="reads one output, the network has 3"):
        probe_point(three, "mse", [0.5, 0.5], 0.0)


def test_probe_works_when_the_caller_is_in_inference_mode() -> None:
    net = _net("elu", "bce")  # its LayerNorm goes through torch.func.vjp
    want = probe_point(net, "bce", [0.3, -0.5], 1.0)
    with torch.inference_mode():
        assert probe_point(net, "bce", [0.3, -0.5], 1.0) == want


def test_a_tiny_gradient_keeps_its_digits_where_float32_rounds_p_to_one() -> None:
    """Loss 6e-8 at a confident, correct point: dL/dz is −6e-8 (float64), not 0."""
    for loss, z, y in [("bce", [[16.6]], 1.0), ("cross_entropy", [[16.6, 0.0]], 0.0)]:
        logits = torch.tensor(z)
        _, _, grad = output_gradients(loss, logits, torch.tensor([y]))
        exact = torch.softmax(torch.tensor(z, dtype=torch.float64), dim=-1)
        expected = (
            -exact[0, 1]
            if loss == "cross_entropy"
            else -torch.sigmoid(-torch.tensor(16.6, dtype=torch.float64))
        )
        assert grad[0, 0].item() != 0
        assert abs(grad[0, 0].item() - expected.item()) < 1e-3 * abs(expected.item())
