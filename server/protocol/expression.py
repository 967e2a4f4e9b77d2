"""POST /api/expression: an activation written as an expression in x, read and plotted.

The page asks before it applies an own activation (activation "expr", HiddenLayer.expression):
the answer is either the function and its derivative on [-4, 4] or where reading stopped and why.
"""

from __future__ import annotations

from pydantic import Field

from server import limits
from server.protocol.base import Message


class ExpressionRequest(Message):
    """An expression in x to read and plot."""

    expression: str = Field(max_length=4 * limits.MAX_EXPRESSION_LENGTH)
    """E.g. "x * sigmoid(1.5 * x)"; longer than max_expression_length is answered with an
    error at that position, far longer with a 422."""


class ExpressionProblem(Message):
    """Where reading the expression stopped, and why."""

    position: int
    """0-based index into the expression (its length when the end came too soon)."""
    reason: str
    """E.g. "unknown name 'foo' (use x, pi, e, exp, …)"."""
    message: str
    """The reason with the position, as a configure's error says it: "… at 4"."""


class ExpressionPlot(Message):
    """The expression's values and derivative on an even grid, or its problem."""

    expression: str
    problem: ExpressionProblem | None
    """None when the expression reads; then the fields below hold the plot."""
    x: list[float]
    """The grid: evenly spaced from -4 to 4 (empty with a problem)."""
    f: list[float | None]
    """f(x) at each grid point; null where it is not finite (log of a negative, say)."""
    df: list[float | None]
    """f'(x) by autograd at each grid point; null where it is not finite."""
    piecewise_linear: bool
    """Whether the function has finitely many linear pieces (exact region counts)."""
    kinks: list[float]
    """Where its linear pieces meet, when piecewise linear."""
