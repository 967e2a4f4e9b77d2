"""MonitorTracker: per-layer health numbers, held to autograd and to sums by hand."""

import copy
import math

import pytest
import torch

from models.analysis.layers import linear_layers
from models.analysis.monitors import MonitorTracker
from models.config import LayerSpec, NetworkSpec
from models.losses import LOSSES
from models.network import build_network
from tests.models.nets import F64, RICH, float64_net, uniform_points


def _data(count: int = 64, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    x = uniform_points(count, seed=seed).double()
    return x, (x[:, 0] * x[:, 1] > 0).double()


@pytest.mark.parametrize("loss", ["bce", "bce_naive", "mse"])
def test_monitors_norms_equal_autograd_of_the_full_batch_loss(loss: str) -> None:
    net = float64_net(RICH)
    x, y = _data()
    monitors = MonitorTracker().observe(net, LOSSES[loss].fn, x, y, step=5)
    oracle = copy.deepcopy(net).eval()
    value = LOSSES[loss].fn(oracle(x), y)
    weights = [m.weight for m in linear_layers(oracle)]
    grads = torch.autograd.grad(value, weights)
    assert [m.layer for m in monitors] == [0, 1, 2, 3]
    assert monitors[-1].name == "output layer"
    for monitor, weight, grad in zip(monitors, weights, grads, strict=True):
        assert monitor.weight_norm == pytest.approx(math.sqrt((weight**2).sum().item()))
        assert monitor.grad_norm == pytest.approx(math.sqrt((grad**2).sum().item()))
        assert monitor.update_ratio is None


def test_update_ratio_is_the_relative_change_per_step_since_the_last_look() -> None:
    net = float64_net((LayerSpec(3, "tanh"),))
    x, y = _data()
    tracker = MonitorTracker()
    first = net[0].weight.detach().clone()
    assert tracker.observe(net, LOSSES["bce"].fn, x, y, step=10)[0].update_ratio is None
    delta = torch.tensor([[0.1, 0.0], [0.0, -0.2], [0.3, 0.0]], dtype=F64)
    with torch.no_grad():
        net[0].weight.add_(delta)
    monitors = tracker.observe(net, LOSSES["bce"].fn, x, y, step=14)
    want = math.sqrt(0.01 + 0.04 + 0.09) / math.sqrt((first**2).sum().item()) / 4
    assert monitors[0].update_ratio == pytest.approx(want)
    assert monitors[1].update_ratio == 0.0
    assert tracker.observe(net, LOSSES["bce"].fn, x, y, step=14)[0].update_ratio is None
    assert tracker.observe(net, LOSSES["bce"].fn, x, y, step=15)[0].update_ratio == 0.0
    tracker.clear()
    assert tracker.observe(net, LOSSES["bce"].fn, x, y, step=30)[0].update_ratio is None


def test_update_ratio_of_all_zero_weights_is_unknown() -> None:
    net = build_network(NetworkSpec(init="zeros"), torch.Generator().manual_seed(0)).double()
    x, y = _data()
    tracker = MonitorTracker()
    tracker.observe(net, LOSSES["bce"].fn, x, y, step=0)
    with torch.no_grad():
        for weight in (m.weight for m in linear_layers(net)):
            weight.add_(0.1)
    assert all(m.update_ratio is None for m in tracker.observe(net, LOSSES["bce"].fn, x, y, 1))


@pytest.mark.parametrize(
    "activation, biases, dead",
    [
        ("relu", [-100.0, -100.0, 0.1, 0.2, -100.0], 0.6),  # z ≤ -98 on the data: no slope
        ("leaky_relu", [-100.0, -100.0, 0.1, 0.2, -100.0], 0.0),  # slope 0.01 below 0
        ("hardtanh", [5.0, -5.0, 0.0, 0.1, -0.1], 0.4),  # |z| ≥ 3 on two units
        ("tanh", [0.0, 0.1, -0.2, 0.3, 0.5], 0.0),
    ],
)
def test_dead_fraction_counts_units_without_slope_at_every_point(
    activation: str, biases: list[float], dead: float
) -> None:
    net = float64_net((LayerSpec(5, activation),))
    with torch.no_grad():
        net[0].weight.clamp_(-1, 1)
        net[0].bias.copy_(torch.tensor(biases))
    monitors = MonitorTracker().observe(net, LOSSES["bce"].fn, *_data(), step=1)
    assert monitors[0].dead_fraction == pytest.approx(dead)
    assert monitors[1].dead_fraction is None


def test_activation_mean_and_std_by_hand() -> None:
    net = float64_net((LayerSpec(3, "tanh"),))
    x, y = _data()
    w, b, v, c = (p.detach() for p in net.parameters())
    post = torch.tanh(x @ w.t() + b)
    logits = post @ v.t() + c
    monitors = MonitorTracker().observe(net, LOSSES["bce"].fn, x, y, step=1)
    for monitor, values in zip(monitors, [post, logits], strict=True):
        mean = values.sum().item() / values.numel()
        std = math.sqrt(((values - mean) ** 2).sum().item() / values.numel())
        assert monitor.activation_mean == pytest.approx(mean)
        assert monitor.activation_std == pytest.approx(std)


def test_monitors_leave_the_live_network_as_it_was() -> None:
    net = float64_net(RICH).train()
    state = copy.deepcopy(net.state_dict())
    x, y = _data()
    MonitorTracker().observe(net, LOSSES["bce"].fn, x, y, step=1)
    assert all(module.training for module in net.modules())
    assert all(p.grad is None for p in net.parameters())
    after = net.state_dict()
    assert all(torch.equal(state[key], after[key]) for key in state)


def test_monitors_work_when_the_caller_is_in_inference_mode() -> None:
    net = float64_net((LayerSpec(3, "relu"),))
    x, y = _data()
    want = MonitorTracker().observe(net, LOSSES["bce"].fn, x, y, step=1)
    with torch.inference_mode():
        got = MonitorTracker().observe(net, LOSSES["bce"].fn, x, y, step=1)
    assert got == want
