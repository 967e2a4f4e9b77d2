"""Protocol models <-> models.config dataclasses: the one place both meet."""

from __future__ import annotations

from dataclasses import replace

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from server.protocol import (
    ConfigureCommand,
    DatasetSettings,
    HiddenLayer,
    NetworkSettings,
    RunSettings,
    TrainingSettings,
)


def settings_from_spec(spec: RunSpec) -> RunSettings:
    """The wire form of a complete setup."""
    return RunSettings(
        network=NetworkSettings(
            hidden=[
                HiddenLayer(units=h.units, activation=h.activation) for h in spec.network.hidden
            ]
        ),
        dataset=DatasetSettings(
            name=spec.data.name,
            points=spec.data.points,
            noise=spec.data.noise,
            train_fraction=spec.data.train_fraction,
        ),
        training=TrainingSettings(
            optimizer=spec.training.optimizer,
            learning_rate=spec.training.learning_rate,
            batch_size=spec.training.batch_size,
        ),
        seed=spec.seed,
    )


def apply_configure(spec: RunSpec, command: ConfigureCommand) -> RunSpec:
    """Return `spec` with the fields the command names changed; omitted ones stay."""
    network = spec.network
    if command.network is not None:
        hidden = tuple(LayerSpec(h.units, h.activation) for h in command.network.hidden)
        network = NetworkSpec(hidden=hidden, inputs=network.inputs, outputs=network.outputs)
    data: DataSpec = spec.data
    if command.dataset is not None:
        data = replace(data, **command.dataset.model_dump(exclude_none=True))
    training: TrainSpec = spec.training
    if command.training is not None:
        training = replace(training, **command.training.model_dump(exclude_none=True))
    seed = spec.seed if command.seed is None else command.seed
    return RunSpec(network=network, data=data, training=training, seed=seed)


def restarts_training(old: RunSpec, new: RunSpec) -> bool:
    """A new network, dataset or seed means new weights from step 0; training changes do not."""
    return (old.network, old.data, old.seed) != (new.network, new.data, new.seed)
