"""Piecewise-linear expressions: their pieces, and exact region counts equal to the built-in
activations they write by hand."""

import itertools

import numpy as np
import pytest
import torch

from models.activations import ACTIVATIONS, PiecewiseLinear
from models.analysis.intervals import count_intervals
from models.analysis.live import RegionBudget, live_regions
from models.analysis.regions import count_regions
from models.config import LayerSpec, NetworkSpec
from models.expression import parse
from models.expression_pwl import pieces
from models.expression_torch import evaluate
from models.network import build_network


def test_relu_written_as_max_has_relus_pieces() -> None:
    assert pieces(parse("max(x, 0)")) == ACTIVATIONS["relu"].pieces
    assert pieces(parse("relu(x)")) == ACTIVATIONS["relu"].pieces


def test_leaky_relu_by_hand_has_the_builtins_pieces() -> None:
    # The built-in is torch's default slope, 0.01.
    assert ACTIVATIONS["leaky_relu"].pieces == PiecewiseLinear((0.0,), (0.01, 1.0), (0.0, 0.0))
    assert pieces(parse("max(0, x) - 0.01*max(0, -x)")) == ACTIVATIONS["leaky_relu"].pieces
    assert pieces(parse("min(max(x, -1), 1)")) == ACTIVATIONS["hardtanh"].pieces
    assert pieces(parse("2*x + 1")) == PiecewiseLinear((), (2.0,), (1.0,))


@pytest.mark.parametrize(
    "text",
    [
        "abs(x - 1) + 0.5*relu(x + 2)",
        "where(x > 1, 2*x, -x/3)",
        "max(min(x, 2*x - 1), -1)",
        "where(x >= 0, 1, 0) * x",
        "3 * max(0, x) / 2 - exp(0) * x",
    ],
)
def test_pieces_agree_with_torch_between_and_beyond_the_kinks(text: str) -> None:
    found = pieces(parse(text))
    assert found is not None
    x = torch.linspace(-6, 6, 1201, dtype=torch.float64)
    kinks = np.asarray(found.kinks)
    piece = (x.numpy()[:, None] > kinks).sum(axis=1)
    line = np.asarray(found.slopes)[piece] * x.numpy() + np.asarray(found.intercepts)[piece]
    on_kink = np.isin(x.numpy(), kinks)
    np.testing.assert_allclose(line[~on_kink], evaluate(parse(text), x).numpy()[~on_kink])


@pytest.mark.parametrize("text", ["x*x", "sin(x)", "exp(x)", "x * sigmoid(x)", "max(0, x)^2"])
def test_curved_expressions_are_not_piecewise_linear(text: str) -> None:
    assert pieces(parse(text)) is None


def _layers(seed: int, sizes: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    widths = [2, *sizes, 1]
    return [(rng.normal(size=(o, i)), rng.normal(size=o)) for i, o in itertools.pairwise(widths)]


@pytest.mark.parametrize("seed", range(4))
def test_region_counts_of_hand_written_activations_equal_the_builtins(seed: int) -> None:
    layers = _layers(seed, [6, 5])
    box = (-2.0, 2.0, -2.0, 2.0)
    for text, name in [("max(0, x) - 0.01*max(0, -x)", "leaky_relu"), ("max(x, 0)", "relu")]:
        own = pieces(parse(text))
        assert own is not None
        assert count_regions(layers, own, box) == count_regions(layers, name, box)
    line = _layers(seed, [5])
    line = [(line[0][0][:, :1], line[0][1]), line[1]]
    own = pieces(parse("relu(x)"))
    assert own is not None
    assert count_intervals(line, own, (-3.0, 3.0)) == count_intervals(line, "relu", (-3.0, 3.0))


def test_live_regions_count_an_expression_network_exactly_as_its_builtin() -> None:
    budget = RegionBudget(max_count=10_000, draw_max=500, approx_resolution=64)
    box = (-6.0, 6.0, -6.0, 6.0)
    own = NetworkSpec(
        (
            LayerSpec(5, "expr", expression="max(0, x) - 0.01*max(0, -x)"),
            LayerSpec(4, "expr", expression="max(0, x) - 0.01*max(0, -x)"),
        )
    )
    builtin = NetworkSpec((LayerSpec(5, "leaky_relu"), LayerSpec(4, "leaky_relu")))
    counts = []
    for spec in (own, builtin):
        net = build_network(spec, torch.Generator().manual_seed(1))
        found = live_regions(net, spec, box, 2, budget)
        assert found.exact and found.count is not None
        counts.append(found.count)
    assert counts[0] == counts[1] > 1
    curved = NetworkSpec((LayerSpec(5, "expr", expression="x * sigmoid(x)"),))
    net = build_network(curved, torch.Generator().manual_seed(1))
    assert not live_regions(net, curved, box, 2, budget).exact
