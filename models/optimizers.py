"""Optimizers and learning-rate schedules by name: torch.optim factories, and fused kernels
stepped with given gradients for the fast path (plain sgd and adam only)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import torch

from models.config import TrainSpec

OptimizerFactory = Callable[[Iterable[torch.nn.Parameter], TrainSpec], torch.optim.Optimizer]

ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
"""torch.optim.Adam's defaults, named so that both Adam paths below use the same numbers."""

RMSPROP_ALPHA = 0.99
RMSPROP_EPS = 1e-8
"""torch.optim.RMSprop's defaults."""


# fused=True runs the whole update in one kernel instead of a Python loop over tensors: on the
# bench's 2-8-8-1 net it makes an Adam step 1.4x faster on CPU (make bench). RMSprop has no
# fused kernel, so it takes torch's foreach one.
#
# weight_decay follows torch.optim: added to the gradient (as wd · w) for sgd, momentum,
# rmsprop and adam, decoupled (w -= lr · wd · w) for adamw, and on every parameter the
# optimizer is given. The L1 and L2 penalties (models/trainer.py) are the ones that spare
# biases and normalisation weights.


def make_sgd(params: Iterable[torch.nn.Parameter], spec: TrainSpec) -> torch.optim.Optimizer:
    """Plain stochastic gradient descent: w -= learning_rate · gradient."""
    return torch.optim.SGD(
        params, lr=spec.learning_rate, weight_decay=spec.weight_decay, fused=True
    )


def make_momentum(params: Iterable[torch.nn.Parameter], spec: TrainSpec) -> torch.optim.Optimizer:
    """SGD with heavy-ball momentum, or Nesterov's look-ahead form when `spec.nesterov`."""
    return torch.optim.SGD(
        params,
        lr=spec.learning_rate,
        momentum=spec.momentum,
        nesterov=_nesterov(spec),
        weight_decay=spec.weight_decay,
        fused=True,
    )


def make_rmsprop(params: Iterable[torch.nn.Parameter], spec: TrainSpec) -> torch.optim.Optimizer:
    """RMSprop: each weight's step divided by a running root-mean-square of its gradient.

    torch's defaults (alpha 0.99, eps 1e-8, no momentum): TrainSpec.momentum belongs to the
    momentum optimizer, whose default of 0.9 would change RMSprop's character.
    """
    return torch.optim.RMSprop(
        params,
        lr=spec.learning_rate,
        alpha=RMSPROP_ALPHA,
        eps=RMSPROP_EPS,
        weight_decay=spec.weight_decay,
        foreach=True,
    )


def make_adam(params: Iterable[torch.nn.Parameter], spec: TrainSpec) -> torch.optim.Optimizer:
    """Adam: per-weight step sizes from running averages of the gradient and its square."""
    return torch.optim.Adam(
        params,
        lr=spec.learning_rate,
        betas=ADAM_BETAS,
        eps=ADAM_EPS,
        weight_decay=spec.weight_decay,
        fused=True,
    )


def make_adamw(params: Iterable[torch.nn.Parameter], spec: TrainSpec) -> torch.optim.Optimizer:
    """AdamW: Adam with weight decay applied to the weights directly, not via the gradient."""
    return torch.optim.AdamW(
        params,
        lr=spec.learning_rate,
        betas=ADAM_BETAS,
        eps=ADAM_EPS,
        weight_decay=spec.weight_decay,
        fused=True,
    )


def _nesterov(spec: TrainSpec) -> bool:
    """Nesterov needs momentum: torch refuses nesterov=True at momentum 0, where it is moot."""
    return spec.nesterov and spec.momentum > 0


OPTIMIZERS: dict[str, OptimizerFactory] = {
    "sgd": make_sgd,
    "momentum": make_momentum,
    "rmsprop": make_rmsprop,
    "adam": make_adam,
    "adamw": make_adamw,
}
"""name -> factory(params, TrainSpec) with the spec's learning rate and options applied."""

OPTIMIZER_INFO: dict[str, str] = {
    "sgd": "Stochastic gradient descent: steps against the gradient, scaled by the learning rate.",
    "momentum": "SGD with momentum: steps along a running sum of past gradients, optionally "
    "with Nesterov's look-ahead.",
    "rmsprop": "RMSprop: divides each weight's step by a running root-mean-square of its "
    "gradients.",
    "adam": "Adam: adapts each weight's step size from running gradient statistics.",
    "adamw": "AdamW: Adam with weight decay that shrinks the weights directly instead of "
    "through the gradient.",
}


def set_hyperparameters(opt: torch.optim.Optimizer, spec: TrainSpec) -> None:
    """Apply `spec`'s options to a live optimizer of its kind, keeping the optimizer's state.

    The learning rate is left to the caller, which sets it from the schedule every step.
    """
    for group in opt.param_groups:
        group["weight_decay"] = spec.weight_decay
        if spec.optimizer == "momentum":
            group["momentum"] = spec.momentum
            group["nesterov"] = _nesterov(spec)


Schedule = Callable[[float, int, int], float]
"""(base learning rate, step counted from 0, schedule_steps) -> the learning rate of that step."""


def constant(base: float, step: int, period: int) -> float:
    """The base rate at every step."""
    return base


def step_decay(base: float, step: int, period: int) -> float:
    """The base rate halved every `period` steps (torch's StepLR with gamma 0.5)."""
    return base * 0.5 ** (step // period)


def cosine(base: float, step: int, period: int) -> float:
    """Cosine annealing from the base rate towards 0 over `period` steps, then a warm restart.

    SGDR (Loshchilov & Hutter), as torch's CosineAnnealingWarmRestarts(T_0=period): a rate that
    stayed at 0 after one period would stall training for good once the user pressed play again.
    """
    return base * 0.5 * (1 + math.cos(math.pi * (step % period) / period))


SCHEDULES: dict[str, Schedule] = {"constant": constant, "step": step_decay, "cosine": cosine}

SCHEDULE_INFO: dict[str, str] = {
    "constant": "The same learning rate at every step.",
    "step": "Halves the learning rate every schedule_steps steps.",
    "cosine": "Anneals the learning rate along a cosine from the base rate towards 0 over "
    "schedule_steps steps, then restarts at the base rate.",
}


class FusedOptimizer(Protocol):
    """An optimizer handed its gradients instead of reading `.grad`; call it under no_grad.

    torch.optim's `step()` is mostly Python (grouping tensors by device, checking state): on
    the bench's 2-8-8-1 net Adam(fused=True).step() takes ~90 µs, the same kernel called
    directly ~24 µs. `param_groups` holds one group with the learning rate, as torch.optim's
    do, so the caller changes the learning rate the same way for both kinds.
    """

    param_groups: list[dict[str, Any]]

    def step(self, grads: list[torch.Tensor]) -> None:
        """Update the weights in place from `grads`, one gradient per weight tensor."""


class FusedSGD:
    """torch.optim.SGD's update without momentum, as one foreach kernel call."""

    def __init__(self, params: list[torch.Tensor], spec: TrainSpec) -> None:
        self.params = params
        self.param_groups: list[dict[str, Any]] = [{"lr": spec.learning_rate}]

    def step(self, grads: list[torch.Tensor]) -> None:
        """Update the weights in place: w -= learning_rate · gradient."""
        torch._foreach_add_(self.params, grads, alpha=-self.param_groups[0]["lr"])


class FusedAdam:
    """torch.optim.Adam's update and state (exp_avg, exp_avg_sq, step per weight tensor)."""

    def __init__(self, params: list[torch.Tensor], spec: TrainSpec) -> None:
        self.params = params
        self.param_groups: list[dict[str, Any]] = [{"lr": spec.learning_rate}]
        self.exp_avg = [torch.zeros_like(p) for p in params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in params]
        # a float32 tensor on the weight's device, as torch.optim.Adam(fused=True) keeps it
        self.state_steps = [torch.zeros((), device=p.device) for p in params]

    def step(self, grads: list[torch.Tensor]) -> None:
        """Update the weights in place with Adam's bias-corrected moment estimates."""
        # Counted before the update, as torch.optim does: the first bias correction is 1 - β.
        torch._foreach_add_(self.state_steps, 1)
        # torch._fused_adam_ is private: it is the kernel torch.optim.Adam(fused=True) calls.
        torch._fused_adam_(
            self.params,
            grads,
            self.exp_avg,
            self.exp_avg_sq,
            [],  # max_exp_avg_sqs: only amsgrad keeps them
            self.state_steps,
            lr=self.param_groups[0]["lr"],
            beta1=ADAM_BETAS[0],
            beta2=ADAM_BETAS[1],
            weight_decay=0.0,
            eps=ADAM_EPS,
            amsgrad=False,
            maximize=False,
        )


FusedOptimizerFactory = Callable[[list[torch.Tensor], TrainSpec], FusedOptimizer]

FUSED_OPTIMIZERS: dict[str, FusedOptimizerFactory] = {"sgd": FusedSGD}
"""name -> fused optimizer; a name missing here trains through torch.optim instead."""

# Guarded because the kernel is private: if a torch release renames it, Adam falls back to
# torch.optim.Adam(fused=True), which calls whatever the kernel is named then. It runs on the
# devices torch.optim.Adam(fused=True) does, which the autograd path already needs.
if hasattr(torch, "_fused_adam_"):
    FUSED_OPTIMIZERS["adam"] = FusedAdam
