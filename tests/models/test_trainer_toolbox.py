"""The Trainer's toolbox: the fast and the autograd path, penalties, clipping, schedules, input
noise, dropout, early stopping and evaluation in eval mode (the core is in test_trainer.py)."""

import math

import pytest
import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.losses import binary_cross_entropy
from models.optimizers import FusedAdam, FusedSGD
from models.schedules import SCHEDULES
from models.trainer import Trainer
from tests.models.test_trainer import XOR_4_TANH

PLAIN = TrainSpec("sgd", learning_rate=0.1, batch_size=10)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_plain_bce_training_takes_the_fast_path(optimizer: str) -> None:
    trainer = Trainer(RunSpec(training=TrainSpec(optimizer)))
    assert isinstance(trainer.opt, FusedSGD | FusedAdam)


@pytest.mark.parametrize(
    "training",
    [
        TrainSpec("momentum"),
        TrainSpec("rmsprop"),
        TrainSpec("adamw"),
        TrainSpec("sgd", loss="bce_naive"),
        TrainSpec("sgd", weight_decay=0.01),
        TrainSpec("sgd", clip_norm=1.0),
        TrainSpec("sgd", l1=0.01),
        TrainSpec("sgd", l2=0.01),
        TrainSpec("sgd", input_noise=0.1),
        TrainSpec("sgd", schedule="step"),
        TrainSpec("adam", schedule="cosine"),
    ],
)
def test_anything_but_plain_bce_trains_through_autograd(training: TrainSpec) -> None:
    trainer = Trainer(RunSpec(training=training))
    assert isinstance(trainer.opt, torch.optim.Optimizer)
    assert math.isfinite(trainer.step(20).loss)


def test_set_training_moves_between_the_fast_and_the_autograd_path() -> None:
    trainer = Trainer(RunSpec(training=PLAIN))
    trainer.step(5)
    trainer.set_training(TrainSpec("sgd", learning_rate=0.1, l2=0.01))
    assert isinstance(trainer.opt, torch.optim.SGD)
    trainer.step(5)
    trainer.set_training(PLAIN)
    assert isinstance(trainer.opt, FusedSGD)
    assert trainer.steps == 10


def _full_batch(training: TrainSpec, hidden: int = 5) -> Trainer:
    """A Trainer whose minibatch is the whole training set (shuffled: the mean is the same)."""
    spec = RunSpec(
        network=NetworkSpec(hidden=(LayerSpec(hidden, "tanh"),)),
        data=DataSpec("circle", points=100, noise=0.2),
        training=training,
    )
    return Trainer(spec)


def _sgd_by_hand(trainer: Trainer, grads: list[torch.Tensor], lr: float) -> list[torch.Tensor]:
    return [p.detach() - lr * g for p, g in zip(trainer.net.parameters(), grads, strict=True)]


@pytest.mark.parametrize(("l1", "l2"), [(0.05, 0.0), (0.0, 0.05), (0.02, 0.03)])
def test_penalty_gradients_are_autograds_of_the_explicit_penalty(l1: float, l2: float) -> None:
    trainer = _full_batch(TrainSpec("sgd", 0.5, batch_size=50, l1=l1, l2=l2))
    with torch.no_grad():
        trainer.net[0].weight[0, 0] = 0.0  # |w| at its kink: autograd's subgradient there is 0
    x, y = trainer.split.train.x, trainer.split.train.y
    params = list(trainer.net.parameters())
    weights = [m.weight for m in trainer.net if isinstance(m, torch.nn.Linear)]
    loss = binary_cross_entropy(trainer.net(x), y)
    penalty = sum(l1 * w.abs().sum() + l2 * w.square().sum() for w in weights)
    grads = torch.autograd.grad(loss + penalty, params)
    expected = _sgd_by_hand(trainer, list(grads), 0.5)
    trainer.step(1)
    for p, q in zip(trainer.net.parameters(), expected, strict=True):
        assert torch.allclose(p, q, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("clip", [0.01, 100.0])
def test_clipping_scales_the_global_gradient_norm_as_clip_grad_norm_does(clip: float) -> None:
    trainer = _full_batch(TrainSpec("sgd", 0.5, batch_size=50, clip_norm=clip))
    x, y = trainer.split.train.x, trainer.split.train.y
    grads = torch.autograd.grad(
        binary_cross_entropy(trainer.net(x), y), list(trainer.net.parameters())
    )
    norm = torch.cat([g.reshape(-1) for g in grads]).norm()
    scale = min(1.0, clip / (float(norm) + 1e-6))  # clip_grad_norm_'s documented rule
    expected = _sgd_by_hand(trainer, [g * scale for g in grads], 0.5)
    trainer.step(1)
    for p, q in zip(trainer.net.parameters(), expected, strict=True):
        assert torch.allclose(p, q, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("schedule", ["constant", "step", "cosine"])
def test_each_step_runs_at_the_rate_its_schedule_gives(schedule: str) -> None:
    trainer = Trainer(
        RunSpec(training=TrainSpec("adam", 0.02, schedule=schedule, schedule_steps=10))
    )
    for step in range(35):
        trainer.step(1)  # the rate left in the optimizer is the one this step used
        assert trainer.opt.param_groups[0]["lr"] == SCHEDULES[schedule].rate(0.02, step, 10)


def test_input_noise_changes_the_inputs_but_not_the_data_or_the_weights_drawn() -> None:
    noisy = RunSpec(training=TrainSpec("sgd", 0.1, input_noise=0.5))
    quiet = RunSpec(training=TrainSpec("sgd", 0.1, l2=1e-30))  # autograd too, without noise
    a, b = Trainer(noisy), Trainer(quiet)
    assert torch.equal(a.split.train.x, b.split.train.x)
    assert a.evaluate() == b.evaluate()
    a.step(10)
    b.step(10)
    assert a.evaluate() != b.evaluate()


TOOLBOX = RunSpec(
    network=NetworkSpec(
        hidden=(
            LayerSpec(8, "relu", batch_norm=True, dropout=0.2),
            LayerSpec(6, "tanh", dropout=0.1),
        )
    ),
    data=DataSpec("circle", points=60, noise=0.3),
    training=TrainSpec(
        "momentum",
        learning_rate=0.05,
        batch_size=6,
        schedule="cosine",
        schedule_steps=7,
        input_noise=0.3,
        l2=0.001,
        clip_norm=1.0,
        early_stopping=2,
    ),
    seed=3,
)


def _state(trainer: Trainer) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in trainer.net.state_dict().items()}


def _assert_same_state(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> None:
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_toolbox_steps_are_the_same_however_they_are_chunked() -> None:
    a, b = Trainer(TOOLBOX), Trainer(TOOLBOX)
    results_a = [a.step(3), a.step(5), a.step(4)]
    results_b = [b.step(8), b.step(4)]
    assert a.steps == b.steps
    assert results_a[-1] == results_b[-1]
    _assert_same_state(_state(a), _state(b))
    assert a.evaluate() == b.evaluate()


def test_dropout_leaves_the_global_random_generator_alone() -> None:
    state = torch.get_rng_state()
    Trainer(TOOLBOX).step(10)
    assert torch.equal(state, torch.get_rng_state())


def test_early_stopping_restores_exactly_the_best_weights() -> None:
    spec = RunSpec(
        network=NetworkSpec(hidden=(LayerSpec(16, "relu", batch_norm=True), LayerSpec(16, "relu"))),
        data=DataSpec("xor", points=40, noise=0.5),
        training=TrainSpec("adam", learning_rate=0.05, batch_size=5, early_stopping=3),
    )
    per_epoch = 20 // 5
    # The reference trains without early stopping, one epoch at a time, and keeps every state.
    reference = Trainer(RunSpec(spec.network, spec.data, TrainSpec("adam", 0.05, 5), spec.seed))
    best, best_step, bad, stop, states = math.inf, None, 0, None, {}
    for _ in range(200):
        reference.step(per_epoch)
        states[reference.steps] = _state(reference)
        loss = reference.evaluate().test_loss
        if loss < best:
            best, best_step, bad = loss, reference.steps, 0
        else:
            bad += 1
            if bad == 3:
                stop = reference.steps
                break
    assert stop is not None and best_step is not None
    trainer = Trainer(spec)
    result = trainer.step(10_000)
    assert result.early_stopped_at == result.step == trainer.steps == stop
    assert trainer.best_step == best_step
    _assert_same_state(_state(trainer), states[best_step])  # BatchNorm's running stats included
    assert trainer.evaluate().test_loss == best


def test_early_stopping_is_off_at_zero_patience() -> None:
    trainer = Trainer(XOR_4_TANH)
    assert trainer.step(500).early_stopped_at is None
    assert trainer.best_step is None


def _module_loss(trainer: Trainer, x: torch.Tensor, y: torch.Tensor) -> float:
    """The test loss through the modules by hand: BatchNorm from running stats, no dropout."""
    h = x
    for module in trainer.net:
        if isinstance(module, torch.nn.BatchNorm1d):
            assert module.running_mean is not None and module.running_var is not None
            h = (h - module.running_mean) / torch.sqrt(module.running_var + module.eps)
            h = h * module.weight + module.bias
        elif not isinstance(module, torch.nn.Dropout):
            h = module(h)
    return float(trainer.loss_fn(h, y))


def test_evaluate_is_in_eval_mode_whatever_dropout_is_set_to() -> None:
    trainer = Trainer(TOOLBOX)
    trainer.step(30)
    before = trainer.evaluate()
    assert before == trainer.evaluate()
    with torch.no_grad():
        expected = _module_loss(trainer, trainer.split.test.x, trainer.split.test.y)
    assert math.isclose(before.test_loss, expected, rel_tol=1e-5)
    for module in trainer.net:
        if isinstance(module, torch.nn.Dropout):
            module.p = 0.0
    assert trainer.evaluate() == before
