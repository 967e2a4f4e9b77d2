import dataclasses
import math

import numpy as np
import pytest
import torch

import models.trainer as trainer_module
from models.activations import ACTIVATIONS
from models.analysis.grid import eval_grid, grid_points, line_points
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.losses import binary_cross_entropy
from models.optimizers import OPTIMIZERS, FusedAdam, FusedSGD
from models.schedules import SCHEDULES
from models.trainer import Trainer

XOR_4_TANH = RunSpec(
    network=NetworkSpec(hidden=(LayerSpec(4, "tanh"),)),
    data=DataSpec("xor", points=500),
    training=TrainSpec("adam", learning_rate=0.01, batch_size=10),
    seed=0,
)


def test_xor_with_four_tanh_units_learns() -> None:
    trainer = Trainer(XOR_4_TANH)
    trainer.step(2000)
    accuracy = trainer.evaluate().test_accuracy
    assert accuracy is not None and accuracy >= 0.95


def test_same_seed_same_losses_however_the_steps_are_chunked() -> None:
    a, b = Trainer(XOR_4_TANH), Trainer(XOR_4_TANH)
    a.step(60)
    for _ in range(6):
        b.step(10)
    assert a.steps == b.steps == 60
    assert a.evaluate() == b.evaluate()


def test_another_seed_gives_other_losses() -> None:
    other = RunSpec(XOR_4_TANH.network, XOR_4_TANH.data, XOR_4_TANH.training, seed=1)
    assert Trainer(XOR_4_TANH).evaluate() != Trainer(other).evaluate()


def test_reset_draws_new_weights_and_returns_to_step_zero() -> None:
    trainer = Trainer(XOR_4_TANH)
    before = [p.clone() for p in trainer.net.parameters()]
    trainer.step(5)
    trainer.reset()
    assert trainer.steps == 0
    assert any(not torch.equal(p, q) for p, q in zip(before, trainer.net.parameters(), strict=True))


def test_autograd_gradients_match_finite_differences() -> None:
    trainer = Trainer(XOR_4_TANH)
    net = trainer.net.double()
    x, y = trainer.split.train.x[:20].double(), trainer.split.train.y[:20].double()
    loss = trainer.loss_fn(net(x), y)
    weight = net[0].weight
    (grad,) = torch.autograd.grad(loss, weight)
    eps = 1e-6
    with torch.no_grad():
        for i, j in [(0, 0), (1, 1), (3, 0)]:
            weight[i, j] += eps
            up = trainer.loss_fn(net(x), y)
            weight[i, j] -= 2 * eps
            down = trainer.loss_fn(net(x), y)
            weight[i, j] += eps
            assert math.isclose(grad[i, j].item(), (up - down).item() / (2 * eps), rel_tol=1e-5)


def test_divergence_is_reported_at_the_first_bad_step() -> None:
    spec = RunSpec(training=TrainSpec("sgd", learning_rate=10.0, batch_size=10))
    trainer = Trainer(spec)
    with torch.no_grad():
        trainer.net[0].weight[0, 0] = float("nan")
    result = trainer.step(5)
    assert result.diverged_at == 1


def test_changing_the_learning_rate_keeps_weights_and_steps() -> None:
    trainer = Trainer(XOR_4_TANH)
    trainer.step(3)
    weights = [p.clone() for p in trainer.net.parameters()]
    trainer.set_training(TrainSpec("adam", learning_rate=0.1, batch_size=5))
    assert trainer.steps == 3
    assert all(torch.equal(p, q) for p, q in zip(weights, trainer.net.parameters(), strict=True))
    assert trainer.opt.param_groups[0]["lr"] == 0.1


def test_grid_rows_run_from_top_to_bottom() -> None:
    points = grid_points((-1.0, 1.0, -2.0, 2.0), 4)
    assert points[0].tolist() == [-0.75, 1.5]  # top-left cell centre
    assert points[-1].tolist() == [0.75, -1.5]  # bottom-right cell centre


def test_eval_grid_is_the_sigmoid_of_the_output() -> None:
    trainer = Trainer(XOR_4_TANH)
    box = (-6.0, 6.0, -6.0, 6.0)
    grid = eval_grid(trainer.net, box, 10)
    expected = torch.sigmoid(trainer.net(grid_points(box, 10))).reshape(10, 10)
    assert grid.shape == (10, 10)
    assert torch.allclose(torch.from_numpy(grid), expected.detach())


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_the_fast_grid_matches_the_module_on_the_grid(activation: str) -> None:
    spec = RunSpec(network=NetworkSpec(hidden=(LayerSpec(6, activation), LayerSpec(5, activation))))
    trainer = Trainer(spec)
    assert trainer.fast_mlp is not None
    box = (-6.0, 6.0, -6.0, 6.0)
    fast = eval_grid(trainer.net, box, 30, trainer.fast_mlp)
    assert np.allclose(fast, eval_grid(trainer.net, box, 30), rtol=0, atol=1e-6)


@pytest.mark.parametrize("compiled", [True, False])
def test_a_step_reports_the_loss_of_its_minibatch(
    compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Full-batch steps at learning rate 0: the minibatch is the training set, the weights stay.
    spec = RunSpec(training=TrainSpec("sgd", learning_rate=0.0, batch_size=250))
    trainer = Trainer(spec) if compiled else _autograd_trainer(spec, monkeypatch)
    result = trainer.step(3)
    expected = binary_cross_entropy(trainer.net(trainer.split.train.x), trainer.split.train.y)
    assert math.isclose(result.loss, expected.item(), rel_tol=1e-6)


def _autograd_trainer(spec: RunSpec, monkeypatch: pytest.MonkeyPatch) -> Trainer:
    """A Trainer on the autograd + torch.optim path, as for a net the fast path cannot run."""
    with monkeypatch.context() as patch:
        patch.setattr(trainer_module, "compile_mlp", lambda net, loss_fn: None)
        return Trainer(spec)


def _assert_same_run(fast: Trainer, slow: Trainer, steps: int) -> None:
    for _ in range(steps):
        assert math.isclose(fast.step().loss, slow.step().loss, rel_tol=1e-5, abs_tol=1e-6)
    for p, q in zip(fast.net.parameters(), slow.net.parameters(), strict=True):
        assert torch.allclose(p, q, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_fast_path_trains_like_autograd_and_torch_optim(
    optimizer: str, activation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = RunSpec(
        network=NetworkSpec(hidden=(LayerSpec(8, activation), LayerSpec(8, activation))),
        data=DataSpec("circle", points=200),
        training=TrainSpec(optimizer, learning_rate=0.03, batch_size=10),
    )
    fast, slow = Trainer(spec), _autograd_trainer(spec, monkeypatch)
    assert isinstance(fast.opt, FusedSGD | FusedAdam)
    assert isinstance(slow.opt, torch.optim.Optimizer)
    _assert_same_run(fast, slow, 100)


def test_fast_path_follows_torch_optim_through_set_training_and_reset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, slow = Trainer(XOR_4_TANH), _autograd_trainer(XOR_4_TANH, monkeypatch)
    for training in [
        TrainSpec("adam", learning_rate=0.01, batch_size=10),
        TrainSpec("adam", learning_rate=0.05, batch_size=7),  # keeps Adam's moments and step
        TrainSpec("sgd", learning_rate=0.1, batch_size=7),
        TrainSpec("adam", learning_rate=0.05, batch_size=7),  # starts Adam afresh
    ]:
        fast.set_training(training)
        slow.set_training(training)
        _assert_same_run(fast, slow, 30)
    fast.reset()
    slow.reset()
    _assert_same_run(fast, slow, 30)


def test_adam_falls_back_to_torch_optim_without_the_fused_kernel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(OPTIMIZERS, "adam", dataclasses.replace(OPTIMIZERS["adam"], fused=None))
    trainer = Trainer(XOR_4_TANH)
    assert isinstance(trainer.opt, torch.optim.Adam)
    trainer.step(2000)
    accuracy = trainer.evaluate().test_accuracy
    assert accuracy is not None and accuracy >= 0.95


# ------------------------------------------------------------------ toolbox: paths and options

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


MULTI_CLASS = RunSpec(
    network=NetworkSpec(hidden=(LayerSpec(16, "relu"), LayerSpec(16, "relu")), outputs=4),
    data=DataSpec("blobs", points=400, classes=4),
    training=TrainSpec("adam", learning_rate=0.01, loss="cross_entropy"),
)
REGRESSION = RunSpec(
    network=NetworkSpec(hidden=(LayerSpec(16, "tanh"), LayerSpec(16, "tanh")), features=("x1",)),
    data=DataSpec("sine", points=200),
    training=TrainSpec("adam", learning_rate=0.01, loss="mse"),
)


@pytest.mark.parametrize(
    "spec",
    [
        MULTI_CLASS,
        RunSpec(
            MULTI_CLASS.network,
            MULTI_CLASS.data,
            TrainSpec("rmsprop", 0.003, loss="cross_entropy_naive"),
        ),
        REGRESSION,
        RunSpec(REGRESSION.network, REGRESSION.data, TrainSpec("momentum", 0.05, loss="mse")),
    ],
)
def test_multi_class_and_regression_training_lowers_a_finite_loss(spec: RunSpec) -> None:
    trainer = Trainer(spec)
    start = trainer.evaluate()
    result = trainer.step(400)
    end = trainer.evaluate()
    assert result.diverged_at is None and math.isfinite(end.train_loss)
    assert end.train_loss < 0.7 * start.train_loss
    if spec.training.loss == "mse":
        assert end.train_accuracy is None and end.test_accuracy is None
    else:
        assert end.test_accuracy is not None and end.test_accuracy > 0.9


def test_reset_draws_with_the_networks_init() -> None:
    spec = RunSpec(network=NetworkSpec(hidden=(LayerSpec(4, "tanh"),), init="zeros"))
    trainer = Trainer(spec)
    trainer.step(20)
    trainer.reset()
    assert all(bool((p == 0).all()) for p in trainer.net.parameters())


def test_grid_is_the_eval_mode_network_and_leaves_the_training_mode_alone() -> None:
    hidden = (LayerSpec(6, "relu", batch_norm=True, dropout=0.3),)
    trainer = Trainer(RunSpec(network=NetworkSpec(hidden=hidden)))
    trainer.step(20)
    trainer.net.train()
    outputs = trainer.grid(30)
    assert all(module.training for module in trainer.net.modules())
    trainer.net.eval()
    with torch.no_grad():
        expected = trainer.net(grid_points(trainer.split.box, 30))
    torch.testing.assert_close(outputs, expected, rtol=1e-5, atol=1e-5)


def test_grid_of_1d_data_is_the_line_over_the_x_range() -> None:
    spec = RunSpec(
        network=NetworkSpec(hidden=(LayerSpec(5, "tanh"),), features=("x1",)),
        data=DataSpec("sine"),
        training=TrainSpec(loss="mse"),
    )
    trainer = Trainer(spec)
    box = (0.0, 2.0, 0.0, 0.0)
    with torch.no_grad():
        expected = trainer.net(line_points(box, 40))
    torch.testing.assert_close(trainer.grid(40, box), expected)
