import copy

import pytest
import torch
from torch import nn

from models.analysis.grid import grid_points
from models.analysis.inspect import fixed_projection, hidden_space, neuron_map, neuron_maps
from models.analysis.layers import layer_name, linear_layers
from models.config import LayerSpec
from tests.models.nets import F64, RICH, float64_net, uniform_points

BOX = (-2.0, 2.0, -1.0, 3.0)


def _linear_starts(net: nn.Sequential) -> list[int]:
    return [i for i, module in enumerate(net) if isinstance(module, nn.Linear)]


def _hidden_posts(net: nn.Sequential, points: torch.Tensor) -> list[torch.Tensor]:
    """Each hidden layer's post by running the Sequential's prefix up to the next Linear."""
    net = copy.deepcopy(net).eval()
    with torch.no_grad():
        return [net[:i](points) for i in _linear_starts(net)[1:]]


def planes(values: torch.Tensor, side: int = 6) -> torch.Tensor:
    """Per-point values (N, C) as C square images, row-major as grid_points orders the points."""
    return values.t().reshape(-1, side, side)


def test_linear_layers_and_their_names() -> None:
    net = float64_net(RICH, ("x1", "x2", "x1_x2"))
    layers = linear_layers(net)
    assert layers == [net[i] for i in _linear_starts(net)]
    names = [layer_name(i, len(layers) - 1) for i in range(len(layers))]
    assert names == ["hidden layer 1", "hidden layer 2", "hidden layer 3", "output layer"]


@pytest.mark.parametrize("outputs, head", [(1, "sigmoid"), (3, "softmax"), (1, "identity")])
def test_neuron_maps_equal_the_network_prefixes_on_the_grid(outputs: int, head: str) -> None:
    net = float64_net(RICH, ("x1", "x2", "x1_x2", "sin_x1"), outputs)
    maps = neuron_maps(net, BOX, 2, 6, head)
    points = grid_points(BOX, 6).double()
    torch.testing.assert_close(maps.inputs, planes(net[0](points)), rtol=0, atol=0)
    for got, want in zip(maps.hidden, _hidden_posts(net, points), strict=True):
        torch.testing.assert_close(got, planes(want), rtol=0, atol=0)
    logits = copy.deepcopy(net).eval()(points).detach()
    heads = {"sigmoid": torch.sigmoid, "softmax": lambda z: torch.softmax(z, -1)}
    want = heads.get(head, lambda z: z)(logits)
    torch.testing.assert_close(maps.outputs, planes(want), rtol=0, atol=0)


def test_neuron_maps_put_ymax_in_row_0_and_xmin_in_column_0() -> None:
    net = float64_net((LayerSpec(2, "linear"),))
    with torch.no_grad():  # hidden unit 0 is x, unit 1 is y; the output is y
        net[0].weight.copy_(torch.eye(2))
        net[0].bias.zero_()
        net[2].weight.copy_(torch.tensor([[0.0, 1.0]]))
        net[2].bias.zero_()
    maps = neuron_maps(net, BOX, 2, 4, "identity")
    xs = torch.tensor([-1.5, -0.5, 0.5, 1.5], dtype=F64)  # cell centres of x in [-2, 2]
    ys = torch.tensor([2.5, 1.5, 0.5, -0.5], dtype=F64)  # of y in [-1, 3], top row first
    torch.testing.assert_close(maps.inputs[0], xs.expand(4, 4))
    torch.testing.assert_close(maps.inputs[1], ys[:, None].expand(4, 4))
    torch.testing.assert_close(
        maps.hidden[0], torch.stack([xs.expand(4, 4), ys[:, None].expand(4, 4)])
    )
    torch.testing.assert_close(maps.outputs[0], ys[:, None].expand(4, 4))


def test_neuron_maps_of_one_dimensional_data_are_one_row_along_x() -> None:
    net = float64_net((LayerSpec(3, "sin"),), ("x1", "x1_squared"))
    maps = neuron_maps(net, (-3.0, 3.0, 0.0, 0.0), 1, 7, "identity")
    x = torch.arange(-3.0, 4.0, dtype=F64)  # the ends included, as the 1D loss curve draws
    torch.testing.assert_close(maps.inputs, torch.stack([x, x * x])[:, None, :])
    assert maps.hidden[0].shape == (3, 1, 7) and maps.outputs.shape == (1, 1, 7)
    (want,) = _hidden_posts(net, x[:, None])
    torch.testing.assert_close(maps.hidden[0], want.t()[:, None, :], rtol=0, atol=0)


def test_one_neuron_map_equals_its_plane_among_all_maps() -> None:
    net = float64_net(RICH, outputs=3)
    maps = neuron_maps(net, BOX, 2, 9, "softmax")
    planes = [*maps.hidden, maps.outputs]
    for layer, stack in enumerate(planes):
        for unit in range(len(stack)):
            got = neuron_map(net, BOX, 2, 9, layer, unit, "softmax")
            torch.testing.assert_close(got, stack[unit], rtol=0, atol=0)


def test_neuron_map_refuses_a_neuron_the_network_lacks() -> None:
    net = float64_net(RICH)
    with pytest.raises(ValueError, match="layer must be 0 to 3, got 4"):
        neuron_map(net, BOX, 2, 5, 4, 0, "sigmoid")
    with pytest.raises(ValueError, match="hidden layer 2 has units 0 to 3, got 4"):
        neuron_map(net, BOX, 2, 5, 1, 4, "sigmoid")


def _box_lines(k: int, s: int) -> torch.Tensor:
    """k horizontal lines (y from ymin up), then k vertical ones, s samples each: (2k, s, 2)."""
    xmin, xmax, ymin, ymax = BOX
    lines = []
    for y in torch.linspace(ymin, ymax, k).tolist():
        lines.append([[x, y] for x in torch.linspace(xmin, xmax, s).tolist()])
    for x in torch.linspace(xmin, xmax, k).tolist():
        lines.append([[x, y] for y in torch.linspace(ymin, ymax, s).tolist()])
    return torch.tensor(lines, dtype=F64)


def test_hidden_space_of_two_units_is_the_activations_themselves() -> None:
    hidden = (LayerSpec(4, "relu", batch_norm=True), LayerSpec(2, "tanh", layer_norm=True))
    net = float64_net(hidden)
    points = uniform_points(30).double()
    space = hidden_space(net, 1, points, BOX, 2, lines_per_axis=3, samples=5)
    assert (space.layer, space.units, space.projected) == (1, 2, False)
    torch.testing.assert_close(space.points, _hidden_posts(net, points)[1], rtol=0, atol=0)
    lines = _box_lines(3, 5)
    want = _hidden_posts(net, lines.reshape(-1, 2))[1].reshape(6, 5, 2)
    torch.testing.assert_close(space.lines, want, rtol=1e-15, atol=1e-15)


def test_hidden_space_of_one_unit_lies_on_the_x_axis() -> None:
    net = float64_net((LayerSpec(1, "sigmoid"), LayerSpec(3, "tanh")))
    points = uniform_points(10).double()
    space = hidden_space(net, 0, points, BOX, 2)
    (post, _) = _hidden_posts(net, points)
    torch.testing.assert_close(space.points, torch.cat([post, torch.zeros_like(post)], 1))
    assert space.lines.shape == (22, 41, 2) and not space.projected


def test_fixed_projection_has_orthonormal_columns_and_never_changes() -> None:
    for units in (2, 3, 4, 7, 32):
        p = fixed_projection(units).double()
        assert p.shape == (units, 2)
        torch.testing.assert_close(p.t() @ p, torch.eye(2, dtype=F64), rtol=0, atol=1e-6)
        assert torch.equal(fixed_projection(units), fixed_projection(units))
    with pytest.raises(ValueError):
        fixed_projection(1)


@pytest.mark.parametrize("seed", [0, 1])
def test_wide_layers_are_projected_by_the_fixed_projection_whatever_the_weights(seed: int) -> None:
    net = float64_net((LayerSpec(5, "elu"),), seed=seed)
    points = uniform_points(20).double()
    space = hidden_space(net, 0, points, BOX, 2)
    assert space.projected and space.units == 5
    (post,) = _hidden_posts(net, points)
    torch.testing.assert_close(space.points, post @ fixed_projection(5).double())


def test_hidden_space_of_one_dimensional_data_draws_one_line_along_x() -> None:
    net = float64_net((LayerSpec(2, "tanh"),), ("x1", "sin_x1"))
    points = uniform_points(8, dims=1).double()
    space = hidden_space(net, 0, points, (-3.0, 3.0, 0.0, 0.0), 1, samples=13)
    assert space.lines.shape == (1, 13, 2)
    line = torch.linspace(-3, 3, 13, dtype=F64)[:, None]
    torch.testing.assert_close(space.lines[0], _hidden_posts(net, line)[0])
    torch.testing.assert_close(space.points, _hidden_posts(net, points)[0], rtol=0, atol=0)


def test_hidden_space_refuses_the_output_layer() -> None:
    with pytest.raises(ValueError, match="hidden layer must be 0 to 2, got 3"):
        hidden_space(float64_net(RICH), 3, uniform_points(3), BOX, 2)


def test_inspection_leaves_the_live_network_as_it_was() -> None:
    net = float64_net(RICH).train()
    state = copy.deepcopy(net.state_dict())
    neuron_maps(net, BOX, 2, 5, "sigmoid")
    neuron_map(net, BOX, 2, 5, 1, 0, "sigmoid")
    hidden_space(net, 1, uniform_points(64).double(), BOX, 2)
    assert all(module.training for module in net.modules())
    assert all(p.grad is None for p in net.parameters())
    after = net.state_dict()
    assert all(torch.equal(state[key], after[key]) for key in state)


def test_an_unknown_head_is_refused_readably() -> None:
    with pytest.raises(ValueError, match="unknown head 'tanh'; known: sigmoid, softmax, identity"):
        neuron_maps(float64_net(RICH), BOX, 2, 4, "tanh")
