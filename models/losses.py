"""Losses computed on logits, so the sigmoid folds into the log and stays finite."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def binary_cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against labels in {0, 1}.

    `binary_cross_entropy_with_logits` uses log-sum-exp, so logits of ±1000 give a finite
    loss where a hand-written `log(sigmoid(z))` gives inf.
    """
    return F.binary_cross_entropy_with_logits(logits.reshape(-1), y)


def binary_accuracy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Fraction of points whose logit has the sign of their label (logit > 0 means class 1)."""
    return ((logits.reshape(-1) > 0).float() == y).float().mean()


LOSSES: dict[str, LossFn] = {"bce": binary_cross_entropy}

LOSS_INFO: dict[str, str] = {
    "bce": "Binary cross-entropy on one logit (sigmoid folded in, numerically stable).",
}
