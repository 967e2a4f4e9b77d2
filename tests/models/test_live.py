"""models/analysis/live.py: which counter a network gets, and that it says whether it is exact."""

import pytest
import torch

from models.analysis.live import RegionBudget, is_piecewise_linear, live_regions
from models.analysis.patterns import pattern_count_on_grid
from models.config import LayerSpec, NetworkSpec
from models.network import ACTIVATIONS, build_network

BOX = (-6.0, 6.0, -6.0, 6.0)
BUDGET = RegionBudget(max_count=5_000, draw_max=500, approx_resolution=200)


def _net(spec: NetworkSpec, seed: int = 0) -> torch.nn.Sequential:
    return build_network(spec, torch.Generator().manual_seed(seed))


def test_one_relu_layer_is_exact_and_matches_the_line_arrangement() -> None:
    # Six lines in general position whose crossings all lie in a box far larger than them.
    spec = NetworkSpec(hidden=(LayerSpec(6, "relu"),))
    net = _net(spec, seed=3)
    with torch.no_grad():
        net[0].bias.mul_(0.01)  # every line passes near the origin: all crossings are inside
    found = live_regions(net, spec, (-100.0, 100.0, -100.0, 100.0), 2, BUDGET)
    assert found.exact and found.count == 1 + 6 + 6 * 5 // 2
    assert found.regions is not None and found.regions.count == found.count


def test_a_deep_relu_net_is_exact_and_never_below_the_grid_oracle() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(6, "relu"), LayerSpec(5, "relu")))
    net = _net(spec)
    found = live_regions(net, spec, BOX, 2, BUDGET)
    assert found.exact and found.count is not None
    assert pattern_count_on_grid(net, "relu", BOX, 300) <= found.count


@pytest.mark.parametrize(
    "hidden",
    [
        (LayerSpec(5, "tanh"),),  # smooth
        (LayerSpec(5, "relu"), LayerSpec(4, "leaky_relu")),  # two piecewise-linear kinds
        (LayerSpec(5, "relu", layer_norm=True),),  # layer norm divides by a per-point spread
    ],
    ids=["smooth", "mixed", "layer norm"],
)
def test_other_nets_get_the_grid_pattern_count_flagged_approximate(
    hidden: tuple[LayerSpec, ...],
) -> None:
    spec = NetworkSpec(hidden=hidden)
    net = _net(spec)
    found = live_regions(net, spec, BOX, 2, BUDGET)
    assert not found.exact and found.regions is None
    net.eval()
    assert found.count == pattern_count_on_grid(net, "relu", BOX, BUDGET.approx_resolution)


def test_past_the_drawing_budget_the_count_comes_without_polygons() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(6, "relu"),))
    found = live_regions(_net(spec), spec, BOX, 2, RegionBudget(5_000, 1, 200))
    assert found.exact and found.count is not None and found.count > 1
    assert found.regions is None


def test_past_the_count_budget_there_is_no_count() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(8, "relu"), LayerSpec(8, "relu")))
    assert live_regions(_net(spec), spec, BOX, 2, RegionBudget(2, 1, 200)).count is None


def test_image_data_and_smooth_1d_nets_have_no_count() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(4, "tanh"),), features=("x1",))
    assert live_regions(_net(spec), spec, BOX, 1, BUDGET).count is None
    plane = NetworkSpec(hidden=(LayerSpec(4, "relu"),))
    assert live_regions(_net(plane), plane, BOX, 64, BUDGET).count is None


def test_the_net_gets_its_own_mode_back() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(6, "relu", batch_norm=True, dropout=0.3),))
    net = _net(spec)
    net.train()
    live_regions(net, spec, BOX, 2, BUDGET)
    assert all(module.training for module in net.modules())


def test_piecewise_linear_activations_are_the_ones_with_kinks() -> None:
    assert is_piecewise_linear("relu") and is_piecewise_linear("linear")
    assert not is_piecewise_linear("tanh") and not is_piecewise_linear("sigmoid")
    assert all(isinstance(is_piecewise_linear(name), bool) for name in ACTIVATIONS)
