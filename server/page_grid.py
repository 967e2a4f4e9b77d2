"""Which networks the page evaluates itself, and their weights packed for a frame.

A frame's 100×100 float16 grid is ~20 kB; a small network's weights are a few hundred bytes,
and the page (frontend/src/lib/evaluate.ts) computes the same grid from them at up to 256×256.
So for a client that asked for it (`/ws?grid=page`), a frame carries `weights` instead of
`grid` when every module of the network is one the page knows (the lists below) and the network
has at most limits.PAGE_GRID_MAX_PARAMETERS parameters. Anything else, an activation added
later (a user's expression, say) included, keeps the server's grid: a module the lists do not
name is never guessed at. tests/server/test_page_grid_parity.py holds the page's evaluator to
the server's own grid for every activation, head and normalisation, and fails when an
activation is in neither PAGE_ACTIVATIONS nor SERVER_ONLY_ACTIVATIONS.
"""

from __future__ import annotations

from functools import cache

import torch
from torch import nn

from models.activations import ACTIVATIONS
from models.features import FEATURES, FeatureMap
from models.tasks import head_of
from models.trainer import Trainer
from server import limits
from server.protocol import NetWeights

PAGE_ACTIVATIONS = frozenset(
    {
        "relu",
        "leaky_relu",
        "elu",
        "gelu",
        "hardtanh",
        "tanh",
        "sigmoid",
        "softplus",
        "silu",
        "mish",
        "sin",
        "linear",
    }
)
"""Activations the page's evaluator computes (with the options their records build)."""
SERVER_ONLY_ACTIVATIONS: frozenset[str] = frozenset()
"""Activations of the catalog the page does not evaluate: their networks keep server grids."""
PAGE_FEATURES = frozenset(name for name, record in FEATURES.items() if record.fn is not None)
"""Every feature computed from the point; the pixels of image data have no grid anyway."""
NORM_EPS = 1e-5
"""The eps the page uses for BatchNorm and LayerNorm (torch's default); other eps: server grid."""


@cache
def _reference(name: str) -> tuple[type[nn.Module], str]:
    """The type and repr (its options) of the module the activation's record builds."""
    module = ACTIVATIONS[name].build()
    return type(module), repr(module)


def _activation_name(module: nn.Module) -> str | None:
    """The page activation `module` is, options included, or None."""
    for name in PAGE_ACTIVATIONS:
        kind, text = _reference(name)
        if type(module) is kind and repr(module) == text:
            return name
    return None


def _norm_ok(module: nn.BatchNorm1d | nn.LayerNorm) -> bool:
    """Affine, eps 1e-5, and for BatchNorm running statistics: what the page computes."""
    if module.eps != NORM_EPS or module.weight is None or module.bias is None:
        return False
    if isinstance(module, nn.BatchNorm1d):
        return module.running_mean is not None and module.running_var is not None
    return len(module.normalized_shape) == 1


def page_layout(net: nn.Module) -> tuple[list[str], list[torch.Tensor]] | None:
    """The ops and tensors of NetWeights for `net`, or None when the page cannot evaluate it."""
    if type(net) is not nn.Sequential:
        return None
    ops: list[str] = []
    tensors: list[torch.Tensor] = []
    for module in net:
        kind = type(module)
        if kind is FeatureMap or kind is nn.Dropout:
            continue  # features travel by name; dropout is the identity in eval mode
        if kind is nn.Linear and isinstance(module, nn.Linear) and module.bias is not None:
            ops.append(f"linear:{module.out_features}")
            tensors += [module.weight, module.bias]
        elif kind is nn.BatchNorm1d and isinstance(module, nn.BatchNorm1d) and _norm_ok(module):
            ops.append("batch_norm")
            assert module.running_mean is not None and module.running_var is not None
            tensors += [module.weight, module.bias, module.running_mean, module.running_var]
        elif kind is nn.LayerNorm and isinstance(module, nn.LayerNorm) and _norm_ok(module):
            ops.append("layer_norm")
            tensors += [module.weight, module.bias]
        elif (name := _activation_name(module)) is not None:
            ops.append(f"act:{name}")
        else:
            return None
    return ops, tensors


def page_weights(trainer: Trainer) -> NetWeights | None:
    """The trainer's network as a frame's `weights`, or None where the server sends its grid:
    image data, features or modules the page does not know, more than the parameter limit."""
    spec = trainer.spec.network
    if trainer.split.image_shape is not None or not set(spec.features) <= PAGE_FEATURES:
        return None
    net = trainer.net
    if sum(p.numel() for p in net.parameters()) > limits.PAGE_GRID_MAX_PARAMETERS:
        return None
    layout = page_layout(net)
    if layout is None:
        return None
    ops, tensors = layout
    with torch.no_grad():
        flat = torch.cat([t.detach().reshape(-1) for t in tensors]).to("cpu", torch.float32)
    return NetWeights(
        features=list(spec.features),
        ops=ops,
        head=head_of(trainer.spec.training.loss),
        data=flat.numpy().astype("<f4").tobytes(),
    )
