"""Commands on the session's network that the worker thread applies between chunks without
training: a weight or a unit's weights set by hand, and the overfit check on a copy."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict

from models.analysis.overfit import overfit_small_sample
from models.guards import set_weight
from models.unit_lines import set_unit
from server import limits
from server.latest import Outbox
from server.protocol import ErrorEvent, OverfitResultEvent, SetUnitCommand, SetWeightCommand
from server.training import Training


def edit_weight(
    training: Training, outbox: Outbox, command: SetWeightCommand | SetUnitCommand
) -> None:
    """Edit one weight (or one unit's weights, models/unit_lines.py) of the paused network;
    the next frame shows its effect."""
    if training.state.active:
        message = "Pause training to edit a weight: the optimizer would overwrite it."
        outbox.put(ErrorEvent(message=message, command=command.type))
        return
    try:
        net = training.trainer_or_fail().net
        if isinstance(command, SetUnitCommand):
            set_unit(net, command.layer, command.unit, command.weights, command.bias)
        else:
            set_weight(net, command.layer, command.row, command.col, command.value)
    except ValueError as exc:
        outbox.put(ErrorEvent(message=str(exc), command=command.type))
        return
    training.emit_frame()


def overfit_check(
    training: Training, outbox: Outbox, points: int, closed: Callable[[], bool]
) -> None:
    """The checklist's first test on a fresh copy of the model; the session is untouched."""
    trainer = training.trainer_or_fail()
    # A closed session's check stops within a few steps: nobody waits for its answer, and
    # the sessions behind it at the training gate should not wait for it either.
    sample = trainer.spec, trainer.net, trainer.split, points, limits.OVERFIT_STEPS
    result = overfit_small_sample(*sample, cancelled=closed)
    if closed():
        return
    loss = result.loss if math.isfinite(result.loss) else None
    outbox.put(OverfitResultEvent.model_validate(asdict(result) | {"loss": loss}))
