"""Trainer: builds data, network and optimizer from a RunSpec and runs optimizer steps.

Pure compute: no I/O, no threads, no sleeping, no logging. Timing, streaming and pausing
belong to server/worker.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import torch

from models.config import RunSpec, TrainSpec
from models.datasets import Split, make_split
from models.fast_mlp import compile_mlp
from models.losses import LOSSES, binary_accuracy
from models.network import build_network, reinitialize
from models.optimizers import FUSED_OPTIMIZERS, OPTIMIZERS, FusedOptimizer

# Separate streams so that, e.g., drawing new weights on reset never changes the data.
DATA_STREAM, INIT_STREAM, BATCH_STREAM = 0, 1, 2


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


def stream_generator(seed: int, stream: int) -> torch.Generator:
    """The generator of one random stream of a run; models.sweep draws the same streams."""
    return torch.Generator().manual_seed(seed * 1_000_003 + stream)


class Trainer:
    """Train one network on one dataset; deterministic for a RunSpec and its seed."""

    opt: torch.optim.Optimizer | FusedOptimizer
    """Both kinds keep the learning rate in `param_groups[0]["lr"]`."""
    _train_step: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    """(x, y) -> the network's outputs on x, then one optimizer step on the loss's gradients."""

    def __init__(self, spec: RunSpec, device: torch.device | None = None) -> None:
        self.spec = spec
        self.device = device or torch.device("cpu")
        self.split: Split = make_split(spec.data, stream_generator(spec.seed, DATA_STREAM))
        self._init_gen = stream_generator(spec.seed, INIT_STREAM)
        self._batch_gen = stream_generator(spec.seed, BATCH_STREAM)
        self.net = build_network(spec.network, self._init_gen).to(self.device)
        self.loss_fn = LOSSES["bce"]
        self._train_x = self.split.train.x.to(self.device)
        self._train_y = self.split.train.y.to(self.device)
        self._test_x = self.split.test.x.to(self.device)
        self._test_y = self.split.test.y.to(self.device)
        self.steps = 0
        self._epoch_x, self._epoch_y = self._train_x[:0], self._train_y[:0]  # filled per epoch
        self._cursor = 0
        # Chosen once, here: the network's modules never change after it is built, and a
        # module the hand-written backward does not know (one added to ACTIVATIONS later, say)
        # must train through autograd, which is always right.
        self.fast_mlp = compile_mlp(self.net, self.loss_fn)
        """The hand-written training path for this net, or None where autograd trains it."""
        self._use_optimizer(spec.training)

    def reset(self) -> None:
        """Draw new random weights, clear the optimizer state and go back to step 0."""
        reinitialize(self.net, self._init_gen)  # in place, so the fast path keeps its tensors
        self.net.to(self.device)
        self._use_optimizer(self.spec.training)
        self.steps = 0
        self._cursor = len(self._epoch_x)  # start a fresh epoch

    def set_training(self, training: TrainSpec) -> None:
        """Switch optimizer, learning rate or batch size without touching the weights.

        A new optimizer kind starts with empty state; a new learning rate keeps the state.
        """
        if training.optimizer != self.spec.training.optimizer:
            self._use_optimizer(training)
        else:
            for group in self.opt.param_groups:
                group["lr"] = training.learning_rate
        self.spec = RunSpec(self.spec.network, self.spec.data, training, self.spec.seed)

    def step(self, k: int = 1) -> StepResult:
        """Run k optimizer steps on minibatches; pure compute."""
        self.net.train()
        outputs, targets = [], []
        for _ in range(k):
            x, y = self._next_batch()
            outputs.append(self._train_step(x, y))
            targets.append(y)
        # Every step's minibatch loss in one vectorised call, rather than k small ones.
        losses = torch.vmap(self.loss_fn)(torch.stack(outputs), torch.stack(targets))  # (k,)
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

    def _use_optimizer(self, training: TrainSpec) -> None:
        """Build a fresh optimizer for `training` and the step function that feeds it."""
        fused = FUSED_OPTIMIZERS.get(training.optimizer)
        if self.fast_mlp is not None and fused is not None:
            fused_opt = fused(self.fast_mlp.params, training)
            self.opt = fused_opt
            self._train_step = partial(self.fast_mlp.train_step, optimizer=fused_opt)
        else:
            torch_opt = OPTIMIZERS[training.optimizer](self.net.parameters(), training)
            self.opt = torch_opt
            self._train_step = partial(self._autograd_step, torch_opt)

    def _autograd_step(
        self, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor
    ) -> torch.Tensor:
        """Return the outputs on x before one torch.optim step on the autograd gradients."""
        outputs: torch.Tensor = self.net(x)
        loss = self.loss_fn(outputs, y)  # logits in, scalar out
        opt.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
        return outputs.detach()

    def _next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        n = len(self._train_x)
        size = min(self.spec.training.batch_size, n)
        if self._cursor + size > len(self._epoch_x):  # epoch done: reshuffle, drop the ragged tail
            order = torch.randperm(n, generator=self._batch_gen).to(self.device)
            # Shuffled copies once an epoch make each batch a slice, not two index ops a step.
            self._epoch_x, self._epoch_y = self._train_x[order], self._train_y[order]
            self._cursor = 0
        batch = slice(self._cursor, self._cursor + size)
        self._cursor += size
        return self._epoch_x[batch], self._epoch_y[batch]
