"""What `undo` goes back to after a divergence: finite weights kept from the last chunks."""

from __future__ import annotations

import math
from collections import deque

from models.trainer import Checkpoint, Trainer

UNDO_CHECKPOINTS = 3
"""Finite states kept, one per chunk, for undo after a divergence."""


class UndoHistory:
    """Weights at the start of the last chunks of one run, and where the run diverged.

    Weights that are already bad diverge at their first step, which rules them out
    (`candidates`).
    """

    def __init__(self) -> None:
        self._checkpoints: deque[Checkpoint] = deque(maxlen=UNDO_CHECKPOINTS)
        self.diverged_at: int | None = None
        """The step whose loss first went non-finite in this run; no checkpoints after it."""

    def clear(self) -> None:
        """A new run: nothing kept, nothing diverged."""
        self._checkpoints.clear()
        self.diverged_at = None

    def keep(self, trainer: Trainer) -> None:
        """Keep the trainer's weights before a chunk, unless the run has diverged."""
        if self.diverged_at is None:
            self._checkpoints.append(trainer.checkpoint())

    def diverged(self, step: int) -> int | None:
        """The run's loss went non-finite at `step`; returns the step undo would go back to."""
        if self.diverged_at is None:
            self.diverged_at = step
        candidates = self.candidates()
        return candidates[-1].step if candidates else None

    def candidates(self) -> list[Checkpoint]:
        """Checkpoints from before the divergence whose own next step still had a finite loss.

        Step d's loss is computed with the weights after step d − 1, so those weights are the
        first bad ones even when every number in them is finite (just huge).
        """
        if self.diverged_at is None:
            return []
        return [c for c in self._checkpoints if c.step < self.diverged_at - 1]

    def undo(self, trainer: Trainer) -> bool:
        """Put back the newest kept weights that evaluate finite; False (trainer untouched)
        when there are none."""
        diverged = trainer.checkpoint()
        for checkpoint in reversed(self.candidates()):
            trainer.restore(checkpoint)
            losses = trainer.evaluate()
            if math.isfinite(losses.train_loss) and math.isfinite(losses.test_loss):
                return True
        trainer.restore(diverged)
        return False
