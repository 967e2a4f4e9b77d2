"""Input features: what the network sees, computed from the raw point (x1, x2) or (x1,).

Image data (the 8×8 digits) has one feature set only, PIXEL_FEATURES: the pixels as they are,
IMAGE_INPUTS of them, with no FeatureMap; the x1/x2 features do not apply to it.

tensorflow/playground offers the same menu: feeding x1² + x2² lets a network with no hidden
layer separate a circle, and sin x1 lets it follow waves. FeatureMap is the first module of a
network whose features are not just (x1, x2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn

from models.registry import by_name

FeatureFn = Callable[[torch.Tensor, torch.Tensor | None], torch.Tensor]
"""(x1 (N,), x2 (N,) or None for 1D data) -> the feature (N,)."""


def _need_x2(x2: torch.Tensor | None) -> torch.Tensor:
    """Return x2, or say readably that 1D data has none."""
    if x2 is None:
        raise ValueError("this feature uses x2, but the data has only one input (x1)")
    return x2


@dataclass(frozen=True)
class FeatureRecord:
    """One input feature, by wire name."""

    name: str
    description: str
    """One sentence for the catalog."""
    dims: int
    """Coordinates the raw point needs: 1 (x1 only), 2 (uses x2), or IMAGE_INPUTS (pixels)."""
    fn: FeatureFn | None
    """How to compute it from the point's coordinates; None for the pixels, read as they are."""
    code: str = ""
    """The same computation in "Copy as PyTorch", from the tensors x1 and x2."""
    written: str = ""
    """How people write it, for the code's comments."""


IMAGE_INPUTS = 64
"""Pixels per image of the one image dataset, the 8×8 digits (models/datasets.py)."""

FEATURES: dict[str, FeatureRecord] = by_name(
    FeatureRecord("x1", "The first coordinate, as is.", 1, lambda x1, x2: x1, "x1", "x1"),
    FeatureRecord(
        "x2", "The second coordinate, as is.", 2, lambda x1, x2: _need_x2(x2), "x2", "x2"
    ),
    FeatureRecord(
        "x1_squared",
        "x1²: with x2² a circle becomes a straight line.",
        1,
        lambda x1, x2: x1 * x1,
        "x1 * x1",
        "x1²",
    ),
    FeatureRecord(
        "x2_squared",
        "x2²: with x1² a circle becomes a straight line.",
        2,
        lambda x1, x2: _need_x2(x2) ** 2,
        "x2**2",
        "x2²",
    ),
    FeatureRecord(
        "x1_x2",
        "x1·x2: its sign alone solves XOR.",
        2,
        lambda x1, x2: x1 * _need_x2(x2),
        "x1 * x2",
        "x1·x2",
    ),
    FeatureRecord(
        "sin_x1",
        "sin x1: lets even a linear model follow waves along x1.",
        1,
        lambda x1, x2: torch.sin(x1),
        "torch.sin(x1)",
        "sin x1",
    ),
    FeatureRecord(
        "sin_x2",
        "sin x2: lets even a linear model follow waves along x2.",
        2,
        lambda x1, x2: torch.sin(_need_x2(x2)),
        "torch.sin(x2)",
        "sin x2",
    ),
    FeatureRecord(
        "pixels",
        "Every pixel of an image as it is (image data only, and then the only input).",
        IMAGE_INPUTS,
        None,
    ),
)
"""Every feature by wire name, in the order the catalog lists them and FeatureMap computes."""

PLANE_FEATURES = ("x1", "x2")
"""The raw point itself: a network with these inputs needs no FeatureMap, and its map from the
plane to the first layer is affine (so its linear regions are exact)."""
LINE_FEATURES = ("x1",)
"""The raw point of 1D data."""
PIXEL_FEATURES = ("pixels",)
"""The raw inputs of image data: every pixel, fed to the first layer as it is."""


def check_features(names: Sequence[str]) -> None:
    """Raise ValueError, naming the known features, if `names` is empty or has an unknown one.

    "pixels" is known only alone: image data feeds its pixels and nothing else.
    """
    if not names:
        raise ValueError("the network needs at least one input feature")
    if tuple(names) == PIXEL_FEATURES:
        return
    if "pixels" in names:
        raise ValueError("the feature 'pixels' stands alone: image data has no x1 or x2")
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        known = ", ".join(name for name, record in FEATURES.items() if record.fn is not None)
        raise ValueError(f"unknown feature {unknown[0]!r}; known features: {known}")


def features_need_dims(names: Sequence[str]) -> int:
    """Return the input dimensions these features need: 2 if any uses x2, else 1; the pixels
    of image data need IMAGE_INPUTS."""
    check_features(names)
    return max(FEATURES[name].dims for name in names)


class FeatureMap(nn.Module):
    """Map raw points (N, d), d = 1 or 2, to their features (N, len(names)); no parameters."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__()
        check_features(names)
        if tuple(names) == PIXEL_FEATURES:
            raise ValueError("pixels need no FeatureMap: the network reads them as they are")
        self.names = tuple(names)
        self._fns = [_computed(FEATURES[name]) for name in self.names]

    def forward(self, points: torch.Tensor) -> torch.Tensor:
        """Return the features of each point, in the order of `names`."""
        x1 = points[:, 0]
        x2 = points[:, 1] if points.shape[1] > 1 else None
        return torch.stack([fn(x1, x2) for fn in self._fns], dim=1)  # (N, d) -> (N, F)

    def extra_repr(self) -> str:
        """Show the feature names when the network is printed."""
        return ", ".join(self.names)


def _computed(record: FeatureRecord) -> FeatureFn:
    """Return the record's function; check_features has already refused the pixels."""
    if record.fn is None:
        raise ValueError(f"the feature {record.name!r} is not computed from a point")
    return record.fn
