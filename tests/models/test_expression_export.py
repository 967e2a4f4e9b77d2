"""An own activation in "Copy as PyTorch": a small nn.Module whose code reproduces the outputs."""

from typing import Any

import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec
from models.pytorch_code import pytorch_snippet
from models.trainer import Trainer

SWISH = "x * sigmoid(1.5*x)"
LEAKY = "max(0, x) - 0.1*max(0, -x)"
RUN = RunSpec(
    NetworkSpec(
        (
            LayerSpec(4, "expr", expression=SWISH),
            LayerSpec(3, "expr", expression=LEAKY),
            LayerSpec(3, "expr", expression=SWISH),
            LayerSpec(2, "expr", expression="where(x > 1, 2 ^ -x, -x/3 + cos(pi*x)) + 0.5"),
        )
    ),
    DataSpec("circle", points=40),
    seed=4,
)


def test_exported_own_activations_reproduce_the_trainers_outputs() -> None:
    code = pytorch_snippet(RUN)
    assert "class OwnActivation(nn.Module):" in code
    assert f"Your own activation: {SWISH}." in code
    assert "return x * torch.sigmoid(1.5 * x)" in code
    assert "class OwnActivation2(nn.Module):" in code and "OwnActivation4" not in code
    assert "OwnActivation(),  # 1: hidden layer 1: your activation" in code
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # the test runs the exported code, as a student would
    trainer = Trainer(RUN)
    trainer.step(5)
    net = namespace["net"]
    net.load_state_dict(trainer.net.state_dict())
    points = trainer.split.test.x
    torch.testing.assert_close(net(points), trainer.net(points))


def test_a_constant_activation_is_as_wide_as_its_input() -> None:
    run = RunSpec(NetworkSpec((LayerSpec(3, "expr", expression="exp(1)"),)))
    namespace: dict[str, Any] = {}
    exec(pytorch_snippet(run), namespace)
    own = namespace["OwnActivation"]()
    torch.testing.assert_close(own(torch.zeros(2, 3)), torch.full((2, 3), torch.e))
