"""models/lanes.py: lanes in lockstep are fair, deterministic and each one a run alone."""

from __future__ import annotations

import math
from dataclasses import replace

import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.lanes import Lanes, lane_batch_key
from models.trainer import Trainer

SPIRAL = RunSpec(
    network=NetworkSpec(hidden=(LayerSpec(8, "tanh"), LayerSpec(8, "tanh"))),
    data=DataSpec(name="spiral", points=500),
    training=TrainSpec(optimizer="sgd", learning_rate=0.03, batch_size=10),
    seed=3,
)


def with_activation(spec: RunSpec, activation: str) -> RunSpec:
    hidden = tuple(replace(layer, activation=activation) for layer in spec.network.hidden)
    return replace(spec, network=replace(spec.network, hidden=hidden))


def state(trainer: Trainer) -> list[torch.Tensor]:
    return [t.detach().clone() for t in trainer.net.state_dict().values()]


def same_tensors(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return len(a) == len(b) and all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


def test_two_lanes_of_the_same_setup_are_bit_identical() -> None:
    """They train in one batch (models/stacked.py), every lane through the same kernels."""
    lanes = Lanes.build([SPIRAL, SPIRAL])
    losses: list[list[float]] = [[], []]
    for k in (1, 7, 30, 2):
        for curve, result in zip(losses, lanes.step(k), strict=True):
            assert result is not None
            curve.append(result.loss)
    first, second = lanes.trainers
    assert losses[0] == losses[1]
    assert first.evaluate() == second.evaluate()
    assert same_tensors(state(first), state(second))


def test_a_lane_equals_the_same_setup_run_alone() -> None:
    """Lanes of three activations take turns (fair turns): each is bit for bit its run alone."""
    relu = with_activation(SPIRAL, "relu")
    lanes = Lanes.build([SPIRAL, relu, with_activation(SPIRAL, "sigmoid")])
    alone = Trainer(relu)
    for k in (5, 1, 40, 13):
        lane_result = lanes.step(k)[1]
        assert lane_result is not None and lane_result == alone.step(k)
    assert lanes.trainers[1].evaluate() == alone.evaluate()
    assert same_tensors(state(lanes.trainers[1]), state(alone))


def test_lanes_of_the_same_shapes_start_from_the_same_weights_and_data() -> None:
    specs = [SPIRAL, with_activation(SPIRAL, "relu"), replace(SPIRAL, training=TrainSpec("adam"))]
    trainers = Lanes.build(specs).trainers
    for other in trainers[1:]:
        assert same_tensors(state(trainers[0]), state(other))
        assert torch.equal(trainers[0].split.train.x, other.split.train.x)
    wider = Lanes.build([SPIRAL, replace(SPIRAL, network=NetworkSpec((LayerSpec(16),)))])
    assert torch.equal(wider.trainers[0].split.test.y, wider.trainers[1].split.test.y)


def test_every_lane_gets_the_same_steps_each_turn() -> None:
    lanes = Lanes.build([SPIRAL, with_activation(SPIRAL, "relu"), replace(SPIRAL, seed=4)])
    total = 0
    for k in (3, 1, 25, 8):
        lanes.step(k)
        total += k
        assert [t.steps for t in lanes.trainers] == [total] * 3


def test_a_diverged_lane_stops_while_the_others_go_on() -> None:
    deep_linear = NetworkSpec(hidden=(LayerSpec(32, "linear"),) * 6)  # explodes in a few steps
    wild = replace(SPIRAL, network=deep_linear, training=replace(SPIRAL.training, learning_rate=10))
    lanes = Lanes.build([SPIRAL, wild])
    for _ in range(20):
        lanes.step(50)
        if lanes.lanes[1].stopped:
            break
    calm, runaway = lanes.lanes
    assert runaway.diverged_at is not None and not calm.stopped
    frozen = runaway.trainer.steps
    results = lanes.step(10)
    assert results[1] is None and runaway.trainer.steps == frozen
    assert calm.trainer.steps > frozen and math.isfinite(calm.trainer.evaluate().test_loss)


def test_reset_gives_every_lane_new_weights_alike_and_step_zero() -> None:
    lanes = Lanes.build([SPIRAL, with_activation(SPIRAL, "relu")])
    before = state(lanes.trainers[0])
    lanes.step(20)
    lanes.reset()
    first, second = lanes.trainers
    assert first.steps == second.steps == 0
    assert same_tensors(state(first), state(second))
    assert not same_tensors(state(first), before)


ADAM = replace(SPIRAL, training=TrainSpec("adam", learning_rate=0.03, batch_size=10))


def close_tensors(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    """Equal to float32 rounding: a batched lane's matmuls (torch.bmm over the lanes) may sum
    in another order than a lone run's torch.mm, so the last bits can differ."""
    return all(torch.allclose(x, y, rtol=1e-5, atol=1e-6) for x, y in zip(a, b, strict=True))


def test_lanes_of_the_same_shapes_train_batched_and_each_matches_its_run_alone() -> None:
    for spec in (SPIRAL, ADAM):
        specs = [spec, replace(spec, seed=4), replace(spec, seed=5)]
        lanes = Lanes.build(specs)
        keys = {lane_batch_key(t) for t in lanes.trainers}
        first = lanes.trainers[0]
        if first.fast_mlp is not None and first.fast_mlp.in_c(first.opt):
            assert keys == {None}  # plain SGD in the C loop: each lane alone, faster
        else:
            assert len(keys - {None}) == 1  # one batch
        alone = [Trainer(s) for s in specs]
        for k in (5, 1, 40, 13):
            for lane_result, trainer in zip(lanes.step(k), alone, strict=True):
                result = trainer.step(k)
                assert lane_result is not None and lane_result.step == result.step
                assert math.isclose(lane_result.loss, result.loss, rel_tol=1e-5)
        for lane, trainer in zip(lanes.trainers, alone, strict=True):
            assert close_tensors(state(lane), state(trainer))


def test_a_batched_lane_hands_back_its_optimizer_state_and_batch_order() -> None:
    """After batched steps a lane goes on alone (promoted) as its run alone does: Adam's
    moments and step count and the minibatch stream come back with the weights."""
    lanes = Lanes.build([ADAM, ADAM])
    alone = Trainer(ADAM)
    lanes.step(30)
    alone.step(30)
    promoted = lanes.trainers[1]
    for k in (7, 25):
        assert math.isclose(promoted.step(k).loss, alone.step(k).loss, rel_tol=1e-5)
    assert close_tensors(state(promoted), state(alone))


def test_fair_turns_are_bit_identical_to_runs_alone() -> None:
    """Lanes off the fast path (here an L2 penalty) take turns, each exactly its run alone."""
    l2 = replace(SPIRAL, training=replace(SPIRAL.training, l2=0.001))
    lanes = Lanes.build([l2, l2])
    assert lane_batch_key(lanes.trainers[0]) is None
    alone = Trainer(l2)
    for k in (3, 20, 9):
        first, second = lanes.step(k)
        assert first is not None and first == second == alone.step(k)
    assert same_tensors(state(lanes.trainers[0]), state(alone))
    assert same_tensors(state(lanes.trainers[1]), state(alone))
