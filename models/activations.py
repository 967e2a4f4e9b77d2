"""The activations: one frozen record each, holding everything the app knows about it.

A record says what the catalog shows, how build_network makes the module, what "Copy as
PyTorch" prints, whether the region counter can cut the plane exactly (its linear pieces), and
the hand-derived backward that lets models/fast_mlp.py, the sweeps and the monitors skip
autograd (None: no fast path, those callers fall back to autograd or refuse). Adding an
activation is adding a record here (docs/architecture.md, "Add a building block").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import torch
import torch.nn.functional as F
from torch import nn

from models.registry import by_name

Backward = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]
"""(d loss / d output a, the pre-activation z, the output a) -> d loss / d z."""


@dataclass(frozen=True, slots=True)
class Pointwise:
    """An activation's forward function and its hand-derived backward."""

    forward: Callable[[torch.Tensor], torch.Tensor]
    backward: Backward


@dataclass(frozen=True)
class PiecewiseLinear:
    """An activation made of straight pieces: piece i is slopes[i] * z + intercepts[i].

    Piece i holds between kinks[i - 1] and kinks[i]: an input's piece is how many kinks lie
    below it.
    """

    kinks: tuple[float, ...]
    slopes: tuple[float, ...]
    intercepts: tuple[float, ...]


@dataclass(frozen=True)
class ActivationRecord:
    """One activation, by wire name."""

    name: str
    description: str
    """One sentence for the catalog."""
    build: Callable[[], nn.Module]
    """Makes the module build_network puts after each hidden Linear."""
    code: str
    """The module as "Copy as PyTorch" writes it, e.g. "nn.ReLU()"."""
    pieces: PiecewiseLinear | None = None
    """Its linear pieces, for exact region counts; None for a smooth activation, whose
    regions are approximated by activation patterns on a grid."""
    fast: Callable[[nn.Module], Pointwise | None] | None = None
    """The forward and hand-derived backward of a module `build` made (None where the module's
    options fall outside what the backward covers); None: no fast path."""
    code_class: str = ""
    """A class the code needs defined first, for a module torch does not have."""

    @property
    def piecewise_linear(self) -> bool:
        """True when networks of it cut the input box into finitely many linear regions."""
        return self.pieces is not None


class Sin(nn.Module):
    """sin(x) elementwise: torch has the function but no module for it."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return sin(x)."""
        return torch.sin(x)


SIN_CLASS = '''class Sin(nn.Module):
    """sin(x) elementwise: torch has torch.sin but no module for it."""

    def forward(self, x):
        return torch.sin(x)
'''


def _always(pointwise: Pointwise) -> Callable[[nn.Module], Pointwise]:
    """The `fast` of a module without options: the same pair for every instance."""
    return lambda module: pointwise


def _identity_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d unchanged: the identity's derivative is 1."""
    return d


IDENTITY = Pointwise(lambda z: z, _identity_backward)
"""The linear activation, and the output layer's missing one."""


def _relu_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d where z > 0 and 0 elsewhere, z = 0 included, as autograd does."""
    return torch.where(z > 0, d, 0.0)


def _leaky_relu(module: nn.Module) -> Pointwise | None:
    if not isinstance(module, nn.LeakyReLU):
        return None
    slope = float(module.negative_slope)
    return Pointwise(
        partial(F.leaky_relu, negative_slope=slope),
        lambda d, z, a: torch.where(z > 0, d, d * slope),
    )


def _elu(module: nn.Module) -> Pointwise | None:
    if not isinstance(module, nn.ELU) or module.inplace:
        return None
    alpha = float(module.alpha)  # below 0 the slope alpha·eᶻ is a + alpha
    return Pointwise(
        partial(F.elu, alpha=alpha), lambda d, z, a: torch.where(z > 0, d, d * (a + alpha))
    )


def _gelu_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·(Φ(z) + z·φ(z)), the derivative of the exact GELU z·Φ(z)."""
    cdf = 0.5 * (1 + torch.erf(z * math.sqrt(0.5)))
    pdf = torch.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return d * (cdf + z * pdf)


def _gelu(module: nn.Module) -> Pointwise | None:
    exact = isinstance(module, nn.GELU) and module.approximate == "none"
    return Pointwise(F.gelu, _gelu_backward) if exact else None


def _hardtanh(module: nn.Module) -> Pointwise | None:
    if not isinstance(module, nn.Hardtanh):
        return None
    low, high = float(module.min_val), float(module.max_val)  # flat, and 0 at the kinks
    return Pointwise(
        partial(F.hardtanh, min_val=low, max_val=high),
        lambda d, z, a: torch.where((z > low) & (z < high), d, 0.0),
    )


def _tanh_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·(1 - a²): tanh' from its output, so no second tanh."""
    return torch.addcmul(d, d, a * a, value=-1)  # d - d·a², one op fewer than d·(1 - a²)


def _sigmoid_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·a·(1 - a): sigmoid' from its output, so no second sigmoid."""
    return d * a * (1 - a)


def _softplus(module: nn.Module) -> Pointwise | None:
    if not isinstance(module, nn.Softplus):
        return None
    beta, threshold = float(module.beta), float(module.threshold)
    return Pointwise(  # the slope is sigmoid(beta·z), or 1 where torch turns softplus linear
        partial(F.softplus, beta=beta, threshold=threshold),
        lambda d, z, a: torch.where(z * beta > threshold, d, d * torch.sigmoid(z * beta)),
    )


def _silu_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·(s + z·s·(1 - s)) with s = sigmoid(z): the derivative of z·sigmoid(z)."""
    s = torch.sigmoid(z)
    return d * (s + z * s * (1 - s))


def _mish_backward(d: torch.Tensor, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return d·(t + z·sigmoid(z)·(1 - t²)) with t = tanh(softplus(z)): mish's derivative."""
    t = torch.tanh(F.softplus(z))
    return d * (t + z * torch.sigmoid(z) * (1 - t * t))


ACTIVATIONS: dict[str, ActivationRecord] = by_name(
    ActivationRecord(
        "relu",
        "max(0, x): piecewise linear, gradients do not vanish, units can die.",
        nn.ReLU,
        "nn.ReLU()",
        PiecewiseLinear(kinks=(0.0,), slopes=(0.0, 1.0), intercepts=(0.0, 0.0)),
        _always(Pointwise(torch.relu, _relu_backward)),
    ),
    ActivationRecord(
        "leaky_relu",
        "x for x > 0, 0.01·x below: a ReLU whose units cannot die completely.",
        nn.LeakyReLU,  # slope 0.01 below zero, torch's default
        "nn.LeakyReLU(negative_slope=0.01)",
        PiecewiseLinear(kinks=(0.0,), slopes=(0.01, 1.0), intercepts=(0.0, 0.0)),
        _leaky_relu,
    ),
    ActivationRecord(
        "elu",
        "x for x > 0, eˣ - 1 below: a smooth ReLU whose outputs can be negative.",
        nn.ELU,
        "nn.ELU(alpha=1.0)",
        fast=_elu,
    ),
    ActivationRecord(
        "gelu",
        "x·Φ(x), x weighted by the Gaussian's CDF: a smooth ReLU used in transformers.",
        nn.GELU,  # the exact erf form, torch's default
        "nn.GELU()",
        fast=_gelu,
    ),
    ActivationRecord(
        "hardtanh",
        "x clipped to [-1, 1]: a piecewise-linear tanh with two kinks.",
        nn.Hardtanh,
        "nn.Hardtanh(min_val=-1.0, max_val=1.0)",
        PiecewiseLinear((-1.0, 1.0), slopes=(0.0, 1.0, 0.0), intercepts=(-1.0, 0.0, 1.0)),
        _hardtanh,
    ),
    ActivationRecord(
        "tanh",
        "Squashes to (-1, 1), zero-centred; saturates for large inputs.",
        nn.Tanh,
        "nn.Tanh()",
        fast=_always(Pointwise(torch.tanh, _tanh_backward)),
    ),
    ActivationRecord(
        "sigmoid",
        "Squashes to (0, 1); saturates and its gradient vanishes far from 0.",
        nn.Sigmoid,
        "nn.Sigmoid()",
        fast=_always(Pointwise(torch.sigmoid, _sigmoid_backward)),
    ),
    ActivationRecord(
        "softplus",
        "log(1 + eˣ): a smooth ReLU, always positive, with the sigmoid as its slope.",
        nn.Softplus,  # beta 1
        "nn.Softplus(beta=1.0)",
        fast=_softplus,
    ),
    ActivationRecord(
        "silu",
        "x·sigmoid(x) (SiLU, or swish): a smooth ReLU that dips a little below 0.",
        nn.SiLU,
        "nn.SiLU()",
        fast=_always(Pointwise(F.silu, _silu_backward)),
    ),
    ActivationRecord(
        "mish",
        "x·tanh(softplus(x)): a smooth ReLU like SiLU, with a slightly deeper dip below 0.",
        nn.Mish,
        "nn.Mish()",
        fast=_always(Pointwise(F.mish, _mish_backward)),
    ),
    ActivationRecord(
        "sin",
        "sin(x): periodic, so a layer of it can fit waves and repeating patterns.",
        Sin,
        "Sin()",
        fast=_always(Pointwise(torch.sin, lambda d, z, a: d * torch.cos(z))),
        code_class=SIN_CLASS,
    ),
    ActivationRecord(
        "linear",
        "The identity: stacked linear layers stay one linear map.",
        nn.Identity,
        "nn.Identity()",
        PiecewiseLinear(kinks=(), slopes=(1.0,), intercepts=(0.0,)),
        _always(IDENTITY),
    ),
)
"""Every activation by wire name, in the order the catalog lists them."""

EXPRESSION = "expr"
"""The learner's own activation, written in LayerSpec.expression (models/expression.py): not a
record, since its module, code and pieces come from the expression (models/network.py,
pytorch_code.py, expression_pwl.py); the catalog lists it apart, as `own_activation`."""
EXPRESSION_DESCRIPTION = "Your own: an expression in x, e.g. x * sigmoid(1.5 * x)."

PIECEWISE_LINEAR = frozenset(
    name for name, record in ACTIVATIONS.items() if record.pieces is not None
)
"""Activations whose networks cut the input box into finitely many linear regions."""

_BY_MODULE_TYPE = {type(record.build()): record for record in ACTIVATIONS.values()}


def activation_of(module: nn.Module) -> Pointwise | None:
    """Return the forward and backward of an activation module, or None if it has no fast path.

    The module must be exactly the type its record builds: a subclass may compute otherwise.
    """
    record = _BY_MODULE_TYPE.get(type(module))
    if record is None or record.fast is None:
        return None
    return record.fast(module)
