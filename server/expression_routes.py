"""POST /api/expression: read an activation expression and plot it and its derivative."""

from __future__ import annotations

import math

import torch
from fastapi import APIRouter

from models.expression import ExpressionError, parse
from models.expression_pwl import pieces
from models.expression_torch import evaluate
from server.protocol.expression import ExpressionPlot, ExpressionProblem, ExpressionRequest

router = APIRouter(prefix="/api")

PLOT_RANGE = 4.0
"""The plot spans [-PLOT_RANGE, PLOT_RANGE]."""
PLOT_POINTS = 161
"""Grid points of the plot (a step of 0.05)."""


@router.post("/expression")
def expression_plot(body: ExpressionRequest) -> ExpressionPlot:
    """The expression's values and autograd derivative on [-4, 4], whether it is piecewise
    linear; or, for one that does not read, the position and reason (still a 200)."""
    text = body.expression
    try:
        tree = parse(text)
    except ExpressionError as error:
        problem = ExpressionProblem(
            position=error.position, reason=error.reason, message=str(error)
        )
        return ExpressionPlot(
            expression=text, problem=problem, x=[], f=[], df=[], piecewise_linear=False, kinks=[]
        )
    x = torch.linspace(-PLOT_RANGE, PLOT_RANGE, PLOT_POINTS, dtype=torch.float64)
    x.requires_grad_(True)
    f = evaluate(tree, x)
    (df,) = torch.autograd.grad(f.sum(), x, allow_unused=True) if f.requires_grad else (None,)
    slope = torch.zeros_like(x) if df is None else df
    linear = pieces(tree)
    return ExpressionPlot(
        expression=text,
        problem=None,
        x=[round(v, 6) for v in x.detach().tolist()],
        f=_finite(f.detach().tolist()),
        df=_finite(slope.detach().tolist()),
        piecewise_linear=linear is not None,
        kinks=list(linear.kinks) if linear is not None else [],
    )


def _finite(values: list[float]) -> list[float | None]:
    return [v if math.isfinite(v) else None for v in values]
