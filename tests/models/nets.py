"""Small float64 networks and points shared by the analysis tests (inspect, monitors)."""

import torch
from torch import nn

from models.config import LayerSpec, NetworkSpec
from models.network import build_network

F64 = torch.float64

RICH = (
    LayerSpec(5, "relu", batch_norm=True),
    LayerSpec(4, "tanh", layer_norm=True, dropout=0.3),
    LayerSpec(3, "gelu"),
)
"""Every module kind build_network makes: BatchNorm, LayerNorm, dropout, three activations."""


def float64_net(
    hidden: tuple[LayerSpec, ...],
    features: tuple[str, ...] = ("x1", "x2"),
    outputs: int = 1,
    seed: int = 0,
) -> nn.Sequential:
    """A float64 net whose BatchNorm layers hold non-trivial running statistics."""
    gen = torch.Generator().manual_seed(seed)
    spec = NetworkSpec(hidden=hidden, outputs=outputs, features=features)
    net = build_network(spec, gen).double()
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.BatchNorm1d):
                module.running_mean.copy_(0.3 * torch.randn(module.num_features, generator=gen))
                module.running_var.copy_(0.5 + torch.rand(module.num_features, generator=gen))
                module.bias.copy_(0.2 * torch.randn(module.num_features, generator=gen))
    return net


def uniform_points(count: int, dims: int = 2, seed: int = 0) -> torch.Tensor:
    """`count` points drawn uniformly from [-1, 1]^dims."""
    return 2 * torch.rand(count, dims, generator=torch.Generator().manual_seed(seed)) - 1
