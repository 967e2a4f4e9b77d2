"""Learning-rate schedules: one frozen record each (catalog text, the rates, PyTorch code)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from models.registry import by_name

Rate = Callable[[float, int, int], float]
"""(base learning rate, step counted from 0, schedule_steps) -> the learning rate of that step."""


@dataclass(frozen=True)
class ScheduleRecord:
    """One schedule, by wire name."""

    name: str
    description: str
    """One sentence for the catalog."""
    rate: Rate
    code: str = ""
    """torch's scheduler giving the same rates, "{steps}" standing for schedule_steps; ""
    when the rate is constant and needs no scheduler."""
    code_comment: str = ""
    """How "Copy as PyTorch" starts its comment on the scheduler."""


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


SCHEDULES: dict[str, ScheduleRecord] = by_name(
    ScheduleRecord("constant", "The same learning rate at every step.", constant),
    ScheduleRecord(
        "step",
        "Halves the learning rate every schedule_steps steps.",
        step_decay,
        "StepLR(optimizer, step_size={steps}, gamma=0.5)",
        "Halve the learning rate every {steps} steps",
    ),
    ScheduleRecord(
        "cosine",
        "Anneals the learning rate along a cosine from the base rate towards 0 over "
        "schedule_steps steps, then restarts at the base rate.",
        cosine,
        "CosineAnnealingWarmRestarts(optimizer, T_0={steps})",
        "Anneal the learning rate along a cosine to 0 over {steps} steps, then restart",
    ),
)
"""Every schedule by wire name; TrainSpec.schedule is one of these keys."""
