"""Exact linear regions of a piecewise-linear MLP with one input: intervals of a line.

The 1D counterpart of regions.py. On an interval where every hidden unit stays on one piece of
its activation the network is one affine map of x, and each unit's pre-activation is a line
z = a x + c. Layer by layer, each interval is cut where some unit's line crosses a kink of the
activation strictly inside it; then each piece's pattern (evaluated at its midpoint) fixes the
slopes, hence the next layer's lines. The output layer cuts nothing. As in 2D, two neighbouring
intervals are counted apart even where their affine maps happen to agree.

Tolerance (float64): a crossing counts only when it lies more than 1e-12 of the interval's length
inside it, so a unit exactly on a kink at an end, or a line lying on the kink (a = 0), cuts
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from torch import nn

from models.activations import PiecewiseLinear
from models.analysis.regions import Layer, check_layers, layers_from_module, lookup_activation
from models.features import LINE_FEATURES, FeatureMap

_INSIDE = 1e-12


def interval_breaks(
    layers: Sequence[Layer],
    activation: str | PiecewiseLinear,
    bounds: tuple[float, float],
    max_regions: int | None = None,
) -> NDArray[np.float64]:
    """Return the sorted ends of the network's linear intervals over [lo, hi], both included.

    `layers` chain from 1 input (torch's (out, in) weights). Raises ValueError for bad input,
    and once the count passes max_regions if one is given.
    """
    lo, hi = float(bounds[0]), float(bounds[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"bounds must be finite with lo < hi, got {bounds}")
    check_layers(layers, inputs=1)
    pieces = lookup_activation(activation)
    kinks = np.asarray(pieces.kinks, dtype=np.float64)
    slopes = np.asarray(pieces.slopes, dtype=np.float64)
    intercepts = np.asarray(pieces.intercepts, dtype=np.float64)
    ends = np.array([lo, hi])
    # Per interval, the input's affine map into the current layer: value = slope * x + offset.
    slope = np.ones((1, 1))  # (intervals, width)
    offset = np.zeros((1, 1))
    for weight, bias in layers[:-1]:
        a = slope @ weight.T  # (I, width) -> (I, units)
        c = offset @ weight.T + bias
        cuts = [ends]
        left, right = ends[:-1, None], ends[1:, None]
        margin = _INSIDE * (right - left)
        for kink in kinks:
            with np.errstate(divide="ignore", invalid="ignore"):
                x = (kink - c) / a  # (I, units): where each unit's line meets the kink
            inside = np.isfinite(x) & (x > left + margin) & (x < right - margin)
            cuts.append(x[inside])
        parents_ends = ends
        ends = np.unique(np.concatenate(cuts))
        if max_regions is not None and len(ends) - 1 > max_regions:
            raise ValueError(f"more than {max_regions} regions")
        middle = (ends[:-1] + ends[1:]) / 2  # (I',)
        parent = np.searchsorted(parents_ends, middle) - 1  # the interval each piece came from
        z = a[parent] * middle[:, None] + c[parent]  # (I', units)
        piece = (z[..., None] > kinks).sum(axis=-1)  # how many kinks lie below each z
        slope = slopes[piece] * a[parent]
        offset = slopes[piece] * c[parent] + intercepts[piece]
    return ends


def count_intervals(
    layers: Sequence[Layer],
    activation: str | PiecewiseLinear,
    bounds: tuple[float, float],
    max_regions: int | None = None,
) -> int:
    """Return the number of linear intervals of a 1-input network over [lo, hi]."""
    return len(interval_breaks(layers, activation, bounds, max_regions)) - 1


def line_layers(net: nn.Module) -> list[Layer]:
    """The affine layers of a network on 1D data, in order, as float64 (weight, bias) pairs.

    Its FeatureMap of the raw x1 passes the input on unchanged; any other FeatureMap (x1², sin)
    is not piecewise linear in x: ValueError, as for layers_from_module.
    """
    kept = [
        module
        for module in net.children()
        if not (isinstance(module, FeatureMap) and module.names == LINE_FEATURES)
    ]
    return layers_from_module(nn.Sequential(*kept))
