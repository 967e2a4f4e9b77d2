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
