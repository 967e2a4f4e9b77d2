# Over 300 lines: one class whose every method shares the run's data, net and optimizer.
"""Trainer: builds data, network and optimizer from a RunSpec and runs optimizer steps.

Pure compute: no I/O, no threads, no sleeping, no logging. Timing, streaming and pausing
belong to server/worker.py.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial

import torch
from torch import nn

from models.analysis.grid import Box, grid_outputs, line_outputs
from models.analysis.layers import eval_mode
from models.config import RunSpec, TrainSpec
from models.datasets import Split, make_split
from models.early_stopping import EarlyStopping
from models.fast_mlp import compile_mlp
from models.losses import LOSSES, accuracy
from models.network import build_network, reinitialize
from models.optimizers import OPTIMIZERS, FusedOptimizer, set_hyperparameters
from models.readout import LEAST_SQUARES, TRAINED, fit_readout
from models.schedules import SCHEDULES
from models.streams import DATA_STREAM, INIT_STREAM, Minibatches, dropout_rng, stream_generator
from models.streams import spread_points as spread


@dataclass(frozen=True)
class StepResult:
    """What one `step(k)` call did: the step count after it and the last minibatch loss."""

    step: int
    loss: float
    diverged_at: int | None = None
    """The first step whose minibatch loss was NaN or infinite, if any in this call."""
    early_stopped_at: int | None = None
    """The step at which early stopping ran out of patience and restored the best weights;
    the call ends there, so `step` equals it."""


@dataclass(frozen=True)
class Evaluation:
    """Data loss (no penalty) and accuracy on the full training and test sets, in eval mode;
    the accuracies are None for regression, which has no classes to get right."""

    train_loss: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None


@dataclass(frozen=True)
class Checkpoint:
    """A copy of the network's state (weights, biases, norm statistics) at step `step`;
    `tensors` follow `net.state_dict()`'s order; Trainer.restore puts them back."""

    step: int
    tensors: tuple[torch.Tensor, ...]


def is_plain(training: TrainSpec) -> bool:
    """Whether `training` is bare loss-and-optimizer training, all the fast path computes.

    The fast path knows no schedule, penalty, clipping, weight decay or input noise; with any
    of them on, autograd and torch.optim train instead, which is always right. A read-out solved
    by least squares takes no optimizer step at all.
    """
    return (
        training.schedule == "constant"
        and training.weight_decay == 0
        and training.clip_norm == 0
        and training.l1 == 0
        and training.l2 == 0
        and training.input_noise == 0
        and training.readout == TRAINED
    )


class Trainer:
    """Train one network on one dataset; deterministic for a RunSpec and its seed."""

    opt: torch.optim.Optimizer | FusedOptimizer
    """Both kinds keep the learning rate in `param_groups[0]["lr"]`."""
    _train_step: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    """(x, y) -> the network's outputs on x, then one optimizer step on the loss's gradients."""
    _train_steps: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None
    """The same for k minibatches at once, (k, B, ...) -> (k, B, outputs), on the fast path."""

    def __init__(self, spec: RunSpec, device: torch.device | None = None) -> None:
        self.spec = spec
        self.device = device or torch.device("cpu")
        self.split: Split = make_split(spec.data, stream_generator(spec.seed, DATA_STREAM))
        self._init_gen = stream_generator(spec.seed, INIT_STREAM)
        self.net = build_network(spec.network, self._init_gen).to(self.device)
        modules = list(self.net.modules())
        self._linear_weights = [m.weight for m in modules if isinstance(m, nn.Linear)]
        """What the L1 and L2 penalties weigh: no biases, no normalisation parameters."""
        self._has_dropout = any(isinstance(m, nn.Dropout) for m in modules)
        batch_norm = any(isinstance(m, nn.BatchNorm1d) for m in modules)  # 2 points a batch
        self.loss_fn = LOSSES[spec.training.loss].fn
        self._train_x = self.split.train.x.to(self.device)
        self._train_y = self.split.train.y.to(self.device)
        self._test_x = self.split.test.x.to(self.device)
        self._test_y = self.split.test.y.to(self.device)
        self.steps = 0
        self._batches = Minibatches(self._train_x, self._train_y, spec.seed, 2 if batch_norm else 1)
        self._early_stopping = EarlyStopping()
        self._state = tuple(t.detach() for t in self.net.state_dict().values())
        """Views of the parameters and buffers, which every update changes in place; detached,
        so copying them records no autograd history."""
        self._solved_versions: tuple[int, ...] | None = None
        """The weights' version counters right after the last least-squares fit."""
        # Chosen here and when the loss changes: the network's modules never change after it
        # is built, and a module the hand-written backward does not know (one added to
        # models/activations.py without a `fast` backward, say) must train through autograd.
        self.fast_mlp = compile_mlp(self.net, self.loss_fn)
        """The hand-written gradients for this net and loss, or None where only autograd can.

        Training takes them only for plain training (`is_plain`); the grid uses them always.
        """
        self._use_optimizer(spec.training)
        self._solve_readout()

    def reset(self) -> None:
        """Draw new random weights, clear the optimizer state and go back to step 0."""
        # in place, so the fast path keeps its tensors
        reinitialize(self.net, self._init_gen, self.spec.network.init)
        self.net.to(self.device)
        self._use_optimizer(self.spec.training)
        self.steps = 0
        self._batches.new_epoch()
        self._early_stopping.clear()
        self._solve_readout()

    def set_training(self, training: TrainSpec) -> None:
        """Switch optimizer, learning rate, schedule, regularisation or batch size in place.

        The weights stay. A new optimizer kind, or a switch between the fast and the autograd
        path, starts with empty optimizer state; anything else keeps the state.
        """
        old = self.spec.training
        self.spec = RunSpec(self.spec.network, self.spec.data, training, self.spec.seed)
        if training.loss != old.loss:  # e.g. bce -> bce_naive: same head, other maths
            self.loss_fn = LOSSES[training.loss].fn
            self.fast_mlp = compile_mlp(self.net, self.loss_fn)
        if training.optimizer != old.optimizer or self._fast_path(training) != self._on_fast_path:
            self._use_optimizer(training)
        else:
            if isinstance(self.opt, torch.optim.Optimizer):
                set_hyperparameters(self.opt, training)
            self._set_learning_rate(self.steps)
        if (training.readout, training.loss) != (old.readout, old.loss):  # other targets
            self._solve_readout(again=True)
        if old.early_stopping == 0 and training.early_stopping > 0:
            self._early_stopping.clear()  # a best from before it was on is not a checkpoint

    def checkpoint(self) -> Checkpoint:
        """Copy the network's state and the step count, cheaply enough to call every chunk."""
        # One (private) call for all the tensors: 8 µs against 10 µs for a loop of clones on
        # the bench's 2-8-8-1 net.
        return Checkpoint(self.steps, tuple(torch._foreach_clone(self._state)))

    def restore(self, checkpoint: Checkpoint) -> None:
        """Go back to `checkpoint`: its weights (copied in place), its step, a fresh optimizer.

        A new epoch starts and early stopping forgets its best weights, as after a reset.
        """
        if [t.shape for t in checkpoint.tensors] != [t.shape for t in self._state]:
            raise ValueError("the checkpoint belongs to another network")
        torch._foreach_copy_(self._state, checkpoint.tensors)  # in place, for the fast path
        self.steps = checkpoint.step
        self._use_optimizer(self.spec.training)
        self._batches.new_epoch()
        self._early_stopping.clear()

    @property
    def best_step(self) -> int | None:
        """The step of the weights early stopping keeps (and restores when it stops)."""
        return self._early_stopping.best_step

    def step(self, k: int = 1) -> StepResult:
        """Run up to k optimizer steps on minibatches; fewer only if early stopping stops.

        With the read-out solved by least squares (already at step 0), a call solves it again
        only if a weight was written since (an edit); the k steps only draw minibatches.
        """
        self.net.train()
        least_squares = self._solve_readout()
        # the fast path trains a chunk in one call; early stopping checks between steps
        step_by_step = self.spec.training.early_stopping > 0 or least_squares
        train_steps = None if step_by_step else self._train_steps
        if train_steps is not None:
            x, y = self._batches.take(k, self.spec.training.batch_size)
            logits = train_steps(x, y)
            self.steps += k
            return self.result_of(logits, y)
        outputs, targets = [], []
        stopped_at = None
        for _ in range(k):
            x, y = self.next_batch()
            outputs.append(self._solved_outputs(x) if least_squares else self._train_step(x, y))
            targets.append(y)
            self.steps += 1
            if self._early_stop_due():
                stopped_at = self.steps
                break
        return self.result_of(torch.stack(outputs), torch.stack(targets), stopped_at)

    def result_of(
        self, outputs: torch.Tensor, targets: torch.Tensor, stopped_at: int | None = None
    ) -> StepResult:
        """What the last len(outputs) steps did, from their outputs and targets (k, B, ...)."""
        record = LOSSES[self.spec.training.loss]
        if record.head != "identity" and not record.naive and bool(torch.isfinite(outputs).all()):
            # A stable cross-entropy is finite wherever its logits are: no step diverged, and
            # only the last loss is reported (the k losses cost ~0.2 ms a chunk, ~70 % of a
            # C-loop chunk's fixed cost).
            last = float(self.loss_fn(outputs[-1], targets[-1]))
            return StepResult(self.steps, last, None, stopped_at)
        losses = torch.vmap(self.loss_fn)(outputs, targets)  # (k,): one call, not k small ones
        finite = torch.isfinite(losses)
        diverged_at = None
        if not bool(finite.all()):  # one sync per call, not per step
            diverged_at = self.steps - len(outputs) + 1 + int((~finite).nonzero()[0])
        return StepResult(self.steps, float(losses[-1]), diverged_at, stopped_at)

    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw the minibatch `step` would train on next (models/lanes.py trains it batched)."""
        return self._batches.next(self.spec.training.batch_size, self.spec.training.input_noise)

    def evaluate(self, max_points: int | None = None) -> Evaluation:
        """Loss and accuracy on the train and test points (at most `max_points` each), eval mode."""
        self.net.eval()
        loss = self.spec.training.loss
        (train_x, train_y), (test_x, test_y) = spread(
            self._train_x, self._train_y, self._test_x, self._test_y, most=max_points
        )
        with torch.inference_mode():
            train_out, test_out = self.net(train_x), self.net(test_x)
            values = [self.loss_fn(train_out, train_y), self.loss_fn(test_out, test_y)]
            train_acc = accuracy(train_out, train_y, loss)
            test_acc = accuracy(test_out, test_y, loss)
            if train_acc is not None and test_acc is not None:
                values += [train_acc, test_acc]
            numbers = torch.stack(values).tolist()  # one device sync for all the numbers
        accuracies = numbers[2:] if len(numbers) == 4 else [None, None]
        return Evaluation(numbers[0], numbers[1], *accuracies)

    def grid(self, resolution: int, box: Box | None = None) -> torch.Tensor:
        """The net's raw outputs in eval mode over `box` (the data's): (resolution², outputs) at
        grid_points, on the fast path if any; 1D data (resolution, outputs) at line_points."""
        box = box or self.split.box
        with eval_mode(self.net):
            if self.split.dims == 1:
                return line_outputs(self.net, box, resolution)
            return grid_outputs(self.net, box, resolution, self.fast_mlp)

    def _fast_path(self, training: TrainSpec) -> bool:
        """Whether `training` runs on the hand-written gradients and a fused optimizer."""
        return (
            self.fast_mlp is not None
            and OPTIMIZERS[training.optimizer].fused is not None
            and is_plain(training)
        )

    def _use_optimizer(self, training: TrainSpec) -> None:
        """Build a fresh optimizer for `training` and the step function that feeds it."""
        self._on_fast_path = self._fast_path(training)
        record = OPTIMIZERS[training.optimizer]
        if self.fast_mlp is not None and self._on_fast_path and record.fused is not None:
            fused_opt = record.fused(self.fast_mlp.params, training)
            self.opt = fused_opt
            self._train_step = partial(self.fast_mlp.train_step, optimizer=fused_opt)
            self._train_steps = partial(self.fast_mlp.train_steps, optimizer=fused_opt)
        else:
            torch_opt = record.build(self.net.parameters(), training)
            self.opt = torch_opt
            self._train_step = partial(self._autograd_step, torch_opt)
            self._train_steps = None
        self._set_learning_rate(self.steps)

    def _set_learning_rate(self, step: int) -> None:
        """Set the rate the schedule gives step `step` (counted from 0)."""
        training = self.spec.training
        schedule = SCHEDULES[training.schedule]
        lr = schedule.rate(training.learning_rate, step, training.schedule_steps)
        for group in self.opt.param_groups:
            group["lr"] = lr

    def _autograd_step(
        self, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor
    ) -> torch.Tensor:
        """Return the outputs on x before one torch.optim step on the autograd gradients.

        The gradients are the data loss's plus the L1 and L2 penalties' on the Linear weights,
        their global norm clipped to `clip_norm`; the schedule sets this step's rate.
        """
        training = self.spec.training
        if training.schedule != "constant":
            self._set_learning_rate(self.steps)
        seed, step = self.spec.seed, self.steps  # dropout's masks: the run's own stream
        with dropout_rng(seed, step, self.device) if self._has_dropout else nullcontext():
            outputs: torch.Tensor = self.net(x)
        loss = self.loss_fn(outputs, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        with torch.no_grad():
            for weight in self._linear_weights:
                if weight.grad is None:
                    continue
                if training.l1:  # d/dw of l1·|w| is l1·sign(w), 0 at 0 as autograd has it
                    weight.grad.add_(weight.sign(), alpha=training.l1)
                if training.l2:  # d/dw of l2·w² is 2·l2·w
                    weight.grad.add_(weight, alpha=2 * training.l2)
        if training.clip_norm > 0:
            nn.utils.clip_grad_norm_(self.net.parameters(), training.clip_norm)
        opt.step()
        return outputs.detach()

    def _solve_readout(self, again: bool = False) -> bool:
        """With a least-squares read-out, solve it (from the first frame on, the network shown
        is the fit) unless no weight changed since the last fit; True with that read-out.

        The pinv costs tens of ms a chunk on the largest networks and gives the same fit every
        time, so it runs only after something wrote a weight in place (an edit, an import, a
        reset, a restore): each in-place write bumps the tensor's version counter, which its
        detached views in `_state` share. `again` solves whatever the counters say.
        """
        if self.spec.training.readout != LEAST_SQUARES:
            return False
        versions = tuple(t._version for t in self._state)
        if again or versions != self._solved_versions:
            fit_readout(self.net, self._train_x, self._train_y, self.spec.training.loss)
            self._solved_versions = tuple(t._version for t in self._state)  # the fit's own
        return True  # solved, or left as it was where the features overflowed

    def _solved_outputs(self, x: torch.Tensor) -> torch.Tensor:
        """The outputs on a minibatch x for a step that changes no weight (the read-out is
        solved, the hidden layers stay)."""
        with torch.no_grad(), eval_mode(self.net):
            outputs: torch.Tensor = self.net(x)
        return outputs

    def _early_stop_due(self) -> bool:
        """At an epoch's end, check the test loss; True once patience has run out.

        Then the best weights (BatchNorm's running statistics included) are back in the net.
        """
        patience = self.spec.training.early_stopping
        if patience <= 0 or not self._batches.epoch_ends(self.spec.training.batch_size):
            return False
        self.net.eval()
        with torch.inference_mode():
            test_loss = float(self.loss_fn(self.net(self._test_x), self._test_y))
        self.net.train()
        return self._early_stopping.check(self.net, test_loss, self.steps, patience)
