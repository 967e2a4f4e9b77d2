"""Build wire events from a Trainer's state: frames, datasets, grids.

Image data (digits) has no box to draw a grid over: its frames carry the test set's confusion
matrix and the first layer's weights as images instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import torch

from models.analysis.layers import eval_mode, linear_layers
from models.analysis.live import RegionBudget
from models.analysis.live import live_regions as count_live_regions
from models.analysis.regions import Regions
from models.tasks import head_of
from models.trainer import Trainer
from server import limits
from server.protocol import (
    DatasetEvent,
    FrameEvent,
    Grid,
    History,
    NetWeights,
    RegionPolygons,
    WeightImages,
)


def output_grid(trainer: Trainer, resolution: int = limits.GRID_RESOLUTION) -> Grid:
    """The network's prediction over the box, in eval mode, as the head reads it.

    A sigmoid head sends P(class 1); a softmax head sends the most likely class and its
    probability (two planes, so six classes cost what two do); regression sends the values.
    1D data sends one row: the function along the x range.
    """
    line = trainer.split.dims == 1
    if line:
        resolution = limits.GRID_RESOLUTION_1D
    planes, kind = grid_planes(trainer, resolution)
    _, height, width = planes.shape
    return Grid(width=width, height=height, kind=kind, data=planes.astype("<f2").tobytes())


def grid_planes(trainer: Trainer, resolution: int) -> tuple[np.ndarray, GridKind]:
    """The grid's planes in float32, (P, height, width), before the wire's float16: what
    the page's own evaluator (server/page_grid.py) is held to. 1D data: one row of
    `resolution` samples."""
    line = trainer.split.dims == 1
    height, width = (1, resolution) if line else (resolution, resolution)
    planes, kind = _planes(trainer.grid(resolution), head_of(trainer.spec.training.loss))
    return planes.reshape(-1, height, width).cpu().numpy().astype(np.float32), kind


GridKind = Literal["probability", "class", "value"]


def _planes(outputs: torch.Tensor, head: str) -> tuple[torch.Tensor, GridKind]:
    """(planes (P, N), kind) of outputs (N, out) for the wire."""
    with torch.inference_mode():
        if head == "sigmoid":
            return torch.sigmoid(outputs[:, 0])[None], "probability"
        if head == "softmax":
            probs, classes = torch.softmax(outputs, dim=1).max(dim=1)
            return torch.stack([classes.to(probs.dtype), probs]), "class"
        # float16 tops out at 65504: clamp, so a runaway regression shows as extreme, not inf
        return outputs[:, 0].clamp(-6e4, 6e4)[None], "value"


def dataset_event(trainer: Trainer) -> DatasetEvent:
    """The points of the trainer's dataset, sent once per dataset."""
    split = trainer.split
    return DatasetEvent(
        box=split.box,
        task=split.task,
        classes=split.classes if split.task == "classification" else 1,
        dims=split.dims,
        image_shape=split.image_shape,
        train_x=split.train.x.tolist(),
        train_y=split.train.y.tolist(),
        test_x=split.test.x.tolist(),
        test_y=split.test.y.tolist(),
    )


def _sampled(trainer: Trainer, eval_points: int | None) -> int | None:
    """`eval_points` when it leaves points out of either set, else None (every point counts)."""
    sizes = (len(trainer.split.train.x), len(trainer.split.test.x))
    return eval_points if eval_points is not None and eval_points < max(sizes) else None


def metrics(trainer: Trainer, eval_points: int | None = None) -> dict[str, Any]:
    """The trainer's step, losses, accuracies and one history sample, evaluated now (on at most
    `eval_points` of each set), as FrameEvent and LaneFrame (server/lanes.py) both carry them."""
    ev = trainer.evaluate(eval_points)
    return {
        "step": trainer.steps,
        "train_loss": ev.train_loss,
        "test_loss": ev.test_loss,
        "train_accuracy": ev.train_accuracy,
        "test_accuracy": ev.test_accuracy,
        "loss_points": _sampled(trainer, eval_points),
        "history": History(
            steps=[trainer.steps], train_loss=[ev.train_loss], test_loss=[ev.test_loss]
        ),
    }


def repeated(earlier: dict[str, Any], trainer: Trainer) -> dict[str, Any]:
    """`earlier` metrics (of this run, from `metrics`) for a frame at the trainer's step, as
    FrameEvent repeats them: the same numbers, `loss_step` saying where they were computed,
    and no history sample (the chart gets points only where losses were computed)."""
    computed_at = earlier["step"]
    return earlier | {
        "step": trainer.steps,
        "loss_step": None if computed_at == trainer.steps else computed_at,
        "history": History(steps=[], train_loss=[], test_loss=[]),
    }


def build_frame(
    trainer: Trainer,
    *,
    run: int,
    running: bool,
    losses: dict[str, Any] | None = None,
    regions: LiveRegions | None = None,
    diverged_at: int | None = None,
    early_stopped_at: int | None = None,
    best_step: int | None = None,
    grid_resolution: int = limits.GRID_RESOLUTION,
    weights: NetWeights | None = None,
    eval_points: int | None = None,
) -> FrameEvent:
    """Evaluate the trainer now and package losses, accuracies, a history sample and the grid
    (for image data: the confusion matrix and the weight images instead; with `weights`, for
    the page to evaluate, no grid). `grid_resolution` is the side of a plane's grid; 1D data
    always sends its line. `eval_points` bounds the points the losses take
    (server/frame_budget.py), unless `losses` brings them (`metrics` or `repeated`)."""
    image = trainer.split.image_shape is not None
    return FrameEvent(
        run=run,
        running=running,
        **(metrics(trainer, eval_points) if losses is None else losses),
        grid=None if image or weights else output_grid(trainer, grid_resolution),
        weights=weights,
        confusion=confusion_matrix(trainer) if image else None,
        weight_images=weight_images(trainer) if image else None,
        regions=regions.count if regions else None,
        regions_exact=regions.exact if regions else True,
        region_polygons=regions.polygons if regions else None,
        diverged_at=diverged_at,
        early_stopped_at=early_stopped_at,
        best_step=best_step,
    )


def confusion_matrix(trainer: Trainer) -> list[list[int]]:
    """The test set's confusion matrix in eval mode: counts[true][predicted]."""
    split, net = trainer.split, trainer.net
    classes = split.classes
    with eval_mode(net), torch.inference_mode():
        logits = net(split.test.x.to(trainer.device))
    predicted = logits.argmax(dim=1).cpu()  # (N, classes) -> (N,); NaN logits give class 0
    truth = split.test.y.long()
    counts = torch.bincount(truth * classes + predicted, minlength=classes * classes)
    return counts.reshape(classes, classes).tolist()


def weight_images(trainer: Trainer) -> WeightImages:
    """The first Linear's weights, one image of the input's shape per unit it feeds."""
    shape = trainer.split.image_shape
    assert shape is not None, "weight images are for image data"
    weight = linear_layers(trainer.net)[0].weight.detach()  # (units, pixels)
    images = weight.reshape(-1, *shape).cpu().numpy().astype("<f4")
    return WeightImages(
        count=images.shape[0], height=shape[0], width=shape[1], data=images.tobytes()
    )


REGION_BUDGET = RegionBudget(
    max_count=limits.REGIONS_MAX_COUNT,
    draw_max=limits.REGIONS_DRAW_MAX,
    approx_resolution=limits.REGIONS_APPROX_RESOLUTION,
    exact_max_units=limits.LIVE_REGIONS_EXACT_MAX_UNITS,
)


@dataclass(frozen=True)
class LiveRegions:
    """What a frame says about the network's linear regions."""

    count: int | None
    exact: bool = True
    polygons: RegionPolygons | None = None


def live_regions(trainer: Trainer) -> LiveRegions:
    """The trainer's regions as models.analysis.live counts them, polygons packed for the wire.

    None for image data, when the weights went non-finite, or when the count passes the limit.
    """
    split = trainer.split
    found = count_live_regions(
        trainer.net, trainer.spec.network, split.box, split.dims, REGION_BUDGET
    )
    polygons = None if found.regions is None else _polygons_to_wire(found.regions)
    return LiveRegions(found.count, found.exact, polygons)


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
