# Over 300 lines for one reason: each oracle (arrangements, grids, torch) needs its own builder.
"""Exact linear regions against independent oracles: line arrangements, grids, torch itself."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from models.activations import ACTIVATIONS
from models.analysis.patterns import pattern_count_on_grid
from models.analysis.regions import (
    PIECEWISE_LINEAR_SLOPES,
    Layer,
    compute_regions,
    count_regions,
    layers_from_module,
)
from models.config import LayerSpec, NetworkSpec
from models.network import build_network

Box = tuple[float, float, float, float]

TORCH_ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,  # torch's default slope is 0.01, as in the registry
    "hardtanh": nn.Hardtanh,
    "linear": nn.Identity,
}


def random_layers(hidden: list[int], seed: int, scale: float = 1.0) -> list[Layer]:
    """Return Linear layers 2 -> hidden... -> 1 with N(0, scale²) weights and biases."""
    rng = np.random.default_rng(seed)
    widths = [2, *hidden, 1]
    return [
        (rng.normal(0, scale, (out, inp)), rng.normal(0, scale, out))
        for inp, out in itertools.pairwise(widths)
    ]


def as_module(layers: list[Layer], activation: str) -> nn.Sequential:
    """Return the float64 torch network with these weights, as the oracle to evaluate."""
    modules: list[nn.Module] = []
    for i, (weight, bias) in enumerate(layers):
        linear = nn.Linear(weight.shape[1], weight.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(weight))
            linear.bias.copy_(torch.from_numpy(bias))
        modules.append(linear)
        if i < len(layers) - 1:
            modules.append(TORCH_ACTIVATIONS[activation]())
    return nn.Sequential(*modules)


def torch_patterns(net: nn.Sequential, activation: str, points: np.ndarray) -> np.ndarray:
    """Return (N, hidden units): the piece of each hidden unit at each point, run through torch."""
    kinks = torch.tensor(PIECEWISE_LINEAR_SLOPES[activation].kinks, dtype=torch.float64)
    x = torch.from_numpy(points)
    pieces = []
    with torch.no_grad():
        for module in list(net)[:-1]:
            x = module(x)
            if isinstance(module, nn.Linear):
                pieces.append((x[..., None] > kinks).sum(-1))
    if not pieces:
        return np.zeros((len(points), 0), dtype=np.int8)
    return torch.cat(pieces, dim=1).numpy().astype(np.int8)


def grid(box: Box, resolution: int) -> np.ndarray:
    xs = np.linspace(box[0], box[1], resolution + 2)[1:-1]
    ys = np.linspace(box[2], box[3], resolution + 2)[1:-1]
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def area(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def crossings(layers: list[Layer]) -> list[tuple[float, float]]:
    """Return every point where two first-layer lines w . x + b = 0 meet."""
    weight, bias = layers[0]
    points = []
    for i, j in itertools.combinations(range(len(bias)), 2):
        points.append(tuple(np.linalg.solve(weight[[i, j]], -bias[[i, j]])))
    return points


# one hidden layer: an arrangement of lines


@pytest.mark.parametrize("n", [1, 2, 6, 12])
def test_one_hidden_layer_matches_line_arrangement(n: int) -> None:
    layers = random_layers([n], seed=n)
    points = np.array(crossings(layers) or [(0.0, 0.0)])
    lo, hi = points.min(axis=0) - 1.0, points.max(axis=0) + 1.0
    box = (lo[0], hi[0], lo[1], hi[1])
    expected = 1 + n + n * (n - 1) // 2
    assert count_regions(layers, "relu", box) == expected
    assert compute_regions(layers, "relu", box).count == expected


@pytest.mark.parametrize("seed", range(8))
def test_one_hidden_layer_in_any_box_matches_brute_geometry(seed: int) -> None:
    layers = random_layers([10], seed=100 + seed)
    box = (-1.0, 1.5, -0.5, 1.0)
    weight, bias = layers[0]
    corners = np.array([[x, y] for x in box[:2] for y in box[2:]])
    values = corners @ weight.T + bias  # (4, n)
    lines_in_box = int(np.sum((values.max(axis=0) > 0) & (values.min(axis=0) < 0)))
    inside = sum(box[0] < x < box[1] and box[2] < y < box[3] for x, y in crossings(layers))
    assert count_regions(layers, "relu", box) == 1 + lines_in_box + inside
    assert compute_regions(layers, "relu", box).count == 1 + lines_in_box + inside


# deep nets against a grid of patterns evaluated by torch


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "hardtanh"])
@pytest.mark.parametrize("hidden", [[4, 4], [5, 4, 3]])
def test_every_grid_pattern_is_an_exact_region(activation: str, hidden: list[int]) -> None:
    layers = random_layers(hidden, seed=sum(hidden))
    box = (-2.0, 2.0, -2.0, 2.0)
    regions = compute_regions(layers, activation, box)
    seen = torch_patterns(as_module(layers, activation), activation, grid(box, 300))
    exact = {row.tobytes() for row in regions.patterns}
    assert {row.tobytes() for row in seen} <= exact
    assert regions.count >= pattern_count_on_grid(layers, activation, box, 300)


def test_exact_count_equals_a_fine_grid_when_no_region_is_tiny() -> None:
    layers = random_layers([3, 3], seed=7)
    box = (-2.0, 2.0, -2.0, 2.0)
    regions = compute_regions(layers, "relu", box)
    assert min(area(p) for p in regions.polygons) > 0.01  # the grid's cells are 1.6e-4
    assert regions.count == pattern_count_on_grid(as_module(layers, "relu"), "relu", box, 300)


def test_grid_count_runs_the_module_or_its_layers_alike() -> None:
    layers = random_layers([6, 5], seed=11)
    box = (-3.0, 3.0, -3.0, 3.0)
    by_module = pattern_count_on_grid(as_module(layers, "hardtanh"), "hardtanh", box, 120)
    assert by_module == pattern_count_on_grid(layers, "hardtanh", box, 120)


def test_grid_count_of_a_tanh_net_counts_sign_patterns() -> None:
    layers = random_layers([6], seed=5)
    net = as_module(layers, "relu")
    net[1] = nn.Tanh()
    box = (-3.0, 3.0, -3.0, 3.0)
    assert pattern_count_on_grid(net, "tanh", box, 200) <= count_regions(layers, "relu", box)


@pytest.mark.parametrize("name", [n for n, r in ACTIVATIONS.items() if r.pieces is None])
def test_a_smooth_net_is_counted_by_the_signs_of_its_units(name: str) -> None:
    """One hidden layer: a smooth net's units change sign on the same lines as ReLU units with
    the same weights, so the grid sees the same patterns; the exact count bounds them."""
    layers = random_layers([6], seed=9)
    smooth = as_module(layers, "relu")
    smooth[1] = ACTIVATIONS[name].build()
    points = np.array(crossings(layers))
    lo, hi = points.min(axis=0) - 1.0, points.max(axis=0) + 1.0
    box = (lo[0], hi[0], lo[1], hi[1])
    relu = pattern_count_on_grid(as_module(layers, "relu"), "relu", box, 300)
    assert pattern_count_on_grid(smooth, name, box, 300) == relu
    assert relu <= count_regions(layers, "relu", box) == 1 + 6 + 15


# the polygons


@pytest.mark.parametrize(
    ("activation", "hidden", "seed"),
    [("relu", [8, 8], 1), ("leaky_relu", [6, 6, 6], 2), ("hardtanh", [8, 6], 3), ("relu", [16], 4)],
)
def test_polygons_tile_the_box_and_carry_their_patterns(
    activation: str, hidden: list[int], seed: int
) -> None:
    layers = random_layers(hidden, seed)
    box = (-3.0, 2.0, -1.5, 2.5)
    regions = compute_regions(layers, activation, box)
    box_area = (box[1] - box[0]) * (box[3] - box[2])
    assert sum(area(p) for p in regions.polygons) == pytest.approx(box_area, rel=1e-9)
    for polygon in regions.polygons:
        edges = np.roll(polygon, -1, axis=0) - polygon
        turns = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
        assert len(polygon) >= 3 and area(polygon) > 0  # counter-clockwise
        assert turns.min() >= -1e-9  # convex
        assert (polygon[:, 0] >= box[0] - 1e-9).all() and (polygon[:, 0] <= box[1] + 1e-9).all()
    centroids = np.array([p.mean(axis=0) for p in regions.polygons])
    net = as_module(layers, activation)
    assert np.array_equal(torch_patterns(net, activation, centroids), regions.patterns)
    assert len(np.unique(regions.patterns, axis=0)) == regions.count
    assert count_regions(layers, activation, box) == regions.count


# degenerate and invalid input


def test_a_linear_net_has_one_region() -> None:
    layers = random_layers([8, 8], seed=0)
    box = (-5.0, 5.0, -5.0, 5.0)
    assert count_regions(layers, "linear", box) == 1
    regions = compute_regions(layers, "linear", box)
    assert regions.count == 1 and regions.patterns.shape == (1, 16)
    assert area(regions.polygons[0]) == pytest.approx(100.0)


def test_lines_that_miss_the_box_make_one_region() -> None:
    weight = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    bias = np.array([-5.0, 4.0, 10.0])  # x = 5, y = -4, x + y = -10: all outside [-1, 1]²
    layers = [(weight, bias), (np.ones((1, 3)), np.zeros(1))]
    assert count_regions(layers, "relu", (-1.0, 1.0, -1.0, 1.0)) == 1
    assert compute_regions(layers, "relu", (-1.0, 1.0, -1.0, 1.0)).count == 1


def test_no_hidden_layer_is_one_region() -> None:
    layers = [(np.ones((1, 2)), np.zeros(1))]
    assert count_regions(layers, "relu", (-1.0, 1.0, -1.0, 1.0)) == 1
    assert compute_regions(layers, "relu", (-1.0, 1.0, -1.0, 1.0)).patterns.shape == (1, 0)


def test_duplicate_units_and_zero_weights_add_no_regions() -> None:
    layers = random_layers([5, 4], seed=9)
    (w1, b1), (w2, b2), out = layers
    duplicated = [
        (np.vstack([w1, w1[:2], np.zeros((1, 2))]), np.concatenate([b1, b1[:2], [0.0]])),
        (np.hstack([w2, np.zeros((4, 3))]), b2),
        out,
    ]
    box = (-3.0, 3.0, -3.0, 3.0)
    expected = compute_regions(layers, "relu", box).count
    assert compute_regions(duplicated, "relu", box).count == expected
    assert count_regions(duplicated, "relu", box) == expected


def test_lines_through_one_point_count_exactly() -> None:
    angles = np.linspace(0.1, np.pi - 0.1, 5)
    weight = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # 5 lines through the origin
    layers = [(weight, np.zeros(5)), (np.ones((1, 5)), np.zeros(1))]
    assert compute_regions(layers, "relu", (-1.0, 1.0, -1.0, 1.0)).count == 10
    assert count_regions(layers, "relu", (-1.0, 1.0, -1.0, 1.0)) == 10
    corner = (0.0, 1.0, 0.0, 1.0)  # they meet at a corner of the box
    assert count_regions(layers, "relu", corner) == compute_regions(layers, "relu", corner).count


def test_duplicate_lines_in_the_last_layer_add_no_regions() -> None:
    layers = random_layers([6, 4], seed=4)
    (w1, b1), (w2, b2), (w3, b3) = layers
    twice = [(w1, b1), (np.vstack([w2, 2 * w2[:1]]), np.concatenate([b2, 2 * b2[:1]]))]
    twice.append((np.hstack([w3, w3[:, :1]]), b3))
    box = (-3.0, 3.0, -3.0, 3.0)
    assert count_regions(twice, "relu", box) == count_regions(layers, "relu", box)
    assert compute_regions(twice, "relu", box).count == compute_regions(layers, "relu", box).count


@pytest.mark.parametrize("activation", ["relu", "hardtanh"])
def test_parallel_lines_from_one_active_unit_count_exactly(activation: str) -> None:
    layers = random_layers([1, 5], seed=6)  # past one unit, every later line is parallel
    box = (-4.0, 4.0, -4.0, 4.0)
    regions = compute_regions(layers, activation, box)
    assert count_regions(layers, activation, box) == regions.count
    assert regions.count >= pattern_count_on_grid(layers, activation, box, 200)


def test_unknown_activation_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="tanh"):
        count_regions(random_layers([3], seed=0), "tanh", (-1.0, 1.0, -1.0, 1.0))


@pytest.mark.parametrize(
    "box", [(1.0, -1.0, 0.0, 1.0), (0.0, 0.0, 0.0, 1.0), (0.0, float("nan"), 0.0, 1.0)]
)
def test_empty_or_non_finite_box_is_a_value_error(box: Box) -> None:
    with pytest.raises(ValueError, match="box"):
        count_regions(random_layers([3], seed=0), "relu", box)


def test_bad_shapes_and_values_are_value_errors() -> None:
    (w1, b1), (w2, b2) = random_layers([3], seed=0)
    box = (-1.0, 1.0, -1.0, 1.0)
    for layers in ([(w1[:, :1], b1), (w2, b2)], [(w1, b1), (w2[:, :2], b2)], [(w1, b1[:2])], []):
        with pytest.raises(ValueError):
            count_regions(layers, "relu", box)
    w1[0, 0] = np.inf
    with pytest.raises(ValueError, match="finite"):
        count_regions([(w1, b1), (w2, b2)], "relu", box)


def test_max_regions_stops_a_network_that_cuts_too_many() -> None:
    layers = random_layers([12, 12], seed=1)
    box = (-3.0, 3.0, -3.0, 3.0)
    count = count_regions(layers, "relu", box)
    assert count_regions(layers, "relu", box, max_regions=count) == count
    for limit in (count - 1, 10):
        with pytest.raises(ValueError, match=f"more than {limit} linear regions"):
            count_regions(layers, "relu", box, max_regions=limit)
        with pytest.raises(ValueError, match=f"more than {limit} linear regions"):
            compute_regions(layers, "relu", box, max_regions=limit)


def test_layers_from_module_reads_linear_layers_in_order_as_float64() -> None:
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    layers = layers_from_module(net)
    assert [w.shape for w, _ in layers] == [(3, 2), (4, 3), (1, 4)]
    assert all(w.dtype == np.float64 and b.dtype == np.float64 for w, b in layers)
    second = net[2]
    assert isinstance(second, nn.Linear)
    np.testing.assert_array_equal(layers[1][0], second.weight.detach().double().numpy())


def test_a_default_torch_net_gives_the_same_count_through_layers_from_module() -> None:
    with torch.random.fork_rng(devices=[]):  # default init, global generator left as it was
        torch.manual_seed(0)
        net = nn.Sequential(
            nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1)
        )
    box = (-4.0, 4.0, -4.0, 4.0)
    layers = layers_from_module(net)
    assert count_regions(layers, "relu", box) == compute_regions(layers, "relu", box).count
    assert count_regions(layers, "relu", box) >= pattern_count_on_grid(net, "relu", box, 200)


# properties of random small nets


@settings(max_examples=40, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    activation=st.sampled_from(["relu", "leaky_relu", "hardtanh"]),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([0.3, 1.0, 3.0]),
)
def test_random_nets_tile_the_box_and_bound_the_grid(
    hidden: list[int], activation: str, seed: int, scale: float
) -> None:
    layers = random_layers(hidden, seed, scale)
    box = (-2.0, 1.0, -1.0, 2.5)
    regions = compute_regions(layers, activation, box)
    assert sum(area(p) for p in regions.polygons) == pytest.approx(10.5, rel=1e-9)
    assert regions.count >= pattern_count_on_grid(layers, activation, box, 60)
    assert count_regions(layers, activation, box) == regions.count


# networks with BatchNorm, Dropout, LayerNorm and feature maps


def bn_relu_net(hidden: list[int], seed: int, dropout: float = 0.0) -> nn.Sequential:
    """Return a build_network ReLU net with BatchNorm whose statistics and affine are not trivial.

    Training-mode passes over shifted, scaled batches move the running statistics off (0, 1),
    and a random gamma and beta make the fold exercise every term; then it is in eval mode.
    """
    spec = NetworkSpec(
        hidden=tuple(LayerSpec(h, "relu", batch_norm=True, dropout=dropout) for h in hidden)
    )
    gen = torch.Generator().manual_seed(seed)
    net = build_network(spec, gen)
    net.train()
    with torch.no_grad(), torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)  # dropout masks, global generator restored afterwards
        for _ in range(20):
            net(torch.randn(64, 2, generator=gen) * 2 + 0.5)
        for module in net:
            if isinstance(module, nn.BatchNorm1d):
                module.weight.copy_(torch.randn(module.num_features, generator=gen))
                module.bias.copy_(torch.randn(module.num_features, generator=gen))
    return net.eval()


def run_layers(layers: list[Layer], points: np.ndarray) -> np.ndarray:
    """Return the ReLU network of these affine layers on the points, in numpy float64."""
    h = points
    for i, (weight, bias) in enumerate(layers):
        h = h @ weight.T + bias
        if i < len(layers) - 1:
            h = np.maximum(h, 0.0)
    return h


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_folded_batch_norm_reproduces_the_eval_mode_network(dropout: float) -> None:
    net = bn_relu_net([6, 5], seed=4, dropout=dropout)
    layers = layers_from_module(net)
    assert [w.shape for w, _ in layers] == [(6, 2), (5, 6), (1, 5)]
    points = np.random.default_rng(0).uniform(-4, 4, (500, 2))
    with torch.no_grad():
        expected = net(torch.from_numpy(points).float()).double().numpy()
    np.testing.assert_allclose(run_layers(layers, points), expected, rtol=1e-4, atol=1e-4)


def test_exact_regions_of_a_batch_norm_net_match_its_own_patterns_on_a_grid() -> None:
    net = bn_relu_net([5, 4], seed=2, dropout=0.2)
    box = (-3.0, 3.0, -3.0, 3.0)
    layers = layers_from_module(net)
    exact = count_regions(layers, "relu", box)
    assert exact == compute_regions(layers, "relu", box).count
    # the module itself, run in eval mode, is the independent oracle of the fold
    assert exact == pattern_count_on_grid(net, "relu", box, 600)
    assert exact == pattern_count_on_grid(layers, "relu", box, 600)


def test_layer_norm_and_feature_maps_are_not_piecewise_linear() -> None:
    gen = torch.Generator().manual_seed(0)
    with_ln = build_network(NetworkSpec(hidden=(LayerSpec(4, "relu", layer_norm=True),)), gen)
    with pytest.raises(ValueError, match="LayerNorm is not piecewise linear"):
        layers_from_module(with_ln)
    with_features = build_network(NetworkSpec(features=("x1", "x2", "x1_x2")), gen)
    with pytest.raises(ValueError, match="FeatureMap is not piecewise linear"):
        layers_from_module(with_features)
    no_stats = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3, track_running_stats=False))
    with pytest.raises(ValueError, match="running statistics"):
        layers_from_module(no_stats)
    with pytest.raises(ValueError, match="must follow a Linear"):
        layers_from_module(nn.Sequential(nn.BatchNorm1d(2), nn.Linear(2, 1)))
