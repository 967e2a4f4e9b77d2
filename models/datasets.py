"""Seeded datasets, after tensorflow/playground's `dataset.ts`: classification and regression.

Every generator draws from the `torch.Generator` it is given, never from global state, so many
sessions in one process stay reproducible. The 2D datasets live in the box [-6, 6]²; the 1D
sine lives in SINE_BOX. Classification labels are class indices 0 … classes-1; regression
labels are values.

One dataset is not generated: "digits", the 8×8 handwritten digits scikit-learn ships
(models/data/digits.npz, see models/data/README.md), images in and ten classes out.

The classic four (circle, xor, gauss, spiral with two arms) must keep drawing exactly the same
numbers in the same order: saved results and the bench depend on them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import torch

from models.config import DataSpec, Task

BOX: tuple[float, float, float, float] = (-6.0, 6.0, -6.0, 6.0)
"""(xmin, xmax, ymin, ymax): the region every 2D dataset is drawn in and the boundary shows."""

SINE_BOX: tuple[float, float, float, float] = (0.0, 1.0, -1.5, 1.5)
"""(xmin, xmax, ymin, ymax) for the 1D sine: its input range, then the range of its values."""

MAX_CLASSES = 6
"""The most classes a generated dataset (or an uploaded file) may have; digits has ten."""


@dataclass(frozen=True)
class Dataset:
    """Points `x` (N, dims) float32 and labels `y` (N,) float32: class indices or values."""

    x: torch.Tensor
    y: torch.Tensor


Dataset2D = Dataset
"""The old name, kept while other modules move to `Dataset`."""

DatasetFn = Callable[[int, float, int, torch.Generator], Dataset]
"""(points, noise, classes, generator) -> Dataset; fixed-class datasets ignore `classes`."""


@dataclass(frozen=True)
class DatasetInfo:
    """A generator and what it makes: the task, the input width and the classes it can draw."""

    fn: DatasetFn
    task: Task
    dims: int
    min_classes: int
    """0 for regression; equal to `max_classes` when the dataset has a fixed number of classes."""
    max_classes: int
    description: str
    box: tuple[float, float, float, float] = BOX
    image_shape: tuple[int, int] | None = None
    """(height, width) of each point's image for image data, whose `dims` are its pixels."""

    def classes_for(self, requested: int) -> int:
        """The class count a request for `requested` classes gets: clamped to what this draws.

        Clamping rather than refusing lets a user switch from a 4-class spiral to circle without
        first resetting the class count.
        """
        return min(self.max_classes, max(self.min_classes, requested))


@dataclass(frozen=True)
class Split:
    """A dataset split into training and test points, with the box it lives in and its shape."""

    train: Dataset
    test: Dataset
    box: tuple[float, float, float, float] = BOX
    task: Task = "classification"
    classes: int = 2
    """Number of classes for classification; 0 for regression."""
    dims: int = 2
    image_shape: tuple[int, int] | None = None
    """(height, width) of each point's image for image data; None for points."""


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


# ------------------------------------------------------------ images

DIGITS_FILE = Path(__file__).parent / "data" / "digits.npz"
DIGITS_SHAPE = (8, 8)
DIGITS_COUNT = 1797
"""Images in the digits file: every one is used, whatever `points` says."""
DIGITS_BOX: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 1.0)
"""Image data has no plane to draw; this is just the range of its pixel values."""


@cache
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """(images (1797, 8, 8) uint8 in 0 … 16, labels (1797,) uint8), read once per process."""
    with np.load(DIGITS_FILE, allow_pickle=False) as data:
        return data["images"], data["labels"]


def make_digits(n: int, noise: float, classes: int, gen: torch.Generator) -> Dataset:
    """All 1,797 handwritten digits, 64 pixels each scaled to [0, 1], labels 0 … 9.

    `n`, `noise` and `classes` do not apply: the set is fixed, and make_split's seeded
    train_fraction split decides which images train and which test.
    """
    images, labels = _digits_arrays()
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 16.0)
    return Dataset(x, torch.from_numpy(labels.astype(np.float32)))


def _classify(fn: DatasetFn, text: str, low: int = 2, high: int = 2) -> DatasetInfo:
    return DatasetInfo(fn, "classification", 2, low, high, text)


DATASETS: dict[str, DatasetInfo] = {
    "circle": _classify(make_circle, "A disc of one class inside a ring of the other."),
    "xor": _classify(make_xor, "Four quadrants; the label is the sign of x1·x2."),
    "xor4": _classify(
        make_xor4, "The classic XOR: four clusters at (±3, ±3); two tanh units can solve it."
    ),
    "gauss": _classify(make_gauss, "Two Gaussian clouds that overlap as noise grows."),
    "spiral": _classify(make_spiral, "Interleaved spiral arms, one per class.", 2, MAX_CLASSES),
    "moons": _classify(make_moons, "Two interlocking half-moons."),
    "checkerboard": _classify(make_checkerboard, "A 4×4 checkerboard of two classes."),
    "blobs": _classify(make_blobs, "One Gaussian cloud per class around a circle.", 2, MAX_CLASSES),
    "rings": _classify(
        make_rings, "A disc inside concentric rings, one class each.", 2, MAX_CLASSES
    ),
    "plane": DatasetInfo(
        make_plane, "regression", 2, 0, 0, "Regression: a tilted plane, (x1 + x2) / 10."
    ),
    "multi_gauss": DatasetInfo(
        make_multi_gauss, "regression", 2, 0, 0, "Regression: six bumps of +1 and -1."
    ),
    "sine": DatasetInfo(
        make_sine, "regression", 1, 0, 0, "Regression in 1D: y = sin 2πx on [0, 1].", SINE_BOX
    ),
    "digits": DatasetInfo(
        make_digits,
        "classification",
        DIGITS_SHAPE[0] * DIGITS_SHAPE[1],
        10,
        10,
        "Images: 1,797 handwritten digits of 8×8 pixels, ten classes (points and noise unused).",
        DIGITS_BOX,
        DIGITS_SHAPE,
    ),
}
"""Every generated dataset by wire name. "custom" is not here: its points come in the DataSpec."""


# ------------------------------------------------------------ splitting


def make_split(spec: DataSpec, gen: torch.Generator) -> Split:
    """Generate (or take) the points, split them at random into train and test, flip labels.

    The split is drawn before the label noise, so changing the label noise keeps the same
    points in the same halves and only changes which training labels are wrong.
    """
    image_shape = None
    if spec.name == "custom":
        data, task, classes, dims, box = _custom(spec)
    else:
        info = DATASETS[spec.name]
        classes = info.classes_for(spec.classes)
        data = info.fn(spec.points, spec.noise, classes, gen)
        task, dims, box, image_shape = info.task, info.dims, info.box, info.image_shape
    n = len(data.y)
    order = torch.randperm(n, generator=gen)
    n_train = max(1, min(n - 1, round(spec.train_fraction * n)))
    train, test = order[:n_train], order[n_train:]
    y_train = data.y[train]
    if task == "classification" and spec.label_noise > 0:
        y_train = flip_labels(y_train, spec.label_noise, classes, gen)
    return Split(
        Dataset(data.x[train], y_train),
        Dataset(data.x[test], data.y[test]),
        box,
        task,
        classes,
        dims,
        image_shape,
    )


def flip_labels(
    y: torch.Tensor, fraction: float, classes: int, gen: torch.Generator
) -> torch.Tensor:
    """A copy of `y` with round(fraction · len(y)) labels, chosen at random, each changed to
    another class chosen uniformly among the other `classes - 1`."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"label noise must lie in [0, 1], got {fraction}")
    flipped = y.clone()
    count = round(fraction * len(y))
    if count == 0 or classes < 2:
        return flipped
    chosen = torch.randperm(len(y), generator=gen)[:count]
    shift = torch.randint(1, classes, (count,), generator=gen).to(y.dtype)
    flipped[chosen] = (y[chosen] + shift) % classes
    return flipped


def custom_class_count(labels: Sequence[float]) -> int:
    """Classes of the user's labels 0 … k−1: k, but at least 2, since one drawn class is still
    a two-class problem."""
    return max(2, int(max(labels)) + 1)


def _custom(spec: DataSpec) -> tuple[Dataset, Task, int, int, tuple[float, float, float, float]]:
    """The user's own points as a Dataset, with their task, class count and input width."""
    custom = spec.custom
    if custom is None:
        raise ValueError("dataset 'custom' needs points: DataSpec.custom is None")
    if len(custom.x) < 2 or len(custom.x) != len(custom.y):
        raise ValueError(
            f"custom data needs at least 2 points with one label each, "
            f"got {len(custom.x)} points and {len(custom.y)} labels"
        )
    x = torch.tensor(custom.x, dtype=torch.float32)
    y = torch.tensor(custom.y, dtype=torch.float32)
    if x.ndim != 2:
        raise ValueError("custom points must all have the same number of coordinates")
    classes = 0
    if custom.task == "classification":
        if bool((y < 0).any()) or not torch.equal(y, y.round()):
            raise ValueError("custom class labels must be whole numbers 0, 1, 2, …")
        classes = custom_class_count(custom.y)
    return Dataset(x, y), custom.task, classes, x.shape[1], BOX
