"""A learner's sweep: every axis trains each run to the numbers one Trainer alone gives.

The oracle is Trainer itself, one run at a time, with the spec the grid point describes; the
engine trains what it can batched (stacked weights) and the rest one Trainer after another.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.trainer import Trainer
from models.user_sweep import (
    Axis,
    SweepError,
    UserSweep,
    apply_value,
    batchable,
    expand,
    parameter_count,
    plan_chunks,
    run_count,
)
from models.user_sweep_chunk import ChunkRun, RunOutcome, train_chunk

STEPS = 30
BASE = RunSpec(
    network=NetworkSpec(hidden=(LayerSpec(4, "tanh"), LayerSpec(3, "tanh"))),
    data=DataSpec("xor", points=120, noise=0.1),
    training=TrainSpec("adam", learning_rate=0.03, batch_size=10),
    seed=3,
)


def _train(base: RunSpec, sweep: UserSweep) -> dict[int, RunOutcome]:
    outcomes: dict[int, RunOutcome] = {}
    for chunk in plan_chunks(expand(base, sweep), max_runs=200, max_sequential=4):
        result = train_chunk(chunk, sweep.steps, slice_steps=7)  # slices: resuming is exact
        assert result is not None
        outcomes.update((o.index, o) for o in result)
    return outcomes


def _assert_as_trainer(base: RunSpec, sweep: UserSweep) -> None:
    runs = expand(base, sweep)
    outcomes = _train(base, sweep)
    assert sorted(outcomes) == list(range(run_count(sweep)))
    for run in runs:
        trainer = Trainer(run.spec)
        diverged = trainer.step(sweep.steps).diverged_at is not None
        expected = trainer.evaluate()
        got = outcomes[run.index]
        assert got.train_loss == pytest.approx(expected.train_loss, rel=1e-5, abs=1e-5)
        assert got.test_loss == pytest.approx(expected.test_loss, rel=1e-5, abs=1e-5)
        # an accuracy may differ by a point whose logit sits within rounding of 0
        if expected.test_accuracy is None:  # regression
            assert got.test_accuracy is None and got.train_accuracy is None
        else:
            assert got.test_accuracy == pytest.approx(expected.test_accuracy, abs=0.02)
        assert got.diverged == diverged


AXES = [
    Axis("seed", (0.0, 5.0, 9.0)),
    Axis("width", (2.0, 3.0, 6.0), layer=0),
    Axis("width", (1.0, 5.0)),  # every hidden layer
    Axis("depth", (0.0, 1.0, 3.0)),
    Axis("learning_rate", (0.003, 0.1)),
    Axis("batch_size", (4.0, 10.0, 64.0)),
    Axis("weight_decay", (0.0, 0.01, 0.2)),
    Axis("dropout", (0.0, 0.3)),
    Axis("label_noise", (0.0, 0.25)),
    Axis("points", (40.0, 100.0)),
]


@pytest.mark.parametrize("axis", AXES, ids=lambda a: f"{a.setting}-{a.layer}")
def test_every_axis_trains_each_run_as_trainer_alone(axis: Axis) -> None:
    seeds = 1 if axis.setting == "seed" else 2
    _assert_as_trainer(BASE, UserSweep((axis,), seeds, STEPS))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adamw"])
def test_weight_decay_batches_exactly_for_other_optimizers(optimizer: str) -> None:
    base = replace(BASE, training=replace(BASE.training, optimizer=optimizer))
    _assert_as_trainer(base, UserSweep((Axis("weight_decay", (0.0, 0.05)),), 2, STEPS))


def test_two_axes_in_grid_order_with_seeds_innermost() -> None:
    sweep = UserSweep((Axis("width", (2.0, 4.0), 1), Axis("learning_rate", (0.01, 0.05))), 3, 20)
    runs = expand(BASE, sweep)
    assert [r.values for r in runs[:4]] == [(2.0, 0.01)] * 3 + [(2.0, 0.05)]
    assert [r.spec.seed for r in runs[:4]] == [3, 4, 5, 3]
    last = runs[-1].spec
    assert last.network.hidden[1].units == 4 and last.training.learning_rate == 0.05
    _assert_as_trainer(BASE, sweep)


def test_what_the_stacked_step_cannot_train_goes_one_by_one() -> None:
    spiral = replace(BASE, data=DataSpec("spiral", points=90, classes=3))
    multiclass = replace(
        spiral,
        network=replace(BASE.network, outputs=3),
        training=replace(BASE.training, loss="cross_entropy"),
    )
    assert not batchable(multiclass)
    normed = replace(BASE, network=NetworkSpec(hidden=(LayerSpec(4, "tanh", batch_norm=True),)))
    assert not batchable(normed)
    assert not batchable(apply_value(BASE, "dropout", 0.2))
    assert batchable(apply_value(BASE, "weight_decay", 0.1))
    chunks = plan_chunks(expand(multiclass, UserSweep((Axis("seed", (1.0, 2.0)),), 1, 5)), 10)
    assert [c.batched for c in chunks] == [False]
    _assert_as_trainer(multiclass, UserSweep((Axis("width", (2.0, 5.0), 0),), 2, 15))


def test_regression_trains_one_by_one_without_accuracies() -> None:
    plane = replace(
        BASE, data=DataSpec("plane", points=80), training=replace(BASE.training, loss="mse")
    )
    assert not batchable(plane)
    _assert_as_trainer(plane, UserSweep((Axis("learning_rate", (0.01, 0.05)),), 2, 15))


def test_depth_copies_the_last_layer_and_width_reaches_the_new_layers() -> None:
    sweep = UserSweep((Axis("width", (7.0,)), Axis("depth", (4.0,))), 1, 1)
    (run,) = expand(BASE, sweep)
    assert [layer.units for layer in run.spec.network.hidden] == [7, 7, 7, 7]
    deeper = apply_value(BASE, "depth", 3)
    assert deeper.network.hidden[2] == BASE.network.hidden[1]
    assert apply_value(BASE, "depth", 0).network.hidden == ()


def test_a_width_of_a_missing_layer_is_refused() -> None:
    with pytest.raises(SweepError, match="hidden layer 5: the network has 2 hidden layers"):
        apply_value(BASE, "width", 3, layer=4)


def test_parameter_count_matches_the_built_network() -> None:
    for spec in [BASE, apply_value(BASE, "depth", 0), apply_value(BASE, "width", 9)]:
        net = Trainer(spec).net
        assert parameter_count(spec.network) == sum(p.numel() for p in net.parameters())


def test_a_chunk_resumes_where_it_stopped() -> None:
    chunk = plan_chunks(expand(BASE, UserSweep((Axis("seed", (1.0, 2.0)),), 1, 25)), 10)[0]
    whole = ChunkRun(chunk, 25)
    whole.advance(25)
    parts = ChunkRun(chunk, 25)
    for _ in range(5):
        parts.advance(6)  # the last slice stops at the total
    assert parts.done and parts.steps == 25
    assert parts.outcomes() == whole.outcomes()


def test_a_cancelled_chunk_returns_nothing() -> None:
    chunk = plan_chunks(expand(BASE, UserSweep((Axis("seed", (1.0,)),), 1, 100)), 10)[0]
    assert train_chunk(chunk, 100, slice_steps=10, cancelled=lambda: True) is None
