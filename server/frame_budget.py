"""What a frame of a large network may cost while training (issue 20: 8 × 128 units, 10,000
points): its grid's side and how many points its losses are computed on.

Decided from the network's multiply-adds per point, not from a clock, so the same setup always
gets the same frames. Every network the limits allowed before issue 20 (up to 6 × 32 units on
2,000 points) fits both budgets whole; the largest one gets a 32 × 32 grid and its losses on
an evenly spread subset while it trains. A resting frame always has the full grid and losses.
"""

from __future__ import annotations

import math

from models.analysis.layers import linear_layers
from models.trainer import Trainer
from server import limits


def macs_per_point(trainer: Trainer) -> int:
    """Multiply-adds of one forward pass of one input point."""
    return sum(layer.in_features * layer.out_features for layer in linear_layers(trainer.net))


def grid_side(trainer: Trainer, side: int) -> int:
    """`side`, or less when a side² grid would pass limits.FRAME_GRID_MAX_MACS."""
    fits = math.isqrt(limits.FRAME_GRID_MAX_MACS // max(1, macs_per_point(trainer)))
    return max(min(side, limits.FRAME_GRID_MIN_SIDE), min(side, fits))


def eval_points(trainer: Trainer) -> int | None:
    """How many training (and test) points a training frame's losses may take; None: all."""
    most = limits.FRAME_EVAL_MAX_MACS // (2 * max(1, macs_per_point(trainer)))
    split = trainer.split
    if most >= max(len(split.train.x), len(split.test.x)):
        return None
    return max(most, limits.FRAME_EVAL_MIN_POINTS)
