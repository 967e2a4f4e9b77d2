"""Export and import a whole session: the SetupFile <-> a Trainer with its weights.

An import is built aside and checked whole (settings as a configure would be, weights name by
name) before it replaces anything, so a bad file leaves the session exactly as it was.
"""

from __future__ import annotations

import torch

from models.trainer import Trainer
from models.weights_io import WeightsError, load_weights, weights_of
from server.protocol import SetupFile, TensorValues
from server.specs import (
    ConfigureError,
    custom_points_of,
    settings_from_spec,
    spec_from_settings,
)


class SetupError(ValueError):
    """A setup file that cannot be loaded; the message says what and where."""


def export_setup(trainer: Trainer, with_weights: bool) -> SetupFile:
    """The trainer's setup, the user's points, and (optionally) its weights and step."""
    spec = trainer.spec
    weights = None
    if with_weights:
        weights = {
            name: TensorValues(shape=t["shape"], values=t["values"])
            for name, t in weights_of(trainer.net).items()
        }
    return SetupFile(
        settings=settings_from_spec(spec),
        custom=custom_points_of(spec.data),
        step=trainer.steps if with_weights else None,
        weights=weights,
    )


def import_setup(setup: SetupFile, device: torch.device) -> Trainer:
    """A new Trainer for the file's setup, its weights loaded; raises SetupError."""
    try:
        spec = spec_from_settings(setup.settings, setup.custom)
    except ConfigureError as exc:
        raise SetupError(f"settings: {exc}") from exc
    trainer = Trainer(spec, device)
    if setup.weights is not None:
        weights = {name: t.model_dump() for name, t in setup.weights.items()}
        try:
            load_weights(trainer.net, weights)
        except WeightsError as exc:
            raise SetupError(f"weights: {exc}") from exc
        trainer.steps = setup.step or 0
    return trainer
