"""The optimizers: one frozen record each, holding everything the app knows about it.

A record says what the catalog shows, which torch.optim class runs it with which options (the
same options "Copy as PyTorch" writes), and its fused kernel for the fast path, if any (None:
the Trainer steps it through torch.optim). Adding an optimizer is adding a record here.

weight_decay follows torch.optim: added to the gradient (as wd · w), or decoupled
(w -= lr · wd · w) where the record says so (adamw), on every parameter the optimizer is given.
The L1 and L2 penalties (models/trainer.py) are the ones that spare biases and normalisation
weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import torch

from models.config import TrainSpec
from models.registry import by_name

ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
"""torch.optim.Adam's defaults, named so that both Adam paths below use the same numbers."""


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


@dataclass(frozen=True)
class OptimizerRecord:
    """One optimizer, by wire name."""

    name: str
    description: str
    """One sentence for the catalog."""
    torch_class: type[torch.optim.Optimizer]
    options: Callable[[TrainSpec], dict[str, Any]]
    """Its torch.optim keyword arguments besides lr and weight_decay, in the order the code
    shows them; set again on a live optimizer when the settings change."""
    code_comment: str
    """What "Copy as PyTorch" says above the optimizer."""
    kernel: Literal["fused", "foreach"] = "fused"
    """How torch runs the update: fused=True is one kernel for the whole update instead of a
    Python loop over tensors (an Adam step 1.4x faster on the bench's net); optimizers without
    a fused kernel on every device take torch's foreach one. The numbers are the same."""
    decoupled_decay: bool = False
    """True when weight decay shrinks the weights directly instead of through the gradient."""
    fused: FusedOptimizerFactory | None = None
    """The fast path's kernel stepped with given gradients; None: torch.optim only."""

    def build(self, params: Iterable[torch.nn.Parameter], spec: TrainSpec) -> torch.optim.Optimizer:
        """Return the torch.optim optimizer over `params` with `spec`'s rate and options."""
        make: Callable[..., torch.optim.Optimizer] = self.torch_class
        return make(
            params,
            lr=spec.learning_rate,
            **self.options(spec),
            weight_decay=spec.weight_decay,
            **{self.kernel: True},
        )


def _no_options(spec: TrainSpec) -> dict[str, Any]:
    return {}


def _momentum_options(spec: TrainSpec) -> dict[str, Any]:
    # torch refuses nesterov=True at momentum 0, where it is moot
    return {"momentum": spec.momentum, "nesterov": spec.nesterov and spec.momentum > 0}


def _adam_options(spec: TrainSpec) -> dict[str, Any]:
    return {"betas": ADAM_BETAS, "eps": ADAM_EPS}


def _rmsprop_options(spec: TrainSpec) -> dict[str, Any]:
    # torch's defaults and no momentum: TrainSpec.momentum belongs to the momentum optimizer,
    # whose default of 0.9 would change RMSprop's character
    return {"alpha": 0.99, "eps": 1e-8}


def _adagrad_options(spec: TrainSpec) -> dict[str, Any]:
    return {"eps": 1e-10}  # torch's default, no learning-rate decay


# Guarded because the kernel is private: if a torch release renames it, Adam falls back to
# torch.optim.Adam(fused=True), which calls whatever the kernel is named then. It runs on the
# devices torch.optim.Adam(fused=True) does, which the autograd path already needs.
_FUSED_ADAM = FusedAdam if hasattr(torch, "_fused_adam_") else None

OPTIMIZERS: dict[str, OptimizerRecord] = by_name(
    OptimizerRecord(
        "sgd",
        "Stochastic gradient descent: steps against the gradient, scaled by the learning rate.",
        torch.optim.SGD,
        _no_options,
        "Plain gradient descent.",
        fused=FusedSGD,
    ),
    OptimizerRecord(
        "momentum",
        "SGD with momentum: steps along a running sum of past gradients, optionally with "
        "Nesterov's look-ahead.",
        torch.optim.SGD,
        _momentum_options,
        "Gradient descent with momentum.",
    ),
    OptimizerRecord(
        "rmsprop",
        "RMSprop: divides each weight's step by a running root-mean-square of its gradients.",
        torch.optim.RMSprop,
        _rmsprop_options,
        "RMSprop with torch's defaults (no momentum).",
        kernel="foreach",
    ),
    OptimizerRecord(
        "adam",
        "Adam: adapts each weight's step size from running gradient statistics.",
        torch.optim.Adam,
        _adam_options,
        "Adam.",
        fused=_FUSED_ADAM,
    ),
    OptimizerRecord(
        "adamw",
        "AdamW: Adam with weight decay that shrinks the weights directly instead of "
        "through the gradient.",
        torch.optim.AdamW,
        _adam_options,
        "AdamW.",
        decoupled_decay=True,
    ),
    OptimizerRecord(
        "adagrad",
        "Adagrad: divides each weight's step by the root of the sum of all its squared "
        "gradients so far.",
        torch.optim.Adagrad,
        _adagrad_options,
        "Adagrad with torch's defaults (no learning-rate decay).",
        kernel="foreach",  # its fused kernel runs on the CPU only
    ),
)
"""Every optimizer by wire name, in the order the catalog lists them."""


def set_hyperparameters(opt: torch.optim.Optimizer, spec: TrainSpec) -> None:
    """Apply `spec`'s options to a live optimizer of its kind, keeping the optimizer's state.

    The learning rate is left to the caller, which sets it from the schedule every step.
    """
    options = OPTIMIZERS[spec.optimizer].options(spec)
    for group in opt.param_groups:
        group.update(options, weight_decay=spec.weight_decay)
