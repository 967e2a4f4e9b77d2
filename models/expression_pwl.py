"""The linear pieces of an expression activation, when it has finitely many.

An expression built from x, numbers, + and -, products and quotients where one side is
constant (on each piece), max, min, abs, relu and where(…) over such terms is piecewise linear,
so a network of it cuts the plane into finitely many linear regions and the exact counters of
models/analysis/ take it like relu or leaky_relu. `pieces` computes those pieces exactly, in
float64, by an algebra of piecewise-linear functions: each node's value is a list of kinks and
one line (slope, intercept) per piece; max/min/where add a kink where their two lines cross.
Neighbouring pieces on the same line are merged, so `max(x, 0)` has relu's one kink and
`max(0, x) - 0.01*max(0, -x)` exactly leaky_relu's pieces. Anything else (x*x, sin(x), exp(x))
gives None: not piecewise linear, counted approximately like tanh.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from models.activations import ACTIVATIONS, EXPRESSION, PiecewiseLinear
from models.config import LayerSpec
from models.expression import Bin, Call, Cmp, Neg, Node, Num, X, parse

MAX_KINKS = 32
"""More kinks than this count as not piecewise linear: the exact counters cut once per kink."""

Line = tuple[float, float]
"""(slope, intercept)."""


@dataclass(frozen=True)
class _Pwl:
    kinks: tuple[float, ...]
    lines: tuple[Line, ...]
    """One per piece: len(kinks) + 1."""


_CONSTANT_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "exp": math.exp,
    "log": math.log,
    "sin": math.sin,
    "cos": math.cos,
    "tanh": math.tanh,
    "sigmoid": lambda v: 1 / (1 + math.exp(-v)) if v > -700 else 0.0,
}


def layer_pieces(layer: LayerSpec) -> PiecewiseLinear | None:
    """The linear pieces of a layer's activation, its own expression's for "expr"; None when
    it is not piecewise linear."""
    if layer.activation == EXPRESSION:
        return expression_pieces(layer.expression)
    return ACTIVATIONS[layer.activation].pieces


@functools.lru_cache(maxsize=256)
def expression_pieces(text: str) -> PiecewiseLinear | None:
    """The linear pieces of an expression that parses (ExpressionError if it does not)."""
    return pieces(parse(text))


def pieces(node: Node) -> PiecewiseLinear | None:
    """The expression's linear pieces, or None if it is not (finitely) piecewise linear."""
    try:
        f = _pwl(node)
    except (ArithmeticError, ValueError):  # a constant part overflows or leaves the domain
        return None
    if f is None or len(f.kinks) > MAX_KINKS:
        return None
    numbers = [*f.kinks, *(v for line in f.lines for v in line)]
    if not all(math.isfinite(v) for v in numbers):
        return None
    slopes, intercepts = zip(*f.lines, strict=True)
    return PiecewiseLinear(f.kinks, tuple(slopes), tuple(intercepts))


def _pwl(node: Node) -> _Pwl | None:
    match node:
        case Num(value):
            return _Pwl((), ((0.0, value),))
        case X():
            return _Pwl((), ((1.0, 0.0),))
        case Neg(arg):
            return _map(_pwl(arg), lambda a: (-a[0], -a[1]))
        case Bin(op, left, right):
            return _both(_pwl(left), _pwl(right), _ARITHMETIC[op])
        case Call("where", (Cmp(op, left, right), then, otherwise)):
            return _where(op, _pwl(left), _pwl(right), _pwl(then), _pwl(otherwise))
        case Call("max" | "min" as name, (left, right)):
            return _extreme(name, _pwl(left), _pwl(right))
        case Call("abs", (arg,)):
            f = _pwl(arg)
            return _extreme("max", f, _map(f, lambda a: (-a[0], -a[1])))
        case Call("relu", (arg,)):
            return _extreme("max", _pwl(arg), _pwl(Num(0.0)))
        case Call(name, (arg,)):
            function = _CONSTANT_FUNCTIONS[name]
            return _map(_pwl(arg), lambda a: (0.0, function(a[1])) if a[0] == 0 else None)
    return None


def _product(a: Line, b: Line) -> Line | None:
    if a[0] == 0:
        return (a[1] * b[0], a[1] * b[1])
    if b[0] == 0:
        return (a[0] * b[1], a[1] * b[1])
    return None  # a parabola


def _quotient(a: Line, b: Line) -> Line | None:
    if b[0] != 0 or b[1] == 0:
        return None
    return (a[0] / b[1], a[1] / b[1])


def _power(a: Line, b: Line) -> Line | None:
    if b == (0.0, 1.0):
        return a
    if a[0] == 0 and b[0] == 0:
        return (0.0, math.pow(a[1], b[1]))
    return None


_ARITHMETIC: dict[str, Callable[[Line, Line], Line | None]] = {
    "+": lambda a, b: (a[0] + b[0], a[1] + b[1]),
    "-": lambda a, b: (a[0] - b[0], a[1] - b[1]),
    "*": _product,
    "/": _quotient,
    "^": _power,
}


def _map(f: _Pwl | None, each: Callable[[Line], Line | None]) -> _Pwl | None:
    """Each piece's line through `each`; None if any piece gives None."""
    if f is None:
        return None
    lines = [each(line) for line in f.lines]
    if any(line is None for line in lines):
        return None
    return _merged(f.kinks, [line for line in lines if line is not None])


def _both(f: _Pwl | None, g: _Pwl | None, each: Callable[[Line, Line], Line | None]) -> _Pwl | None:
    """Pieces of f and g on their common kinks, line by line through `each`."""
    if f is None or g is None:
        return None
    kinks = tuple(sorted(set(f.kinks) | set(g.kinks)))
    lines = [each(a, b) for a, b in zip(_on(f, kinks), _on(g, kinks), strict=True)]
    if any(line is None for line in lines):
        return None
    return _merged(kinks, [line for line in lines if line is not None])


def _extreme(name: str, f: _Pwl | None, g: _Pwl | None) -> _Pwl | None:
    """max(f, g) or min(f, g): a kink wherever the two cross inside a piece."""
    pick = max if name == "max" else min
    return _choose(f, g, f, g, lambda a, b, m: _at(a, m) == pick(_at(a, m), _at(b, m)))


def _where(
    op: str, left: _Pwl | None, right: _Pwl | None, then: _Pwl | None, otherwise: _Pwl | None
) -> _Pwl | None:
    """where(left op right, then, otherwise): a kink wherever left and right cross."""
    holds: dict[str, Callable[[float, float], bool]] = {
        "<": lambda p, q: p < q,
        "<=": lambda p, q: p <= q,
        ">": lambda p, q: p > q,
        ">=": lambda p, q: p >= q,
    }
    return _choose(left, right, then, otherwise, lambda a, b, m: holds[op](_at(a, m), _at(b, m)))


def _choose(
    f: _Pwl | None,
    g: _Pwl | None,
    then: _Pwl | None,
    otherwise: _Pwl | None,
    first: Callable[[Line, Line, float], bool],
) -> _Pwl | None:
    """On each piece, `then`'s line where first(f's line, g's line, a point inside) holds,
    else `otherwise`'s; the pieces are cut wherever f and g cross."""
    if f is None or g is None or then is None or otherwise is None:
        return None
    kinks = sorted(set(f.kinks) | set(g.kinks))
    cuts = set(kinks) | set(then.kinks) | set(otherwise.kinks)
    for (lo, hi), a, b in zip(_spans(kinks), _on(f, kinks), _on(g, kinks), strict=True):
        if a[0] != b[0]:
            root = (b[1] - a[1]) / (a[0] - b[0])
            if lo < root < hi:
                cuts.add(root)
    every = tuple(sorted(cuts))
    chosen = [
        t if first(a, b, _inside(span)) else o
        for span, a, b, t, o in zip(
            _spans(every),
            _on(f, every),
            _on(g, every),
            _on(then, every),
            _on(otherwise, every),
            strict=True,
        )
    ]
    return _merged(every, chosen)


def _spans(kinks: tuple[float, ...] | list[float]) -> list[tuple[float, float]]:
    ends = [-math.inf, *kinks, math.inf]
    return list(itertools.pairwise(ends))


def _inside(span: tuple[float, float]) -> float:
    lo, hi = span
    if math.isinf(lo) and math.isinf(hi):
        return 0.0
    if math.isinf(lo):
        return hi - 1.0
    if math.isinf(hi):
        return lo + 1.0
    return (lo + hi) / 2


def _on(f: _Pwl, kinks: tuple[float, ...] | list[float]) -> list[Line]:
    """f's line on each piece between `kinks`, a superset of f's own."""
    return [f.lines[bisect.bisect_left(f.kinks, _inside(span))] for span in _spans(kinks)]


def _at(line: Line, x: float) -> float:
    return line[0] * x + line[1]


def _merged(kinks: tuple[float, ...], lines: list[Line]) -> _Pwl:
    """The same function without the kinks between two pieces on the same line."""
    kept_kinks: list[float] = []
    kept_lines = [lines[0]]
    for kink, line in zip(kinks, lines[1:], strict=True):
        if _same(line, kept_lines[-1]):
            continue
        kept_kinks.append(kink)
        kept_lines.append(line)
    return _Pwl(tuple(kept_kinks), tuple(kept_lines))


def _same(a: Line, b: Line) -> bool:
    return all(abs(p - q) <= 1e-12 * max(1.0, abs(p), abs(q)) for p, q in zip(a, b, strict=True))
