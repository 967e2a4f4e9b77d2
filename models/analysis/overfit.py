"""The first test of the debugging checklist: can this model fit a handful of points?

A network that cannot drive its training loss to zero on eight points has a bug or a setup
problem (labels, learning rate, too little capacity, too much regularisation) that more data
or more steps will not fix. Karpathy's "A Recipe for Training Neural Networks" starts here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import torch
from torch import nn

from models.config import RunSpec, TrainSpec
from models.datasets import Split
from models.fast_mlp import compile_mlp
from models.losses import LOSSES, accuracy
from models.network import build_network
from models.optimizers import OPTIMIZERS
from models.streams import INIT_STREAM, stream_generator

RELATIVE_MSE = 0.01
"""Regression passes below this fraction of the targets' variance."""
ABSOLUTE_MSE = 1e-3
"""…or below this when the targets hardly vary (variance under NEARLY_CONSTANT)."""
NEARLY_CONSTANT = 1e-6
CLASSIFICATION_LOSS = 0.05
"""Classification passes with every point right AND the loss below this: overfitting means
confident fits (p ≈ 0.95 for the true class), not points just over the boundary."""
CANCEL_EVERY = 25
"""Steps between two questions whether the check is still wanted: ~5 ms on the largest net."""
ATTEMPTS = 3
"""Initialisations tried: one unlucky draw can leave a small net stuck (the default 4-2 tanh
net on circle, seed 0, sits at 7 of 8 points), which says something about the init, not
about whether the model can fit."""


@dataclass(frozen=True)
class OverfitResult:
    """Whether a fresh copy of the model fitted `points` training points, and how far it got."""

    passed: bool
    points: int
    steps: int
    """Full-batch steps taken: to the first step that fitted, else all of them."""
    loss: float
    """The data loss on the points when the check ended; inf or NaN if training diverged."""
    accuracy: float | None
    """Share of the points classified right then; None for regression."""
    message: str
    attempts: int = 1
    """Initialisations tried: the one that fitted, else all of them (ATTEMPTS)."""


def overfit_small_sample(
    spec: RunSpec,
    net: nn.Module,
    split: Split,
    points: int = 8,
    max_steps: int = 1000,
    cancelled: Callable[[], bool] = lambda: False,
) -> OverfitResult:
    """Train a fresh copy of `spec`'s network on a few training points until it fits them.

    The copy has the run's architecture and its step-0 weights (the seed's init stream), and
    trains full-batch with the run's optimizer at its base learning rate, without dropout,
    weight decay, L1/L2, input noise, clipping or schedule: what the check asks is whether the
    model can fit at all. If it gets stuck, the next draws of the same init stream get their
    turn, up to ATTEMPTS. The fit is judged on the training-mode outputs of the step (batch
    statistics, for BatchNorm). `net` only says which device to use; it is never changed.
    Deterministic for the same arguments. `cancelled` is asked every CANCEL_EVERY steps (the
    session that asked may have closed): once it says yes, the check stops where it is and
    its result means nothing.
    """
    x, y = _sample(split, points)
    device = next(net.parameters()).device
    x, y = x.to(device), y.to(device)
    training = _without_regularisation(spec.training)
    goal = _regression_goal(y) if split.task == "regression" else None
    init_stream = stream_generator(spec.seed, INIT_STREAM)
    attempt = 0
    while True:
        attempt += 1
        model = build_network(_without_dropout(spec).network, init_stream)
        steps, loss, acc = _fit(model.to(device), training, x, y, goal, max_steps, cancelled)
        passed = _fitted(loss, acc, goal)
        # a diverging learning rate diverges from any init: no point in trying another
        if passed or not math.isfinite(loss) or attempt == ATTEMPTS or cancelled():
            break
    message = _message(passed, len(y), steps, loss, training, attempt)
    return OverfitResult(passed, len(y), steps, loss, acc, message, attempt)


def _fit(
    model: nn.Module,
    training: TrainSpec,
    x: torch.Tensor,
    y: torch.Tensor,
    goal: float | None,
    max_steps: int,
    cancelled: Callable[[], bool],
) -> tuple[int, float, float | None]:
    """Train full-batch until the points are fitted (see _fitted) or max_steps.

    Returns the steps taken, then the loss and accuracy of the weights after them.
    """
    model.train()
    step = _step_function(model, training, x, y)
    loss_fn = LOSSES[training.loss].fn
    for steps in range(max_steps + 1):
        if steps < max_steps:
            outputs = step()
        else:
            with torch.no_grad():
                outputs = model(x)
        with torch.no_grad():
            loss = float(loss_fn(outputs, y))
            acc_tensor = accuracy(outputs, y, training.loss)
        acc = None if acc_tensor is None else float(acc_tensor)
        if _fitted(loss, acc, goal) or not math.isfinite(loss):
            break
        if steps % CANCEL_EVERY == 0 and cancelled():
            break
    return steps, loss, acc


def _fitted(loss: float, acc: float | None, goal: float | None) -> bool:
    """Regression: the loss under `goal`; classification: every point right, confidently."""
    if goal is not None:
        return loss < goal
    return acc == 1.0 and loss < CLASSIFICATION_LOSS


def _step_function(
    model: nn.Module, training: TrainSpec, x: torch.Tensor, y: torch.Tensor
) -> Callable[[], torch.Tensor]:
    """A function returning the outputs on x, then taking one optimizer step on their loss.

    The Trainer's fast path (hand-written gradients, fused optimizer) where it applies, else
    autograd and torch.optim: the check may take a thousand steps while a person waits, and
    on a 6×32 tanh net a fast step takes a third of the time of an autograd one.
    """
    loss_fn = LOSSES[training.loss].fn
    fast = compile_mlp(model, loss_fn)
    record = OPTIMIZERS[training.optimizer]
    if fast is not None and record.fused is not None:
        return partial(fast.train_step, x, y, record.fused(fast.params, training))
    optimizer = record.build(model.parameters(), training)

    def autograd_step() -> torch.Tensor:
        outputs: torch.Tensor = model(x)
        loss = loss_fn(outputs, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        return outputs.detach()

    return autograd_step


def _sample(split: Split, points: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The first `points` training points; for classes, taken in turn from each class.

    Taking them in turn keeps the sample balanced, so a network that predicts one class
    everywhere cannot pass.
    """
    x, y = split.train.x, split.train.y
    points = max(min(points, len(y)), min(2, len(y)))  # BatchNorm needs two points
    if split.task == "regression":
        return x[:points], y[:points]
    queues = [(y == label).nonzero().flatten().tolist() for label in range(split.classes)]
    chosen: list[int] = []
    depth = 0
    while len(chosen) < points:
        chosen += [queue[depth] for queue in queues if depth < len(queue)][: points - len(chosen)]
        depth += 1
    order = torch.tensor(sorted(chosen))
    return x[order], y[order]


def _without_dropout(spec: RunSpec) -> RunSpec:
    """`spec` with dropout off in every layer: the same architecture and weights, no noise."""
    hidden = tuple(dataclasses.replace(layer, dropout=0.0) for layer in spec.network.hidden)
    return dataclasses.replace(spec, network=dataclasses.replace(spec.network, hidden=hidden))


def _without_regularisation(training: TrainSpec) -> TrainSpec:
    """`training` with every penalty and every source of noise turned off."""
    return dataclasses.replace(
        training, weight_decay=0.0, l1=0.0, l2=0.0, input_noise=0.0, clip_norm=0.0
    )


def _regression_goal(y: torch.Tensor) -> float:
    """The mean squared error below which the regression counts as fitted."""
    variance = float(y.var(unbiased=False)) if len(y) > 1 else 0.0
    return RELATIVE_MSE * variance if variance > NEARLY_CONSTANT else ABSOLUTE_MSE


def _message(
    passed: bool, points: int, steps: int, loss: float, training: TrainSpec, attempt: int
) -> str:
    """What the result means for a person, and what to try when the model failed."""
    if passed:
        luck = (
            f" (with initialisation {attempt}: the first got stuck, so this model's init "
            "matters; try another seed or init if training stalls)"
            if attempt > 1
            else ""
        )
        return (
            f"Fitted {points} training points in {steps} steps{luck}: the model can learn. If "
            "the full data goes worse, look at the data, the regularisation or the training "
            "length."
        )
    if not math.isfinite(loss):
        return (
            f"The loss became {loss} after {steps} steps on {points} points: lower the "
            f"learning rate (now {training.learning_rate:g})."
        )
    return (
        f"Could not fit {points} training points in {steps} steps from {attempt} "
        f"initialisations. Try a higher learning rate (now {training.learning_rate:g}), more "
        "units or layers, an activation other than linear, or a better init; check the "
        "labels; and remove regularisation."
    )
