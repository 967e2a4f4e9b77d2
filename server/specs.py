"""Protocol models <-> models.config dataclasses: the one place both meet.

A configure names only what changes; `apply_configure` merges it into the current RunSpec and
keeps the result consistent: the loss fits the data (a new dataset may move bce to
cross_entropy), the output layer fits the loss, the features fit the data's dimensions.
Image data (digits) has one feature set, PIXEL_FEATURES; leaving it restores x1, x2.
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import ValidationError

from models.config import CustomData, DataSpec, LayerSpec, NetworkSpec, RunSpec, Task, TrainSpec
from models.datasets import DATASETS, DIGITS_COUNT
from models.features import LINE_FEATURES, PIXEL_FEATURES, PLANE_FEATURES, features_need_dims
from models.tasks import data_shape, fitting_loss, loss_misfit, outputs_for
from server import limits
from server.errors import describe_validation_error
from server.protocol import (
    CUSTOM_DATASET,
    ConfigureCommand,
    CustomPoints,
    DatasetPatch,
    DatasetSettings,
    HiddenLayer,
    NetworkPatch,
    NetworkSettings,
    RunSettings,
    TrainingPatch,
    TrainingSettings,
)


class ConfigureError(ValueError):
    """A configure whose parts do not fit together; the message names the field."""


def settings_from_spec(spec: RunSpec) -> RunSettings:
    """The wire form of a complete setup."""
    network, data, training = spec.network, spec.data, spec.training
    return RunSettings(
        network=NetworkSettings(
            hidden=[
                HiddenLayer(
                    units=h.units,
                    activation=h.activation,
                    batch_norm=h.batch_norm,
                    layer_norm=h.layer_norm,
                    dropout=h.dropout,
                )
                for h in network.hidden
            ],
            features=list(network.features),
            init=network.init,
            outputs=network.outputs,
        ),
        dataset=DatasetSettings(
            name=data.name,
            points=_point_count(data),
            noise=data.noise,
            train_fraction=data.train_fraction,
            classes=data_shape(data)[1],
            label_noise=data.label_noise,
        ),
        training=TrainingSettings(
            optimizer=training.optimizer,
            learning_rate=training.learning_rate,
            batch_size=training.batch_size,
            loss=training.loss,
            momentum=training.momentum,
            nesterov=training.nesterov,
            schedule=training.schedule,
            schedule_steps=training.schedule_steps,
            weight_decay=training.weight_decay,
            clip_norm=training.clip_norm,
            l1=training.l1,
            l2=training.l2,
            input_noise=training.input_noise,
            early_stopping=training.early_stopping,
        ),
        seed=spec.seed,
    )


def spec_from_settings(settings: RunSettings, custom: CustomPoints | None) -> RunSpec:
    """The RunSpec a complete setup describes (an imported file, say), checked as a configure.

    Every field is applied over the defaults, so nothing of the current session leaks in;
    raises ConfigureError where the parts do not fit together.
    """
    network, data = settings.network, settings.dataset
    own_points = {"points", "classes"} if custom is not None else set()
    info = DATASETS.get(data.name)
    if info is not None and info.min_classes == info.max_classes:
        own_points.add("classes")  # fixed: nothing to choose (digits' ten pass the patch's bound)
    try:
        command = ConfigureCommand(
            network=NetworkPatch(
                hidden=network.hidden,
                features=network.features,
                init=network.init,
                outputs=None,  # follows the loss; files keep being read as before
            ),
            # The user's points decide how many there are and which classes they hold.
            dataset=DatasetPatch(**data.model_dump(exclude=own_points), custom=custom),
            training=TrainingPatch(**settings.training.model_dump()),
            seed=settings.seed,
        )
    except ValidationError as exc:  # e.g. points given for a generated dataset
        raise ConfigureError(describe_validation_error(exc)) from exc
    return apply_configure(RunSpec(), command)


def _point_count(data: DataSpec) -> int:
    """The points the data really has: the user's, all the digits, or the requested count."""
    if data.custom is not None:
        return len(data.custom.x)
    return DIGITS_COUNT if data.name == "digits" else data.points


def custom_points_of(data: DataSpec) -> CustomPoints | None:
    """The user's own points in wire form, if the data is theirs."""
    custom = data.custom
    if custom is None:
        return None
    x = [(float(p[0]), float(p[1])) for p in custom.x]
    return CustomPoints(x=x, y=list(custom.y), task=custom.task)


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
        network = replace(network, features=_fitting_features(network.features, dims))
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
    if changes.get("points") == _point_count(target) and _fixed_points(target):
        del changes["points"]
    if changes.get("classes") == data_shape(target)[1] and _fixed_classes(target):
        del changes["classes"]
    count = changes.get("points")
    if count is not None and count < limits.MIN_POINTS:
        raise ConfigureError(f"dataset.points: must be at least {limits.MIN_POINTS}, got {count}")
    new = replace(data, **changes)
    classes = changes.get("classes")
    if new.custom is None and classes is not None:
        info = DATASETS[new.name]
        if not info.min_classes <= classes <= info.max_classes:
            fixed = info.min_classes == info.max_classes
            allowed = (
                f"exactly {info.min_classes}"
                if fixed
                else f"{info.min_classes} … {info.max_classes}"
            )
            what = "values, not classes" if info.task == "regression" else f"{allowed} classes"
            raise ConfigureError(f"dataset.classes: {new.name} has {what}")
    return new


def _fixed_points(data: DataSpec) -> bool:
    """Whether the data has its own number of points (the user's, the digits)."""
    return data.custom is not None or data.name == "digits"


def _fixed_classes(data: DataSpec) -> bool:
    """Whether the data has its own number of classes (the user's labels, regression, a dataset
    of fixed classes)."""
    if data.custom is not None:
        return True
    info = DATASETS[data.name]
    return info.task == "regression" or info.min_classes == info.max_classes


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
    if patch is not None:
        if patch.hidden is not None:
            hidden = tuple(
                LayerSpec(h.units, h.activation, h.batch_norm, h.layer_norm, h.dropout)
                for h in patch.hidden
            )
            network = replace(network, hidden=hidden)
        if patch.init is not None:
            network = replace(network, init=patch.init)
        if patch.features is not None:
            features = tuple(patch.features)
            problem = _features_problem(features, dims)
            if problem:
                raise ConfigureError(f"network.features: {problem}")
            network = replace(network, features=features)
    return network


def _features_problem(features: tuple[str, ...], dims: int) -> str | None:
    """Why these features do not fit data of `dims` coordinates (or pixels), else None."""
    try:
        need = features_need_dims(features)
    except ValueError as exc:  # "pixels" mixed with x1, x2, …
        return str(exc)
    if dims > 2 and features != PIXEL_FEATURES:
        return "image data feeds its pixels as they are: the only features are ['pixels']"
    if dims <= 2 and features == PIXEL_FEATURES:
        return "'pixels' is for image data; points in the plane have x1 and x2"
    if need > dims:
        return "this data has one coordinate, x1; drop the features of x2"
    return None


def _fitting_features(features: tuple[str, ...], dims: int) -> tuple[str, ...]:
    """Features after the data changed to `dims` coordinates: 1D data drops the x2 ones; back
    on 2D data, x1 alone (what 1D data left) gets x2 back; image data (more than 2 inputs, its
    pixels) has only PIXEL_FEATURES, and the points come back to x1, x2 (or x1) from it."""
    if dims > 2:
        return PIXEL_FEATURES
    if features == PIXEL_FEATURES:
        return LINE_FEATURES if dims == 1 else PLANE_FEATURES
    if dims == 1:
        kept = tuple(f for f in features if features_need_dims((f,)) == 1)
        return kept or LINE_FEATURES
    return PLANE_FEATURES if features == LINE_FEATURES else features


def restarts_training(old: RunSpec, new: RunSpec) -> bool:
    """A new network, dataset or seed means new weights from step 0; training changes do not.

    A loss of another head changes the network's outputs, so it restarts too; a stable loss
    and its naive twin read the same outputs and do not.
    """
    return (old.network, old.data, old.seed) != (new.network, new.data, new.seed)
