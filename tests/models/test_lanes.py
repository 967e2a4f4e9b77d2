"""models/lanes.py: lanes in lockstep are fair, deterministic and each one a run alone."""

from __future__ import annotations

import math
from dataclasses import replace

import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.lanes import Lanes
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
