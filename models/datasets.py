"""The datasets by name, one DatasetInfo record each, and the seeded train/test split.

The generators of the 2D datasets and the 1D sine are in models/generators.py. One dataset is
not generated: "digits", the 8×8 handwritten digits scikit-learn ships (models/data/digits.npz,
see models/data/README.md), images in and ten classes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import torch

from models.config import DataSpec, Task
from models.generators import (
    Dataset,
    DatasetFn,
    make_blobs,
    make_checkerboard,
    make_circle,
    make_gauss,
    make_moons,
    make_multi_gauss,
    make_plane,
    make_rings,
    make_sine,
    make_spiral,
    make_xor,
    make_xor4,
)

BOX: tuple[float, float, float, float] = (-6.0, 6.0, -6.0, 6.0)
"""(xmin, xmax, ymin, ymax): the region every 2D dataset is drawn in and the boundary shows."""

SINE_BOX: tuple[float, float, float, float] = (0.0, 1.0, -1.5, 1.5)
"""(xmin, xmax, ymin, ymax) for the 1D sine: its input range, then the range of its values."""

MAX_CLASSES = 6
"""The most classes a generated dataset (or an uploaded file) may have; digits has ten."""


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
