"""Build wire events from a Trainer's state: frames, datasets, grids."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.analysis.grid import eval_grid
from models.analysis.patterns import pattern_count_on_grid
from models.analysis.regions import Regions, compute_regions, count_regions, layers_from_module
from models.network import PIECEWISE_LINEAR
from models.trainer import Trainer
from server import limits
from server.protocol import DatasetEvent, FrameEvent, Grid, History, RegionPolygons


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
    regions: LiveRegions | None = None,
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
        grid=grid_to_wire(
            eval_grid(trainer.net, trainer.split.box, limits.GRID_RESOLUTION, trainer.fast_mlp)
        ),
        regions=regions.count if regions else None,
        regions_exact=regions.exact if regions else True,
        region_polygons=regions.polygons if regions else None,
        diverged_at=diverged_at,
    )


@dataclass(frozen=True)
class LiveRegions:
    """What a frame says about the network's linear regions."""

    count: int | None
    exact: bool = True
    polygons: RegionPolygons | None = None


def live_regions(trainer: Trainer) -> LiveRegions:
    """Exact regions of a piecewise-linear network over its box, else an approximate count.

    Exact when every hidden layer has the same piecewise-linear activation (the counter takes
    one for all layers), with polygons when there are few enough to draw. Smooth or mixed
    networks get the number of activation patterns on a grid, flagged as inexact. None when
    the weights went non-finite or the count passes the region limit.
    """
    activations = {layer.activation for layer in trainer.spec.network.hidden} or {"linear"}
    box = trainer.split.box
    try:
        if len(activations) != 1 or not activations <= PIECEWISE_LINEAR:
            resolution = limits.REGIONS_APPROX_RESOLUTION
            return LiveRegions(pattern_count_on_grid(trainer.net, "relu", box, resolution), False)
        activation = activations.pop()
        layers = layers_from_module(trainer.net)
        count = count_regions(layers, activation, box, limits.REGIONS_MAX_COUNT)
        if count > limits.REGIONS_DRAW_MAX:
            return LiveRegions(count)
        regions = compute_regions(layers, activation, box)
        return LiveRegions(regions.count, polygons=_polygons_to_wire(regions))
    except ValueError:  # TooManyRegions, or NaN weights after a divergence
        return LiveRegions(None)


def _polygons_to_wire(regions: Regions) -> RegionPolygons:
    sizes = [len(p) for p in regions.polygons]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype("<u4")
    vertices = np.concatenate(regions.polygons).astype("<f4")  # (V, 2)
    units = regions.patterns.shape[1]
    # An odd multiplier per unit makes a cheap, stable hash of the pattern for colouring.
    weights = (np.arange(units, dtype=np.uint64) * 2654435761 + 40503) | 1
    ids = (regions.patterns.astype(np.uint64) * weights).sum(axis=1) & 0xFFFFFFFF
    return RegionPolygons(
        count=regions.count,
        offsets=offsets.tobytes(),
        vertices=vertices.tobytes(),
        pattern_ids=ids.astype("<u4").tobytes(),
    )
