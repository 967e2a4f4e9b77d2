"""A network's weights as plain JSON-ready lists, and as safetensors bytes.

Both ways in are validated whole before anything changes: a file a person uploads may name
the wrong tensors, have the wrong shapes or hold NaN, and the message must say which tensor
and what is wrong while the running network stays as it was. safetensors, unlike torch.save,
holds only tensors and a JSON header, so reading an untrusted file runs no code.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping
from typing import Any, TypedDict

import safetensors.torch
import torch
from safetensors import SafetensorError
from torch import nn


class TensorValues(TypedDict):
    """One tensor as JSON: its shape and its values flattened in row-major order."""

    shape: list[int]
    values: list[float]


class WeightsError(ValueError):
    """Weights that cannot go into the network; the message names the tensor and the problem."""


FLOAT_DTYPES = frozenset({"F16", "BF16", "F32", "F64"})
"""safetensors dtype codes accepted on the way in; the values become Python floats."""

_HEADER_LENGTH_BYTES = 8  # a safetensors file starts with its JSON header's length, u64 LE


def weights_of(net: nn.Module) -> dict[str, TensorValues]:
    """Return every floating-point entry of `net.state_dict()` by its state_dict name.

    Weights, biases, normalisation scales and shifts, BatchNorm's running mean and variance;
    not BatchNorm's integer step counter (num_batches_tracked), which no one edits.
    """
    return {
        name: {"shape": list(value.shape), "values": value.detach().reshape(-1).tolist()}
        for name, value in net.state_dict().items()
        if value.is_floating_point()
    }


def load_weights(net: nn.Module, weights: Mapping[str, Any]) -> None:
    """Copy `weights` (as weights_of gives them) into `net` in place, or raise WeightsError.

    Everything is checked before the first copy, so a bad entry leaves the network as it
    was. The copies go into the existing tensors: the fast path holds views of them.
    """
    state = {name: value for name, value in net.state_dict().items() if value.is_floating_point()}
    if not isinstance(weights, Mapping):
        raise WeightsError(
            f"weights must map tensor names to tensors, got {type(weights).__name__}"
        )
    _check_names(set(weights), set(state))
    tensors = {
        name: _tensor_of(name, weights[name], list(target.shape), target.dtype)
        for name, target in state.items()
    }
    with torch.no_grad():
        for name, target in state.items():
            target.copy_(tensors[name])


def to_safetensors(
    weights: Mapping[str, TensorValues], metadata: dict[str, str] | None = None
) -> bytes:
    """Return `weights` as a safetensors file of float32 tensors, with `metadata` in its header.

    Raises WeightsError if an entry's shape and values disagree or a value is not finite.
    """
    tensors = {
        name: _tensor_of(name, entry, _shape_of(name, entry), torch.float32)
        for name, entry in weights.items()
    }
    return safetensors.torch.save(tensors, metadata)


def from_safetensors(
    data: bytes, max_bytes: int, max_tensors: int | None = None, max_elements: int | None = None
) -> tuple[dict[str, TensorValues], dict[str, str]]:
    """Return the tensors of a safetensors file and the metadata of its header.

    Raises WeightsError for a file over `max_bytes`, a corrupt file, a tensor that is not
    floating-point (F16, BF16, F32, F64) or a value that is NaN or infinite; and, read from
    the header before any tensor is built, more than `max_tensors` tensors or a shape with
    more than `max_elements` elements (or a side longer than that).
    """
    if len(data) > max_bytes:
        raise WeightsError(f"the file has {len(data)} bytes; at most {max_bytes} are accepted")
    metadata = _check_header(data, max_tensors, max_elements)
    try:
        tensors = safetensors.torch.load(data)
    except (SafetensorError, ValueError) as err:  # offsets past the end, overlapping data…
        raise WeightsError(f"not a valid safetensors file: {err}") from err
    weights: dict[str, TensorValues] = {}
    for name, tensor in tensors.items():
        if not bool(torch.isfinite(tensor).all()):
            raise WeightsError(f"{name}: holds NaN or infinite values")
        values = tensor.double().reshape(-1).tolist()
        weights[name] = {"shape": list(tensor.shape), "values": values}
    return weights, metadata


def _check_header(
    data: bytes, max_tensors: int | None = None, max_elements: int | None = None
) -> dict[str, str]:
    """Return the metadata of a safetensors header after checking every tensor is a float.

    Read by hand because the safetensors loaders do not return the metadata, and so that a
    file of integers is refused before its tensors are built.
    """
    if len(data) < _HEADER_LENGTH_BYTES:
        raise WeightsError("not a valid safetensors file: too short for a header")
    (length,) = struct.unpack("<Q", data[:_HEADER_LENGTH_BYTES])
    if length > len(data) - _HEADER_LENGTH_BYTES:
        raise WeightsError("not a valid safetensors file: the header runs past the end")
    try:
        header = json.loads(data[_HEADER_LENGTH_BYTES : _HEADER_LENGTH_BYTES + length])
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise WeightsError(f"not a valid safetensors file: the header is not JSON ({err})") from err
    if not isinstance(header, dict):
        raise WeightsError("not a valid safetensors file: the header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(value, str) for value in metadata.values()
    ):
        raise WeightsError("not a valid safetensors file: its metadata must map text to text")
    if max_tensors is not None and len(header) > max_tensors:
        raise WeightsError(f"{len(header)} tensors; a network here has at most {max_tensors}")
    for name, info in header.items():
        if max_elements is not None:
            _check_shape(name, info.get("shape") if isinstance(info, dict) else None, max_elements)
        dtype = info.get("dtype") if isinstance(info, dict) else None
        if dtype not in FLOAT_DTYPES:
            raise WeightsError(
                f"{name}: dtype {dtype} is not a float (accepted: F16, BF16, F32, F64)"
            )
    return metadata


def _check_shape(name: str, shape: object, max_elements: int) -> None:
    """Raise WeightsError unless `shape` is a list of at most 4 sides whose product and every
    side are at most `max_elements` (so no number sent back exceeds what JSON carries exactly)."""
    if not isinstance(shape, list) or len(shape) > 4:
        raise WeightsError(f"{name}: the shape must be a list of at most 4 sizes")
    if not all(type(side) is int and 0 <= side <= max_elements for side in shape):
        raise WeightsError(f"{name}: every size of its shape must be 0 … {max_elements}")
    if math.prod(shape) > max_elements:
        raise WeightsError(f"{name}: {math.prod(shape)} values; at most {max_elements} accepted")


def _check_names(given: set[str], expected: set[str]) -> None:
    """Raise WeightsError naming the missing and the unexpected tensors, if there are any."""
    problems = []
    if missing := sorted(expected - given):
        problems.append(f"missing tensors: {', '.join(missing)}")
    if unexpected := sorted(given - expected):
        problems.append(f"unexpected tensors: {', '.join(unexpected)}")
    if problems:
        raise WeightsError("; ".join(problems))


def _shape_of(name: str, entry: Any) -> list[int]:
    """Return the entry's shape: a list of whole numbers ≥ 0."""
    shape = entry.get("shape") if isinstance(entry, Mapping) else None
    if not isinstance(shape, list) or not all(type(size) is int and size >= 0 for size in shape):
        raise WeightsError(f"{name}: needs a 'shape', a list of whole numbers ≥ 0")
    return shape


def _tensor_of(name: str, entry: Any, shape: list[int], dtype: torch.dtype) -> torch.Tensor:
    """Return the entry's values as a tensor of `shape` and `dtype`, or raise WeightsError.

    Checks the shape, that there is one value per element, that every value is a real number
    (not a bool, not text) and that it stays finite in `dtype` (1e300 is inf in float32).
    """
    given = _shape_of(name, entry)
    if given != shape:
        raise WeightsError(f"{name}: expected shape {shape}, got {given}")
    values = entry.get("values")
    count = math.prod(shape)
    if not isinstance(values, list) or len(values) != count:
        got = len(values) if isinstance(values, list) else type(values).__name__
        raise WeightsError(f"{name}: shape {shape} needs a list of {count} values, got {got}")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        raise WeightsError(f"{name}: every value must be a number")
    try:
        tensor = torch.tensor(values, dtype=torch.float64).to(dtype).reshape(shape)
    except (OverflowError, RuntimeError) as err:  # an int too large for a float
        raise WeightsError(f"{name}: a value is too large") from err
    if not bool(torch.isfinite(tensor).all()):
        raise WeightsError(f"{name}: every value must be finite (no NaN, no ±inf, nothing huge)")
    if name.endswith("running_var") and bool((tensor < 0).any()):
        raise WeightsError(f"{name}: a running variance cannot be negative")
    return tensor
