"""Protocol models <-> models.config dataclasses: the one place both meet.

A configure names only what changes; `apply_configure` merges it into the current RunSpec and
keeps the result consistent: the loss fits the data (a new dataset may move bce to
cross_entropy), the output layer fits the loss, the features fit the data's dimensions.
Image data (digits) has one feature set, PIXEL_FEATURES; leaving it restores x1, x2.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from pydantic import ValidationError

from models.config import CustomData, DataSpec, LayerSpec, NetworkSpec, RunSpec, Task, TrainSpec
from models.datasets import DATASETS
from models.fit import (
    classes_problem,
    data_shape,
    features_problem,
    fitting_features,
    fixed_classes,
    fixed_points,
    point_count,
)
from models.tasks import fitting_loss, loss_misfit, outputs_for
from server import limits
from server.errors import describe_validation_error
from server.protocol import (
    CUSTOM_DATASET,
    ConfigureCommand,
    CustomPoints,
    DatasetPatch,
    NetworkPatch,
    RunSettings,
    TrainingPatch,
)


class ConfigureError(ValueError):
    """A configure whose parts do not fit together; the message names the field."""


def settings_from_spec(spec: RunSpec) -> RunSettings:
    """The wire form of a complete setup: the dataclasses' own fields, with the points and
    classes the data really has (the user's points, the digits' count)."""
    data = {k: v for k, v in asdict(spec.data).items() if k != "custom"}
    data.update(points=point_count(spec.data), classes=data_shape(spec.data)[1])
    return RunSettings.model_validate(
        {
            "network": asdict(spec.network),
            "dataset": data,
            "training": asdict(spec.training),
            "seed": spec.seed,
        }
    )


def spec_from_settings(settings: RunSettings, custom: CustomPoints | None) -> RunSpec:
    """The RunSpec a complete setup describes (an imported file, say), checked as a configure.

    Every field is applied over the defaults, so nothing of the current session leaks in;
    raises ConfigureError where the parts do not fit together.
    """
    own_points = {"points", "classes"} if custom is not None else set()
    info = DATASETS.get(settings.dataset.name)
    if info is not None and info.min_classes == info.max_classes:
        own_points.add("classes")  # fixed: nothing to choose (digits' ten pass the patch's bound)
    try:
        command = ConfigureCommand(
            # outputs follows the loss; files keep being read as before
            network=NetworkPatch(**settings.network.model_dump(exclude={"outputs"})),
            # The user's points decide how many there are and which classes they hold.
            dataset=DatasetPatch(**settings.dataset.model_dump(exclude=own_points), custom=custom),
            training=TrainingPatch(**settings.training.model_dump()),
            seed=settings.seed,
        )
    except ValidationError as exc:  # e.g. points given for a generated dataset
        raise ConfigureError(describe_validation_error(exc)) from exc
    return apply_configure(RunSpec(), command)


def custom_points_of(data: DataSpec) -> CustomPoints | None:
    """The user's own points in wire form, if the data is theirs."""
    return None if data.custom is None else CustomPoints.model_validate(asdict(data.custom))


def apply_configure(spec: RunSpec, command: ConfigureCommand) -> RunSpec:
    """Return `spec` with the fields the command names changed; omitted ones stay.

    Raises ConfigureError when what the command asks for explicitly does not fit together
    (mse on classes, x2 features on 1D data, classes a fixed dataset does not have).
    """
    data = _apply_dataset(spec.data, command.dataset)
    task, classes, dims = data_shape(data)
    training = _apply_training(spec.training, command.training, task, classes)
    network = _apply_network(spec.network, command.network, dims)
    if dims != data_shape(spec.data)[2]:
        network = replace(network, features=fitting_features(network.features, dims))
    outputs = outputs_for(training.loss, classes)
    asked = command.network.outputs if command.network is not None else None
    if asked is not None and asked != outputs:
        raise ConfigureError(
            f"network.outputs: follows the loss and the data: {training.loss} on this data"
            f" needs {outputs}, got {asked}"
        )
    network = replace(network, outputs=outputs)
    seed = spec.seed if command.seed is None else command.seed
    return RunSpec(network=network, data=data, training=training, seed=seed)


def _apply_dataset(data: DataSpec, patch: DatasetPatch | None) -> DataSpec:
    if patch is None:
        return data
    changes = patch.model_dump(exclude_none=True, exclude={"custom"})
    if patch.custom is not None:
        points = patch.custom
        custom = CustomData(x=tuple(points.x), y=tuple(points.y), task=points.task)
        changes.update(name=CUSTOM_DATASET, custom=custom)
    elif changes.get("name", data.name) != CUSTOM_DATASET:
        changes["custom"] = None  # a generated dataset replaces the user's points
    elif data.custom is None:
        raise ConfigureError("dataset.custom: the custom dataset needs its points")
    target = replace(data, **{k: v for k, v in changes.items() if k in ("name", "custom")})
    # What the data decides itself (the user's points and classes, the digits' count, a
    # regression's one "class") comes back in `settings`; sent back unchanged it changes
    # nothing, so a restored setup is the same DataSpec, not one that restarts training.
    if changes.get("points") == point_count(target) and fixed_points(target):
        del changes["points"]
    if changes.get("classes") == data_shape(target)[1] and fixed_classes(target):
        del changes["classes"]
    count = changes.get("points")
    if count is not None and count < limits.MIN_POINTS:
        raise ConfigureError(f"dataset.points: must be at least {limits.MIN_POINTS}, got {count}")
    new = replace(data, **changes)
    classes = changes.get("classes")
    problem = (
        None if new.custom is not None or classes is None else classes_problem(new.name, classes)
    )
    if problem:
        raise ConfigureError(f"dataset.classes: {problem}")
    return new


def _apply_training(
    training: TrainSpec, patch: TrainingPatch | None, task: Task, classes: int
) -> TrainSpec:
    if patch is not None:
        training = replace(training, **patch.model_dump(exclude_none=True))
    if patch is not None and patch.loss is not None:
        misfit = loss_misfit(patch.loss, task, classes)
        if misfit:
            raise ConfigureError(f"training.loss: {misfit}")
        return training
    return replace(training, loss=fitting_loss(training.loss, task, classes))


def _apply_network(network: NetworkSpec, patch: NetworkPatch | None, dims: int) -> NetworkSpec:
    if patch is None:
        return network
    changes = patch.model_dump(exclude_none=True, exclude={"outputs"})
    if "hidden" in changes:
        changes["hidden"] = tuple(LayerSpec(**layer) for layer in changes["hidden"])
    if "features" in changes:
        changes["features"] = tuple(changes["features"])
        problem = features_problem(changes["features"], dims)
        if problem:
            raise ConfigureError(f"network.features: {problem}")
    return replace(network, **changes)


def restarts_training(old: RunSpec, new: RunSpec) -> bool:
    """A new network, dataset or seed means new weights from step 0; training changes do not.

    A loss of another head changes the network's outputs, so it restarts too; a stable loss
    and its naive twin read the same outputs and do not.
    """
    return (old.network, old.data, old.seed) != (new.network, new.data, new.seed)
