"""Exact linear regions of a piecewise-linear MLP over a 2D box.

A region is a set of inputs on which every hidden unit stays on one piece of its activation, so
the network is one affine map there. The output layer splits nothing. Two neighbouring regions
whose affine maps happen to agree are still counted separately, as CONTRACT.md section 2 allows.

Algorithm: the box starts as one convex polygon. Layer by layer, every polygon knows the affine map
from the input to the layer's pre-activations (z = A x + c, shared by all pieces of one polygon of
the previous layer, their "parent"). Each unit and each kink of the activation is a line in the
parent, and each polygon the line crosses is cut into two convex polygons. The work is vectorised
over polygons, in rounds: in each round every polygon meets the next line that may cross it, looked
up in a table of which lines cross which "filter" polygon (one of the same layer that contains it;
the table is rebuilt when the polygons have grown fourfold and some still face many lines). A layer
thus takes about as many rounds as the most lines one polygon meets, not one per unit. At the end
of a layer each polygon's pattern fixes the slopes of the activation, hence the next layer's map.
`count_regions` only counts the last layer's cells, by Euler's formula, and cuts instead only
where lines meet degenerately (see _cell_count); `compute_regions` always cuts.

Tolerance policy (float64): a vertex lies on a line when |A_j x + c_j - kink| <= 1e-9 * scale,
where scale = (|A_j0| + |A_j1|) * max|box| + |c_j - kink| bounds the terms summed; a polygon is
cut only by a line with vertices clearly on both sides. Rounding is ~1e-16 * scale, so the band
absorbs it: duplicate units, lines through existing vertices and zero weights cut nothing and
make no slivers, while only cells thinner than 1e-9 of the box could be missed. Nothing is ever
dropped by area: each piece keeps a vertex beyond the band, so the polygons always tile the box.

Storage: vertices are complex numbers x + iy in a (V, polygons) array, so one gather or one
interpolation moves both coordinates. Polygons are padded to V slots; slots past a polygon's own
count repeat its first vertex, so minima and maxima need no mask and padding cuts no edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

Box = tuple[float, float, float, float]
"""(xmin, xmax, ymin, ymax)"""
Layer = tuple[NDArray[np.float64], NDArray[np.float64]]
"""(weight (out, in), bias (out,)), torch's nn.Linear convention."""

_EPS = 1e-9
_REBUILD_GROWTH = 4  # rebuild a crossing table each time the polygons grow this many times
_REBUILD_LINES = 4  # and some polygon still faces more lines than this
_BLAS_MIN = 4_000_000  # multiply-adds below which numpy's own loop beats waking BLAS's threads
_T = TypeVar("_T", bound=np.generic)


@dataclass(frozen=True)
class PiecewiseLinear:
    """An activation made of straight pieces: piece i is slopes[i] * z + intercepts[i].

    Piece i holds between kinks[i - 1] and kinks[i]: an input's piece is how many kinks lie
    below it.
    """

    kinks: tuple[float, ...]
    slopes: tuple[float, ...]
    intercepts: tuple[float, ...]


@dataclass(frozen=True)
class Regions:
    """Linear regions of a network over a box."""

    polygons: list[NDArray[np.float64]]
    """Each region's vertices, (V, 2), counter-clockwise."""
    patterns: NDArray[np.int8]
    """(count, hidden units): the piece of each hidden unit's activation, e.g. 1 = active ReLU."""
    count: int


def count_regions(
    layers: Sequence[Layer], activation: str, box: Box, max_regions: int | None = None
) -> int:
    """Return the number of linear regions of the network over the box (no polygons built).

    Raises ValueError for bad input, and once the count passes max_regions if one is given.
    """
    return _tile(layers, activation, box, max_regions, count_last=True)[1]


def compute_regions(
    layers: Sequence[Layer], activation: str, box: Box, max_regions: int | None = None
) -> Regions:
    """Return every linear region of the network over the box with its polygon and pattern.

    Raises ValueError for bad input, and once the count passes max_regions if one is given.
    """
    tiling, count = _tile(layers, activation, box, max_regions)
    units = [len(bias) for _, bias in layers[:-1]]
    pieces = _pieces(tiling, units, len(lookup_activation(activation).kinks))
    return Regions(tiling.polygons(), pieces, count)


def layers_from_module(net: nn.Module) -> list[Layer]:
    """Return the (weight, bias) of every nn.Linear in `net`, in order, as float64 numpy."""
    layers: list[Layer] = []
    for module in net.modules():
        if isinstance(module, nn.Linear):
            weight = _float64(module.weight)
            bias = np.zeros(len(weight)) if module.bias is None else _float64(module.bias)
            layers.append((weight, bias))
    return layers


def _float64(t: torch.Tensor) -> NDArray[np.float64]:
    """Return a float64 numpy copy of a tensor."""
    return t.detach().cpu().double().numpy().copy()


class _Tiling:
    """Convex polygons tiling the box, with each one's parent, sides and progress in a layer."""

    def __init__(self, box: Box, lines: int) -> None:
        xmin, xmax, ymin, ymax = box
        corners = [xmin + 1j * ymin, xmax + 1j * ymin, xmax + 1j * ymax, xmin + 1j * ymax]
        self.w = np.array(corners, dtype=np.complex128)[:, None]  # (V, P), counter-clockwise
        self.nv = np.array([4])  # (P,) vertex count
        self.parent = np.zeros(1, dtype=np.intp)  # (P,) polygon at the start of the layer
        self.filter = np.zeros(1, dtype=np.intp)  # (P,) the polygon whose crossing table it uses
        self.next_line = np.zeros(1, dtype=np.intp)  # (P,) first line of the layer not yet met
        self.side = np.zeros((1, lines), dtype=np.int8)  # (P, all lines) 1 = above the line
        self.size = 1

    def split(
        self,
        rows: NDArray[np.intp],
        w: NDArray[np.complex128],
        z: NDArray[np.float64],
        pos: NDArray[np.bool_],
        neg: NDArray[np.bool_],
    ) -> NDArray[np.intp]:
        """Keep the parts of polygons `rows` above the line in place; return the new parts below.

        w and z (V, M) are their vertices and values on the line; pos and neg say which values are
        clearly above and below it.
        """
        v, m = z.shape
        sign = pos.view(np.int8) - neg.view(np.int8)
        edge = sign * _roll(sign) < 0  # (V, M) edge k -> k+1 crosses; padding never does
        t = z / np.where(edge, z - _roll(z), 1.0)
        slots = np.empty((v, 2, 1, m), dtype=np.complex128)  # vertex k, then its edge's crossing
        slots[:, 0, 0] = w
        slots[:, 1, 0] = w + t * (_roll(w) - w)
        kept = np.empty((v, 2, 2, m), dtype=np.bool_)  # (V, vertex/crossing, above/below, M)
        valid = np.arange(v)[:, None] < self.nv[rows]
        kept[:, 0, 0] = valid & (sign >= 0)
        kept[:, 0, 1] = valid & (sign <= 0)
        kept[:, 1] = edge[:, None]
        keep = kept.reshape(2 * v, 2, m)
        place = np.cumsum(keep, axis=0)  # 1 + where a kept slot goes in its piece
        counts = place[-1]  # (2, M) vertices of each piece
        self._make_room(int(counts.max()))
        room = len(self.w)
        to = np.where(keep, place - 1, room) * (2 * m) + np.arange(2 * m).reshape(2, m)
        pieces = np.empty((room + 1, 2, m), dtype=np.complex128)  # row `room` takes the rest
        pieces.ravel()[to.ravel()] = np.broadcast_to(slots.reshape(2 * v, 1, m), to.shape).ravel()
        padded = np.where(np.arange(room)[:, None, None] < counts, pieces[:room], pieces[0])
        new = self._append(rows)
        cols = np.concatenate([rows, new])
        self.w[:, cols] = padded.reshape(room, 2 * m)
        self.nv[cols] = counts.ravel()
        return new

    def _append(self, rows: NDArray[np.intp]) -> NDArray[np.intp]:
        """Return places for new polygons that copy everything of `rows` but the vertices."""
        start, end = self.size, self.size + len(rows)
        if end > len(self.nv):
            extra = max(end, 2 * len(self.nv)) - len(self.nv)
            self.w = _widen(self.w, extra, axis=1)
            self.nv, self.parent = _widen(self.nv, extra), _widen(self.parent, extra)
            self.filter, self.next_line = _widen(self.filter, extra), _widen(self.next_line, extra)
            self.side = _widen(self.side, extra)
        for a in (self.parent, self.filter, self.next_line, self.side):
            a[start:end] = a[rows]
        self.size = end
        return np.arange(start, end)

    def _make_room(self, vertices: int) -> None:
        """Give every polygon at least `vertices` slots, padding with its first vertex."""
        if vertices > len(self.w):
            self.w = np.concatenate([self.w, np.repeat(self.w[:1], vertices - len(self.w), 0)])

    def polygons(self) -> list[NDArray[np.float64]]:
        """Return every polygon as a (V, 2) float array."""
        w = self.w[:, : self.size].T  # (P, V)
        xy = np.stack([w.real, w.imag], axis=2)  # (P, V, 2)
        return [xy[i, :n] for i, n in enumerate(self.nv[: self.size].tolist())]


@dataclass(frozen=True)
class _Lines:
    """A layer's lines {Re(slope (x + iy)) + shift = 0} in every parent, (P0, lines) each.

    Line k * units + j is unit j's kink k; slope = A_j0 - i A_j1, shift = c_j - kink.
    """

    slope: NDArray[np.complex128]
    shift: NDArray[np.float64]
    tol: NDArray[np.float64]  # the band |value| <= tol that counts as on the line
    units: int


def _lines(coef: NDArray[np.float64], kinks: tuple[float, ...], reach: float) -> _Lines:
    """Return the lines of a layer whose maps per parent are coef (3, P0, units)."""
    repeat = len(kinks)
    shift = np.concatenate([coef[2] - kink for kink in kinks], axis=1)
    scale = np.tile((np.abs(coef[0]) + np.abs(coef[1])) * reach, repeat)
    slope = np.tile(coef[0] - 1j * coef[1], repeat)
    return _Lines(slope, shift, _EPS * (scale + np.abs(shift)), coef.shape[2])


def _cut_layer(tiling: _Tiling, lines: _Lines, first_line: int, limit: float) -> None:
    """Cut the tiling by every line of one layer; record sides in tiling.side[:, first_line:].

    Raises ValueError as soon as there are more than `limit` polygons.
    """
    count = lines.slope.shape[1]
    slope, shift, tol = lines.slope.ravel(), lines.shift.ravel(), lines.tol.ravel()
    tiling.next_line[: tiling.size] = 0
    table, left = _crossing_table(tiling, lines, first_line)
    built = tiling.size
    while True:
        size = tiling.size
        if size >= _REBUILD_GROWTH * built:  # only pays off while some polygon meets many lines
            if left[tiling.filter[:size], tiling.next_line[:size]].max() > _REBUILD_LINES:
                table, left = _crossing_table(tiling, lines, first_line)
            built = size
        line = table[tiling.filter[:size], tiling.next_line[:size]]  # (P,) next line to meet
        rows = np.flatnonzero(line < count)
        if not rows.size:
            return
        line = line[rows]
        k = tiling.parent[rows] * count + line
        w = tiling.w[:, rows]  # (V, M)
        z = (w * slope[k]).real + shift[k]  # (V, M)
        pos, neg = z > tol[k], z < -tol[k]
        above = pos.any(axis=0)
        tiling.side[rows, first_line + line] = above
        tiling.next_line[rows] = line + 1
        cut = np.flatnonzero(above & neg.any(axis=0))
        if cut.size:
            new = tiling.split(rows[cut], w[:, cut], z[:, cut], pos[:, cut], neg[:, cut])
            tiling.side[new, first_line + line[cut]] = 0
            _within(tiling.size, limit)


class TooManyRegions(ValueError):
    """The network cuts the box into more regions than the caller allowed."""


def _within(count: int, limit: float) -> int:
    """Return count, or raise TooManyRegions if it is over the limit."""
    if count > limit:
        raise TooManyRegions(f"the network cuts the box into more than {limit} linear regions")
    return count


def _crossing_table(
    tiling: _Tiling, lines: _Lines, first_line: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Make every polygon its own filter; return which lines cross each, from each line on.

    table[p, j] is the first line >= j that crosses polygon p and left[p, j] how many do; both
    are (P, lines + 1), and table = lines means none. Also fills in the sides of the lines not
    yet met that miss the polygon, as all its future pieces lie on that same side.
    """
    size = tiling.size
    above, crosses = _crossings(tiling, lines)
    count = above.shape[1]
    later = np.arange(count) >= tiling.next_line[:size, None]
    np.copyto(tiling.side[:size, first_line : first_line + count], above, where=later)
    tiling.filter[:size] = np.arange(size)
    first = np.where(crosses, np.arange(count), count)
    table = np.minimum.accumulate(first[:, ::-1], axis=1)[:, ::-1]
    left = np.cumsum(crosses[:, ::-1], axis=1)[:, ::-1]
    none = np.zeros((size, 1), dtype=np.intp)
    return np.concatenate([table, none + count], axis=1), np.concatenate([left, none], axis=1)


def _crossings(tiling: _Tiling, lines: _Lines) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Return whether each polygon has a vertex clearly above each line, and clearly on both sides.

    Both are (P, lines); each polygon meets the lines of its parent.
    """
    parent = tiling.parent[: tiling.size]
    tol, shift = lines.tol[parent], lines.shift[parent]  # (P, lines)
    a0, a1 = lines.slope.real[parent], -lines.slope.imag[parent]
    top, bottom = np.full_like(tol, -np.inf), np.full_like(tol, np.inf)
    value, term = np.empty_like(tol), np.empty_like(tol)
    for vertex in tiling.w[:, : tiling.size, None]:  # padding repeats a vertex, so no mask
        np.multiply(a0, vertex.real, out=value)  # a loop of (P, lines) steps stays in cache
        value += np.multiply(a1, vertex.imag, out=term)
        np.maximum(top, value, out=top)
        np.minimum(bottom, value, out=bottom)
    above = top + shift > tol
    return above, above & (bottom + shift < -tol)


def _cell_count(tiling: _Tiling, lines: _Lines, reach: float) -> int | None:
    """Return how many cells the lines cut the polygons into, or None if they meet degenerately.

    Lines in general position cut a convex polygon into 1 + (lines crossing it) + (crossings of
    two lines inside it) cells, by Euler's formula, with no cutting at all. It fails where lines
    coincide, where three meet in a point or where two meet on an edge, so when two crossings in
    one polygon, or a crossing and an edge, come within 1e-8 of the box size (a few times the
    cutting band), the answer is None and the caller cuts instead. Parallel lines, such as a
    hardtanh unit's two kinks, never cross.
    """
    near = 1e-8 * reach
    polygon, line = np.nonzero(_crossings(tiling, lines)[1])  # grouped by polygon
    per = np.bincount(polygon, minlength=tiling.size)
    rank = np.arange(len(line)) - (np.cumsum(per) - per)[polygon]  # place in its polygon's list
    step = np.arange(1, max(int(per.max()), 1))
    first, later = np.nonzero(rank[:, None] + step < per[polygon][:, None])
    second = first + step[later]  # every pair of lines crossing the same polygon
    p = polygon[first]
    parent, i, j = tiling.parent[p], line[first], line[second]
    u, v = lines.slope[parent, i], lines.slope[parent, j]
    c, d = lines.shift[parent, i], lines.shift[parent, j]
    det = (u * np.conj(v)).imag  # Re(u q) + c = 0 = Re(v q) + d meet at q = i (c v - d u)* / det
    parallel = np.abs(det) <= 1e-6 * np.abs(u) * np.abs(v)
    foot = -c * np.conj(u) / np.abs(u) ** 2  # the point of line u nearest the origin
    same = (np.abs((v * foot).real + d) <= near * np.abs(v)) & (i % lines.units != j % lines.units)
    if (parallel & same).any():  # one line twice (two kinks of one unit are never the same)
        return None
    crossing = det != 0
    q = 1j * np.conj(c * v - d * u)[crossing] / det[crossing]
    w = tiling.w[:, p[crossing]]  # (V, pairs)
    edge = _roll(w) - w
    turn = (np.conj(edge) * (q - w)).imag  # > 0: q is left of the edge, inside for CCW
    depth = np.divide(turn, np.abs(edge), out=np.full_like(turn, np.inf), where=edge != 0)
    depth = depth.min(axis=0)  # > 0 inside: the distance to the nearest edge
    if (parallel[crossing] & (depth > -near)).any() or (np.abs(depth) <= near).any():
        return None  # nearly parallel lines meeting near the polygon, or lines meeting on an edge
    if _close_pairs(p[crossing], q, depth, near):
        return None
    return tiling.size + len(line) + int((depth > 0).sum())


def _close_pairs(
    polygon: NDArray[np.intp], q: NDArray[np.complex128], depth: NDArray[np.float64], near: float
) -> bool:
    """Return whether two of the points q inside the same polygon lie within `near` in x."""
    inside = depth > 0
    polygon, x = polygon[inside], q[inside].real
    order = np.lexsort((x, polygon))
    same = polygon[order][1:] == polygon[order][:-1]
    return bool((same & (np.diff(x[order]) <= near)).any())


def _widen(a: NDArray[_T], extra: int, axis: int = 0) -> NDArray[_T]:
    """Return a with `extra` more zero entries along `axis`."""
    shape = list(a.shape)
    shape[axis] = extra
    return np.concatenate([a, np.zeros(shape, dtype=a.dtype)], axis=axis)


def _roll(a: NDArray[_T]) -> NDArray[_T]:
    """Return a with row k replaced by row k + 1 (the next vertex), wrapping around."""
    return np.concatenate([a[1:], a[:1]])


def _tile(
    layers: Sequence[Layer],
    activation: str,
    box: Box,
    max_regions: int | None,
    count_last: bool = False,
) -> tuple[_Tiling, int]:
    """Return the tiling of the box by the linear regions, and how many regions there are.

    With count_last the last hidden layer is only counted (see _cell_count), not cut.
    """
    limit = np.inf if max_regions is None else max_regions
    act = lookup_activation(activation)
    layers = [(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)) for w, b in layers]
    _check(layers, box)
    units = [len(bias) for _, bias in layers[:-1]]
    kinks = len(act.kinks)
    tiling = _Tiling(box, kinks * sum(units))
    if not kinks:
        return tiling, _within(1, limit)
    reach = max(abs(c) for c in box)
    coef = np.array([[[1.0, 0.0]], [[0.0, 1.0]], [[0.0, 0.0]]])  # (3, P, 2): (x, y, 1) -> (x, y)
    piece = None
    for i, (weight, bias) in enumerate(layers[:-1]):
        coef = _next_coef(coef[:, tiling.parent[: tiling.size]], weight, bias, piece, act)
        tiling.parent[: tiling.size] = np.arange(tiling.size)
        lines = _lines(coef, act.kinks, reach)
        if count_last and i == len(units) - 1:
            count = _cell_count(tiling, lines, reach)
            if count is not None:
                return tiling, _within(count, limit)
        _cut_layer(tiling, lines, kinks * sum(units[:i]), limit)
        piece = _pieces(tiling, units[: i + 1], kinks)[:, -units[i] :]
    return tiling, _within(tiling.size, limit)


def _pieces(tiling: _Tiling, units: list[int], kinks: int) -> NDArray[np.int8]:
    """Return the piece of each unit of the given layers, (P, units): the kinks it lies above."""
    if not kinks or not units:
        return np.zeros((tiling.size, sum(units)), dtype=np.int8)
    side = tiling.side[: tiling.size, : kinks * sum(units)]
    blocks = np.split(side, np.cumsum(units)[:-1] * kinks, axis=1)
    return np.concatenate([b.reshape(len(b), kinks, -1).sum(1, np.int8) for b in blocks], axis=1)


def _next_coef(
    coef: NDArray[np.float64],
    weight: NDArray[np.float64],
    bias: NDArray[np.float64],
    piece: NDArray[np.int8] | None,
    act: PiecewiseLinear,
) -> NDArray[np.float64]:
    """Return each polygon's map from (x, y, 1) to the next pre-activations, (3, P, out).

    coef (3, P, units) gives the previous pre-activations; piece (P, units) the piece of the
    activation each unit is on, or None before the first layer (coef is then the identity).
    """
    h = coef
    if piece is not None:
        h = coef * np.asarray(act.slopes)[piece]
        h[2] += np.asarray(act.intercepts)[piece]
    out: NDArray[np.float64]
    if h.size * len(weight) < _BLAS_MIN:
        out = np.einsum("kpu,ou->kpo", h, weight)
    else:
        out = (h.reshape(-1, h.shape[2]) @ weight.T).reshape(3, h.shape[1], -1)
    out[2] += bias
    return out


def lookup_activation(activation: str) -> PiecewiseLinear:
    """Return the named piecewise-linear activation, or raise ValueError naming the known ones."""
    if activation not in PIECEWISE_LINEAR_SLOPES:
        known = ", ".join(sorted(PIECEWISE_LINEAR_SLOPES))
        raise ValueError(f"activation {activation!r} is not piecewise linear; use one of {known}")
    return PIECEWISE_LINEAR_SLOPES[activation]


def _check(layers: Sequence[Layer], box: Box) -> None:
    """Raise ValueError unless the layers chain from 2 inputs and the box is finite, not empty."""
    xmin, xmax, ymin, ymax = box
    if not all(np.isfinite(box)) or not (xmin < xmax and ymin < ymax):
        raise ValueError(f"box must be finite with xmin < xmax and ymin < ymax, got {box}")
    if not layers:
        raise ValueError("need at least one layer (the output layer)")
    width = 2
    for i, (weight, bias) in enumerate(layers):
        if weight.ndim != 2 or weight.shape[1] != width or bias.shape != (weight.shape[0],):
            raise ValueError(
                f"layer {i}: weight must be (out, {width}) and bias (out,), "
                f"got {weight.shape} and {bias.shape}"
            )
        if not (np.isfinite(weight).all() and np.isfinite(bias).all()):
            raise ValueError(f"layer {i}: weights and biases must be finite")
        width = weight.shape[0]


PIECEWISE_LINEAR_SLOPES: dict[str, PiecewiseLinear] = {
    "relu": PiecewiseLinear(kinks=(0.0,), slopes=(0.0, 1.0), intercepts=(0.0, 0.0)),
    "leaky_relu": PiecewiseLinear(kinks=(0.0,), slopes=(0.01, 1.0), intercepts=(0.0, 0.0)),
    "linear": PiecewiseLinear(kinks=(), slopes=(1.0,), intercepts=(0.0,)),
    "hardtanh": PiecewiseLinear((-1.0, 1.0), slopes=(0.0, 1.0, 0.0), intercepts=(-1.0, 0.0, 1.0)),
}
"""Piecewise-linear activations by name; the region counter accepts exactly these."""
