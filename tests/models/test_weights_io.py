import copy
from typing import Any

import pytest
import safetensors.torch
import torch

from models.config import LayerSpec, NetworkSpec
from models.network import build_network
from models.weights_io import (
    WeightsError,
    from_safetensors,
    load_weights,
    to_safetensors,
    weights_of,
)

SPEC = NetworkSpec(
    hidden=(LayerSpec(3, "relu", batch_norm=True), LayerSpec(2, "tanh", layer_norm=True)),
    features=("x1", "x2", "x1_x2"),
)
POINTS = torch.tensor([[0.5, -1.0], [2.0, 3.0], [-4.0, 1.5]])


def make_net(seed: int) -> torch.nn.Sequential:
    net = build_network(SPEC, torch.Generator().manual_seed(seed))
    net.train()
    net(torch.randn(16, 2, generator=torch.Generator().manual_seed(seed)))  # BN statistics move
    return net.eval()


def state_copy(net: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {name: value.clone() for name, value in net.state_dict().items()}


def assert_state_equal(net: torch.nn.Module, state: dict[str, torch.Tensor]) -> None:
    for name, value in net.state_dict().items():
        assert torch.equal(value, state[name]), name


def test_weights_of_lists_every_float_entry_of_the_state_dict() -> None:
    net = make_net(0)
    weights = weights_of(net)
    state = net.state_dict()
    expected = {name for name, value in state.items() if value.dtype != torch.int64}
    assert set(weights) == expected
    assert "2.running_var" in weights and "2.num_batches_tracked" not in weights
    for name, entry in weights.items():
        assert entry["shape"] == list(state[name].shape)
        rebuilt = torch.tensor(entry["values"], dtype=torch.float32).reshape(entry["shape"])
        assert torch.equal(rebuilt, state[name])


def test_load_weights_makes_another_net_compute_the_same_outputs_in_place() -> None:
    source, target = make_net(0), make_net(1)
    tensors_before = {name: value.data_ptr() for name, value in target.state_dict().items()}
    assert not torch.equal(source(POINTS), target(POINTS))
    load_weights(target, weights_of(source))
    torch.testing.assert_close(target(POINTS), source(POINTS), rtol=0, atol=0)
    assert {name: value.data_ptr() for name, value in target.state_dict().items()} == (
        tensors_before
    )


def bad(change: str) -> tuple[dict[str, Any], str]:
    """weights_of a net with one thing wrong in its LAST tensor, and what the message names."""
    weights: dict[str, Any] = copy.deepcopy(weights_of(make_net(1)))
    last = list(weights)[-1]  # the output layer's bias
    if change == "missing":
        del weights[last]
        return weights, f"missing tensors: {last}"
    if change == "unexpected":
        weights["9.weight"] = {"shape": [1], "values": [0.0]}
        return weights, "unexpected tensors: 9.weight"
    if change == "negative variance":
        weights["2.running_var"]["values"][0] = -0.5
        return weights, "2.running_var: a running variance cannot be negative"
    entry = weights[last]
    if change == "shape":
        entry["shape"] = [2]
        return weights, f"{last}: expected shape [1], got [2]"
    if change == "count":
        entry["values"] = [0.0, 1.0]
        return weights, f"{last}: shape [1] needs a list of 1 values, got 2"
    if change == "not a mapping":
        weights[last] = [0.0]
        return weights, f"{last}: needs a 'shape'"
    values = {"nan": float("nan"), "inf": float("-inf"), "huge": 1e300, "bool": True}
    entry["values"] = [values.get(change, "0.5")]  # "text" gets a string
    message = (
        "every value must be a number"
        if change in ("bool", "text")
        else "every value must be finite"
    )
    return weights, f"{last}: {message}"


@pytest.mark.parametrize(
    "change",
    [
        "missing",
        "unexpected",
        "negative variance",
        "shape",
        "count",
        "not a mapping",
        "nan",
        "inf",
        "huge",
        "bool",
        "text",
    ],
)
def test_bad_weights_are_refused_by_name_before_anything_changes(change: str) -> None:
    net = make_net(0)
    before = state_copy(net)
    weights, message = bad(change)
    with pytest.raises(WeightsError) as err:
        load_weights(net, weights)
    assert message in str(err.value)
    assert_state_equal(net, before)


def test_missing_and_unexpected_are_named_together() -> None:
    weights: dict[str, Any] = dict(weights_of(make_net(0)))
    weights["0.w"] = weights.pop("1.weight")
    with pytest.raises(WeightsError, match=r"missing tensors: 1\.weight; unexpected tensors: 0\.w"):
        load_weights(make_net(0), weights)


def test_safetensors_round_trip_keeps_values_and_metadata() -> None:
    weights = weights_of(make_net(0))
    data = to_safetensors(weights, {"settings": '{"seed": 0}'})
    back, metadata = from_safetensors(data, max_bytes=len(data))
    assert back == weights  # float32 values survive float32 storage exactly
    assert metadata == {"settings": '{"seed": 0}'}


def test_safetensors_file_loads_into_torch_with_the_state_dict_names() -> None:
    source, target = make_net(0), make_net(1)
    tensors = safetensors.torch.load(to_safetensors(weights_of(source)))
    target.load_state_dict(tensors)  # BatchNorm fills in its step counter when it is missing
    torch.testing.assert_close(target(POINTS), source(POINTS), rtol=0, atol=0)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_every_float_dtype_is_read_as_floats(dtype: torch.dtype) -> None:
    tensor = torch.tensor([[0.5, -2.0], [1.25, 3.0]], dtype=dtype)
    weights, metadata = from_safetensors(safetensors.torch.save({"w": tensor}), 10_000)
    assert weights == {"w": {"shape": [2, 2], "values": [0.5, -2.0, 1.25, 3.0]}}
    assert metadata == {}


def test_integer_tensors_are_refused_by_name() -> None:
    data = safetensors.torch.save({"2.weight": torch.ones(2, dtype=torch.int32)})
    with pytest.raises(WeightsError, match=r"2\.weight: dtype I32 is not a float"):
        from_safetensors(data, 10_000)


def test_non_finite_values_in_a_file_are_refused() -> None:
    data = safetensors.torch.save({"0.bias": torch.tensor([1.0, float("nan")])})
    with pytest.raises(WeightsError, match=r"0\.bias: holds NaN"):
        from_safetensors(data, 10_000)


def test_too_many_bytes_are_refused_before_reading() -> None:
    data = to_safetensors(weights_of(make_net(0)))
    with pytest.raises(WeightsError, match=f"the file has {len(data)} bytes; at most 100"):
        from_safetensors(data, max_bytes=100)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x05\x00\x00\x00",
        b"\xff\x00\x00\x00\x00\x00\x00\x00{}",  # header longer than the file
        b"\x05\x00\x00\x00\x00\x00\x00\x00{}abc",  # not JSON
        b"\x02\x00\x00\x00\x00\x00\x00\x00[]",  # JSON but not an object
        # offsets past the end of the data
        b'M\x00\x00\x00\x00\x00\x00\x00{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}'
        b"    \x00\x00",
    ],
)
def test_corrupt_files_are_refused(data: bytes) -> None:
    with pytest.raises(WeightsError, match="not a valid safetensors file"):
        from_safetensors(data, 10_000)


def test_to_safetensors_refuses_values_that_do_not_fit_the_shape() -> None:
    with pytest.raises(WeightsError, match=r"w: shape \[2\] needs a list of 2 values, got 3"):
        to_safetensors({"w": {"shape": [2], "values": [1.0, 2.0, 3.0]}})
