"""Turn pydantic validation errors into one sentence a person understands."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_MAX_ERRORS_SHOWN = 3


def describe_validation_error(exc: ValidationError, inputs: bool = True) -> str:
    """E.g. "network.hidden[2].units: must be at most 32, got 500".

    `inputs=False` leaves out what was sent ("got …"): each error's input is turned into
    Python objects, and an error about a large object (a missing field of a megabyte-long
    message) would copy all of it, on the event loop.
    """
    return describe_errors(error_details(exc, inputs))


def error_details(exc: ValidationError, inputs: bool = True) -> list[ErrorDetails]:
    """The errors of a validation, with or without the inputs they are about."""
    return exc.errors(include_url=False, include_input=inputs)


def describe_errors(errors: Sequence[ErrorDetails]) -> str:
    """The first few errors of a validation, each as "where: what", joined by semicolons."""
    parts = [_describe(error) for error in errors[:_MAX_ERRORS_SHOWN]]
    if len(errors) > _MAX_ERRORS_SHOWN:
        parts.append(f"and {len(errors) - _MAX_ERRORS_SHOWN} more")
    # A field name may hold a lone surrogate (JSON escapes one as \ud800), which UTF-8 cannot
    # encode: escaped, the sentence can still be sent.
    return "; ".join(parts).encode("utf-8", "backslashreplace").decode("utf-8")


def _describe(error: ErrorDetails) -> str:
    where = _location(error["loc"])
    ctx = error.get("ctx", {})
    kind = error["type"]
    got = f", got {_short(error['input'])}" if "input" in error else ""
    if kind == "less_than_equal":
        text = f"must be at most {ctx['le']}{got}"
    elif kind == "greater_than_equal":
        text = f"must be at least {ctx['ge']}{got}"
    elif kind == "too_long":
        text = f"must have at most {ctx.get('max_length')} items"
    elif kind == "too_short":
        text = f"must have at least {ctx.get('min_length')} items"
    elif kind == "finite_number":
        text = f"must be a finite number{got}"
    elif kind == "missing":
        text = "is required"
    elif kind == "extra_forbidden":
        text = "is not a known field"
    elif kind == "union_tag_invalid":
        text = (
            f"unknown message type {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
        )
    elif kind == "union_tag_not_found":
        text = 'every message needs a "type" field'
    elif kind == "json_invalid":
        text = f"not valid JSON ({ctx.get('error', 'parse error')})"
    elif kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
    else:
        text = error["msg"][0].lower() + error["msg"][1:] + got
    return f"{where}: {text}" if where else text


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i == 0 and part in {"configure", "play", "pause", "step", "reset", "body"}:
            continue  # the union's tag (or FastAPI's "body") adds nothing the reader needs
        else:
            out += f".{part}" if out else part
    return out


def _short(value: object) -> str:
    if isinstance(value, list | tuple | dict | set):  # never the repr of a megabyte of items
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, str | bytes) and len(value) > 40:
        value = value[:40]
    return _cut(repr(value))


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
