"""Trainer: builds data, network and optimizer from a RunSpec and runs optimizer steps.

Pure compute: no I/O, no threads, no sleeping, no logging. Timing, streaming and pausing
belong to server/worker.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from models.config import RunSpec, TrainSpec
from models.datasets import Split, make_split
from models.losses import LOSSES, binary_accuracy
from models.network import build_network, reinitialize
from models.optimizers import OPTIMIZERS

# Separate streams so that, e.g., drawing new weights on reset never changes the data.
_DATA_STREAM, _INIT_STREAM, _BATCH_STREAM = 0, 1, 2


@dataclass(frozen=True)
class StepResult:
    """What one `step(k)` call did: the step count after it and the last minibatch loss."""

    step: int
    loss: float
    diverged_at: int | None = None
    """The first step whose minibatch loss was NaN or infinite, if any in this call."""


@dataclass(frozen=True)
class Evaluation:
    """Loss and accuracy on the full training and test sets, in eval mode."""

    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float


def _generator(seed: int, stream: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed * 1_000_003 + stream)


class Trainer:
    """Train one network on one dataset; deterministic for a RunSpec and its seed."""

    def __init__(self, spec: RunSpec, device: torch.device | None = None) -> None:
        self.spec = spec
        self.device = device or torch.device("cpu")
        self.split: Split = make_split(spec.data, _generator(spec.seed, _DATA_STREAM))
        self._init_gen = _generator(spec.seed, _INIT_STREAM)
        self._batch_gen = _generator(spec.seed, _BATCH_STREAM)
        self.net = build_network(spec.network, self._init_gen).to(self.device)
        self.loss_fn = LOSSES["bce"]
        self._train_x = self.split.train.x.to(self.device)
        self._train_y = self.split.train.y.to(self.device)
        self._test_x = self.split.test.x.to(self.device)
        self._test_y = self.split.test.y.to(self.device)
        self.steps = 0
        self._order = torch.empty(0, dtype=torch.long)
        self._cursor = 0
        self.opt = OPTIMIZERS[spec.training.optimizer](self.net.parameters(), spec.training)

    def reset(self) -> None:
        """Draw new random weights, clear the optimizer state and go back to step 0."""
        reinitialize(self.net, self._init_gen)
        self.net.to(self.device)
        self.opt = OPTIMIZERS[self.spec.training.optimizer](
            self.net.parameters(), self.spec.training
        )
        self.steps = 0
        self._cursor = len(self._order)  # start a fresh epoch

    def set_training(self, training: TrainSpec) -> None:
        """Switch optimizer, learning rate or batch size without touching the weights.

        A new optimizer kind starts with empty state; a new learning rate keeps the state.
        """
        if training.optimizer != self.spec.training.optimizer:
            self.opt = OPTIMIZERS[training.optimizer](self.net.parameters(), training)
        else:
            for group in self.opt.param_groups:
                group["lr"] = training.learning_rate
        self.spec = RunSpec(self.spec.network, self.spec.data, training, self.spec.seed)

    def step(self, k: int = 1) -> StepResult:
        """Run k optimizer steps on minibatches; pure compute."""
        self.net.train()
        losses = torch.empty(k, device=self.device)
        for i in range(k):
            x, y = self._next_batch()
            loss = self.loss_fn(self.net(x), y)  # logits in, scalar out
            self.opt.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            self.opt.step()
            losses[i] = loss.detach()
        self.steps += k
        finite = torch.isfinite(losses)
        diverged_at = None
        if not bool(finite.all()):  # one sync per call, not per step
            diverged_at = self.steps - k + 1 + int((~finite).nonzero()[0])
        return StepResult(self.steps, float(losses[-1]), diverged_at)

    def evaluate(self) -> Evaluation:
        """Loss and accuracy on all training and test points, in eval mode."""
        self.net.eval()
        with torch.inference_mode():
            train_logits = self.net(self._train_x)
            test_logits = self.net(self._test_x)
            values = torch.stack(
                [
                    self.loss_fn(train_logits, self._train_y),
                    self.loss_fn(test_logits, self._test_y),
                    binary_accuracy(train_logits, self._train_y),
                    binary_accuracy(test_logits, self._test_y),
                ]
            ).tolist()  # one device sync for all four numbers
        return Evaluation(*values)

    def _next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        n = len(self._train_x)
        size = min(self.spec.training.batch_size, n)
        if self._cursor + size > len(self._order):  # epoch done: reshuffle, drop the ragged tail
            self._order = torch.randperm(n, generator=self._batch_gen).to(self.device)
            self._cursor = 0
        idx = self._order[self._cursor : self._cursor + size]
        self._cursor += size
        return self._train_x[idx], self._train_y[idx]
