"""Evaluate a network's output over a regular grid of the input box (or along the x range)."""

from __future__ import annotations

import functools

import numpy as np
import torch
from torch import nn

from models.fast_mlp import FastMLP

Box = tuple[float, float, float, float]


def grid_points(box: Box, resolution: int) -> torch.Tensor:
    """Return the (resolution², 2) cell centres of the box, row 0 at the top (y = ymax).

    Row-major with y decreasing down the rows, so the array lands on a canvas as it is.
    """
    xmin, xmax, ymin, ymax = box
    half_x = (xmax - xmin) / (2 * resolution)
    half_y = (ymax - ymin) / (2 * resolution)
    xs = torch.linspace(xmin + half_x, xmax - half_x, resolution)
    ys = torch.linspace(ymax - half_y, ymin + half_y, resolution)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)  # (R*R, 2)


def line_points(box: Box, resolution: int) -> torch.Tensor:
    """Return (resolution, 1) x values from xmin to xmax, ends included: a 1D input's grid."""
    return torch.linspace(box[0], box[1], resolution).reshape(-1, 1)


@functools.lru_cache(maxsize=16)
def grid_columns(box: Box, resolution: int, device: torch.device) -> torch.Tensor:
    """`grid_points` as columns (2, resolution²) on `device`, made once per box: read only."""
    return grid_points(box, resolution).t().contiguous().to(device)


def grid_outputs(
    net: nn.Module, box: Box, resolution: int, fast_mlp: FastMLP | None = None
) -> torch.Tensor:
    """Return the network's raw outputs (resolution², outputs) at `grid_points`; call in eval mode.

    `fast_mlp`, the net's own fast path if it has one, computes the same logits in the
    column layout, several times faster on a 100×100 grid (make bench's frame cost).
    """
    device = next(net.parameters()).device
    with torch.inference_mode():
        if fast_mlp is not None:
            return fast_mlp.logits_of_columns(grid_columns(box, resolution, device)).t()
        out: torch.Tensor = net(grid_points(box, resolution).to(device))
        return out


def line_outputs(net: nn.Module, box: Box, resolution: int) -> torch.Tensor:
    """Return the raw outputs (resolution, outputs) of a 1D-input network along `line_points`."""
    device = next(net.parameters()).device
    with torch.inference_mode():
        out: torch.Tensor = net(line_points(box, resolution).to(device))
        return out


def eval_grid(
    net: nn.Module, box: Box, resolution: int = 100, fast_mlp: FastMLP | None = None
) -> np.ndarray:
    """Return sigmoid(output) of a one-logit network over the box, (resolution, resolution)."""
    logits = grid_outputs(net, box, resolution, fast_mlp)
    probs = torch.sigmoid(logits).reshape(resolution, resolution)
    return probs.cpu().numpy().astype(np.float32)
