"""The lecture's missing pieces, held to oracles: the classic XOR and its two-unit solution,
sigmoid bumps that approximate the sine, and the two pitfalls of "be suspicious of good results"."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec
from models.datasets import DATASETS, make_split
from models.experiments.approximation import max_bump_error
from models.experiments.double_descent import interpolation_threshold, trained_double_descent
from models.experiments.suspicious import leakage, one_thread, shape_bug
from models.generators import make_xor4
from models.presets import (
    bump,
    load_layers,
    sine_bump_layers,
    sine_bumps,
    xor_two_unit_layers,
)
from models.trainer import Trainer


def test_xor4_is_four_clusters_labelled_by_agreeing_signs() -> None:
    data = make_xor4(400, 0.0, 2, torch.Generator().manual_seed(1))
    x, y = data.x, data.y
    assert x.shape == (400, 2) and bool((x.abs() <= 6).all())
    agree = (x[:, 0] * x[:, 1] > 0).float()
    assert torch.equal(y, agree)  # clean clusters never cross an axis
    for sx, sy in [(1, 1), (-1, -1), (1, -1), (-1, 1)]:
        cluster = x[(torch.sign(x[:, 0]) == sx) & (torch.sign(x[:, 1]) == sy)]
        assert len(cluster) == 100
        centre = cluster.mean(0)
        assert torch.allclose(centre, torch.tensor([3.0 * sx, 3.0 * sy]), atol=0.15)
        assert 0.4 < float(cluster.std(0).mean()) < 0.6  # standard deviation 0.5 when clean
    noisy = make_xor4(4000, 0.25, 2, torch.Generator().manual_seed(1)).x
    corner = 3.0 * torch.sign(noisy)  # a point that crossed an axis is rare at this spread
    assert 0.9 < float((noisy - corner).std()) < 1.1  # noise 0.25: spread 1, as xor_seeds draws
    assert DATASETS["xor4"].task == "classification" and DATASETS["xor4"].dims == 2


def test_xor4_is_reproducible_from_its_seed() -> None:
    one = make_split(DataSpec("xor4", points=100), torch.Generator().manual_seed(3))
    two = make_split(DataSpec("xor4", points=100), torch.Generator().manual_seed(3))
    assert torch.equal(one.train.x, two.train.x) and torch.equal(one.test.y, two.test.y)


def test_the_two_unit_solution_classifies_all_four_clusters() -> None:
    spec = RunSpec(NetworkSpec(hidden=(LayerSpec(2, "tanh"),)), DataSpec("xor4", points=400))
    trainer = Trainer(spec)
    load_layers(trainer.net, xor_two_unit_layers())
    corners = torch.tensor([[3.0, 3.0], [-3.0, -3.0], [3.0, -3.0], [-3.0, 3.0]])
    with torch.no_grad():
        logits = trainer.net(corners).squeeze(1)
    assert (logits[:2] > 3).all() and (logits[2:] < -3).all()  # class 1, 1, 0, 0, confidently
    losses = trainer.evaluate()
    assert losses.train_accuracy == 1.0 and losses.test_accuracy == 1.0


def test_a_bump_is_two_shifted_sigmoids() -> None:
    x = np.linspace(-1, 2, 301)
    expected = 1 / (1 + np.exp(-40 * (x - 0.25))) - 1 / (1 + np.exp(-40 * (x - 0.75)))
    assert np.allclose(bump(x, 0.25, 0.75, 40), expected)
    assert bump(np.array([0.5]), 0.25, 0.75, 40)[0] > 0.99  # about 1 inside
    assert abs(bump(np.array([-0.5, 1.5]), 0.25, 0.75, 40)).max() < 1e-6  # about 0 outside


@pytest.mark.parametrize("bumps", [1, 5, 16])
def test_the_bump_network_computes_its_closed_form(bumps: int) -> None:
    net = nn.Sequential(nn.Linear(1, 2 * bumps), nn.Sigmoid(), nn.Linear(2 * bumps, 1)).double()
    load_layers(net, sine_bump_layers(bumps))
    x = np.linspace(0, 1, 257)
    with torch.no_grad():
        out = net(torch.from_numpy(x).unsqueeze(1)).squeeze(1).numpy()
    assert np.allclose(out, sine_bumps(x, bumps), atol=1e-9)


def test_more_bumps_approximate_the_sine_better() -> None:
    errors = [max_bump_error(n) for n in (2, 5, 10, 20)]
    assert errors == sorted(errors, reverse=True)
    for n, error in zip((5, 10, 20), errors[1:], strict=True):
        assert error < 1.6 / n  # a staircase of n steps: about 1.5 / n
    assert errors[-1] < 0.1  # 40 sigmoids: the lesson's check


def test_the_bump_preset_trains_on_the_sine_with_a_small_loss() -> None:
    spec = RunSpec(
        NetworkSpec(hidden=(LayerSpec(20, "sigmoid"),), features=("x1",)),
        DataSpec("sine", points=200),
    )
    from dataclasses import replace

    spec = replace(spec, training=replace(spec.training, loss="mse"))
    trainer = Trainer(spec)
    load_layers(trainer.net, sine_bump_layers(10))
    assert trainer.evaluate().test_loss < 0.01


def test_a_leaked_test_set_flatters_the_net() -> None:
    with one_thread():
        result = leakage(seed=0)
    assert result.leaked_accuracy > 0.85  # memorised noisy labels
    assert result.honest_accuracy < 0.8  # 20% of fresh labels are noise too
    assert result.gap >= 0.1
    assert result.leaked_loss < result.honest_loss


def test_the_broadcast_loss_is_the_mean_over_every_pair() -> None:
    out = torch.tensor([[1.0], [2.0], [4.0]])  # (N, 1)
    y = torch.tensor([0.0, 1.0, 3.0])  # (N,)
    with pytest.warns(UserWarning):
        wrong = nn.MSELoss()(out, y)
    pairs = sum((o - t) ** 2 for o in (1.0, 2.0, 4.0) for t in (0.0, 1.0, 3.0)) / 9
    assert math.isclose(float(wrong), pairs, rel_tol=1e-6)
    assert math.isclose(float(nn.MSELoss()(out.squeeze(1), y)), (1 + 1 + 1) / 3, rel_tol=1e-6)


def test_the_shape_bug_trains_a_flat_line() -> None:
    with one_thread():
        result = shape_bug(seed=0)
    assert result.buggy_spread < 0.05  # the broadcast loss's minimum is the constant mean
    assert 0.4 < result.buggy_test_loss < 0.6  # sin² averages 1/2
    assert result.fixed_test_loss < 0.01
    assert result.ratio > 100


WIDTHS = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 80, 120, 200, 400]


def test_trained_double_descent_peaks_near_n_and_higher_with_label_noise() -> None:
    with one_thread():
        clean = trained_double_descent(WIDTHS, train_points=40, seeds=5)
        noisy = trained_double_descent(WIDTHS, train_points=40, seeds=5, label_noise=0.2)
    for run in (clean, noisy):
        peak = max(run, key=lambda r: r.test_mse)
        assert 32 <= peak.features <= 50  # near the interpolation threshold p = n = 40
        widest = run[-1]
        assert widest.train_mse < 1e-12 and widest.test_mse < peak.test_mse / 5  # second descent
        assert run[0].train_mse > 0.01  # five units cannot fit 40 points
    assert max(r.test_mse for r in noisy) > 100 * max(r.test_mse for r in clean)
    threshold = interpolation_threshold(noisy)
    assert threshold is not None and threshold <= 45


def test_the_pytorch_code_asserts_shapes_before_the_loss() -> None:
    from dataclasses import replace

    from models.pytorch_code import pytorch_snippet

    run = RunSpec(
        NetworkSpec(hidden=(LayerSpec(8, "tanh"),), features=("x1",)),
        DataSpec("sine", points=50),
    )
    run = replace(run, training=replace(run.training, loss="mse"))
    code = pytorch_snippet(run)
    assert "assert out.shape == y.shape" in code
    namespace: dict[str, object] = {}
    exec(code, namespace)  # our own generated code, as tests/models/test_pytorch_code.py runs it
    train_step = namespace["train_step"]
    x = torch.rand(10, 1)
    assert isinstance(train_step(x, torch.sin(x[:, 0])), float)  # type: ignore[operator]
    with pytest.raises(AssertionError, match=r"outputs \(10,\), targets \(10, 1\)"):
        train_step(x, torch.sin(x))  # type: ignore[operator]  # (N, 1) targets: caught
