"""Exact region counts against an independent implementation: regioncam (Rust), on random nets.

regioncam comes with the `dev` extra; where it is missing these tests are skipped. The nets are
those of bench/regioncam_race.py, smaller: both tools agree on every one of them.
"""

from __future__ import annotations

import pytest

from bench.regioncam_race import ours, random_relu_net, theirs

pytest.importorskip("regioncam")


@pytest.mark.parametrize("hidden", [(8, 8), (16, 16, 16), (32, 32), (24, 24, 24)])
@pytest.mark.parametrize("seed", range(3))
def test_our_count_equals_regioncams(hidden: tuple[int, ...], seed: int) -> None:
    layers = random_relu_net(hidden, seed)
    assert ours(layers) == theirs(layers)
