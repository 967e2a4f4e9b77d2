"""Double descent with random ReLU features on two moons, fitted by least squares.

Each model is φ(x) = relu(W x + b) with p fixed random features and a linear read-out fitted
to labels ±1 on n training points by minimum-norm least squares (the pseudo-inverse): the
least-squares fit while p < n, the interpolating fit of smallest norm once p ≥ n. The test
error rises to a peak at the interpolation threshold p = n, where the fit must pass through
every (noisy) point with barely enough freedom and its weights blow up, then falls again as
more features let the minimum-norm solution spread out smoothly. Label noise makes the peak
far higher.

Each feature's hyperplane passes through a random training point (b = -w·x_i), so every
feature is active on some points and p features have rank min(n, p): the peak sits at p = n
exactly, not at a larger p where dead features stop counting.

Reported for each p, over seeds (new points, features and flipped labels per seed):
- `test_mse`, the median test mean squared error against labels ±1 (the median, because near
  p = n one unlucky draw can be 10⁶ and would swamp a mean; the y axis wants a log scale);
- `test_error`, the mean fraction of test points classified wrong (sign of the output).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from models.datasets import flip_labels
from models.generators import make_moons

MOONS_SCALE = 3.5
"""make_moons scales scikit-learn's moons by 3.5; dividing it out gives inputs of size ~1."""


@dataclass(frozen=True)
class FeatureCountResult:
    """Test error of the models with p random features, over the seeds."""

    features: int
    test_mse: float
    """Median over seeds of the test mean squared error on labels ±1."""
    test_error: float
    """Mean over seeds of the test classification error."""
    train_mse: float
    """Median over seeds of the training mean squared error (0 once p ≥ n)."""


def double_descent(
    feature_counts: Sequence[int],
    train_points: int = 100,
    test_points: int = 1000,
    seeds: int = 5,
    label_noise: float = 0.0,
    noise: float = 0.1,
) -> list[FeatureCountResult]:
    """Test error of minimum-norm random-ReLU-feature fits for each p in `feature_counts`."""
    mse = torch.zeros(seeds, len(feature_counts), dtype=torch.float64)
    error = torch.zeros_like(mse)
    train = torch.zeros_like(mse)
    widest = max(feature_counts)
    n = train_points
    for seed in range(seeds):
        gen = torch.Generator().manual_seed(seed)
        x, targets, test_targets = _moons_split(n, test_points, noise, label_noise, gen)
        weight = torch.randn(2, widest, generator=gen, dtype=torch.float64)
        anchors = x[torch.randint(0, n, (widest,), generator=gen)]  # (widest, 2)
        bias = -(anchors * weight.T).sum(1)  # each hyperplane through a training point
        phi_train = torch.relu(x[:n] @ weight + bias)  # (n, widest)
        phi_test = torch.relu(x[n:] @ weight + bias)
        for j, p in enumerate(feature_counts):
            readout = torch.linalg.pinv(phi_train[:, :p]) @ targets  # minimum-norm fit
            predicted = phi_test[:, :p] @ readout
            mse[seed, j] = ((predicted - test_targets) ** 2).mean()
            error[seed, j] = ((predicted > 0) != (test_targets > 0)).double().mean()
            train[seed, j] = ((phi_train[:, :p] @ readout - targets) ** 2).mean()
    medians, means, train_medians = mse.median(0).values, error.mean(0), train.median(0).values
    return [
        FeatureCountResult(p, float(medians[j]), float(means[j]), float(train_medians[j]))
        for j, p in enumerate(feature_counts)
    ]


TRAINED_TRAIN_POINTS = 40
"""Training points of the trained variant: widths up to 10 n stay cheap to re-fit every step."""
EXACT = 1e-12
"""A training MSE this small is an exact fit: its gradients (≲ 1e-12) against Adam's eps (1e-8)
give steps of about 1e-4 · learning rate, so training stops there instead of idling."""
INTERPOLATED = 1e-3
"""Median training MSE at or below which a width counts as fitting every training point."""


def trained_double_descent(
    widths: Sequence[int],
    train_points: int = TRAINED_TRAIN_POINTS,
    test_points: int = 500,
    seeds: int = 5,
    label_noise: float = 0.0,
    steps: int = 100,
    learning_rate: float = 0.01,
    noise: float = 0.1,
) -> list[FeatureCountResult]:
    """Test error of one-hidden-layer ReLU networks of each width, every layer trained.

    The hidden layer (weights and biases) is trained by Adam on the training MSE for `steps`
    full-batch steps; at every step the output layer is re-solved exactly by minimum-norm
    least squares, the fit gradient descent from zero output weights converges to ("variable
    projection", as models/experiments/approximation.py does). It starts as the random features
    above, each unit's kink through a random training point. Below the threshold training moves
    the kinks to where they lower the training error; once a width fits every point the loss is
    0, its gradient too, and training leaves it where it started.
    """
    mse = torch.zeros(seeds, len(widths), dtype=torch.float64)
    error = torch.zeros_like(mse)
    train = torch.zeros_like(mse)
    n = train_points
    for seed in range(seeds):
        gen = torch.Generator().manual_seed(seed)
        x, targets, test_targets = _moons_split(n, test_points, noise, label_noise, gen)
        widest = max(widths)
        weight0 = torch.randn(2, widest, generator=gen, dtype=torch.float64)
        anchors = x[torch.randint(0, n, (widest,), generator=gen)]
        bias0 = -(anchors * weight0.T).sum(1)
        for j, p in enumerate(widths):
            weight = weight0[:, :p].clone().requires_grad_()
            bias = bias0[:p].clone().requires_grad_()
            optimizer = torch.optim.Adam([weight, bias], lr=learning_rate)
            for _ in range(steps):
                phi = torch.relu(x[:n] @ weight + bias)
                loss = ((phi @ (torch.linalg.pinv(phi) @ targets) - targets) ** 2).mean()
                if (
                    float(loss.detach()) < EXACT
                ):  # fits every point: Adam's steps would be ~1e-5 · lr
                    break
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            with torch.no_grad():
                phi = torch.relu(x[:n] @ weight + bias)
                readout = torch.linalg.pinv(phi) @ targets
                predicted = torch.relu(x[n:] @ weight + bias) @ readout
                mse[seed, j] = ((predicted - test_targets) ** 2).mean()
                error[seed, j] = ((predicted > 0) != (test_targets > 0)).double().mean()
                train[seed, j] = ((phi @ readout - targets) ** 2).mean()
    medians, means, train_medians = mse.median(0).values, error.mean(0), train.median(0).values
    return [
        FeatureCountResult(p, float(medians[j]), float(means[j]), float(train_medians[j]))
        for j, p in enumerate(widths)
    ]


def interpolation_threshold(results: Sequence[FeatureCountResult]) -> int | None:
    """The smallest width whose median training MSE is at most INTERPOLATED, if any."""
    fitted = [r.features for r in results if r.train_mse <= INTERPOLATED]
    return min(fitted) if fitted else None


def _moons_split(
    n: int, test_points: int, noise: float, label_noise: float, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Scaled moons in a random order: the inputs (the first n train), the training labels as
    ±1 with `label_noise` of them flipped, and the clean test labels as ±1. Draws from `gen`
    in a fixed order, so a seed gives the same data to every experiment that uses it."""
    data = make_moons(n + test_points, noise, 2, gen)
    order = torch.randperm(n + test_points, generator=gen)
    x = data.x[order].double() / MOONS_SCALE
    y = data.y[order].double()
    targets = 2 * flip_labels(y[:n], label_noise, 2, gen) - 1
    return x, targets, 2 * y[n:] - 1
