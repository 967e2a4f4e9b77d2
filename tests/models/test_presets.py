import pytest
import torch

from models.analysis.patterns import pattern_count_on_grid
from models.analysis.regions import count_regions, layers_from_module
from models.config import LayerSpec, NetworkSpec
from models.datasets import BOX
from models.network import build_network
from models.presets import FOLDING_UNITS, folding_layers, load_layers


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_folding_net_has_sixteen_to_the_depth_regions(depth: int) -> None:
    layers = folding_layers(depth, BOX)
    assert [w.shape for w, _ in layers[:-1]] == [(8, 2)] + [(8, 8)] * (depth - 1)
    assert count_regions(layers, "relu", BOX) == 16**depth


def test_the_grid_oracle_sees_the_folding_grid() -> None:
    # depth 2 cuts each axis into 16 equal strips: a 256-cell grid; 640² samples hit every cell
    assert pattern_count_on_grid(folding_layers(2, BOX), "relu", BOX, 640) == 256


def test_load_layers_puts_the_weights_into_a_torch_network() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(FOLDING_UNITS, "relu"),) * 2)
    net = build_network(spec, torch.Generator())
    load_layers(net, folding_layers(2, BOX))
    assert count_regions(layers_from_module(net), "relu", BOX) == 256


def test_load_layers_refuses_a_network_of_another_depth() -> None:
    net = build_network(NetworkSpec(hidden=(LayerSpec(8, "relu"),)), torch.Generator())
    with pytest.raises(ValueError, match="linear layers"):
        load_layers(net, folding_layers(2, BOX))
