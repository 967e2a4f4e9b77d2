"""The user's own points, as a configure, a setup file and POST /api/datasets/csv carry them."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from models.csv_data import MAX_TARGET
from models.datasets import BOX
from server import limits
from server.protocol.base import Message


class CustomPoints(Message):
    """The user's own points: 2D coordinates inside the box and a label or value each."""

    model_config = ConfigDict(allow_inf_nan=False)
    x: list[tuple[float, float]] = Field(
        min_length=limits.MIN_CUSTOM_POINTS, max_length=limits.MAX_POINTS, fail_fast=True
    )
    y: list[float] = Field(max_length=limits.MAX_POINTS, fail_fast=True)
    """Class indices 0 … max_classes−1 for classification, any finite value for regression."""
    task: Literal["classification", "regression"] = "classification"

    @model_validator(mode="after")
    def _consistent(self) -> CustomPoints:
        if len(self.y) != len(self.x):
            raise ValueError(f"y: needs one entry per point ({len(self.x)}), got {len(self.y)}")
        xmin, xmax, ymin, ymax = BOX
        for i, (a, b) in enumerate(self.x):
            if not (xmin <= a <= xmax and ymin <= b <= ymax):
                raise ValueError(f"x[{i}]: ({a}, {b}) lies outside the box [{xmin}, {xmax}]²")
        if self.task == "regression":
            for i, value in enumerate(self.y):
                if abs(value) > MAX_TARGET:
                    raise ValueError(
                        f"y[{i}]: {value:g} is too large; regression values must lie within"
                        f" ±{MAX_TARGET:g} (training computes in float32)"
                    )
        if self.task == "classification":
            for i, label in enumerate(self.y):
                if label != int(label) or not 0 <= label < limits.MAX_CLASSES:
                    raise ValueError(
                        f"y[{i}]: a class label is an integer 0 … {limits.MAX_CLASSES - 1},"
                        f" got {label}"
                    )
        return self
