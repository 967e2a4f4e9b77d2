import torch
from torch import nn

from models.config import LayerSpec, NetworkSpec
from models.network import ACTIVATIONS, build_network


def test_shapes_follow_the_spec() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(8, "relu"), LayerSpec(3, "sigmoid")))
    net = build_network(spec, torch.Generator().manual_seed(0))
    linears = [m for m in net if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(2, 8), (8, 3), (3, 1)]
    assert isinstance(net[1], nn.ReLU) and isinstance(net[3], nn.Sigmoid)
    assert net(torch.zeros(5, 2)).shape == (5, 1)


def test_no_hidden_layers_is_a_linear_model() -> None:
    net = build_network(NetworkSpec(hidden=()), torch.Generator())
    assert len(net) == 1 and isinstance(net[0], nn.Linear)


def test_weights_come_from_the_generator_not_global_state() -> None:
    spec = NetworkSpec()
    a = build_network(spec, torch.Generator().manual_seed(3))
    torch.manual_seed(999)
    b = build_network(spec, torch.Generator().manual_seed(3))
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)


def test_every_activation_builds_and_runs() -> None:
    for name in ACTIVATIONS:
        net = build_network(NetworkSpec(hidden=(LayerSpec(4, name),)), torch.Generator())
        assert torch.isfinite(net(torch.randn(3, 2))).all()
