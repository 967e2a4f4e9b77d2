"""Seeded 2D classification datasets, after tensorflow/playground's `dataset.ts`.

Every generator draws from the `torch.Generator` it is given, never from global state, so many
sessions in one process stay reproducible. Points live in the box [-6, 6]²; labels are 0 or 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from models.config import DataSpec

BOX: tuple[float, float, float, float] = (-6.0, 6.0, -6.0, 6.0)
"""(xmin, xmax, ymin, ymax): the input region every dataset is drawn in and the boundary shows."""


@dataclass(frozen=True)
class Dataset2D:
    """Points `x` (N, 2) float32 and labels `y` (N,) float32 in {0, 1}."""

    x: torch.Tensor
    y: torch.Tensor


@dataclass(frozen=True)
class Split:
    """A dataset split into training and test points, with the box it lives in."""

    train: Dataset2D
    test: Dataset2D
    box: tuple[float, float, float, float] = BOX


DatasetFn = Callable[[int, float, torch.Generator], Dataset2D]


def _uniform(n: int, low: float, high: float, gen: torch.Generator) -> torch.Tensor:
    return low + (high - low) * torch.rand(n, generator=gen, dtype=torch.float64)


def make_circle(n: int, noise: float, gen: torch.Generator) -> Dataset2D:
    """A disc of one class inside a ring of the other."""
    radius = 5.0
    inner, outer = n // 2, n - n // 2
    r = torch.cat(
        [_uniform(inner, 0, 0.5 * radius, gen), _uniform(outer, 0.7 * radius, radius, gen)]
    )
    angle = _uniform(n, 0, 2 * math.pi, gen)
    x = torch.stack([r * torch.sin(angle), r * torch.cos(angle)], dim=1)  # (n, 2)
    x += _uniform(2 * n, -radius, radius, gen).reshape(n, 2) * noise
    y = torch.cat([torch.ones(inner), torch.zeros(outer)])
    return Dataset2D(x.float(), y)


def make_xor(n: int, noise: float, gen: torch.Generator) -> Dataset2D:
    """Four quadrants; the label is the sign of x·y."""
    padding = 0.3
    x = _uniform(2 * n, -5, 5, gen).reshape(n, 2)
    x += torch.where(x > 0, padding, -padding)  # keep points off the axes, as the original does
    y = (x[:, 0] * x[:, 1] > 0).float()
    x += _uniform(2 * n, -5, 5, gen).reshape(n, 2) * noise
    return Dataset2D(x.float(), y)


def make_gauss(n: int, noise: float, gen: torch.Generator) -> Dataset2D:
    """Two Gaussian clouds around (2, 2) and (-2, -2); noise widens them until they overlap."""
    spread = math.sqrt(0.5 + 7 * noise)  # variance 0.5 when clean, 4 at noise 0.5
    half = n // 2
    centers = torch.tensor([[2.0, 2.0]]).repeat(n, 1)
    centers[half:] *= -1
    x = centers + spread * torch.randn(n, 2, generator=gen, dtype=torch.float64)
    y = torch.cat([torch.ones(half), torch.zeros(n - half)])
    return Dataset2D(x.float(), y)


def make_spiral(n: int, noise: float, gen: torch.Generator) -> Dataset2D:
    """Two interleaved spiral arms, the playground's hardest classic."""
    half = n // 2
    arms = []
    for offset, count in ((0.0, half), (math.pi, n - half)):
        t = torch.arange(count, dtype=torch.float64) / count
        r = 5 * t
        angle = 1.75 * t * 2 * math.pi + offset
        arm = torch.stack([r * torch.sin(angle), r * torch.cos(angle)], dim=1)
        arms.append(arm + _uniform(2 * count, -1, 1, gen).reshape(count, 2) * noise * 5)
    y = torch.cat([torch.ones(half), torch.zeros(n - half)])
    return Dataset2D(torch.cat(arms).float(), y)


def make_split(spec: DataSpec, gen: torch.Generator) -> Split:
    """Generate `spec.points` points and split them at random into train and test."""
    data = DATASETS[spec.name](spec.points, spec.noise, gen)
    order = torch.randperm(spec.points, generator=gen)
    n_train = max(1, min(spec.points - 1, round(spec.train_fraction * spec.points)))
    train, test = order[:n_train], order[n_train:]
    return Split(Dataset2D(data.x[train], data.y[train]), Dataset2D(data.x[test], data.y[test]))


DATASETS: dict[str, DatasetFn] = {
    "circle": make_circle,
    "xor": make_xor,
    "gauss": make_gauss,
    "spiral": make_spiral,
}
