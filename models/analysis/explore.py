"""Depth vs width: exact region counts of randomly initialised nets sharing a neuron budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from models.analysis.regions import count_regions, layers_from_module
from models.analysis.tiling import Box
from models.config import LayerSpec, NetworkSpec
from models.network import build_network


@dataclass(frozen=True)
class DepthResult:
    """Region counts for one depth, one count per seed."""

    depth: int
    width: int
    counts: list[int]

    @property
    def mean(self) -> float:
        return float(np.mean(self.counts))

    @property
    def std(self) -> float:
        return float(np.std(self.counts))


def depth_vs_width(
    budget: int,
    depths: Sequence[int],
    seeds: int,
    activation: str,
    box: Box,
    max_regions: int | None = None,
) -> list[DepthResult]:
    """Count regions of `seeds` random nets per depth, each with `budget // depth` units a layer.

    Weights are PyTorch's default initialisation, as a fresh playground network gets; the
    lecture's exponential-in-depth growth is a bound, and random nets show how far below it
    they stay. Raises TooManyRegions (a ValueError) past `max_regions` for any one net.
    """
    results = []
    for depth in depths:
        width = max(1, budget // depth)
        spec = NetworkSpec(hidden=tuple(LayerSpec(width, activation) for _ in range(depth)))
        counts = []
        for seed in range(seeds):
            net = build_network(spec, torch.Generator().manual_seed(seed))
            counts.append(count_regions(layers_from_module(net), activation, box, max_regions))
        results.append(DepthResult(depth, width, counts))
    return results
