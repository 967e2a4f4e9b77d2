"""Build wire events from a Trainer's state: frames, datasets, grids."""

from __future__ import annotations

import numpy as np

from models.analysis.grid import eval_grid
from models.analysis.regions import count_regions, layers_from_module
from models.network import PIECEWISE_LINEAR
from models.trainer import Trainer
from server import limits
from server.protocol import DatasetEvent, FrameEvent, Grid, History


def grid_to_wire(values: np.ndarray) -> Grid:
    """A (H, W) float array as little-endian float16 bytes: 2 bytes a cell, 20 kB at 100×100."""
    height, width = values.shape
    return Grid(width=width, height=height, data=values.astype("<f2").tobytes())


def dataset_event(trainer: Trainer) -> DatasetEvent:
    """The points of the trainer's dataset, sent once per dataset."""
    split = trainer.split
    return DatasetEvent(
        box=split.box,
        train_x=split.train.x.tolist(),
        train_y=split.train.y.int().tolist(),
        test_x=split.test.x.tolist(),
        test_y=split.test.y.int().tolist(),
    )


def build_frame(
    trainer: Trainer,
    *,
    run: int,
    running: bool,
    regions: int | None = None,
    diverged_at: int | None = None,
) -> FrameEvent:
    """Evaluate the trainer now and package losses, accuracies, a history sample and the grid."""
    ev = trainer.evaluate()
    return FrameEvent(
        run=run,
        step=trainer.steps,
        running=running,
        train_loss=ev.train_loss,
        test_loss=ev.test_loss,
        train_accuracy=ev.train_accuracy,
        test_accuracy=ev.test_accuracy,
        history=History(
            steps=[trainer.steps], train_loss=[ev.train_loss], test_loss=[ev.test_loss]
        ),
        grid=grid_to_wire(eval_grid(trainer.net, trainer.split.box, limits.GRID_RESOLUTION)),
        regions=regions,
        diverged_at=diverged_at,
    )


def count_live_regions(trainer: Trainer) -> int | None:
    """Exact linear regions of the trainer's network over its box, or None when not countable.

    None for networks that are not piecewise linear, that mix activations (the counter takes
    one activation for all layers), whose weights went non-finite, or that cut the box into
    more than the region limit.
    """
    activations = {layer.activation for layer in trainer.spec.network.hidden} or {"linear"}
    if len(activations) != 1 or not activations <= PIECEWISE_LINEAR:
        return None
    layers = layers_from_module(trainer.net)
    try:
        return count_regions(layers, activations.pop(), trainer.split.box, limits.REGIONS_MAX_COUNT)
    except ValueError:  # TooManyRegions, or NaN weights after a divergence
        return None
