"""arrange_layer (all of a layer's cells at once) against cut_layer (one line at a time).

regions.py arranges every layer, by its dense path where most lines cross most polygons (the
first layer's box) and its sparse path elsewhere, and cuts only where arrange_layer declines.
Here every layer goes through one engine alone (the dense path, the sparse path, or cutting)
and the regions must be the same after every layer: the same count, the same set of patterns,
polygons that tile the box.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

import models.analysis.arrange as arrange_module
import models.analysis.regions as regions_module
from bench.regioncam_race import BOX, Layers, random_relu_net
from models.analysis.regions import Regions, compute_regions, count_regions

ENGINES = {"dense": 0.0, "sparse": 2.0}  # arrange's DENSE share: always or never


def _regions(
    monkeypatch: pytest.MonkeyPatch, engine: str, layers: Layers, act: str, box: tuple[float, ...]
) -> tuple[Regions, list[bool]]:
    """The regions by one engine alone, and whether arrange_layer took each layer."""
    arranged: list[bool] = []
    original = arrange_module.arrange_layer

    def arrange(*args: object) -> bool:
        if engine == "cut":
            return False
        arranged.append(original(*args))  # type: ignore[arg-type]
        return arranged[-1]

    with monkeypatch.context() as patch:
        patch.setattr(regions_module, "arrange_layer", arrange)
        patch.setattr(arrange_module, "DENSE", ENGINES.get(engine, 0.5))
        regions = compute_regions(layers, act, box)  # type: ignore[arg-type]
    return regions, arranged


def _area(polygon: NDArray[np.float64]) -> float:
    x, y = polygon.T
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _same_regions(
    monkeypatch: pytest.MonkeyPatch, engine: str, layers: Layers, act: str, box: tuple[float, ...]
) -> list[bool]:
    """Assert that `engine` and cutting give the same regions after every layer; return
    whether arrange_layer took each layer of the whole net."""
    taken: list[bool] = []
    for depth in range(1, len(layers)):
        width = len(layers[depth - 1][1])  # the output layer splits nothing: any will do
        net = [*layers[:depth], (np.ones((1, width)), np.zeros(1))]
        arranged, taken = _regions(monkeypatch, engine, net, act, box)
        cut, _ = _regions(monkeypatch, "cut", net, act, box)
        assert arranged.count == cut.count == len(arranged.polygons)
        assert {p.tobytes() for p in arranged.patterns} == {p.tobytes() for p in cut.patterns}
        areas = [_area(p) for p in arranged.polygons]
        assert sum(areas) == pytest.approx((box[1] - box[0]) * (box[3] - box[2]))
        assert min(areas) > 0
    return taken


@pytest.mark.parametrize("engine", ["dense", "sparse"])
@pytest.mark.parametrize("hidden", [(6,), (12, 12), (10, 10, 10), (24, 8)])
@pytest.mark.parametrize("activation", ["relu", "hardtanh", "leaky_relu"])
def test_arranging_every_layer_gives_the_cut_regions(
    monkeypatch: pytest.MonkeyPatch, engine: str, hidden: tuple[int, ...], activation: str
) -> None:
    layers = random_relu_net(hidden, seed=len(hidden))
    taken = _same_regions(monkeypatch, engine, layers, activation, BOX)
    assert all(taken)  # in general position it never declines, so it is what was tested


def test_more_than_62_lines_crossing_one_polygon_take_several_key_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    layers = random_relu_net((70,), seed=5)  # 70 lines across the box: two words a key
    for engine in ENGINES:
        assert all(_same_regions(monkeypatch, engine, layers, "relu", BOX))


def _degenerate_nets() -> dict[str, Layers]:
    """Nets whose lines meet degenerately: arrange_layer must decline (or stay exact)."""
    rng = np.random.default_rng(3)
    angles = np.linspace(0.1, np.pi - 0.1, 5)
    through_origin = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    w1, b1 = rng.normal(size=(6, 2)), rng.normal(0, 0.3, 6)
    w2, b2 = rng.normal(size=(5, 6)), rng.normal(0, 0.3, 5)
    out = (rng.normal(size=(1, 5)), np.zeros(1))
    return {
        "concurrent": [(through_origin, np.zeros(5)), (np.ones((1, 5)), np.zeros(1))],
        "duplicate units": [
            (np.vstack([w1, w1[:2]]), np.r_[b1, b1[:2]]),
            (w2[:, [*range(6), 0, 1]], b2),
            out,
        ],
        "parallel": [
            (np.vstack([w1, 2 * w1[:2]]), np.r_[b1, b1[:2] + 0.5]),
            (w2[:, [*range(6), 0, 1]], b2),
            out,
        ],
        "one active unit": [(w1[:1], b1[:1]), (w2[:, :1], b2), out],
        "through a corner": [(w1, -(w1 @ [3.0, 3.0])), (w2, b2), out],
    }


@pytest.mark.parametrize("engine", ["dense", "sparse"])
@pytest.mark.parametrize("name", list(_degenerate_nets()))
@pytest.mark.parametrize("activation", ["relu", "hardtanh"])
def test_degenerate_lines_give_the_cut_regions_and_counts(
    monkeypatch: pytest.MonkeyPatch, engine: str, name: str, activation: str
) -> None:
    layers = _degenerate_nets()[name]
    _same_regions(monkeypatch, engine, layers, activation, BOX)
    cut, _ = _regions(monkeypatch, "cut", layers, activation, BOX)
    assert count_regions(layers, activation, BOX) == cut.count
