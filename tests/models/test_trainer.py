import math

import torch

from models.analysis.grid import eval_grid, grid_points
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
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
    assert trainer.evaluate().test_accuracy >= 0.95


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
