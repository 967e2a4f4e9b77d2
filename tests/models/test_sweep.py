import dataclasses
import math

import pytest
import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.optimizers import OPTIMIZERS
from models.sweep import Sweep, SweepResult, train_many
from models.trainer import Trainer

STEPS = 60  # past two epochs of 100 training points in batches of 10: reshuffles included
ATOL = 1e-5  # float32; stacked matmuls sum in another order than one run's


def _spec(
    widths: tuple[int, ...],
    activation: str = "tanh",
    optimizer: str = "adam",
    seed: int = 0,
    dataset: str = "xor",
    learning_rate: float = 0.03,
) -> RunSpec:
    return RunSpec(
        network=NetworkSpec(hidden=tuple(LayerSpec(w, activation) for w in widths)),
        data=DataSpec(dataset, points=200, noise=0.1),
        training=TrainSpec(optimizer, learning_rate=learning_rate, batch_size=10),
        seed=seed,
    )


def _assert_matches_trainer(result: SweepResult, steps: int) -> None:
    """The oracle: the same spec trained alone by Trainer for the same steps."""
    trainer = Trainer(result.spec)
    trainer.step(steps)
    expected = trainer.evaluate()
    assert result.train_loss == pytest.approx(expected.train_loss, abs=ATOL)
    assert result.test_loss == pytest.approx(expected.test_loss, abs=ATOL)
    # an accuracy may differ by a point whose logit sits within rounding of 0
    assert result.train_accuracy == pytest.approx(expected.train_accuracy, abs=0.011)
    assert result.test_accuracy == pytest.approx(expected.test_accuracy, abs=0.011)
    weights = trainer.net.state_dict()
    assert result.state_dict.keys() == weights.keys()
    for name, value in weights.items():
        torch.testing.assert_close(result.state_dict[name], value, rtol=0, atol=ATOL)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_each_run_of_a_sweep_trains_as_its_own_trainer(optimizer: str, activation: str) -> None:
    specs = [  # other seeds and other datasets in one batch
        _spec((5, 3), activation, optimizer, seed, dataset)
        for seed, dataset in [(0, "xor"), (1, "xor"), (2, "circle"), (3, "spiral")]
    ]
    sweep = Sweep(specs)
    losses = sweep.step(STEPS)  # (steps, runs)
    for k, spec in enumerate(specs):
        trainer = Trainer(spec)
        expected = torch.tensor([trainer.step().loss for _ in range(STEPS)])
        torch.testing.assert_close(losses[:, k], expected, rtol=0, atol=ATOL)
    for result in train_many(specs, STEPS):
        _assert_matches_trainer(result, STEPS)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_padded_widths_train_as_unpadded(optimizer: str, activation: str) -> None:
    widths = [(2, 3), (5, 1), (5, 3), (1, 4)]
    specs = [_spec(w, activation, optimizer, seed) for seed, w in enumerate(widths)]
    results = train_many(specs, STEPS)
    for result in results:
        _assert_matches_trainer(result, STEPS)
    assert results[0].state_dict["0.weight"].shape == (2, 2)  # unpadded again


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_padding_units_stay_exactly_zero(optimizer: str) -> None:
    # sigmoid(0) = 1/2, the one activation whose padding units output something
    sweep = Sweep([_spec((2, 1), "sigmoid", optimizer), _spec((4, 3), "sigmoid", optimizer, 1)])
    sweep.step(STEPS)
    w1, b1, w2, b2, w3, _ = (p[0] for p in sweep.params)  # the narrow run, padded to (4, 3)
    assert not w1[2:].any() and not b1[2:].any()
    assert not w2[:, 2:].any() and not w2[1:].any() and not b2[1:].any()
    assert not w3[:, 1:].any()


def test_train_many_batches_what_it_can_and_keeps_the_order() -> None:
    specs = [
        _spec((4,), "tanh", "adam", 0),
        _spec((3, 3), "relu", "sgd", 1),  # another depth and optimizer: its own batch
        _spec((2,), "tanh", "adam", 2),
        _spec((4,), "tanh", "adam", 3, learning_rate=0.1),  # another learning rate
        _spec((), "tanh", "adam", 4),  # no hidden layer: logistic regression
    ]
    results = train_many(specs, STEPS)
    assert [r.spec for r in results] == specs
    for result in results:
        _assert_matches_trainer(result, STEPS)


def test_history_holds_full_set_losses_every_n_steps() -> None:
    specs = [_spec((4,), seed=seed) for seed in range(3)]
    results = train_many(specs, 50, history_every=20)
    for result in results:
        assert result.history_steps == (20, 40, 50)
        assert len(result.history_train_loss) == len(result.history_test_loss) == 3
        assert result.history_train_loss[-1] == result.train_loss
        assert result.history_test_loss[-1] == result.test_loss
    trainer = Trainer(specs[1])
    trainer.step(20)
    assert results[1].history_test_loss[0] == pytest.approx(trainer.evaluate().test_loss, abs=ATOL)
    assert train_many(specs, 50)[0].history_steps == ()


def test_divergence_is_reported_at_the_step_trainer_reports() -> None:
    specs = [_spec((8, 8), "relu", "sgd", seed, learning_rate=1e20) for seed in range(2)]
    specs.append(_spec((8, 8), "relu", "sgd", 2))  # a sane run in the same batch
    results = train_many(specs, 10)
    for result in results:
        assert result.diverged_at == Trainer(result.spec).step(10).diverged_at
    assert results[0].diverged_at is not None and results[2].diverged_at is None
    assert math.isfinite(results[2].test_loss)


def test_the_network_of_a_result_computes_what_the_trained_trainer_does() -> None:
    (result,) = train_many([_spec((5, 3))], STEPS)
    trainer = Trainer(result.spec)
    trainer.step(STEPS)
    x = trainer.split.test.x
    with torch.no_grad():
        torch.testing.assert_close(result.network()(x), trainer.net(x), rtol=0, atol=ATOL)


def test_optimizers_without_a_fused_kernel_train_through_torch_optim(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    adam = dataclasses.replace(OPTIMIZERS["adam"], fused=None)  # as if torch renamed the kernel
    monkeypatch.setitem(OPTIMIZERS, "adam", adam)
    specs = [_spec((5, 3), seed=seed) for seed in range(2)] + [_spec((2, 3), seed=2)]
    for result in train_many(specs, STEPS):
        _assert_matches_trainer(result, STEPS)


def test_a_sweep_refuses_runs_that_cannot_share_a_batch() -> None:
    with pytest.raises(ValueError, match="batch_key"):
        Sweep([_spec((4,), "tanh"), _spec((4,), "relu")])
    with pytest.raises(ValueError, match="one output logit"):
        Sweep([dataclasses.replace(_spec((4,)), network=NetworkSpec(outputs=2))])


def test_more_tanh_units_solve_xor_from_more_seeds() -> None:
    """The course's question: how often do 2 tanh units solve XOR, and 8? Over 16 seeds."""
    seeds = range(16)
    specs = [_spec((units,), seed=seed) for units in (2, 8) for seed in seeds]
    solved = [r.test_accuracy >= 0.9 for r in train_many(specs, 400)]
    two, eight = sum(solved[: len(seeds)]), sum(solved[len(seeds) :])
    assert eight > two
    assert eight >= 12
