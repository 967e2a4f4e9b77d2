"""The lessons' experiments show what the lessons claim, with fixed seeds."""

from __future__ import annotations

import math

import pytest
import torch

from models.experiments.approximation import fit_sine
from models.experiments.double_descent import double_descent
from models.experiments.optimizer_race import DEFAULT_LEARNING_RATES, race_optimizers
from models.experiments.xor_seeds import corner_points, xor_specs, xor_success
from models.sweep import train_many
from models.trainer import Trainer


def test_xor_success_rate_rises_with_width() -> None:
    tallies = xor_success([2, 3, 4, 8], seeds=100, steps=300)
    rates = [t.rate for t in tallies]
    assert rates == sorted(rates)
    assert rates[0] < 0.5  # two units: a minority of seeds (27 of 100 when measured)
    assert rates[-1] > 0.9  # eight units: almost always (93 of 100)


def test_two_units_can_solve_the_corner_xor() -> None:
    tally = xor_success([2], seeds=20, steps=300)[0]
    assert max(tally.accuracies) == 1.0


def test_sweep_runs_train_as_their_own_trainers() -> None:
    spec = xor_specs([2], seeds=3)[2]
    result = train_many([spec], 40)[0]
    trainer = Trainer(spec)
    trainer.step(40)
    assert result.test_loss == pytest.approx(trainer.evaluate().test_loss, abs=1e-5)


def test_corner_points_are_fixed_and_inside_the_box() -> None:
    data = corner_points(100)
    assert data == corner_points(100)
    assert all(abs(c) <= 6 for point in data.x for c in point)
    assert sorted(set(data.y)) == [0.0, 1.0]


def test_approximation_error_falls_with_width() -> None:
    fits = fit_sine([5, 10, 20, 40], seeds=4, steps=200)
    errors = [f.best_error for f in fits]
    assert errors == sorted(errors, reverse=True)
    assert errors[0] < 0.18 and errors[-1] < 0.005  # measured: 0.072, 0.024, 0.0074, 0.0026
    for fit in fits:
        assert len(fit.knots) <= fit.units
        assert fit.best_error == min(fit.max_errors)


def test_a_fit_is_a_broken_line_with_its_kinks_at_the_knots() -> None:
    fit = fit_sine([5], seeds=1, steps=50, curve_points=1001)[0]
    curve = torch.tensor(fit.curve, dtype=torch.float64)
    slopes = torch.diff(curve) * 1000  # (1000,) slope of each segment
    changed = (torch.diff(slopes).abs() > 1e-6).nonzero().flatten() + 1  # kinked samples
    x = changed.double() / 1000
    for kink in x.tolist():  # every kink on the grid lies next to a knot
        assert min(abs(kink - k) for k in fit.knots) <= 1.5e-3


def test_optimizers_share_the_start_and_keep_their_order() -> None:
    runs = list(DEFAULT_LEARNING_RATES.items())
    curves = race_optimizers(runs, "moons", [8, 8], "tanh", steps=300, every=10)
    assert [c.optimizer for c in curves] == ["sgd", "momentum", "rmsprop", "adam"]
    assert len({c.train_loss[0] for c in curves}) == 1
    for curve in curves:
        assert curve.steps == tuple(range(0, 301, 10))
        assert all(math.isfinite(v) for v in curve.train_loss)
        assert curve.train_loss[-1] < curve.train_loss[0]
    final = {c.optimizer: c.train_loss[-1] for c in curves}
    assert final["adam"] < final["sgd"] and final["rmsprop"] < final["sgd"]


FEATURES = [10, 20, 40, 100, 500, 2000]


def test_double_descent_peaks_at_p_equal_n() -> None:
    results = {r.features: r for r in double_descent(FEATURES, train_points=100, seeds=5)}
    peak = results[100].test_mse
    assert peak > 5 * results[20].test_mse  # p ≪ n: an underfit but sane least-squares fit
    assert peak > 20 * results[2000].test_mse  # p ≫ n: the minimum-norm fit is smooth again
    assert results[2000].test_mse < results[20].test_mse
    assert results[100].test_error > results[2000].test_error
    assert results[500].train_mse < 1e-12  # past the threshold every fit interpolates


def test_label_noise_raises_the_peak_much_higher() -> None:
    clean = double_descent([100], seeds=5)[0]
    noisy = {r.features: r for r in double_descent(FEATURES, seeds=5, label_noise=0.2)}
    assert noisy[100].test_mse > 20 * clean.test_mse
    assert noisy[100].test_mse > 10 * max(noisy[20].test_mse, noisy[2000].test_mse)
