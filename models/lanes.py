"""Lanes: N Trainers stepped in lockstep, for comparing setups that differ in one thing.

Every lane is a plain Trainer built from its own RunSpec, so a lane is the same setup run
alone: the same seed gives the same data split, batch order and (where the layer shapes
match) the same initial weights, because each Trainer draws them from its own copies of the
seed's streams. `step(k)` gives every lane that can still train the same k steps; a lane
whose loss went non-finite, or whose early stopping ran out of patience, stops where it is
while the others go on.

Lanes that share their shapes (`batch_key`: depth, widths, activations, data sizes, and the
training settings, which one fused optimizer call applies to all) and train on the fast path
train as one batched computation: models/stacked.py's step over (K, out, in) weights, as
models/sweep.py trains seeds × widths. Plain SGD lanes whose Trainer runs the C loop
(models/fast_kernel.py) train one after another in it instead: a lane's chunk there costs
~2.5 µs a step, against ~0.1 ms a step for the stacked torch step of four lanes. The
Trainers stay the lanes' truth between calls: a batch copies their weights and optimizer
state in, runs the k steps on each lane's own minibatch stream, and copies them back, so a
lane can be promoted, reset, checkpointed or evaluated as any Trainer. Every other lane
(another activation or optimizer, dropout, a schedule, early stopping…) takes its turn alone.
Batched matmuls may sum in another order than a lone run's, so a batched lane matches its run
alone to float32 rounding, not bit for bit; lanes in one batch run the same kernels, so equal
setups stay bit-identical.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import torch

from models.config import RunSpec
from models.optimizers import FusedAdam, FusedSGD
from models.stacked import stacked_activations, stacked_gradients
from models.sweep import batch_key
from models.trainer import StepResult, Trainer, is_plain


@dataclass
class Lane:
    """One lane: its trainer and why it stopped, if it did."""

    trainer: Trainer
    diverged_at: int | None = None
    early_stopped_at: int | None = None

    @property
    def stopped(self) -> bool:
        """Whether the lane trains no more (until a reset)."""
        return self.diverged_at is not None or self.early_stopped_at is not None


class Lanes:
    """Trainers that step together; lane 0 may be handed in already built (the main run)."""

    def __init__(self, trainers: Sequence[Trainer]) -> None:
        self.lanes = [Lane(t) for t in trainers]

    @classmethod
    def build(cls, specs: Sequence[RunSpec], device: torch.device | None = None) -> Lanes:
        """One fresh Trainer per spec, each at step 0."""
        return cls([Trainer(spec, device) for spec in specs])

    @property
    def trainers(self) -> list[Trainer]:
        """The lanes' trainers, in lane order."""
        return [lane.trainer for lane in self.lanes]

    def step(self, k: int) -> list[StepResult | None]:
        """Give every lane still training k steps (fewer only where early stopping ends it);
        None for a stopped lane. Lanes that share a `batch_key` train batched."""
        groups: dict[Hashable, list[int]] = {}
        for i, lane in enumerate(self.lanes):
            if not lane.stopped:
                groups.setdefault(lane_batch_key(lane.trainer) or ("alone", i), []).append(i)
        results: list[StepResult | None] = [None] * len(self.lanes)
        for indices in groups.values():
            trainers = [self.lanes[i].trainer for i in indices]
            done = _train_batched(trainers, k) if len(indices) > 1 else [trainers[0].step(k)]
            for i, result in zip(indices, done, strict=True):
                lane = self.lanes[i]
                if result.diverged_at is not None:
                    lane.diverged_at = result.diverged_at
                elif result.early_stopped_at is not None:
                    lane.early_stopped_at = result.early_stopped_at
                results[i] = result
        return results

    def reset(self) -> None:
        """New random weights in every lane, step 0; lanes of the same shapes get the same."""
        for lane in self.lanes:
            lane.trainer.reset()
            lane.diverged_at = lane.early_stopped_at = None


_FUSED = (FusedSGD, FusedAdam)
"""The fused optimizers a batch can take over: each updates every weight from its own
gradient, so stacking cannot mix the lanes."""


def lane_batch_key(trainer: Trainer) -> Hashable | None:
    """What lanes must share to train as one batch; None for a lane that trains alone."""
    spec = trainer.spec
    if (
        trainer.fast_mlp is None
        or trainer.fast_mlp.in_c(trainer.opt)  # a lane's C loop outruns any torch batch
        or not isinstance(trainer.opt, _FUSED)
        or not is_plain(spec.training)
        or spec.training.early_stopping > 0
    ):
        return None
    widths = tuple(layer.units for layer in spec.network.hidden)
    return (batch_key(spec), widths, type(trainer.opt), trainer.device)


def _train_batched(trainers: list[Trainer], k: int) -> list[StepResult]:
    """k steps of every trainer (one `lane_batch_key`) as one stacked computation."""
    opts = [t.opt for t in trainers if isinstance(t.opt, _FUSED)]
    if len({float(o.state_steps[0]) for o in opts if isinstance(o, FusedAdam)}) > 1:
        return [t.step(k) for t in trainers]  # Adam's step counts differ: its kernel takes one
    lanes = [t.fast_mlp.params for t in trainers if t.fast_mlp is not None]
    params = [torch.stack(ws) for ws in zip(*lanes, strict=True)]  # [W1 (K, out, in), b1, ...]
    grads = [torch.zeros_like(p) for p in params]
    opt = type(opts[0])(params, trainers[0].spec.training)
    opt.param_groups[0]["lr"] = opts[0].param_groups[0]["lr"]
    for stacked, per_lane in zip(_state(opt), zip(*map(_state, opts), strict=True), strict=True):
        torch._foreach_copy_(stacked, [torch.stack(s) for s in zip(*per_lane, strict=True)])
    if isinstance(opt, FusedAdam) and isinstance(opts[0], FusedAdam):
        torch._foreach_copy_(opt.state_steps, opts[0].state_steps)
    activations = stacked_activations(trainers[0].spec.network)
    outputs, targets = [], []
    with torch.no_grad():
        for _ in range(k):
            xs, ys = zip(*(t.next_batch() for t in trainers), strict=True)
            y = torch.stack(ys)
            outputs.append(stacked_gradients(params, grads, activations, torch.stack(xs), y))
            opt.step(grads)
            targets.append(y)
        for i, (t, lane_opt) in enumerate(zip(trainers, opts, strict=True)):  # back into lanes
            torch._foreach_copy_(lanes[i], [p[i] for p in params])
            for mine, stacked in zip(_state(lane_opt), _state(opt), strict=True):
                torch._foreach_copy_(mine, [s[i] for s in stacked])
            if isinstance(lane_opt, FusedAdam) and isinstance(opt, FusedAdam):
                torch._foreach_copy_(lane_opt.state_steps, opt.state_steps)
            t.steps += k
    logits, labels = torch.stack(outputs, 1), torch.stack(targets, 1)  # (K, k, B, 1), (K, k, B)
    return [t.result_of(logits[i], labels[i]) for i, t in enumerate(trainers)]


def _state(opt: FusedSGD | FusedAdam) -> list[list[torch.Tensor]]:
    """The optimizer's per-weight state lists, which a batch stacks as it stacks the weights."""
    return [opt.exp_avg, opt.exp_avg_sq] if isinstance(opt, FusedAdam) else []
