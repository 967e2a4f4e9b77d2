"""Uploaded CSV files to CustomData, and CustomData back to CSV.

A person reads the errors, so each says what is wrong and where, counting rows the way a
spreadsheet shows them: the header is row 1, the first point row 2.

    x1,x2,label        classification: labels are whole numbers 0 … 5, at least two classes
    x1,x2,y            regression: any finite value
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch

from models.config import CustomData, Task
from models.datasets import BOX, MAX_CLASSES

if TYPE_CHECKING:
    from _csv import Reader

HEADERS: dict[tuple[str, ...], Task] = {
    ("x1", "x2", "label"): "classification",
    ("x1", "x2", "y"): "regression",
}
"""The accepted first rows (compared without case or surrounding spaces) and what they mean."""

MAX_TARGET = 1e6
"""The largest regression value taken: its square, and a batch's sum of squares, stay far inside
float32 (1e39 is already infinite there, and the loss would be inf from step 0)."""

_EXPECTED = "expected the header x1,x2,label (classes) or x1,x2,y (regression)"


class CsvError(ValueError):
    """A file that cannot become CustomData; the message is for the person who uploaded it."""


def parse_csv(text: str, max_rows: int) -> CustomData:
    """Read `text` as a CSV of points; raise CsvError saying what and where when it is not one."""
    if "\x00" in text:
        raise CsvError("not a CSV file: it contains NUL bytes (is it a binary file?)")
    text = text.removeprefix("\ufeff")  # the byte-order mark spreadsheet programs write
    if not text.strip():
        raise CsvError("the file is empty; " + _EXPECTED)
    rows = csv.reader(io.StringIO(text))
    try:
        task, names = _header(rows)
        x: list[tuple[float, ...]] = []
        y: list[float] = []
        for cells in rows:
            if not "".join(cells).strip():
                continue  # blank lines, such as a trailing one, are harmless
            row = rows.line_num
            if len(x) == max_rows:
                raise CsvError(f"row {row}: too many rows; the limit is {max_rows} points")
            if len(cells) != len(names):
                raise CsvError(
                    f"row {row}: expected {len(names)} columns ({','.join(names)}), "
                    f"found {len(cells)}"
                )
            values = [_number(cell, row, name) for cell, name in zip(cells, names, strict=True)]
            for value, name in zip(values[:2], names[:2], strict=True):
                if not BOX[0] <= value <= BOX[1]:
                    raise CsvError(
                        f"row {row}, column {name}: {value:g} lies outside the box "
                        f"[{BOX[0]:g}, {BOX[1]:g}]"
                    )
            if task == "classification":
                _check_label(values[2], cells[2], row)
            elif abs(values[2]) > MAX_TARGET:
                raise CsvError(
                    f"row {row}, column y: {cells[2].strip()!r} is too large; regression values"
                    f" must lie within ±{MAX_TARGET:g} (training computes in float32)"
                )
            x.append((values[0], values[1]))
            y.append(values[2])
    except csv.Error as error:
        raise CsvError(f"not a CSV file: row {rows.line_num}: {error}") from None
    if len(x) < 2:
        raise CsvError(f"the file has {len(x)} point rows; at least 2 are needed")
    if task == "classification" and len(set(y)) < 2:
        raise CsvError(f"every label is {y[0]:g}; classification needs at least 2 classes")
    return CustomData(tuple(x), tuple(y), task)


def _header(rows: Reader) -> tuple[Task, tuple[str, ...]]:
    """Read the first non-blank row and say which kind of file it announces."""
    for cells in rows:
        if not "".join(cells).strip():
            continue
        names = tuple(cell.strip().lower() for cell in cells)
        if names in HEADERS:
            return HEADERS[names], names
        shown = ",".join(cell.strip() for cell in cells)
        if len(cells) == 1:
            raise CsvError(f"not a CSV file: row {rows.line_num} has no commas; {_EXPECTED}")
        if all(_is_number(cell) for cell in cells):
            raise CsvError(f"missing header: row {rows.line_num} is {shown!r}; {_EXPECTED}")
        raise CsvError(f"wrong header {shown!r} in row {rows.line_num}; {_EXPECTED}")
    raise CsvError("the file has no header, only empty cells; " + _EXPECTED)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _number(cell: str, row: int, name: str) -> float:
    text = cell.strip()
    if not text:
        raise CsvError(f"row {row}, column {name}: the cell is empty")
    try:
        value = float(text)
    except ValueError:
        raise CsvError(f"row {row}, column {name}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise CsvError(f"row {row}, column {name}: {text!r} is not a finite number")
    return value


def _check_label(value: float, cell: str, row: int) -> None:
    if value != int(value) or not 0 <= value < MAX_CLASSES:
        raise CsvError(
            f"row {row}, column label: {cell.strip()!r} is not a class; "
            f"labels are whole numbers 0 to {MAX_CLASSES - 1}"
        )


def format_csv(
    x: torch.Tensor | Sequence[Sequence[float]], y: torch.Tensor | Sequence[float], task: Task
) -> str:
    """Points as CSV text that parse_csv reads back to the same numbers (repr round-trips)."""
    points = x.tolist() if isinstance(x, torch.Tensor) else x
    labels = y.tolist() if isinstance(y, torch.Tensor) else y
    if any(len(point) != 2 for point in points):
        raise ValueError("format_csv writes 2D points only (columns x1, x2)")
    header = "x1,x2,label" if task == "classification" else "x1,x2,y"
    lines = [header]
    for (a, b), value in zip(points, labels, strict=True):
        last = str(int(value)) if task == "classification" else repr(float(value))
        lines.append(f"{float(a)!r},{float(b)!r},{last}")
    return "\n".join(lines) + "\n"
