"""A learner's own sweep: their setup varied along one or two axes, times seeds, as RunSpecs.

`expand` turns the base RunSpec and a `UserSweep` into the planned runs in grid order (axis 0
outer, axis 1 inner, seeds innermost); `plan_chunks` groups them into chunks that train
batched (models/sweep.py, runs sharing a `batch_key`) or, for what the stacked step cannot
do, one Trainer after another; models/user_sweep_chunk.py trains a chunk. The mapping of a
setting to the RunSpec is the one the page uses to load a point as the main run.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

from models.activations import ACTIVATIONS, activation_of
from models.config import LayerSpec, NetworkSpec, RunSpec
from models.readout import LEAST_SQUARES, TRAINED, readout_parameters
from models.sweep import batch_key

_NAMES = "seed width depth learning_rate batch_size weight_decay dropout label_noise points"
SETTINGS = tuple(_NAMES.split())
"""What an axis may vary (the wire's SweepSetting, in its order)."""
BATCHED_OPTIMIZERS = frozenset({"sgd", "momentum", "rmsprop", "adam", "adamw", "adagrad"})
"""Optimizers whose update is elementwise, so stacking runs cannot mix them."""


@dataclass(frozen=True)
class Axis:
    """One axis: a setting of SETTINGS and its values; `layer` picks one hidden layer's width."""

    setting: str
    values: tuple[float, ...]
    layer: int | None = None


@dataclass(frozen=True)
class UserSweep:
    axes: tuple[Axis, ...]
    seeds_per_point: int
    steps: int


@dataclass(frozen=True)
class PlannedRun:
    """One run of the grid: its place in grid order, its grid point and axis values, its spec."""

    index: int
    point: int
    values: tuple[float, ...]
    spec: RunSpec


@dataclass(frozen=True)
class Chunk:
    """Runs trained together: batched (one Sweep) or one Trainer after another."""

    runs: tuple[PlannedRun, ...]
    batched: bool


class SweepError(ValueError):
    """A sweep that does not fit the setup (a width of a layer it does not have, say)."""


def apply_value(spec: RunSpec, setting: str, value: float, layer: int | None = None) -> RunSpec:
    """Return `spec` with one setting changed, as loading that point as the main run does."""
    network, data, training = spec.network, spec.data, spec.training
    whole = round(value)
    match setting:
        case "seed":
            return replace(spec, seed=whole)
        case "width":
            hidden = network.hidden
            if layer is not None and layer >= len(hidden):
                raise SweepError(
                    f"width of hidden layer {layer + 1}: the network has {len(hidden)} hidden"
                    " layers"
                )
            widened = tuple(
                replace(h, units=whole) if layer in (None, i) else h for i, h in enumerate(hidden)
            )
            return replace(spec, network=replace(network, hidden=widened))
        case "depth":
            last = network.hidden[-1] if network.hidden else LayerSpec()
            deeper = (*network.hidden, *[last] * whole)[:whole]
            return replace(spec, network=replace(network, hidden=deeper))
        case "dropout":
            hidden = tuple(replace(h, dropout=value) for h in network.hidden)
            return replace(spec, network=replace(network, hidden=hidden))
        case "learning_rate":
            return replace(spec, training=replace(training, learning_rate=value))
        case "weight_decay":
            return replace(spec, training=replace(training, weight_decay=value))
        case "batch_size":
            return replace(spec, training=replace(training, batch_size=whole))
        case "label_noise":
            return replace(spec, data=replace(data, label_noise=value))
        case "points":
            return replace(spec, data=replace(data, points=whole))
    raise SweepError(f"unknown sweep setting {setting!r}; known: {', '.join(SETTINGS)}")


def point_specs(base: RunSpec, sweep: UserSweep) -> list[tuple[tuple[float, ...], RunSpec]]:
    """Every grid point's axis values and spec (with the base seed), in grid order.

    Depth applies before width, so a width axis reaches the layers a depth axis adds.
    """
    order = sorted(range(len(sweep.axes)), key=lambda i: sweep.axes[i].setting != "depth")
    points = []
    for values in itertools.product(*(axis.values for axis in sweep.axes)):
        spec = base
        for i in order:
            spec = apply_value(spec, sweep.axes[i].setting, values[i], sweep.axes[i].layer)
        points.append((tuple(values), spec))
    return points


def expand(base: RunSpec, sweep: UserSweep) -> list[PlannedRun]:
    """Every run of the sweep in grid order: seeds base.seed + 0 … k−1 innermost (a seed axis
    gives the seeds itself)."""
    runs: list[PlannedRun] = []
    for point, (values, spec) in enumerate(point_specs(base, sweep)):
        for offset in range(sweep.seeds_per_point):
            seeded = replace(spec, seed=spec.seed + offset)
            runs.append(PlannedRun(len(runs), point, values, seeded))
    return runs


def run_count(sweep: UserSweep) -> int:
    """Runs of the sweep, without building them."""
    return math.prod(len(axis.values) for axis in sweep.axes) * sweep.seeds_per_point


def fitted_parameters(spec: RunSpec) -> int:
    """Parameters training fits: all of the network's, or the output layer's alone when the
    read-out is solved by least squares (the count the interpolation threshold compares with
    the training points)."""
    network = spec.network
    if spec.training.readout == LEAST_SQUARES:
        width = network.hidden[-1].units if network.hidden else network.inputs
        return readout_parameters(width, network.outputs)
    return parameter_count(network)


def parameter_count(network: NetworkSpec) -> int:
    """Trainable parameters of `network` as build_network builds it (norms included)."""
    sizes = [network.inputs, *(layer.units for layer in network.hidden), network.outputs]
    linear = sum(fan_in * fan_out + fan_out for fan_in, fan_out in itertools.pairwise(sizes))
    norms = sum(
        2 * layer.units * (int(layer.batch_norm) + int(layer.layer_norm))
        for layer in network.hidden
    )
    return linear + norms


def batchable(spec: RunSpec) -> bool:
    """Whether the stacked step trains `spec` exactly as Trainer does.

    It knows BCE on one logit, elementwise optimizers (weight decay included), a constant rate
    and activations with a hand-derived backward; no normalisation, dropout (its masks come
    from each run's own RNG), schedule, penalty, clipping, input noise, early stopping or
    least-squares read-out.
    """
    network, training = spec.network, spec.training
    layers_ok = all(
        not (layer.batch_norm or layer.layer_norm or layer.dropout)
        and activation_of(ACTIVATIONS[layer.activation].build()) is not None
        for layer in network.hidden
    )
    return (
        layers_ok
        and network.outputs == 1
        and training.loss == "bce"
        and training.optimizer in BATCHED_OPTIMIZERS
        and training.schedule == "constant"
        and training.clip_norm == 0
        and training.l1 == 0
        and training.l2 == 0
        and training.input_noise == 0
        and training.early_stopping == 0
        and training.readout == TRAINED
    )


def plan_chunks(
    runs: Sequence[PlannedRun], max_runs: int, max_sequential: int | None = None
) -> list[Chunk]:
    """Group the runs into chunks: runs sharing a batch_key train as one batch of at most
    `max_runs`; the rest one Trainer after another, at most `max_sequential` (default
    `max_runs`) a chunk. Chunks keep grid order as far as they can."""
    groups: dict[tuple[bool, Hashable], list[PlannedRun]] = {}
    for run in runs:
        batched = batchable(run.spec)
        groups.setdefault((batched, batch_key(run.spec) if batched else None), []).append(run)
    chunks = []
    for (batched, _), group in groups.items():
        size = max_runs if batched else max_sequential or max_runs
        for start in range(0, len(group), size):
            chunks.append(Chunk(tuple(group[start : start + size]), batched))
    return chunks
