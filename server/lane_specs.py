"""The RunSpec of each lane of a comparison: the run's spec with one setting changed.

Each lane's change is written as a configure and goes through the same validation and the
same `apply_configure`, so a lane accepts exactly what a configure would, and a value that
does not fit is refused with the configure's own words, prefixed with the lane.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from models.config import LayerSpec, RunSpec
from server.errors import describe_validation_error
from server.protocol import CompareSetting, ConfigureCommand, LaneValue
from server.specs import ConfigureError, apply_configure, settings_from_spec

NAME_SETTINGS = frozenset({"activation", "optimizer", "init"})
"""Settings whose values are catalog names; the others take numbers."""
INTEGER_SETTINGS = frozenset({"width", "depth", "batch_size"})


def lane_specs(spec: RunSpec, setting: CompareSetting, values: list[LaneValue]) -> list[RunSpec]:
    """One RunSpec per value, lane order kept; ConfigureError names the first lane that fails."""
    specs = []
    for lane, value in enumerate(values, start=1):
        try:
            specs.append(apply_configure(spec, _configure(spec, setting, value)))
        except ConfigureError as exc:
            raise ConfigureError(f"lane {lane} ({setting} {value}): {exc}") from exc
    return specs


def _configure(spec: RunSpec, setting: CompareSetting, value: LaneValue) -> ConfigureCommand:
    """The configure that sets `setting` to `value` on `spec`."""
    _check_kind(setting, value)
    hidden = [layer.model_dump() for layer in settings_from_spec(spec).network.hidden]
    patch: dict[str, Any]
    if setting in ("activation", "width", "dropout"):
        field = "units" if setting == "width" else setting
        patch = {"network": {"hidden": [{**layer, field: value} for layer in hidden]}}
    elif setting == "depth":
        patch = {"network": {"hidden": _layers_of_depth(hidden, int(value))}}
    elif setting == "init":
        patch = {"network": {"init": value}}
    else:
        patch = {"training": {setting: value}}
    try:
        return ConfigureCommand.model_validate(patch)
    except ValidationError as exc:
        raise ConfigureError(describe_validation_error(exc)) from exc


def _check_kind(setting: CompareSetting, value: LaneValue) -> None:
    """A name for a name setting, a number (a whole one where it counts) for the others."""
    if setting in NAME_SETTINGS:
        if not isinstance(value, str):
            raise ConfigureError(f"{setting} takes a name from the catalog, got {value!r}")
        return
    if isinstance(value, str | bool):
        raise ConfigureError(f"{setting} takes a number, got {value!r}")
    if setting in INTEGER_SETTINGS and value != int(value):
        raise ConfigureError(f"{setting} takes a whole number, got {value}")


def _layers_of_depth(hidden: list[dict[str, Any]], depth: int) -> list[dict[str, Any]]:
    """The first `depth` hidden layers, the last one repeated to add more (a default layer
    when there is none)."""
    if depth < 0:
        raise ConfigureError(f"depth must be at least 0, got {depth}")
    last = hidden[-1] if hidden else _default_layer()
    return (hidden + [last] * depth)[:depth]


def _default_layer() -> dict[str, Any]:
    layer = LayerSpec()
    return {"units": layer.units, "activation": layer.activation}
