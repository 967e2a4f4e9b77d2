import numpy as np
import pytest
import torch

from models.analysis.patterns import pattern_count_on_grid
from models.analysis.regions import count_regions, layers_from_module
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.datasets import BOX
from models.network import build_network
from models.presets import (
    FOLDING_UNITS,
    PresetError,
    build_preset,
    folding_layers,
    load_layers,
    sine_bumps,
)


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


def test_the_xor_preset_classifies_the_classic_xor_without_training() -> None:
    current = RunSpec(data=DataSpec("spiral", classes=3), training=TrainSpec(loss="cross_entropy"))
    chosen = build_preset(current, "xor_two_units")
    assert chosen.spec.data.name == "xor4" and chosen.spec.training.loss == "bce"
    assert chosen.spec.network.outputs == 1 and chosen.spec.seed == current.seed
    trainer = chosen.trainer(torch.device("cpu"))
    assert trainer.steps == 0
    assert trainer.evaluate().train_accuracy == 1.0


def test_the_sine_preset_draws_the_closed_form_bumps() -> None:
    trainer = build_preset(RunSpec(), "sine_bumps", bumps=5).trainer(torch.device("cpu"))
    assert trainer.split.dims == 1 and trainer.spec.training.loss == "mse"
    x = torch.linspace(0, 1, 101).reshape(-1, 1)
    with torch.no_grad():
        out = trainer.net(x)[:, 0].double().numpy()
    assert np.allclose(out, sine_bumps(x[:, 0].double().numpy(), 5), atol=1e-5)


def test_the_folding_preset_keeps_the_data_and_its_naive_loss() -> None:
    current = RunSpec(data=DataSpec("xor"), training=TrainSpec(loss="bce_naive"))
    chosen = build_preset(current, "folding", depth=2)
    assert chosen.spec.data == current.data and chosen.spec.training.loss == "bce_naive"
    trainer = chosen.trainer(torch.device("cpu"))
    assert count_regions(layers_from_module(trainer.net), "relu", trainer.split.box) == 256


@pytest.mark.parametrize(
    "data", [DataSpec("spiral", classes=3), DataSpec("sine")], ids=["three classes", "1D"]
)
def test_the_folding_preset_refuses_data_that_is_not_two_classes_in_the_plane(
    data: DataSpec,
) -> None:
    loss = "mse" if data.name == "sine" else "cross_entropy"
    with pytest.raises(PresetError, match="two-class"):
        build_preset(RunSpec(data=data, training=TrainSpec(loss=loss)), "folding")
