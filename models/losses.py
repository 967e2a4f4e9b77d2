"""Losses on the network's raw outputs, and what those outputs predict.

The stable losses take logits, so the sigmoid or softmax folds into the log and stays finite.
The naive ones compute the probability first and take its log afterwards, exactly as written
on a blackboard, for the lesson that shows them failing: at a logit of ±1000 the probability
rounds to 0 or 1 and the log gives inf or NaN. Every loss is a mean over the batch built from
elementwise ops, so torch.vmap runs it over a stack of batches.

Each loss is one LossRecord in LOSSES: its function, the output head it reads, whether it is
naive and its twin, its catalog text and what "Copy as PyTorch" writes for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F

from models.registry import by_name

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
"""(outputs (B, out), targets (B,) float: labels or values) -> the mean loss, a scalar."""

Head = Literal["sigmoid", "softmax", "identity"]
"""What the outputs go through: one logit through a sigmoid, one logit per class through a
softmax, or one value as it is (regression)."""


@dataclass(frozen=True)
class LossRecord:
    """One loss, by wire name."""

    name: str
    description: str
    """One sentence for the catalog."""
    fn: LossFn
    head: Head
    code: str
    """torch's loss module that "Copy as PyTorch" writes; a naive loss gets the stable one."""
    code_comment: str
    """The comment above it: what the loss does, and for a naive one what it does differently."""
    naive: bool = False
    """True when it takes the log of a probability computed first (the lesson's failing form)."""
    twin: str | None = None
    """The same loss computed the other way: a stable loss's naive twin, a naive one's stable."""


def binary_cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against labels in {0, 1}.

    `binary_cross_entropy_with_logits` uses log-sum-exp, so logits of ±1000 give a finite
    loss where a hand-written `log(sigmoid(z))` gives inf.
    """
    return F.binary_cross_entropy_with_logits(logits.reshape(-1), y)


def binary_cross_entropy_naive(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean of -(y·log p + (1 - y)·log(1 - p)) with p = sigmoid(logits) computed first.

    p rounds to exactly 1 once a logit passes about 17 in float32, so log(1 - p) is -inf.
    """
    p = torch.sigmoid(logits.reshape(-1))
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of softmax(logits (B, k)) against class indices y, fused by torch."""
    return F.cross_entropy(logits, y.long())


def cross_entropy_naive(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean of -log(softmax(logits)[y]) with the softmax computed first.

    A class whose logit trails the leader by more than about 104 gets probability exactly 0 in
    float32, so its log is -inf; log_softmax would have kept the finite difference.
    """
    p = torch.softmax(logits, dim=-1).gather(-1, y.long().unsqueeze(-1))  # (B, 1)
    return -torch.log(p).mean()


def mean_squared_error(outputs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean of (output - y)² over the batch: regression on one output."""
    return ((outputs.reshape(-1) - y) ** 2).mean()


def binary_accuracy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Fraction of points whose logit has the sign of their label (logit > 0 means class 1)."""
    return ((logits.reshape(-1) > 0).float() == y).float().mean()


def class_accuracy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Fraction of points whose largest logit is their label's (ties go to the lower class)."""
    return (logits.argmax(dim=-1) == y.long()).float().mean()


def predictions(outputs: torch.Tensor, loss: str) -> torch.Tensor:
    """Return what the outputs (N, out) predict under `loss`.

    The probability of class 1 (N,) for bce, the class probabilities (N, k) for cross-entropy,
    the values (N,) for mse.
    """
    head = LOSSES[loss].head
    if head == "sigmoid":
        return torch.sigmoid(outputs.reshape(-1))
    if head == "softmax":
        return torch.softmax(outputs, dim=-1)
    return outputs.reshape(-1)


def accuracy(outputs: torch.Tensor, targets: torch.Tensor, loss: str) -> torch.Tensor | None:
    """Return the fraction of points classified right, or None for regression (mse)."""
    head = LOSSES[loss].head
    if head == "sigmoid":
        return binary_accuracy(outputs, targets)
    if head == "softmax":
        return class_accuracy(outputs, targets)
    return None


LOSSES: dict[str, LossRecord] = by_name(
    LossRecord(
        "bce",
        "Binary cross-entropy on one logit (sigmoid folded in, numerically stable).",
        binary_cross_entropy,
        "sigmoid",
        "nn.BCEWithLogitsLoss()",
        "Binary cross-entropy on the one logit, the sigmoid folded into the log (stable).",
        twin="bce_naive",
    ),
    LossRecord(
        "bce_naive",
        "Binary cross-entropy taking the log of a sigmoid computed first: "
        "inf or NaN once a logit is large.",
        binary_cross_entropy_naive,
        "sigmoid",
        "nn.BCEWithLogitsLoss()",
        "The playground's bce_naive computes p = torch.sigmoid(z) first and then "
        "-(y * p.log() + (1 - y) * (1 - p).log()).mean(), which gives inf once a logit "
        "passes about 17. nn.BCELoss on sigmoid outputs is that formula, but it clamps each "
        "log at -100 and so never shows the failure. Here is the stable loss:",
        naive=True,
        twin="bce",
    ),
    LossRecord(
        "cross_entropy",
        "Cross-entropy on one logit per class (softmax folded in, numerically stable).",
        cross_entropy,
        "softmax",
        "nn.CrossEntropyLoss()",
        "Cross-entropy on one logit per class, the softmax folded into the log (stable).",
        twin="cross_entropy_naive",
    ),
    LossRecord(
        "cross_entropy_naive",
        "Cross-entropy taking the log of a softmax computed first: inf once a wrong class "
        "wins by far.",
        cross_entropy_naive,
        "softmax",
        "nn.CrossEntropyLoss()",
        "The playground's cross_entropy_naive takes the log of a softmax computed first, "
        "-torch.softmax(z, 1).gather(1, y.long()[:, None]).log().mean(), which gives inf "
        "once a wrong class wins by about 104. Here is the stable loss, which uses "
        "log_softmax:",
        naive=True,
        twin="cross_entropy",
    ),
    LossRecord(
        "mse",
        "Mean squared error between the one output and the target value, for regression.",
        mean_squared_error,
        "identity",
        "nn.MSELoss()",
        "Mean squared error between the one output and the target value.",
    ),
)
"""Every loss by wire name, in the order the catalog lists them."""
