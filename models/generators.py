"""Seeded generators of the 2D datasets and the 1D sine, after tensorflow/playground's
`dataset.ts`; models/datasets.py holds the registry that names them.

Every generator draws from the `torch.Generator` it is given, never from global state, so many
sessions in one process stay reproducible. The 2D datasets live in the box [-6, 6]²; the 1D
sine on [0, 1]. Classification labels are class indices 0 … classes-1; regression labels are
values.

The classic four (circle, xor, gauss, spiral with two arms) must keep drawing exactly the same
numbers in the same order: saved results and the bench depend on them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Dataset:
    """Points `x` (N, dims) float32 and labels `y` (N,) float32: class indices or values."""

    x: torch.Tensor
    y: torch.Tensor


DatasetFn = Callable[[int, float, int, torch.Generator], Dataset]
"""(points, noise, classes, generator) -> Dataset; fixed-class datasets ignore `classes`."""


def _uniform(n: int, low: float, high: float, gen: torch.Generator) -> torch.Tensor:
    return low + (high - low) * torch.rand(n, generator=gen, dtype=torch.float64)


def _counts(n: int, classes: int) -> list[int]:
    """`n` points shared out among `classes` as evenly as possible, the extra ones last.

    For two classes this is (n // 2, n - n // 2), the split the classic spiral always used.
    """
    return [(i + 1) * n // classes - i * n // classes for i in range(classes)]


def _labels(counts: list[int]) -> torch.Tensor:
    return torch.cat([torch.full((c,), float(i)) for i, c in enumerate(counts)])


def _polar(r: torch.Tensor, angle: torch.Tensor) -> torch.Tensor:
    return torch.stack([r * torch.sin(angle), r * torch.cos(angle)], dim=1)


# ------------------------------------------------------------ the classic four (frozen draws)


def make_circle(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """A disc of one class inside a ring of the other."""
    radius = 5.0
    inner, outer = n // 2, n - n // 2
    r = torch.cat(
        [_uniform(inner, 0, 0.5 * radius, gen), _uniform(outer, 0.7 * radius, radius, gen)]
    )
    angle = _uniform(n, 0, 2 * math.pi, gen)
    x = _polar(r, angle)
    x += _uniform(2 * n, -radius, radius, gen).reshape(n, 2) * noise
    y = torch.cat([torch.ones(inner), torch.zeros(outer)])
    return Dataset(x.float(), y)


def make_xor(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """Four quadrants; the label is the sign of x·y."""
    padding = 0.3
    x = _uniform(2 * n, -5, 5, gen).reshape(n, 2)
    x += torch.where(x > 0, padding, -padding)  # keep points off the axes, as the original does
    y = (x[:, 0] * x[:, 1] > 0).float()
    x += _uniform(2 * n, -5, 5, gen).reshape(n, 2) * noise
    return Dataset(x.float(), y)


def make_gauss(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """Two Gaussian clouds around (2, 2) and (-2, -2); noise widens them until they overlap."""
    spread = math.sqrt(0.5 + 7 * noise)  # variance 0.5 when clean, 4 at noise 0.5
    half = n // 2
    centers = torch.tensor([[2.0, 2.0]]).repeat(n, 1)
    centers[half:] *= -1
    x = centers + spread * torch.randn(n, 2, generator=gen, dtype=torch.float64)
    y = torch.cat([torch.ones(half), torch.zeros(n - half)])
    return Dataset(x.float(), y)


def make_spiral(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """Interleaved spiral arms, one per class; two arms is the playground's hardest classic."""
    counts = _counts(n, classes)
    arms = []
    for i, count in enumerate(counts):
        t = torch.arange(count, dtype=torch.float64) / count
        angle = 1.75 * t * 2 * math.pi + 2 * math.pi * i / classes
        arm = _polar(5 * t, angle)
        arms.append(arm + _uniform(2 * count, -1, 1, gen).reshape(count, 2) * noise * 5)
    # Arm i is class classes-1-i: with two arms the first (offset 0) is class 1, as it always was.
    y = torch.cat([torch.full((c,), float(classes - 1 - i)) for i, c in enumerate(counts)])
    return Dataset(torch.cat(arms).float(), y)


# ------------------------------------------------------------ more classification


def make_moons(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """Two interlocking half-moons, as in scikit-learn's make_moons, scaled to the box."""
    scale = 3.5
    upper, lower = _counts(n, 2)
    t = _uniform(n, 0, math.pi, gen)
    tu, tl = t[:upper], t[upper:]
    # scikit-learn's moons span x in [-1, 2], y in [-0.5, 1]: centre them on (0.5, 0.25).
    first = torch.stack([torch.cos(tu) - 0.5, torch.sin(tu) - 0.25], dim=1)
    second = torch.stack([0.5 - torch.cos(tl), 0.25 - torch.sin(tl)], dim=1)
    x = scale * torch.cat([first, second])
    x += _uniform(2 * n, -5, 5, gen).reshape(n, 2) * noise
    return Dataset(x.float(), _labels([upper, lower]))


XOR4_CORNER = 3.0
"""The four clusters of xor4 sit at (±3, ±3)."""


def make_xor4(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """The classic XOR: four Gaussian clusters at (±3, ±3), label 1 where x1 and x2 agree in sign.

    Each cluster's standard deviation is 0.5 + 2 · noise: clean, the clusters stay far from the
    axes (two tanh units can classify every point); at noise 0.25 they spread as wide (1.0) as the
    clusters of the xor_seeds experiment. Points go to the corners in turn and stay in the box.
    """
    spread = 0.5 + 2 * noise
    corners = torch.tensor(
        [[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]], dtype=torch.float64
    )
    which = torch.arange(n) % 4
    x = XOR4_CORNER * corners[which] + spread * torch.randn(
        n, 2, generator=gen, dtype=torch.float64
    )
    y = (which < 2).float()
    return Dataset(x.clamp(-6.0, 6.0).float(), y)


def make_checkerboard(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """A 4×4 board of 3×3 squares over the whole box; the label is the square's colour."""
    cell = 3.0
    x = _uniform(2 * n, -6, 6, gen).reshape(n, 2)
    y = (torch.floor(x / cell).sum(dim=1) % 2).float()
    x += _uniform(2 * n, -5, 5, gen).reshape(n, 2) * noise
    return Dataset(x.float(), y)


def make_blobs(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """One Gaussian cloud per class, centred evenly on a circle of radius 3."""
    spread = math.sqrt(0.3 + 7 * noise)  # well apart when clean, overlapping at noise 0.5
    counts = _counts(n, classes)
    angle = torch.cat(
        [
            torch.full((c,), 2 * math.pi * i / classes, dtype=torch.float64)
            for i, c in enumerate(counts)
        ]
    )
    x = _polar(torch.full((n,), 3.0, dtype=torch.float64), angle)
    x += spread * torch.randn(n, 2, generator=gen, dtype=torch.float64)
    return Dataset(x.float(), _labels(counts))


def make_rings(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """A disc inside concentric rings, one class each, with gaps between them."""
    width = 5.5 / classes
    counts = _counts(n, classes)
    radii = [
        _uniform(c, (i + 0.15) * width if i else 0.0, (i + 0.85) * width, gen)
        for i, c in enumerate(counts)
    ]
    x = _polar(torch.cat(radii), _uniform(n, 0, 2 * math.pi, gen))
    x += _uniform(2 * n, -5, 5, gen).reshape(n, 2) * noise
    return Dataset(x.float(), _labels(counts))


# ------------------------------------------------------------ regression


def _noisy_points(n: int, noise: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Points uniform in the box, and the same points moved by noise (where the label is read)."""
    x = _uniform(2 * n, -6, 6, gen).reshape(n, 2)
    return x, x + _uniform(2 * n, -6, 6, gen).reshape(n, 2) * noise


def make_plane(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """A tilted plane: the value is (x1 + x2) / 10, from -1.2 to 1.2 over the box."""
    x, read = _noisy_points(n, noise, gen)
    return Dataset(x.float(), (read.sum(dim=1) / 10).float())


_GAUSSIANS = torch.tensor(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]],
    dtype=torch.float64,
)
"""(cx, cy, sign) of the six bumps in the playground's regress-gaussian."""


def make_multi_gauss(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """Six bumps of +1 and -1 in two rows; the value is the strongest bump's, falling to 0 at 2."""
    x, read = _noisy_points(n, noise, gen)
    distance = torch.cdist(read, _GAUSSIANS[:, :2])  # (n, 6)
    bumps = _GAUSSIANS[:, 2] * (1 - distance / 2).clamp(min=0)
    strongest = bumps.abs().argmax(dim=1, keepdim=True)  # the first of ties, as the original
    return Dataset(x.float(), bumps.gather(1, strongest).squeeze(1).float())


def make_sine(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """One period of a sine on [0, 1]: a 1D curve to fit, with noise added to the values."""
    x = _uniform(n, 0, 1, gen)
    y = torch.sin(2 * math.pi * x) + _uniform(n, -1, 1, gen) * noise
    return Dataset(x.float().unsqueeze(1), y.float())
