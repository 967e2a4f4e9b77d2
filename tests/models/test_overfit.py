import torch

from models.analysis.overfit import overfit_small_sample
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.datasets import Split
from models.generators import Dataset
from models.trainer import Trainer

TWO_TANH_LAYERS = NetworkSpec(hidden=(LayerSpec(16, "tanh"), LayerSpec(16, "tanh")))

# Two points per quadrant, labelled by the sign of x1·x2. A linear model (no hidden layer)
# cannot get them all right: class 1 needs w·p + b > 0 at (1, 1) and (-1, -1), so adding the
# two, b > 0; class 0 needs w·p + b ≤ 0 at (1, -1) and (-1, 1), so b ≤ 0. The outer four
# repeat the argument at twice the scale.
QUADRANTS = torch.tensor([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
XOR_POINTS = torch.cat([QUADRANTS, 2 * QUADRANTS])
XOR_LABELS = torch.tensor([1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
XOR_SPLIT = Split(Dataset(XOR_POINTS, XOR_LABELS), Dataset(XOR_POINTS, XOR_LABELS))


def test_two_tanh_layers_fit_eight_spiral_points() -> None:
    trainer = Trainer(RunSpec(TWO_TANH_LAYERS, DataSpec("spiral"), TrainSpec("adam", 0.03)))
    result = overfit_small_sample(trainer.spec, trainer.net, trainer.split)
    assert result.passed, result.message
    assert result.points == 8 and result.accuracy == 1.0
    assert 0 < result.steps < 1000
    assert result.message.startswith("Fitted 8 training points")


def test_the_sample_is_balanced_across_classes() -> None:
    trainer = Trainer(RunSpec(TWO_TANH_LAYERS, DataSpec("spiral", classes=4), TrainSpec("adam")))
    # a constant prediction is right on a quarter of a balanced sample, never on all of it
    result = overfit_small_sample(trainer.spec, trainer.net, trainer.split, max_steps=0)
    assert result.steps == 0 and result.accuracy is not None and result.accuracy <= 0.5


def test_a_linear_model_cannot_fit_xor() -> None:
    spec = RunSpec(NetworkSpec(hidden=()), training=TrainSpec("adam", 0.1))
    result = overfit_small_sample(spec, Trainer(spec).net, XOR_SPLIT)
    assert not result.passed
    assert result.steps == 1000
    assert result.accuracy is not None and result.accuracy < 1.0
    assert "Could not fit 8 training points in 1000 steps" in result.message
    assert "higher learning rate (now 0.1)" in result.message


def test_the_feature_x1_x2_lets_a_linear_model_fit_xor() -> None:
    spec = RunSpec(NetworkSpec(hidden=(), features=("x1_x2",)), training=TrainSpec("adam", 0.1))
    assert overfit_small_sample(spec, Trainer(spec).net, XOR_SPLIT).passed


def test_regression_on_the_sine_passes() -> None:
    network = NetworkSpec(hidden=(LayerSpec(16, "tanh"),), features=("x1",))
    spec = RunSpec(network, DataSpec("sine"), TrainSpec("adam", 0.03, loss="mse"))
    trainer = Trainer(spec)
    result = overfit_small_sample(spec, trainer.net, trainer.split)
    assert result.passed and result.accuracy is None
    targets = trainer.split.train.y[:8]
    assert result.loss < 0.01 * float(targets.var(unbiased=False))


def test_regularisation_and_dropout_are_left_out() -> None:
    heavy = TrainSpec("adam", 0.03, l2=10.0, weight_decay=1.0, input_noise=3.0)
    network = NetworkSpec(hidden=(LayerSpec(16, "tanh", dropout=0.9), LayerSpec(16, "tanh")))
    spec = RunSpec(network, DataSpec("spiral"), heavy)
    trainer = Trainer(spec)
    assert overfit_small_sample(spec, trainer.net, trainer.split).passed


def test_a_diverging_model_fails_with_advice_to_lower_the_learning_rate() -> None:
    network = NetworkSpec(hidden=(LayerSpec(8, "relu"),), init="large_normal")
    spec = RunSpec(network, DataSpec("plane"), TrainSpec("sgd", 10.0, loss="mse"))
    trainer = Trainer(spec)
    result = overfit_small_sample(spec, trainer.net, trainer.split)
    assert not result.passed
    assert "lower the learning rate (now 10)" in result.message


def test_the_check_is_deterministic_and_leaves_the_live_net_alone() -> None:
    trainer = Trainer(RunSpec(TWO_TANH_LAYERS, DataSpec("spiral"), TrainSpec("adam", 0.03)))
    trainer.step(7)
    before = {name: value.clone() for name, value in trainer.net.state_dict().items()}
    rng = torch.random.get_rng_state()
    first = overfit_small_sample(trainer.spec, trainer.net, trainer.split)
    second = overfit_small_sample(trainer.spec, trainer.net, trainer.split)
    assert first == second
    assert torch.equal(torch.random.get_rng_state(), rng)
    for name, value in trainer.net.state_dict().items():
        assert torch.equal(value, before[name]), name
    assert trainer.net.training


def test_a_cancelled_check_stops_within_a_few_steps_and_tries_no_other_init() -> None:
    # The linear XOR model never fits: uncancelled it runs 1000 steps on each of 3 inits.
    spec = RunSpec(NetworkSpec(hidden=()), training=TrainSpec("adam", 0.1))
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked >= 3  # the session closes while the check runs

    result = overfit_small_sample(spec, Trainer(spec).net, XOR_SPLIT, cancelled=cancelled)
    assert result.steps == 50 and result.attempts == 1
