"""What every message shares: the base model, the version, name checks."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from models.activations import PIECEWISE_LINEAR

PROTOCOL_VERSION = 3  # bump on any change an old client cannot read

CUSTOM_DATASET = "custom"
"""The dataset name of points the user drew or uploaded (sent in `dataset.custom`)."""


class Message(BaseModel):
    # Defaults count as required in serialization schemas: the server always sends every field,
    # so the generated TypeScript has no needless optionals (and `type` narrows the unions).
    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        json_schema_serialization_defaults_required=True,
    )


def known_name(value: str, registry: Mapping[str, object], what: str) -> str:
    """`value` if it names an entry of `registry`; else a ValueError listing the choices."""
    if value not in registry:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(registry)}")
    return value


def piecewise_linear_name(value: str) -> str:
    """`value` if it names a piecewise-linear activation; else a ValueError listing them."""
    if value not in PIECEWISE_LINEAR:
        known = ", ".join(sorted(PIECEWISE_LINEAR))
        raise ValueError(f"activation {value!r} is not piecewise linear; choose one of {known}")
    return value
