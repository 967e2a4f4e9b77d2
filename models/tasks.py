"""Which losses fit which data, and how many outputs the network needs for them.

The loss decides the network's head: binary cross-entropy reads one logit through a sigmoid,
cross-entropy reads one logit per class through a softmax, mean squared error reads one value.
The data decides which of those make sense: regression data wants mse; two classes take
either cross-entropy; three or more need the softmax.
"""

from __future__ import annotations

from models.config import Task
from models.losses import LOSSES, Head


def head_of(loss: str) -> Head:
    """The head `loss` reads."""
    return LOSSES[loss].head


def is_naive(loss: str) -> bool:
    """True for the losses that take the log of a probability computed beforehand."""
    return LOSSES[loss].naive


def outputs_for(loss: str, classes: int) -> int:
    """Width of the network's last layer for `loss` on data with `classes` classes."""
    return classes if head_of(loss) == "softmax" else 1


def loss_misfit(loss: str, task: Task, classes: int) -> str | None:
    """Why `loss` cannot train on this data, for a person to read; None when it can."""
    head = head_of(loss)
    if task == "regression" and head != "identity":
        return f"loss {loss!r} is for classification; regression data needs 'mse'"
    if task == "classification" and head == "identity":
        return "loss 'mse' is for regression; use 'bce' or 'cross_entropy' for classes"
    if head == "sigmoid" and classes > 2:
        return f"loss {loss!r} has one logit for two classes; {classes} classes need cross_entropy"
    return None


def fitting_loss(loss: str, task: Task, classes: int) -> str:
    """`loss` if it fits the data, else the loss that does, naive when `loss` was naive.

    Used when the data changes under a loss the user did not change: switching from circle to
    a 4-class spiral moves bce to cross_entropy rather than refusing the new dataset.
    """
    if loss_misfit(loss, task, classes) is None:
        return loss
    if task == "regression":
        return "mse"
    stable = "bce" if classes == 2 else "cross_entropy"
    twin = LOSSES[stable].twin
    return twin if is_naive(loss) and twin is not None else stable
