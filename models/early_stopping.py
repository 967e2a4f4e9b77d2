"""Early stopping's bookkeeping: the best test loss so far, its weights, and the patience left."""

from __future__ import annotations

import math

import torch
from torch import nn


class EarlyStopping:
    """Keeps a copy of the best weights and says when `patience` checks brought nothing better.

    The Trainer calls `check` once an epoch; the copy is the whole state_dict, so BatchNorm's
    running statistics come back with the weights.
    """

    best_step: int | None
    """The step of the weights kept (and restored when training stops)."""
    _best_loss: float
    _best_state: dict[str, torch.Tensor] | None
    _bad_checks: int

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget the best weights and the count of checks without improvement."""
        self.best_step = None
        self._best_loss = math.inf
        self._best_state = None
        self._bad_checks = 0

    def check(self, net: nn.Module, test_loss: float, step: int, patience: int) -> bool:
        """Record `test_loss` at `step`; True once `patience` checks in a row were no better.

        Then the best weights are back in `net`, and the count starts again, so training on
        runs `patience` more checks from them before stopping again.
        """
        if test_loss < self._best_loss:  # False for NaN: a diverged epoch is no improvement
            self._best_loss, self.best_step, self._bad_checks = test_loss, step, 0
            self._best_state = {
                name: value.detach().clone() for name, value in net.state_dict().items()
            }
            return False
        self._bad_checks += 1
        if self._bad_checks < patience:
            return False
        if self._best_state is not None:
            net.load_state_dict(self._best_state)  # copies in place: tensors stay shared
        self._bad_checks = 0
        return True
