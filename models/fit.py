"""What data a DataSpec draws, and which features and class counts fit it.

The loss's rules live in models/tasks.py; these are the data's: its task, classes and
dimensions, the features that fit those dimensions, and what the data decides itself (the
user's points, the digits' count, a regression's one "class"). server/specs.py applies a
configure with them; nothing else restates them.
"""

from __future__ import annotations

from models.config import DataSpec, Task
from models.datasets import DATASETS, DIGITS_COUNT, custom_class_count
from models.features import LINE_FEATURES, PIXEL_FEATURES, PLANE_FEATURES, features_need_dims


def data_shape(data: DataSpec) -> tuple[Task, int, int]:
    """(task, classes, dims) of the data a DataSpec draws; regression counts one class.

    The class counts follow models.datasets' own rules, so the network's outputs always match
    the labels make_split draws.
    """
    if data.custom is not None:
        custom = data.custom
        if custom.task == "regression":
            return "regression", 1, 2
        return "classification", custom_class_count(custom.y), 2
    info = DATASETS[data.name]
    if info.task == "regression":
        return "regression", 1, info.dims
    return "classification", info.classes_for(data.classes), info.dims


def point_count(data: DataSpec) -> int:
    """The points the data really has: the user's, all the digits, or the requested count."""
    if data.custom is not None:
        return len(data.custom.x)
    return DIGITS_COUNT if data.name == "digits" else data.points


def fixed_points(data: DataSpec) -> bool:
    """Whether the data has its own number of points (the user's, the digits)."""
    return data.custom is not None or data.name == "digits"


def fixed_classes(data: DataSpec) -> bool:
    """Whether the data has its own number of classes (the user's labels, regression, a
    dataset of fixed classes)."""
    if data.custom is not None:
        return True
    info = DATASETS[data.name]
    return info.task == "regression" or info.min_classes == info.max_classes


def classes_problem(name: str, classes: int) -> str | None:
    """Why generated dataset `name` cannot draw `classes` classes, else None."""
    info = DATASETS[name]
    if info.min_classes <= classes <= info.max_classes:
        return None
    if info.task == "regression":
        return f"{name} has values, not classes"
    if info.min_classes == info.max_classes:
        return f"{name} has exactly {info.min_classes} classes"
    return f"{name} has {info.min_classes} … {info.max_classes} classes"


def features_problem(features: tuple[str, ...], dims: int) -> str | None:
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


def fitting_features(features: tuple[str, ...], dims: int) -> tuple[str, ...]:
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
