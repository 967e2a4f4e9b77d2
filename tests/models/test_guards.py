import dataclasses
import math

import pytest
import torch
from torch import nn

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.guards import nonfinite_report, set_weight
from models.network import build_network
from models.trainer import Checkpoint, Trainer

NORMS = NetworkSpec(
    hidden=(LayerSpec(3, "relu", batch_norm=True), LayerSpec(2, "tanh", layer_norm=True)),
    features=("x1", "x2", "x1_x2"),
)
"""FeatureMap 0, Linear 1, BatchNorm 2, ReLU 3, Linear 4, LayerNorm 5, Tanh 6, Linear 7."""


def norms_net() -> nn.Sequential:
    return build_network(NORMS, torch.Generator().manual_seed(0))


def test_a_finite_net_has_nothing_to_report() -> None:
    assert nonfinite_report(norms_net()) is None


@pytest.mark.parametrize(
    ("tensor", "bad", "report"),
    [
        ("1.weight", math.nan, "the weights of hidden layer 1 are NaN"),
        ("1.bias", math.inf, "the biases of hidden layer 1 are infinite"),
        ("2.weight", -math.inf, "the batch-norm scales of hidden layer 1 are infinite"),
        ("2.bias", math.nan, "the batch-norm shifts of hidden layer 1 are NaN"),
        ("2.running_mean", math.nan, "the batch-norm running means of hidden layer 1 are NaN"),
        (
            "2.running_var",
            math.inf,
            "the batch-norm running variances of hidden layer 1 are infinite",
        ),
        ("4.weight", math.inf, "the weights of hidden layer 2 are infinite"),
        ("5.weight", math.nan, "the layer-norm scales of hidden layer 2 are NaN"),
        ("5.bias", math.inf, "the layer-norm shifts of hidden layer 2 are infinite"),
        ("7.weight", math.nan, "the weights of the output layer are NaN"),
        ("7.bias", -math.inf, "the biases of the output layer are infinite"),
    ],
)
def test_report_names_the_poisoned_tensor_and_its_layer(
    tensor: str, bad: float, report: str
) -> None:
    net = norms_net()
    net.state_dict()[tensor].view(-1)[-1] = bad  # state_dict tensors share the net's storage
    assert nonfinite_report(net) == report


def test_report_names_the_first_layer_and_nan_before_inf() -> None:
    net = norms_net()
    with torch.no_grad():
        net[7].bias.fill_(math.nan)
        net[4].weight[0, 0] = math.inf
        net[4].weight[1, 1] = math.nan
    assert nonfinite_report(net) == "the weights of hidden layer 2 are NaN"


def test_huge_but_finite_weights_are_not_reported() -> None:
    net = norms_net()
    with torch.no_grad():
        net[1].weight.fill_(3e38)  # its square would overflow float32; it is still finite
    assert nonfinite_report(net) is None


def tiny_net() -> nn.Sequential:
    """2 inputs -> 2 tanh -> 1 output with weights simple enough to compute by hand."""
    net = build_network(NetworkSpec(hidden=(LayerSpec(2, "tanh"),)), torch.Generator())
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
        net[0].bias.zero_()
        net[2].weight.copy_(torch.tensor([[1.0, 1.0]]))
        net[2].bias.zero_()
    return net


POINT = torch.tensor([[0.5, -0.25]])


def output(net: nn.Module) -> float:
    with torch.no_grad():
        return float(net(POINT))


def test_set_weight_changes_the_output_as_computed_by_hand() -> None:
    net = tiny_net()
    assert output(net) == pytest.approx(math.tanh(0.5) + math.tanh(-0.25))
    set_weight(net, 1, 0, 1, 3.0)  # output layer, from hidden unit 2
    assert output(net) == pytest.approx(math.tanh(0.5) + 3 * math.tanh(-0.25))
    set_weight(net, 0, 1, 0, 2.0)  # hidden unit 2 now also sees 2·x1: z = 1.0 - 0.25
    assert output(net) == pytest.approx(math.tanh(0.5) + 3 * math.tanh(0.75))
    set_weight(net, 0, 0, None, -0.5)  # hidden unit 1's bias: z = 0.5 - 0.5
    assert output(net) == pytest.approx(3 * math.tanh(0.75))
    set_weight(net, 1, 0, None, 0.125)  # the output's bias
    assert output(net) == pytest.approx(3 * math.tanh(0.75) + 0.125)


@pytest.mark.parametrize(
    ("layer", "row", "col", "value", "message"),
    [
        (2, 0, 0, 1.0, "there is no layer 2: layers go from 0 to 1 (1 is the output layer)"),
        (-1, 0, 0, 1.0, "there is no layer -1"),
        (True, 0, 0, 1.0, "there is no layer True"),
        (0, 2, 0, 1.0, "hidden layer 1 has 2 units: row must be 0 to 1, got 2"),
        (1, 1, 0, 1.0, "the output layer has 1 unit: row must be 0 to 0, got 1"),
        (0, 0, 2, 1.0, "hidden layer 1 has 2 inputs: col must be 0 to 1, or none for the bias"),
        (0, 0, 0, math.nan, "a weight must be a finite number, got nan"),
        (0, 0, None, -math.inf, "a weight must be a finite number, got -inf"),
    ],
)
def test_set_weight_refuses_what_does_not_exist_and_changes_nothing(
    layer: int, row: int, col: int | None, value: float, message: str
) -> None:
    net = tiny_net()
    before = [p.clone() for p in net.parameters()]
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        set_weight(net, layer, row, col, value)
    assert all(torch.equal(p, q) for p, q in zip(net.parameters(), before, strict=True))


def test_set_weight_reaches_the_fast_path() -> None:
    trainer = Trainer(RunSpec(training=TrainSpec("sgd")))
    assert trainer.fast_mlp is not None
    set_weight(trainer.net, 2, 0, 1, 5.0)
    grid = torch.tensor([[1.0, -2.0], [0.5, 3.0]])
    trainer.net.eval()
    with torch.no_grad():
        expected = trainer.net(grid).reshape(-1)
    torch.testing.assert_close(trainer.fast_mlp.logits_of_columns(grid.t()).reshape(-1), expected)


# ------------------------------------------------------------ checkpoint and restore

DIVERGING = RunSpec(
    NetworkSpec(hidden=(LayerSpec(8, "relu"), LayerSpec(8, "relu")), init="large_normal"),
    DataSpec("plane", points=100),
    TrainSpec("sgd", learning_rate=10.0, loss="mse"),
)
"""Regression with weights N(0, 3²) and a learning rate of 10: NaN within a few steps."""


def state_of(trainer: Trainer) -> list[torch.Tensor]:
    return [t.clone() for t in trainer.net.state_dict().values()]


def test_checkpoint_is_a_copy_that_later_steps_leave_alone() -> None:
    trainer = Trainer(RunSpec(NetworkSpec(hidden=(LayerSpec(4, "tanh", batch_norm=True),))))
    trainer.step(3)
    before = state_of(trainer)
    checkpoint = trainer.checkpoint()
    trainer.step(5)
    assert checkpoint.step == 3
    assert all(torch.equal(a, b) for a, b in zip(checkpoint.tensors, before, strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(state_of(trainer), before, strict=True))


def diverge(trainer: Trainer) -> list[Checkpoint]:
    """Train one step at a time until the weights go non-finite; the checkpoints before each
    step, all of finite weights, as the worker keeps them."""
    checkpoints = []
    for _ in range(100):
        if nonfinite_report(trainer.net) is not None:
            return checkpoints
        checkpoints.append(trainer.checkpoint())
        trainer.step(1)
    raise AssertionError("the run should have diverged")


def test_restore_after_divergence_brings_back_the_checkpoint_in_place() -> None:
    trainer = Trainer(DIVERGING)
    newest = diverge(trainer)[-1]
    tensors_before = [t.data_ptr() for t in trainer.net.state_dict().values()]
    trainer.restore(newest)
    assert trainer.steps == newest.step > 0
    assert nonfinite_report(trainer.net) is None
    restored = trainer.net.state_dict().values()
    assert all(torch.equal(a, b) for a, b in zip(restored, newest.tensors, strict=True))
    assert [t.data_ptr() for t in trainer.net.state_dict().values()] == tensors_before


def test_training_goes_on_finite_from_an_earlier_checkpoint_with_a_lower_learning_rate() -> None:
    """The newest finite weights can be huge (here ~1e5 with a loss of ~1e30), so that any
    step from them overflows: undo is only useful from a checkpoint before the blow-up."""
    trainer = Trainer(DIVERGING)
    first = diverge(trainer)[0]
    trainer.restore(first)
    trainer.set_training(dataclasses.replace(DIVERGING.training, learning_rate=1e-4))
    result = trainer.step(50)
    assert result.diverged_at is None and math.isfinite(result.loss)
    assert trainer.steps == 50
    assert nonfinite_report(trainer.net) is None


def test_restore_keeps_the_fast_path_training_the_net() -> None:
    trainer = Trainer(RunSpec(training=TrainSpec("adam")))
    assert trainer.fast_mlp is not None
    checkpoint = trainer.checkpoint()
    trainer.step(20)
    trainer.restore(checkpoint)
    assert trainer.steps == 0
    assert trainer.opt.param_groups[0]["lr"] == 0.01
    first = trainer.net[0].weight.clone()
    trainer.step(1)
    assert not torch.equal(trainer.net[0].weight, first)  # the fast path moved the net's own


def test_restore_forgets_early_stoppings_best_weights() -> None:
    spec = RunSpec(
        data=DataSpec("circle", points=40), training=TrainSpec(batch_size=20, early_stopping=50)
    )
    trainer = Trainer(spec)
    checkpoint = trainer.checkpoint()
    trainer.step(4)
    assert trainer.best_step is not None
    trainer.restore(checkpoint)
    assert trainer.best_step is None


def test_restore_refuses_a_checkpoint_of_another_network() -> None:
    other = Trainer(RunSpec(NetworkSpec(hidden=(LayerSpec(3, "tanh"),)))).checkpoint()
    trainer = Trainer(RunSpec())
    with pytest.raises(ValueError, match="another network"):
        trainer.restore(other)
