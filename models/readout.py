"""How the output layer learns: by the optimizer with every other layer, or solved exactly.

"least_squares" is the random-features model of the double-descent literature (and of lesson
9's experiment): the hidden layers keep their random start and the output layer becomes the
minimum-norm least-squares fit of the training targets from the last hidden layer's values,
through the pseudo-inverse. Below the interpolation threshold (read-out parameters < training
points) that is the ordinary least-squares fit; at it, the one fit that passes through every
point, its weights huge where the features are nearly dependent; past it, of all the fits that
pass through every point the one of smallest norm. Test error peaks at the threshold and falls
again past it: double descent, now on the learner's own data, activation and depth.
"""

from __future__ import annotations

import torch
from torch import nn

from models.analysis.layers import eval_mode
from models.losses import Head
from models.tasks import head_of

TRAINED = "trained"
LEAST_SQUARES = "least_squares"

READOUTS: dict[str, str] = {
    TRAINED: "The optimizer trains the output layer with every other layer.",
    LEAST_SQUARES: (
        "Random features: the hidden layers keep their random start and the output layer is "
        "the minimum-norm least-squares fit of the training targets (the pseudo-inverse), "
        "solved exactly from the start; training steps change nothing."
    ),
}
"""The ways the output layer learns, by wire name, each with one sentence for a person."""


def readout_parameters(hidden_width: int, outputs: int) -> int:
    """Parameters the least-squares fit solves for: the output layer's weights and biases."""
    return (hidden_width + 1) * outputs


def least_squares_targets(y: torch.Tensor, loss: str, outputs: int) -> torch.Tensor:
    """What the read-out's values are fitted to, (N, outputs) float64.

    Regression fits the values themselves. A sigmoid head fits its one logit to +1 for class 1
    and -1 for class 0 (the sign classifies, as lesson 9's fit does); a softmax head fits each
    class's logit to +1 for the point's class and -1 for the others.
    """
    head = head_of(loss)
    if head == "identity":
        return y.double().reshape(-1, 1)
    if head == "sigmoid":
        return (2 * y.double() - 1).reshape(-1, 1)
    one_hot = nn.functional.one_hot(y.long(), outputs).double()
    return 2 * one_hot - 1


@torch.no_grad()
def fit_readout(net: nn.Sequential, x: torch.Tensor, y: torch.Tensor, loss: str) -> bool:
    """Set `net`'s output layer (its last module, a Linear) to the minimum-norm least-squares
    fit of `loss`'s targets for (x, y) from the layer before it, in place; True if it did.

    The features are read in eval mode (dropout off, BatchNorm's running statistics), the
    network as evaluated; weights and bias are solved together, in float64. Features that are
    not finite (hidden weights edited to overflow) have no fit: the output layer stays as it is
    and the frames show the overflow.
    """
    head = net[-1]
    if not isinstance(head, nn.Linear):
        raise TypeError("the network's last module must be its output Linear")
    with eval_mode(net):
        values = net[:-1](x)
    features = values.double()
    if not bool(torch.isfinite(features).all()):
        return False
    ones = torch.ones(len(features), 1, dtype=torch.float64, device=features.device)
    design = torch.cat([features, ones], dim=1)  # (N, width + 1): the bias as a column of ones
    targets = least_squares_targets(y, loss, head.out_features).to(features.device)
    # The features are only as exact as the network's dtype (float32: ~1e-7 relative), so
    # directions whose singular values are below that are rounding, not signal: fitting them
    # (pinv's float64 default keeps down to ~1e-16) gives weights of 1e6 whose outputs the
    # float32 network then cannot compute. numpy.linalg.lstsq's rcond does the same.
    cutoff = torch.finfo(values.dtype).eps * max(design.shape)
    solution = torch.linalg.pinv(design, rtol=cutoff) @ targets  # (width + 1, outputs)
    head.weight.copy_(solution[:-1].T)
    head.bias.copy_(solution[-1])
    return True


FIT_READOUT_COMMENT = (
    "Random features: the playground never calls train_step here. The hidden layers keep their "
    "random start and fit_readout(x_train, y_train) solves the output layer."
)
"""What "Copy as PyTorch" writes above `fit_readout_code`."""

_TARGETS_CODE: dict[Head, str] = {
    "identity": "y.double().unsqueeze(1)  # the values",
    "sigmoid": "(2 * y.double() - 1).unsqueeze(1)  # +1 for class 1, -1 for class 0",
    "softmax": "2 * nn.functional.one_hot(y.long(), {outputs}).double() - 1  # +1 the class",
}
"""head -> least_squares_targets written as code."""


def fit_readout_code(loss: str, outputs: int) -> str:
    """`fit_readout(x, y)` as "Copy as PyTorch" writes it: fit_readout above, line for line."""
    targets = _TARGETS_CODE[head_of(loss)].format(outputs=outputs)
    return (
        "@torch.no_grad()\n"
        "def fit_readout(x, y):\n"
        '    """Set the output layer to the minimum-norm least-squares fit of the targets."""\n'
        "    net.eval()\n"
        "    values = net[:-1](x)\n"
        "    features = values.double()\n"
        "    ones = torch.ones(len(features), 1, dtype=torch.float64)\n"
        "    design = torch.cat([features, ones], dim=1)  # the bias as a column of ones\n"
        f"    targets = {targets}\n"
        "    # singular values below float32's precision are rounding, not signal\n"
        "    cutoff = torch.finfo(values.dtype).eps * max(design.shape)\n"
        "    solution = torch.linalg.pinv(design, rtol=cutoff) @ targets  # the minimum-norm fit\n"
        "    net[-1].weight.copy_(solution[:-1].T)\n"
        "    net[-1].bias.copy_(solution[-1])\n"
    )
