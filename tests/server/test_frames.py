"""The frame's grid against the network itself, for each kind of head."""

from __future__ import annotations

import numpy as np
import torch

from models.analysis.grid import grid_points, line_points
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.trainer import Trainer
from server import limits
from server.frames import live_regions, output_grid

HIDDEN = (LayerSpec(6, "relu", batch_norm=True, dropout=0.3),)


def _planes(trainer: Trainer) -> tuple[str, np.ndarray]:
    grid = output_grid(trainer)
    planes = np.frombuffer(grid.data, dtype="<f2").astype(np.float32)
    return grid.kind, planes.reshape(-1, grid.height, grid.width)


def _reference(trainer: Trainer, points: torch.Tensor) -> torch.Tensor:
    trainer.net.eval()
    with torch.no_grad():
        return trainer.net(points)


def test_a_softmax_head_sends_the_most_likely_class_and_its_probability() -> None:
    spec = RunSpec(
        network=NetworkSpec(hidden=HIDDEN, outputs=4),
        data=DataSpec("blobs", classes=4),
        training=TrainSpec(loss="cross_entropy"),
    )
    trainer = Trainer(spec)
    trainer.step(20)
    kind, planes = _planes(trainer)
    probs = torch.softmax(_reference(trainer, grid_points(trainer.split.box, 100)), dim=1)
    best, label = probs.max(dim=1)
    assert kind == "class" and planes.shape == (2, 100, 100)
    assert np.array_equal(planes[0].ravel(), label.numpy())
    assert np.allclose(planes[1].ravel(), best.numpy(), atol=1e-3)  # float16 on the wire


def test_a_regression_head_sends_values_and_1d_data_one_row() -> None:
    spec = RunSpec(
        network=NetworkSpec(hidden=HIDDEN, features=("x1",)),
        data=DataSpec("sine"),
        training=TrainSpec(loss="mse"),
    )
    trainer = Trainer(spec)
    trainer.step(20)
    kind, planes = _planes(trainer)
    resolution = limits.GRID_RESOLUTION_1D
    values = _reference(trainer, line_points(trainer.split.box, resolution))[:, 0]
    assert kind == "value" and planes.shape == (1, 1, resolution)
    assert np.allclose(planes[0, 0], values.numpy(), atol=2e-3)


def test_a_sigmoid_head_sends_the_probability_of_class_one() -> None:
    trainer = Trainer(RunSpec(network=NetworkSpec(hidden=HIDDEN)))
    trainer.step(20)
    kind, planes = _planes(trainer)
    probs = torch.sigmoid(_reference(trainer, grid_points(trainer.split.box, 100)))[:, 0]
    assert kind == "probability"
    assert np.allclose(planes[0].ravel(), probs.numpy(), atol=1e-3)


def _relu_patterns(trainer: Trainer, x: torch.Tensor) -> torch.Tensor:
    """(N, hidden units): which ReLUs are on at each x, read off the live network's modules."""
    on = []
    h = x
    with torch.no_grad():
        for module in trainer.net:
            h = module(h)
            if isinstance(module, torch.nn.ReLU):
                on.append(h > 0)
    return torch.cat(on, dim=1)


def test_1d_relu_data_counts_its_intervals_exactly() -> None:
    """The count a frame carries on 1D data, against sampling the x range finely."""
    spec = RunSpec(
        network=NetworkSpec(hidden=(LayerSpec(6, "relu"), LayerSpec(5, "relu")), features=("x1",)),
        data=DataSpec("sine"),
        training=TrainSpec(loss="mse"),
    )
    trainer = Trainer(spec)
    trainer.step(50)
    regions = live_regions(trainer)
    lo, hi = trainer.split.box[0], trainer.split.box[1]
    patterns = _relu_patterns(trainer, torch.linspace(lo, hi, 200_001).reshape(-1, 1))
    changes = int((patterns[1:] != patterns[:-1]).any(dim=1).sum())
    assert regions.count == 1 + changes
    assert regions.exact and regions.polygons is None


def test_1d_smooth_data_has_no_region_count() -> None:
    spec = RunSpec(
        network=NetworkSpec(hidden=(LayerSpec(6, "tanh"),), features=("x1",)),
        data=DataSpec("sine"),
        training=TrainSpec(loss="mse"),
    )
    assert live_regions(Trainer(spec)).count is None


def test_a_coarse_grid_is_the_network_on_a_coarser_lattice() -> None:
    trainer = Trainer(RunSpec(network=NetworkSpec(hidden=HIDDEN)))
    trainer.step(20)
    grid = output_grid(trainer, limits.GRID_RESOLUTION_CROWDED)
    side = limits.GRID_RESOLUTION_CROWDED
    planes = np.frombuffer(grid.data, dtype="<f2").astype(np.float32).reshape(-1, side, side)
    points = grid_points(trainer.split.box, side)
    expected = torch.sigmoid(_reference(trainer, points)).reshape(side, side).numpy()
    assert (grid.width, grid.height) == (side, side)
    assert np.allclose(planes[0], expected, atol=2e-3)  # float16 on the wire
