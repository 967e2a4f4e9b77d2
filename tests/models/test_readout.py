"""The least-squares read-out (random features), against NumPy's least squares as the oracle,
and double descent on a learner's own setup through the sweep engine."""

import dataclasses
import statistics
from typing import Any

import numpy as np
import pytest
import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.guards import set_weight
from models.pytorch_code import pytorch_snippet
from models.readout import LEAST_SQUARES
from models.trainer import Trainer, is_plain
from models.user_sweep import (
    Axis,
    UserSweep,
    batchable,
    expand,
    fitted_parameters,
    plan_chunks,
)
from models.user_sweep_chunk import ChunkRun


def solved(data: DataSpec, width: int, loss: str = "bce", outputs: int = 1) -> RunSpec:
    features = ("x1",) if data.name == "sine" else ("x1", "x2")
    return RunSpec(
        NetworkSpec((LayerSpec(width, "relu"),), outputs, features),
        data,
        TrainSpec(loss=loss, readout=LEAST_SQUARES, batch_size=8),
        seed=4,
    )


def hidden_and_design(trainer: Trainer) -> tuple[np.ndarray, np.ndarray]:
    """The last hidden layer's values on the training points with a column of ones (float64)."""
    with torch.no_grad():
        trainer.net.eval()
        features = trainer.net[:-1](trainer.split.train.x).double().numpy()
    return features, np.hstack([features, np.ones((len(features), 1))])


def oracle_targets(y: np.ndarray, loss: str, outputs: int) -> np.ndarray:
    if loss == "mse":
        return y[:, None]
    if outputs == 1:
        return (2 * y - 1)[:, None]
    return 2 * np.eye(outputs)[y.astype(int)] - 1


CASES = [
    pytest.param(DataSpec("circle", points=80), 6, "bce", 1, id="bce-under"),
    pytest.param(DataSpec("circle", points=40), 40, "bce", 1, id="bce-over"),
    pytest.param(DataSpec("sine", points=40, noise=0.2), 7, "mse", 1, id="mse-under"),
    pytest.param(DataSpec("spiral", points=60, classes=3), 12, "cross_entropy", 3, id="ce-3"),
]


@pytest.mark.parametrize(("data", "width", "loss", "outputs"), CASES)
def test_the_read_out_is_numpys_minimum_norm_least_squares_fit(
    data: DataSpec, width: int, loss: str, outputs: int
) -> None:
    trainer = Trainer(solved(data, width, loss, outputs))
    trainer.step(3)
    _, design = hidden_and_design(trainer)
    targets = oracle_targets(trainer.split.train.y.double().numpy(), loss, outputs)
    # minimum norm, singular values below float32's precision dropped as the Trainer does
    cutoff = np.finfo(np.float32).eps * max(design.shape)
    expected, *_ = np.linalg.lstsq(design, targets, rcond=cutoff)
    head = trainer.net[-1]
    got = np.vstack([head.weight.detach().double().numpy().T, head.bias.detach().double().numpy()])
    # nearly dependent features give huge weights; compare against their scale
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7 * scale)


def test_past_the_threshold_the_fit_passes_through_every_noisy_label() -> None:
    data = DataSpec("circle", points=60, train_fraction=0.5, label_noise=0.2)
    trainer = Trainer(solved(data, 64))  # 65 read-out parameters, 30 training points
    trainer.step(1)
    evaluation = trainer.evaluate()
    assert evaluation.train_accuracy == 1.0  # every flipped label too
    with torch.no_grad():
        logits = trainer.net(trainer.split.train.x).squeeze(1)
    torch.testing.assert_close(logits, 2 * trainer.split.train.y - 1, atol=1e-3, rtol=0)


def test_below_the_threshold_the_residual_is_orthogonal_to_every_feature() -> None:
    trainer = Trainer(solved(DataSpec("sine", points=60, noise=0.3), 5, "mse"))
    trainer.step(1)
    _, design = hidden_and_design(trainer)
    with torch.no_grad():
        residual = trainer.net(trainer.split.train.x).squeeze(1).double().numpy()
    residual -= trainer.split.train.y.double().numpy()
    assert np.abs(residual).max() > 0.05  # it cannot fit every point
    np.testing.assert_allclose(design.T @ residual, 0, atol=1e-3)  # the normal equations


def test_the_fit_is_there_from_step_0_and_steps_change_no_weight() -> None:
    trainer = Trainer(solved(DataSpec("moons", points=100), 10))
    hidden = [p.detach().clone() for p in trainer.net[:-1].parameters()]
    head = [p.detach().clone() for p in trainer.net[-1].parameters()]
    at_start = trainer.evaluate()
    result = trainer.step(25)
    assert result.step == 25 and np.isfinite(result.loss)
    assert trainer.evaluate() == at_start
    for before, after in zip(hidden, trainer.net[:-1].parameters(), strict=True):
        assert torch.equal(before, after)
    for before, after in zip(head, trainer.net[-1].parameters(), strict=True):
        torch.testing.assert_close(before, after)  # solved again: the same fit


def test_steps_solve_again_only_after_a_weight_was_written(monkeypatch: pytest.MonkeyPatch) -> None:
    import models.trainer

    solves: list[int] = []
    original = models.trainer.fit_readout

    def counted(*args: Any) -> bool:
        solves.append(1)
        return original(*args)

    monkeypatch.setattr(models.trainer, "fit_readout", counted)
    trainer = Trainer(solved(DataSpec("circle", points=60), 12))
    assert len(solves) == 1  # at step 0
    trainer.step(5)
    trainer.step(5)
    assert len(solves) == 1  # nothing changed: the same fit
    set_weight(trainer.net, 0, 3, 1, 0.75)  # an edit of a hidden weight
    head = trainer.net[-1].weight.detach().clone()
    trainer.step(1)
    assert len(solves) == 2
    assert not torch.equal(head, trainer.net[-1].weight)  # refitted to the edited features
    _, design = hidden_and_design(trainer)
    targets = oracle_targets(trainer.split.train.y.double().numpy(), "bce", 1)
    cutoff = np.finfo(np.float32).eps * max(design.shape)
    expected, *_ = np.linalg.lstsq(design, targets, rcond=cutoff)
    got = np.append(trainer.net[-1].weight.detach().double().numpy(), trainer.net[-1].bias.item())
    np.testing.assert_allclose(got, expected[:, 0], rtol=1e-5, atol=1e-5)


def test_switching_to_least_squares_solves_and_a_reset_solves_the_new_features() -> None:
    run = solved(DataSpec("circle", points=60), 40)
    trainer = Trainer(dataclasses.replace(run, training=TrainSpec()))
    assert trainer.evaluate().train_accuracy != 1.0
    trainer.set_training(run.training)
    assert trainer.evaluate().train_accuracy == 1.0  # 41 parameters, 30 points: it fits all
    trainer.reset()
    assert trainer.evaluate().train_accuracy == 1.0


def test_overflowing_features_leave_the_read_out_as_it_was_and_report_it() -> None:
    trainer = Trainer(solved(DataSpec("circle", points=40), 6))
    with torch.no_grad():
        trainer.net[0].weight.fill_(3e38)  # relu(3e38 · x + 3e38 · y) overflows to inf
    head = [p.detach().clone() for p in trainer.net[-1].parameters()]
    result = trainer.step(2)
    for before, after in zip(head, trainer.net[-1].parameters(), strict=True):
        assert torch.equal(before, after)
    assert result.diverged_at == 1


def test_least_squares_leaves_the_fast_paths_and_the_stacked_sweep() -> None:
    run = solved(DataSpec("circle", points=40), 4)
    assert not is_plain(run.training)
    assert not batchable(run)
    assert fitted_parameters(run) == 5  # 4 weights and a bias: the hidden layer does not learn
    trained = dataclasses.replace(run, training=TrainSpec())
    assert fitted_parameters(trained) == 2 * 4 + 4 + 4 + 1


@pytest.mark.parametrize(
    "run",
    [
        solved(DataSpec("circle", points=60, label_noise=0.1), 9),
        solved(DataSpec("spiral", points=60, classes=3), 12, "cross_entropy", 3),
        # nearly dependent ReLU features of 1D inputs: the float32 cutoff decides the fit
        solved(DataSpec("sine", points=40, noise=0.2), 7, "mse"),
    ],
    ids=["bce", "cross-entropy", "mse-ill-conditioned"],
)
def test_the_exported_fit_readout_solves_what_the_trainer_solves(run: RunSpec) -> None:
    trainer = Trainer(run)
    namespace: dict[str, object] = {}
    exec(pytorch_snippet(run), namespace)
    net = namespace["net"]
    assert isinstance(net, torch.nn.Module)
    net.load_state_dict(trainer.net.state_dict())
    trainer.step(1)
    fit = namespace["fit_readout"]
    assert callable(fit)
    fit(trainer.split.train.x, trainer.split.train.y)
    for name, value in trainer.net.state_dict().items():
        torch.testing.assert_close(net.state_dict()[name], value, rtol=1e-5, atol=1e-5)


WIDTHS = (2, 4, 8, 29, 31, 64, 128)
"""Far below, at (29, 31: 30 and 32 read-out parameters for 30 training points) and far past
the interpolation threshold."""


def test_the_double_descent_preset_shows_both_descents_on_circle_over_seeds() -> None:
    """The page's preset (frontend/src/lib/sweepForm.ts): circle, 200 points of which 30 train,
    label noise 0.2, one ReLU layer, least-squares read-out, 10 seeds per width."""
    base = RunSpec(
        NetworkSpec((LayerSpec(8, "relu"),)),
        DataSpec("circle", points=200, train_fraction=0.15, label_noise=0.2),
        TrainSpec(readout=LEAST_SQUARES),
    )
    sweep = UserSweep((Axis("width", tuple(map(float, WIDTHS)), layer=0),), 10, 1)
    runs = expand(base, sweep)
    accuracy: dict[int, list[float]] = {w: [] for w in WIDTHS}
    loss: dict[int, list[float]] = {w: [] for w in WIDTHS}
    for chunk in plan_chunks(runs, max_runs=100):
        trained = ChunkRun(chunk, 1)
        trained.advance(1)
        for run, outcome in zip(chunk.runs, trained.outcomes(), strict=True):
            width = int(run.values[0])
            assert outcome.test_accuracy is not None
            accuracy[width].append(outcome.test_accuracy)
            loss[width].append(outcome.test_loss)
            assert outcome.train_accuracy == 1.0 or width < 29  # interpolates past it
    mean = {w: statistics.mean(a) for w, a in accuracy.items()}
    median_loss = {w: statistics.median(v) for w, v in loss.items()}
    at_threshold = min(mean[29], mean[31])
    assert mean[4] - at_threshold > 0.15  # the first descent's best, far above the peak
    assert mean[128] - at_threshold > 0.08  # the second descent
    assert max(median_loss[29], median_loss[31]) > 3 * max(median_loss[4], median_loss[128])
