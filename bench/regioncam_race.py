"""Exact 2D region counting against regioncam (Rust, `pip install regioncam`), the fastest we know.

The nets of issue 20: ReLU, He-initialised weights, biases N(0, 0.1²), the box [-3, 3]². The
ratio is our best time over regioncam's best, in one run, calls interleaved. Where the counts
differ the bench prints both: on 64x64x64 regioncam's 15,541 faces carry 15,537 patterns, all
among our 15,539, whose two extra triangles hold in exact arithmetic
(tests/models/test_regions_regioncam.py, which holds the counts equal on smaller nets).
regioncam is a bench and test dependency only (the `dev` extra), never one of the app's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from models.analysis.regions import count_regions

WIDTHS = ((16, 16, 16), (32, 32), (32, 32, 32), (64, 64), (64, 64, 64))
BOX = (-3.0, 3.0, -3.0, 3.0)
Layers = list[tuple[NDArray[np.float64], NDArray[np.float64]]]


def random_relu_net(hidden: Sequence[int], seed: int = 0) -> Layers:
    """He-initialised (out, in) weights with N(0, 0.1²) biases, 2 inputs and 1 output.

    Rounded to float32, the precision regioncam takes, so both tools count the same net.
    """
    rng = np.random.default_rng(seed)
    dims = (2, *hidden, 1)
    f32 = np.float32
    return [
        (
            rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_out, fan_in)).astype(f32).astype(float),
            rng.normal(0.0, 0.1, fan_out).astype(f32).astype(float),
        )
        for fan_in, fan_out in pairwise(dims)
    ]


def ours(layers: Layers) -> int:
    """Our exact count over BOX."""
    return count_regions(layers, "relu", BOX)


def theirs(layers: Layers) -> int:
    """regioncam's count: its faces after every hidden layer's ReLU, over the same box."""
    import regioncam  # a bench/test dependency, imported where it is used

    cam = regioncam.Regioncam(size=BOX[1])  # the square [-size, size]²
    for weight, bias in layers[:-1]:  # the output layer cuts nothing
        # regioncam computes x @ weight + bias in float32: (in, out) weights.
        cam.linear(weight.T.astype(np.float32), bias.astype(np.float32))
        cam.relu()
    return int(cam.num_faces)


def _best_ms(layers: Layers, repeats: int, clock: Callable[[], float]) -> tuple[float, ...]:
    """Best-of-`repeats` ms and count of ours, then of regioncam's, on `clock`; the calls are
    interleaved so that a burst of load on a shared machine falls on both."""
    times: dict[Callable[[Layers], int], list[float]] = {ours: [], theirs: []}
    counts = {ours: 0, theirs: 0}
    for _ in range(repeats):
        for count in (ours, theirs):
            started = clock()
            counts[count] = count(layers)
            times[count].append(clock() - started)
    return 1000 * min(times[ours]), counts[ours], 1000 * min(times[theirs]), counts[theirs]


def regions_vs_regioncam(repeats: int = 5) -> dict[str, float]:
    """Per net our count and our time over regioncam's; `regions_vs_regioncam` is the worst
    ratio of wall times, `_cpu` of process CPU times (steadier where other work shares the cores).

    Empty when regioncam is not installed (the bench says so rather than failing).
    """
    try:
        import regioncam  # noqa: F401
    except ImportError:
        print("regions_vs_regioncam skipped: pip install -e '.[dev]' brings regioncam")
        return {}
    result: dict[str, float] = {}
    worst = worst_cpu = 0.0
    for hidden in WIDTHS:
        layers = random_relu_net(hidden)
        our_ms, our_count, their_ms, their_count = _best_ms(layers, repeats, time.perf_counter)
        our_cpu, _, their_cpu, _ = _best_ms(layers, repeats, time.process_time)
        name = "x".join(map(str, hidden))
        result[f"regions_{name}_count"] = our_count
        if our_count != their_count:  # 64x64x64: regioncam's float32 slivers (see the test)
            result[f"regions_{name}_regioncam_count"] = their_count
        result[f"regions_{name}_vs_regioncam"] = round(our_ms / their_ms, 2)
        result[f"regions_{name}_vs_regioncam_cpu"] = round(our_cpu / their_cpu, 2)
        worst = max(worst, our_ms / their_ms)
        worst_cpu = max(worst_cpu, our_cpu / their_cpu)
    result["regions_vs_regioncam"] = round(worst, 2)
    result["regions_vs_regioncam_cpu"] = round(worst_cpu, 2)
    return result
