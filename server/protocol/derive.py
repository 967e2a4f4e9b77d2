"""Wire models derived from the dataclasses of models/config.py, so a setting is written once.

A field's name, type, default and description come from its dataclass (the string under a
field is its description); what only the wire knows (the bounds of server/limits.py, the
registry a name must be in) comes from a table beside the wire model, by field name. The same
dataclass and table give the complete form (`settings`) and the all-optional form (a
configure's patch), so the two can never drift apart.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import textwrap
import types
import typing
from collections.abc import Collection, Mapping
from functools import partial
from typing import Annotated, Any

from pydantic import AfterValidator, Field, create_model

from server.protocol.base import Message, known_name

FieldTable = Mapping[str, Any]
"""Field name -> the annotation the wire validates it with (Annotated bounds, a known name)."""


def known(registry: Mapping[str, object], what: str) -> Any:
    """A str that must name an entry of `registry` (its error lists the choices)."""
    return Annotated[str, AfterValidator(partial(known_name, registry=registry, what=what))]


def bounded(kind: type, ge: float, le: float) -> Any:
    """An int or float within [ge, le]."""
    return Annotated[kind, Field(ge=ge, le=le)]


def field_docs(owner: type | types.ModuleType) -> dict[str, str]:
    """The description of each field of a class, or constant of a module: the string literal
    right under its assignment (as pydantic's `use_attribute_docstrings` reads them)."""
    body = ast.parse(textwrap.dedent(inspect.getsource(owner))).body
    if isinstance(owner, type):
        assert isinstance(body[0], ast.ClassDef)
        body = body[0].body
    docs = {}
    for node, after in itertools.pairwise(body):
        target: ast.expr | None = None
        if isinstance(node, ast.AnnAssign):
            target = node.target
        elif isinstance(node, ast.Assign):
            target = node.targets[0]
        doc = after.value if isinstance(after, ast.Expr) else None
        text = doc.value if isinstance(doc, ast.Constant) else None
        if isinstance(target, ast.Name) and isinstance(text, str):
            docs[target.id] = inspect.cleandoc(text)
    return docs


def _wire_type(hint: Any) -> Any:
    """The wire's form of a dataclass field's type: tuples travel as JSON arrays (lists)."""
    if typing.get_origin(hint) is tuple:
        (item, _ellipsis) = typing.get_args(hint)
        return list[item]  # type: ignore[valid-type]
    return hint


def wire_model(
    spec: type,
    name: str,
    table: FieldTable,
    *,
    required: Collection[str] | bool = True,
    optional: bool = False,
    exclude: Collection[str] = (),
) -> type[Message]:
    """A Message class with the fields of dataclass `spec` (in its order, but `exclude`).

    `required`: True makes every field required (what the server sends is complete), or the
    fields to require while the others keep the dataclass's defaults. `optional`: the patch
    form instead, every field `T | None` defaulting to None (omitted keeps its value).
    """
    hints = typing.get_type_hints(spec)
    docs = field_docs(spec)
    fields: dict[str, Any] = {}
    default: Any
    for f in dataclasses.fields(spec):
        if f.name in exclude:
            continue
        annotation = table.get(f.name, _wire_type(hints[f.name]))
        if optional:
            annotation, default = annotation | None, None
        elif required is True or (required is not False and f.name in required):
            default = ...
        else:
            default = f.default
        fields[f.name] = (annotation, Field(default, description=docs.get(f.name)))
    return create_model(name, __base__=Message, **fields)
