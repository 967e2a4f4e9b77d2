"""What a training frame of a large network may cost (server/frame_budget.py): decided from the
network's multiply-adds, so every setup allowed before issue 20 keeps its whole frames."""

from __future__ import annotations

import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec
from models.trainer import Trainer
from server import frame_budget, limits
from server.frames import build_frame


def trainer(units: int, layers: int, points: int) -> Trainer:
    hidden = tuple(LayerSpec(units, "relu") for _ in range(layers))
    return Trainer(RunSpec(network=NetworkSpec(hidden=hidden), data=DataSpec("spiral", points)))


def test_the_largest_network_before_issue_20_keeps_its_full_grid_and_losses() -> None:
    old_largest = trainer(32, 6, 2000)
    assert frame_budget.grid_side(old_largest, limits.GRID_RESOLUTION) == limits.GRID_RESOLUTION
    assert frame_budget.eval_points(old_largest) is None


def test_the_largest_network_gets_a_coarser_grid_and_a_spread_subset_while_training() -> None:
    largest = trainer(limits.MAX_UNITS, limits.MAX_HIDDEN_LAYERS, limits.MAX_POINTS)
    macs = 2 * 128 + 7 * 128 * 128 + 128  # 2 inputs, 7 square layers, one output
    assert frame_budget.macs_per_point(largest) == macs
    assert frame_budget.grid_side(largest, limits.GRID_RESOLUTION) == limits.FRAME_GRID_MIN_SIDE
    most = frame_budget.eval_points(largest)
    assert most == limits.FRAME_EVAL_MAX_MACS // (2 * macs) == 521
    # The estimate is the loss on every k-th point, each set thinned alike.
    estimate, whole = largest.evaluate(most), largest.evaluate()
    stride = -(-len(largest.split.train.x) // most)
    x, y = largest.split.train.x[::stride], largest.split.train.y[::stride]
    largest.net.eval()
    with torch.inference_mode():
        by_hand = largest.loss_fn(largest.net(x), y).item()
    assert abs(estimate.train_loss - by_hand) < 1e-6
    assert abs(estimate.train_loss - whole.train_loss) < 0.1  # an estimate, near the whole


def test_a_frame_says_when_its_numbers_are_an_estimate() -> None:
    """The frame carries `loss_points` exactly when its losses left points out."""
    largest = trainer(limits.MAX_UNITS, limits.MAX_HIDDEN_LAYERS, limits.MAX_POINTS)
    most = frame_budget.eval_points(largest)
    training = build_frame(largest, run=1, running=True, eval_points=most, grid_resolution=32)
    resting = build_frame(largest, run=1, running=False, grid_resolution=32)
    assert training.loss_points == most
    assert resting.loss_points is None
    assert resting.train_loss == largest.evaluate().train_loss
    small = trainer(4, 1, 200)
    assert build_frame(small, run=1, running=True, eval_points=500).loss_points is None
