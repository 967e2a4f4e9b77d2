"""Universal approximation in 1D: the best fit of sin 2πx by one ReLU layer of N units.

A network x -> Σ_j v_j relu(s_j (x - k_j)) + c with N hidden units is a broken line with a
kink at each k_j. For each N and seed the kinks start at uniform random places in [0, 1]
(slopes s_j = ±1 at random), then Adam moves them to lower the mean squared error on a grid of
training points, while the output layer (v, c) is solved exactly by least squares at every step
("variable projection": by the envelope theorem the kinks' gradient is the one at the optimal
output layer). The unit's scale is redundant with v, so only kinks and signs are hidden weights.
All N and seeds train together as one padded batch, with hand-derived gradients.

Reported: the maximum absolute error on a fine grid of [0, 1] for each run, and the best over
seeds with its curve. Evenly spaced kinks with interpolation would give about 4.9 / (N + 1)²
(0.14, 0.041, 0.011, 0.003 for N = 5, 10, 20, 40); trained least-squares fits do better.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

RIDGE = 1e-9
"""Added to the normal equations' diagonal so coinciding kinks cannot make them singular."""
EVAL_POINTS = 4001
"""The fine grid the maximum error is measured on."""
BETAS = (0.9, 0.999)
EPS = 1e-8


@dataclass(frozen=True)
class ApproximationFit:
    """The fits of one width: each seed's maximum error, and the best fit's function."""

    units: int
    max_errors: tuple[float, ...]
    """Maximum |f(x) - sin 2πx| over [0, 1] of seed 0, 1, … in order."""
    best_error: float
    knots: tuple[float, ...]
    """The best fit's kinks inside [0, 1], sorted: where its linear pieces meet."""
    curve: tuple[float, ...]
    """The best fit at `curve_points` evenly spaced x from 0 to 1, ends included."""


def target(x: torch.Tensor) -> torch.Tensor:
    """The function to approximate: sin 2πx."""
    return torch.sin(2 * math.pi * x)


def fit_sine(
    units: Sequence[int],
    seeds: int,
    steps: int,
    train_points: int = 200,
    curve_points: int = 201,
    rate: float = 0.5,
) -> list[ApproximationFit]:
    """Fit sin 2πx with one ReLU layer of each width in `units`, from seeds 0 … seeds-1.

    Adam's step for the kinks of N units is rate / N (cosine-annealed to 0 over `steps`), so a
    kink moves by about a fraction of the gap between neighbours.
    """
    batch = _Batch(units, seeds)
    x = torch.linspace(0, 1, train_points, dtype=torch.float64)
    y = target(x)
    batch.train(x, y, steps, rate)
    out = batch.output_layer(x, y)
    fine = torch.linspace(0, 1, EVAL_POINTS, dtype=torch.float64)
    errors = (batch.predict(fine, out) - target(fine)).abs().amax(1).reshape(len(units), seeds)
    grid = torch.linspace(0, 1, curve_points, dtype=torch.float64)
    curves = batch.predict(grid, out)  # (K, curve_points)
    fits = []
    for i, n in enumerate(units):
        best = int(errors[i].argmin())
        k = i * seeds + best
        knots = batch.knots[k, :n]
        inside = sorted(float(t) for t in knots if 0.0 <= t <= 1.0)
        fits.append(
            ApproximationFit(
                units=n,
                max_errors=tuple(errors[i].tolist()),
                best_error=float(errors[i, best]),
                knots=tuple(inside),
                curve=tuple(curves[k].tolist()),
            )
        )
    return fits


class _Batch:
    """K = len(units) × seeds networks padded to the widest; padding units are masked to 0."""

    def __init__(self, units: Sequence[int], seeds: int) -> None:
        width = max(units)
        k = len(units) * seeds
        f64 = torch.float64
        self.mask = torch.zeros(k, width, dtype=f64)
        self.signs = torch.zeros(k, width, dtype=f64)
        self.knots = torch.zeros(k, width, dtype=f64)
        self.scale = torch.zeros(k, 1, dtype=f64)
        """1 / N of each run: its kinks' step size relative to the rate."""
        for i, n in enumerate(units):
            for seed in range(seeds):
                row = i * seeds + seed
                gen = torch.Generator().manual_seed(seed)
                self.mask[row, :n] = 1
                self.signs[row, :n] = torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0)
                self.knots[row, :n] = torch.rand(n, generator=gen, dtype=f64)
                self.scale[row] = 1 / n

    def features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(K, P, width + 1) hidden outputs with a column of ones, and the pre-activations."""
        z = self.signs[:, None, :] * (x[None, :, None] - self.knots[:, None, :])  # (K, P, W)
        hidden = torch.relu(z) * self.mask[:, None, :]
        ones = torch.ones(*hidden.shape[:2], 1, dtype=hidden.dtype)
        return torch.cat([hidden, ones], 2), z

    def output_layer(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """(K, width + 1): the least-squares output weights and bias for the current kinks."""
        feats, _ = self.features(x)
        gram = feats.transpose(1, 2) @ feats  # (K, W+1, W+1)
        gram += RIDGE * torch.eye(gram.shape[1], dtype=gram.dtype)
        rhs = feats.transpose(1, 2) @ y.expand(len(feats), -1).unsqueeze(2)
        solution: torch.Tensor = torch.linalg.solve(gram, rhs)
        return solution.squeeze(2)

    def predict(self, x: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
        """(K, P): every network's output at x."""
        feats, _ = self.features(x)
        return (feats @ out.unsqueeze(2)).squeeze(2)

    def train(self, x: torch.Tensor, y: torch.Tensor, steps: int, rate: float) -> None:
        """Adam on the kinks, the output layer re-solved before every step."""
        first, second = torch.zeros_like(self.knots), torch.zeros_like(self.knots)
        width = self.knots.shape[1]
        for step in range(steps):
            feats, z = self.features(x)
            out = self.output_layer(x, y)
            residual = (feats @ out.unsqueeze(2)).squeeze(2) - y  # (K, P)
            # d mean(r²) / d k_j = -(2 / P) Σ_p r_p v_j s_j [z_pj > 0]
            slope = (self.signs * out[:, :width])[:, None, :]  # (K, 1, W)
            grad = (residual[:, :, None] * (z > 0) * slope).sum(1) * (-2 / len(x)) * self.mask
            first.mul_(BETAS[0]).add_(grad, alpha=1 - BETAS[0])
            second.mul_(BETAS[1]).addcmul_(grad, grad, value=1 - BETAS[1])
            lr = rate * self.scale * 0.5 * (1 + math.cos(math.pi * step / steps))
            m_hat = first / (1 - BETAS[0] ** (step + 1))
            v_hat = second / (1 - BETAS[1] ** (step + 1))
            self.knots -= lr * m_hat / (v_hat.sqrt() + EPS)


def max_bump_error(bumps: int) -> float:
    """Maximum |f(x) − sin 2πx| on the fine grid of the hand-built sigmoid net with `bumps`
    bumps (2 · bumps units, models.presets.sine_bump_layers): about 1.5 / bumps."""
    from models.presets import sine_bumps  # numpy only; kept local so this module stays light

    x = torch.linspace(0, 1, EVAL_POINTS, dtype=torch.float64)
    approx = torch.from_numpy(sine_bumps(x.numpy(), bumps))
    return float((approx - target(x)).abs().max())
