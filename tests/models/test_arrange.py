"""arrange_layer (all of a layer's cells at once) against cut_layer (one line at a time).

regions.py arranges the first layer and cuts the others; here every layer goes through each
engine in turn and the regions must be the same: the same count and the same set of patterns.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

import models.analysis.regions as regions_module
from bench.regioncam_race import BOX, Layers, random_relu_net
from models.analysis.arrange import arrange_layer
from models.analysis.regions import Regions, compute_regions
from models.analysis.tiling import Lines, Tiling, cut_layer


def _regions(monkeypatch: pytest.MonkeyPatch, arrange: bool, layers: Layers, act: str) -> Regions:
    arranged: list[bool] = []

    def cut(tiling: Tiling, lines: Lines, first_line: int, limit: float) -> None:
        reach = max(abs(c) for c in BOX)
        if arrange:
            arranged.append(arrange_layer(tiling, lines, first_line, reach, limit))
        if not (arrange and arranged[-1]):
            cut_layer(tiling, lines, first_line, limit)

    with monkeypatch.context() as patch:
        patch.setattr(regions_module, "arrange_layer", lambda *args: False)
        patch.setattr(regions_module, "cut_layer", cut)
        regions = compute_regions(layers, act, BOX)
    assert all(arranged)  # in general position it never declines, so it is what was tested
    return regions


def _area(polygon: NDArray[np.float64]) -> float:
    x, y = polygon.T
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


@pytest.mark.parametrize("hidden", [(6,), (12, 12), (10, 10, 10)])
@pytest.mark.parametrize("activation", ["relu", "hardtanh", "leaky_relu"])
def test_arranging_every_layer_gives_the_cut_regions(
    monkeypatch: pytest.MonkeyPatch, hidden: tuple[int, ...], activation: str
) -> None:
    layers = random_relu_net(hidden, seed=len(hidden))
    arranged = _regions(monkeypatch, True, layers, activation)
    cut = _regions(monkeypatch, False, layers, activation)
    assert arranged.count == cut.count == len(arranged.polygons)
    assert {p.tobytes() for p in arranged.patterns} == {p.tobytes() for p in cut.patterns}
    areas = [_area(p) for p in arranged.polygons]
    assert sum(areas) == pytest.approx((BOX[1] - BOX[0]) * (BOX[3] - BOX[2]))
    assert min(areas) > 0
