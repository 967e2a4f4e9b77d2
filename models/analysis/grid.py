"""Evaluate a network's output over a regular grid of the input box."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def grid_points(box: tuple[float, float, float, float], resolution: int) -> torch.Tensor:
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


def eval_grid(
    net: nn.Module, box: tuple[float, float, float, float], resolution: int = 100
) -> np.ndarray:
    """Return sigmoid(output) over the box as a (resolution, resolution) float32 array."""
    device = next(net.parameters()).device
    with torch.inference_mode():
        logits = net(grid_points(box, resolution).to(device))  # (R*R, 1)
        probs = torch.sigmoid(logits).reshape(resolution, resolution)
    return probs.cpu().numpy().astype(np.float32)
