import dataclasses
from typing import Any

import pytest
import torch
from torch import nn

from models.activations import ACTIVATIONS
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.features import FEATURES
from models.inits import INITS
from models.losses import LOSSES
from models.optimizers import OPTIMIZERS
from models.pytorch_code import pytorch_snippet
from models.schedules import SCHEDULES
from models.trainer import Trainer
from models.weights_io import to_safetensors, weights_of

CIRCLE = DataSpec("circle", points=40)
SPIRAL_3 = DataSpec("spiral", points=60, classes=3)
SINE = DataSpec("sine", points=40)


def spec(
    hidden: tuple[LayerSpec, ...] = (LayerSpec(3, "tanh"), LayerSpec(2, "relu")),
    data: DataSpec = CIRCLE,
    features: tuple[str, ...] = ("x1", "x2"),
    init: str = "default",
    outputs: int = 1,
    **training: Any,
) -> RunSpec:
    return RunSpec(
        NetworkSpec(hidden, outputs, features, init), data, TrainSpec(**training), seed=3
    )


SPECS = [
    *[spec((LayerSpec(3, name), LayerSpec(2, name))) for name in ACTIVATIONS],
    spec((LayerSpec(4, "relu", batch_norm=True), LayerSpec(3, "tanh", layer_norm=True))),
    spec((LayerSpec(4, "elu", batch_norm=True, layer_norm=True, dropout=0.3),)),
    spec((LayerSpec(5, "sin", dropout=0.5), LayerSpec(2, "gelu"))),
    spec((), features=("x1", "x2", "x1_squared", "x2_squared")),
    spec(features=tuple(name for name, f in FEATURES.items() if f.fn is not None)),
    spec(features=("x1_x2", "sin_x1", "x1")),
    spec(features=("x1", "x1_squared")),  # 2D points, features of x1 alone
    spec((LayerSpec(6, "tanh"),), SINE, ("x1", "sin_x1", "x1_squared"), loss="mse"),
    spec(data=SPIRAL_3, outputs=3, loss="cross_entropy"),
    spec(data=SPIRAL_3, outputs=3, loss="cross_entropy_naive", optimizer="rmsprop"),
    spec(loss="bce_naive", optimizer="momentum", nesterov=True),
    spec(data=DataSpec("plane", points=40), loss="mse", optimizer="adamw", weight_decay=0.1),
    spec(init="he", optimizer="sgd", l1=0.01, l2=0.01, clip_norm=0.5, input_noise=0.2),
]


def run_snippet(run: RunSpec) -> dict[str, Any]:
    """The names the snippet defines when executed."""
    namespace: dict[str, Any] = {}
    exec(pytorch_snippet(run), namespace)
    return namespace


def test_the_snippet_says_what_the_points_are() -> None:
    plane = pytorch_snippet(spec(features=("x1", "x1_squared")))
    assert "# 2D points -> 2 features -> 3 tanh -> 2 relu -> 1 output." in plane
    assert 'def train_step(x, y):\n    """One optimizer step on points x (B, 2)' in plane
    sine = pytorch_snippet(spec((LayerSpec(6, "tanh"),), SINE, ("x1",), loss="mse"))
    assert "# 1D points -> 1 feature -> 6 tanh -> 1 output." in sine
    assert "(B, 1) and y (B,), target values" in sine


def test_every_optimizer_and_schedule_writes_code_that_runs() -> None:
    for optimizer in OPTIMIZERS:
        assert "optimizer" in run_snippet(spec(optimizer=optimizer))
    for schedule in SCHEDULES:
        assert ("scheduler" in run_snippet(spec(schedule=schedule))) == (schedule != "constant")


@pytest.mark.parametrize("run", SPECS, ids=lambda run: pytorch_snippet(run).splitlines()[1][2:])
def test_snippet_net_with_the_trainers_weights_computes_the_same_outputs(run: RunSpec) -> None:
    trainer = Trainer(run)
    trainer.step(5)  # weights and BatchNorm statistics away from their start
    net = run_snippet(run)["net"]
    ours = trainer.net.state_dict()
    assert {k: v.shape for k, v in net.state_dict().items()} == {
        k: v.shape for k, v in ours.items()
    }
    net.load_state_dict(ours)
    trainer.net.eval()
    net.eval()
    points = trainer.split.test.x
    torch.testing.assert_close(net(points), trainer.net(points))


@pytest.mark.parametrize("run", SPECS[:12])
def test_snippet_modules_are_the_trainers_module_for_module(run: RunSpec) -> None:
    net = run_snippet(run)["net"]
    ours = Trainer(run).net
    assert len(net) == len(ours)
    for theirs, mine in zip(net, ours, strict=True):
        assert type(theirs).__name__ == type(mine).__name__
        if type(mine).__name__ != "FeatureMap":  # ours prints its feature names
            assert repr(theirs) == repr(mine)


def test_weights_safetensors_loads_as_the_snippet_says(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = SPECS[len(ACTIVATIONS)]  # BatchNorm and LayerNorm
    trainer = Trainer(run)
    trainer.step(5)
    (tmp_path / "weights.safetensors").write_bytes(to_safetensors(weights_of(trainer.net)))
    monkeypatch.chdir(tmp_path)
    code = pytorch_snippet(run)
    load = [line[2:] for line in code.splitlines() if line.startswith(("# from ", "# net."))]
    namespace = run_snippet(run)
    exec("\n".join(load), namespace)
    net = namespace["net"].eval()
    trainer.net.eval()
    torch.testing.assert_close(net(trainer.split.test.x), trainer.net(trainer.split.test.x))


def comparable(group: dict[str, Any]) -> dict[str, Any]:
    """A param group without its tensors and the kernel choice, which changes no number."""
    return {k: v for k, v in group.items() if k not in ("params", "fused", "foreach")}


@pytest.mark.parametrize(
    "training",
    [
        TrainSpec("sgd", learning_rate=0.3),
        TrainSpec("sgd", learning_rate=0.1, weight_decay=0.01),
        TrainSpec("momentum", momentum=0.5),
        TrainSpec("momentum", momentum=0.8, nesterov=True, weight_decay=0.001),
        TrainSpec("momentum", momentum=0.0, nesterov=True),
        TrainSpec("rmsprop", learning_rate=0.002, momentum=0.7),
        TrainSpec("adam", learning_rate=0.003),
        TrainSpec("adam", weight_decay=0.5),
        TrainSpec("adamw"),
        TrainSpec("adamw", learning_rate=1e-4, weight_decay=0.02),
        TrainSpec("adagrad", learning_rate=0.1),
        TrainSpec("adagrad", weight_decay=0.001),
    ],
)
def test_snippet_optimizer_has_the_sessions_hyperparameters(training: TrainSpec) -> None:
    run = RunSpec(training=training)
    optimizer = run_snippet(run)["optimizer"]
    params = list(Trainer(run).net.parameters())
    expected = OPTIMIZERS[training.optimizer].build(params, training)
    assert type(optimizer) is type(expected)
    assert comparable(optimizer.param_groups[0]) == comparable(expected.param_groups[0])


@pytest.mark.parametrize("schedule", ["step", "cosine"])
def test_snippet_scheduler_gives_the_rates_of_our_schedule(schedule: str) -> None:
    training = TrainSpec("sgd", learning_rate=0.3, schedule=schedule, schedule_steps=7)
    namespace = run_snippet(RunSpec(training=training))
    optimizer, scheduler = namespace["optimizer"], namespace["scheduler"]
    rates = []
    for _ in range(25):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert rates == [SCHEDULES[schedule].rate(0.3, step, 7) for step in range(25)]


@pytest.mark.parametrize("loss", list(LOSSES))
def test_snippet_loss_equals_the_sessions_on_moderate_logits(loss: str) -> None:
    classes = 3 if loss.startswith("cross") else 1
    run = spec(data=SPIRAL_3 if classes == 3 else CIRCLE, outputs=classes, loss=loss)
    loss_fn = run_snippet(run)["loss_fn"]
    gen = torch.Generator().manual_seed(0)
    logits = torch.randn(16, classes, generator=gen) * 3
    y = torch.randint(0, max(classes, 2), (16,), generator=gen).float()
    theirs = loss_fn(logits, y.long()) if classes == 3 else loss_fn(logits.squeeze(1), y)
    torch.testing.assert_close(theirs, LOSSES[loss].fn(logits, y))


FULL_BATCH_RUNS = [
    spec(optimizer="sgd", learning_rate=0.5),
    spec(optimizer="adam", learning_rate=0.05, schedule="cosine", schedule_steps=3),
    spec(optimizer="momentum", nesterov=True, l1=0.01, l2=0.02, clip_norm=0.3),
    spec(
        (LayerSpec(4, "relu", batch_norm=True),),
        optimizer="rmsprop",
        schedule="step",
        schedule_steps=2,
        weight_decay=0.01,
    ),
    spec(data=SPIRAL_3, outputs=3, loss="cross_entropy", optimizer="adamw", weight_decay=0.1),
    spec((LayerSpec(5, "sin"),), SINE, ("x1", "x1_squared"), loss="mse", optimizer="adam"),
    spec((LayerSpec(4, "silu"), LayerSpec(3, "silu")), optimizer="sgd", learning_rate=0.5),
    spec((LayerSpec(4, "mish"), LayerSpec(3, "tanh")), optimizer="momentum", nesterov=True),
    spec(data=SPIRAL_3, outputs=3, loss="cross_entropy", optimizer="adagrad", learning_rate=0.1),
]


@pytest.mark.parametrize("run", FULL_BATCH_RUNS)
def test_snippet_train_step_trains_as_the_trainer_does(run: RunSpec) -> None:
    """With one batch of every training point, the order of the batches cannot differ."""
    training = dataclasses.replace(run.training, batch_size=10_000)
    run = dataclasses.replace(run, training=training)
    trainer = Trainer(run)
    namespace = run_snippet(run)
    net = namespace["net"]
    net.load_state_dict(trainer.net.state_dict())
    for _ in range(8):
        trainer.step(1)
        namespace["train_step"](trainer.split.train.x, trainer.split.train.y)
    for name, value in trainer.net.state_dict().items():
        torch.testing.assert_close(net.state_dict()[name], value, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("init", sorted(name for name, i in INITS.items() if i.code))
def test_snippet_initialisation_draws_like_ours(init: str) -> None:
    run = spec((LayerSpec(256, "relu"),), init=init)
    first = run_snippet(run)["net"][0]
    ours = Trainer(run).net[0]
    assert torch.count_nonzero(first.bias) == 0
    torch.testing.assert_close(first.weight.std(), ours.weight.std(), rtol=0.25, atol=0.0)


def test_default_initialisation_is_nn_linears_own() -> None:
    run = spec((LayerSpec(256, "relu"),), init="default")
    output = run_snippet(run)["net"][2]  # 256 inputs: a bound of 1/16
    assert isinstance(output, nn.Linear)
    largest = float(output.weight.detach().abs().max())
    assert 0.9 / 16 < largest <= 1 / 16
