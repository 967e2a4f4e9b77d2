"""Where a network went non-finite, and editing one weight by hand.

When training diverges, "NaN at step 412" tells a person that something broke; "the weights
of hidden layer 2 are infinite" tells them where. Both functions speak in Linear indices
(0 … H-1 the hidden layers, H the output layer), as the inspection views do.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from models.analysis.layers import layer_name, linear_layers

TENSOR_NAMES: dict[tuple[type[nn.Module], str], str] = {
    (nn.Linear, "weight"): "weights",
    (nn.Linear, "bias"): "biases",
    (nn.BatchNorm1d, "weight"): "batch-norm scales",
    (nn.BatchNorm1d, "bias"): "batch-norm shifts",
    (nn.BatchNorm1d, "running_mean"): "batch-norm running means",
    (nn.BatchNorm1d, "running_var"): "batch-norm running variances",
    (nn.LayerNorm, "weight"): "layer-norm scales",
    (nn.LayerNorm, "bias"): "layer-norm shifts",
}
"""(module type, tensor name) -> what people call that tensor, plural."""


def nonfinite_report(net: nn.Module) -> str | None:
    """Name the first parameter or buffer holding NaN or ±inf, by layer; None if all finite.

    E.g. "the weights of hidden layer 2 are NaN", "the biases of the output layer are
    infinite". Norm layers count as part of the hidden layer whose Linear they follow.
    """
    tensors = [t for t in net.state_dict().values() if t.is_floating_point()]
    if not tensors or bool(torch.isfinite(torch.cat([t.reshape(-1) for t in tensors])).all()):
        return None  # the common case in one check
    hidden_count = len(linear_layers(net)) - 1
    index = -1
    for module in net.modules():
        if isinstance(module, nn.Linear):
            index += 1
        own = [*module.named_parameters(recurse=False), *module.named_buffers(recurse=False)]
        for name, tensor in own:
            if not tensor.is_floating_point() or bool(torch.isfinite(tensor).all()):
                continue
            what = TENSOR_NAMES.get((type(module), name), name)
            problem = "NaN" if bool(torch.isnan(tensor).any()) else "infinite"
            return f"the {what} of {_called(max(index, 0), hidden_count)} are {problem}"
    return None


def set_weight(net: nn.Module, layer: int, row: int, col: int | None, value: float) -> None:
    """Set weight [row, col] of Linear `layer` to `value` in place; col None sets bias [row].

    Raises ValueError, naming the valid range, for an index that does not exist, and for a
    value that is not a finite number.
    """
    linears = linear_layers(net)
    hidden_count = len(linears) - 1
    if not _is_index(layer, len(linears)):
        raise ValueError(
            f"there is no layer {layer}: layers go from 0 to {hidden_count} "
            f"({hidden_count} is the output layer)"
        )
    linear = linears[layer]
    name = _called(layer, hidden_count)
    units, inputs = linear.weight.shape
    if not _is_index(row, units):
        raise ValueError(
            f"{name} has {_count(units, 'unit')}: row must be 0 to {units - 1}, got {row}"
        )
    if col is not None and not _is_index(col, inputs):
        raise ValueError(
            f"{name} has {_count(inputs, 'input')}: col must be 0 to {inputs - 1}, or none "
            f"for the bias, got {col}"
        )
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"a weight must be a finite number, got {value!r}")
    with torch.no_grad():  # in place: the fast path holds views of these tensors
        if col is None:
            _bias(linear)[row] = value
        else:
            linear.weight[row, col] = value


def _called(index: int, hidden_count: int) -> str:
    """Linear `index` as a sentence names it: "hidden layer 2", "the output layer"."""
    name = layer_name(index, hidden_count)
    return name if index < hidden_count else f"the {name}"


def _count(n: int, noun: str) -> str:
    """ "1 unit", "3 units"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _is_index(i: object, size: int) -> bool:
    """Whether `i` is a whole number (not a bool) in 0 … size-1."""
    return isinstance(i, int) and not isinstance(i, bool) and 0 <= i < size


def _bias(linear: nn.Linear) -> torch.Tensor:
    """The Linear's bias; build_network always gives one."""
    if linear.bias is None:
        raise ValueError("this layer has no biases")
    return linear.bias
