"""The catalog's `limits`: every bound of server/limits.py as one typed model.

Derived from the module itself, so a new constant there is a new field here: its lower-case
name, its type (int or float), its value as the default, its docstring as the description.
The generated TypeScript gets a typed `Limits` and, from the defaults, the values the page
uses until /api/catalog answers (`LIMITS_AT_CODEGEN` in protocol.gen.ts).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from server import limits
from server.protocol.base import Message
from server.protocol.derive import field_docs


def _fields() -> dict[str, Any]:
    docs = field_docs(limits)
    return {
        name.lower(): (type(value), Field(value, description=docs.get(name)))
        for name, value in vars(limits).items()
        if name.isupper() and isinstance(value, int | float)
    }


_Limits = create_model("_Limits", __base__=Message, **_fields())


class Limits(_Limits):  # type: ignore[misc,valid-type]
    """Every bound the server enforces, by the lower-case name of its server/limits.py constant
    (max_units, max_points, …); `Limits()` holds the values in force."""
