"""Exact 1D linear regions (intervals) against a brute-force oracle: sample the line finely and
count where the activation pattern changes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.analysis.intervals import count_intervals, interval_breaks, line_layers
from models.analysis.regions import PIECEWISE_LINEAR_SLOPES, Layer
from models.config import LayerSpec, NetworkSpec
from models.features import LINE_FEATURES
from models.network import build_network


def _random_layers(rng: np.random.Generator, widths: list[int]) -> list[Layer]:
    layers, width = [], 1
    for units in [*widths, 1]:
        layers.append((rng.normal(size=(units, width)), rng.normal(size=units)))
        width = units
    return layers


def _patterns(layers: list[Layer], activation: str, x: np.ndarray) -> np.ndarray:
    """(N, hidden units): each sample's piece of every hidden unit, by a plain forward pass."""
    act = PIECEWISE_LINEAR_SLOPES[activation]
    kinks = np.asarray(act.kinks)
    h, pieces = x[:, None], []
    for weight, bias in layers[:-1]:
        z = h @ weight.T + bias
        piece = (z[..., None] > kinks).sum(axis=-1)
        pieces.append(piece)
        h = np.asarray(act.slopes)[piece] * z + np.asarray(act.intercepts)[piece]
    return np.concatenate(pieces, axis=1)


def _oracle(layers: list[Layer], activation: str, lo: float, hi: float) -> int:
    x = np.linspace(lo, hi, 200_001)
    p = _patterns(layers, activation, x)
    return 1 + int(np.any(p[1:] != p[:-1], axis=1).sum())


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "hardtanh", "linear"])
@pytest.mark.parametrize("widths", [[3], [6, 4], [5, 5, 3]])
def test_counts_match_sampling_the_line(activation: str, widths: list[int]) -> None:
    rng = np.random.default_rng(sum(widths) + len(activation))
    compared = 0
    for _ in range(4):
        layers = _random_layers(rng, widths)
        ends = interval_breaks(layers, activation, (-3.0, 3.0))
        # The oracle cannot see two breaks closer than its spacing; such draws are skipped.
        if len(ends) > 2 and np.diff(ends).min() < 1e-3:
            continue
        assert len(ends) - 1 == _oracle(layers, activation, -3.0, 3.0)
        compared += 1
    assert compared >= 2


def test_one_relu_layer_bends_once_per_unit_inside_the_range() -> None:
    # Units with kinks at x = -1, 0.5, 2 and one whose kink (x = 10) lies outside.
    weight = np.array([[1.0], [2.0], [-1.0], [1.0]])
    bias = np.array([1.0, -1.0, 2.0, -10.0])
    layers: list[Layer] = [(weight, bias), (np.ones((1, 4)), np.zeros(1))]
    assert interval_breaks(layers, "relu", (-5.0, 5.0)).tolist() == [-5.0, -1.0, 0.5, 2.0, 5.0]
    assert count_intervals(layers, "relu", (-5.0, 5.0)) == 4


def test_no_hidden_layer_is_one_interval_and_bad_input_is_refused() -> None:
    assert count_intervals([(np.ones((1, 1)), np.zeros(1))], "relu", (0.0, 1.0)) == 1
    with pytest.raises(ValueError, match="bounds"):
        count_intervals([(np.ones((1, 1)), np.zeros(1))], "relu", (1.0, 1.0))
    with pytest.raises(ValueError, match="weight must be"):
        count_intervals([(np.ones((1, 2)), np.zeros(1))], "relu", (0.0, 1.0))
    with pytest.raises(ValueError, match="not piecewise linear"):
        count_intervals([(np.ones((1, 1)), np.zeros(1))], "tanh", (0.0, 1.0))
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="more than 2"):
        count_intervals(_random_layers(rng, [50]), "relu", (-3.0, 3.0), max_regions=2)


def test_a_network_built_for_1d_data_reads_as_its_linear_layers() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(8, "relu"), LayerSpec(8, "relu")), features=LINE_FEATURES)
    net = build_network(spec, torch.Generator().manual_seed(0))
    layers = line_layers(net)
    assert [w.shape for w, _ in layers] == [(8, 1), (8, 8), (1, 8)]
    x = torch.linspace(-6, 6, 7).reshape(-1, 1)
    with torch.no_grad():
        expected = net(x).numpy()[:, 0]
    h = x.numpy().astype(np.float64)
    for weight, bias in layers[:-1]:
        h = np.maximum(h @ weight.T + bias, 0)
    got = h @ layers[-1][0].T + layers[-1][1]
    np.testing.assert_allclose(got[:, 0], expected, rtol=1e-5, atol=1e-5)
