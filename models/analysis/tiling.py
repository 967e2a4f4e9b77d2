"""Convex polygons tiling a 2D box, cut by many lines at once: the engine of regions.py
(cells.py counts, without cutting, the cells the last layer's lines would make).

Storage: vertices are complex numbers x + iy in a (V, polygons) array, so one gather or one
interpolation moves both coordinates. Polygons are padded to V slots; slots past a polygon's own
count repeat its first vertex, so minima and maxima need no mask and padding cuts no edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

Box = tuple[float, float, float, float]
"""(xmin, xmax, ymin, ymax)"""

_EPS = 1e-9
_REBUILD_GROWTH = 4  # rebuild a crossing table each time the polygons grow this many times
_REBUILD_LINES = 4  # and some polygon still faces more lines than this
_T = TypeVar("_T", bound=np.generic)
_TURN = 1 << 40
"""Steps of a full turn in set_polygons' angle key, 6e-12 rad: two vertices of a cell, each
outside the other's line's band (1e-9), lie more than 1e-10 rad apart seen from its mean."""


class Tiling:
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
        edge = sign * roll(sign) < 0  # (V, M) edge k -> k+1 crosses; padding never does
        t = z / np.where(edge, z - roll(z), 1.0)
        slots = np.empty((v, 2, 1, m), dtype=np.complex128)  # vertex k, then its edge's crossing
        slots[:, 0, 0] = w
        slots[:, 1, 0] = w + t * (roll(w) - w)
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
            self.w = widen(self.w, extra, axis=1)
            self.nv, self.parent = widen(self.nv, extra), widen(self.parent, extra)
            self.filter, self.next_line = widen(self.filter, extra), widen(self.next_line, extra)
            self.side = widen(self.side, extra)
        for a in (self.parent, self.filter, self.next_line, self.side):
            a[start:end] = a[rows]
        self.size = end
        return np.arange(start, end)

    def _make_room(self, vertices: int) -> None:
        """Give every polygon at least `vertices` slots, padding with its first vertex."""
        if vertices > len(self.w):
            self.w = np.concatenate([self.w, np.repeat(self.w[:1], vertices - len(self.w), 0)])

    def set_polygons(
        self, point: NDArray[np.complex128], cell: NDArray[np.intp], cells: int
    ) -> None:
        """Make the polygons each cell's points (`cell` numbers them), counter-clockwise by
        angle around their mean, padded with the first."""
        count = np.bincount(cell, minlength=cells)
        center = np.bincount(cell, point.real, cells) + 1j * np.bincount(cell, point.imag, cells)
        center /= count
        off_center = point - center[cell]
        angle = np.arctan2(off_center.imag, off_center.real)  # in [-pi, pi]
        if cells < 1 << 21:  # one integer sort: the cell, then the angle to 2^-40 of a turn
            turn = ((angle + np.pi) * (_TURN / (2 * np.pi))).astype(np.int64)
            order = (cell << 41 | np.minimum(turn, _TURN - 1)).argsort()
        else:
            order = np.lexsort((angle, cell))
        offset = count.cumsum() - count
        slot = np.arange(len(order)) - offset.repeat(count)
        w = np.empty((int(count.max()), cells), dtype=np.complex128)
        ordered = point[order]
        w[:] = ordered[offset]  # padding repeats the first vertex
        w[slot, np.arange(cells).repeat(count)] = ordered
        self.w, self.nv = w, count

    def polygons(self) -> list[NDArray[np.float64]]:
        """Return every polygon as a (V, 2) float array."""
        w = self.w[:, : self.size].T  # (P, V)
        xy = np.stack([w.real, w.imag], axis=2)  # (P, V, 2)
        return [xy[i, :n] for i, n in enumerate(self.nv[: self.size].tolist())]


@dataclass(frozen=True)
class Lines:
    """A layer's lines {Re(slope (x + iy)) + shift = 0} in every parent, (P0, lines) each.

    Line k * units + j is unit j's kink k; slope = A_j0 - i A_j1, shift = c_j - kink.
    """

    slope: NDArray[np.complex128]
    shift: NDArray[np.float64]
    tol: NDArray[np.float64]  # the band |value| <= tol that counts as on the line
    units: int
    steep: NDArray[np.float64]  # (2, P0, lines): |A_j0|, |A_j1|, how fast the value changes


def make_lines(coef: NDArray[np.float64], kinks: tuple[float, ...], reach: float) -> Lines:
    """Return the lines of a layer whose maps per parent are coef (3, P0, units)."""
    repeat = len(kinks)
    steep = np.abs(coef[:2])
    slope = coef[0] - 1j * coef[1]
    if repeat == 1:
        shift = coef[2] - kinks[0]
    else:
        shift = np.concatenate([coef[2] - kink for kink in kinks], axis=1)
        steep, slope = np.tile(steep, repeat), np.tile(slope, repeat)
    tol = (steep[0] + steep[1]) * reach
    tol += np.abs(shift)
    tol *= _EPS
    return Lines(slope, shift, tol, coef.shape[2], steep)


def cut_layer(tiling: Tiling, lines: Lines, first_line: int, limit: float) -> None:
    """Cut the tiling by every line of one layer; record sides in tiling.side[:, first_line:].

    Raises ValueError as soon as there are more than `limit` polygons.
    """
    count = lines.slope.shape[1]
    slope, shift, tol = lines.slope.ravel(), lines.shift.ravel(), lines.tol.ravel()
    tiling.next_line[: tiling.size] = 0
    table, left = crossing_table(tiling, lines, first_line)
    built = tiling.size
    while True:
        size = tiling.size
        if size >= _REBUILD_GROWTH * built:  # only pays off while some polygon meets many lines
            if left[tiling.filter[:size], tiling.next_line[:size]].max() > _REBUILD_LINES:
                table, left = crossing_table(tiling, lines, first_line)
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
            within(tiling.size, limit)


class TooManyRegions(ValueError):
    """The network cuts the box into more regions than the caller allowed."""


def within(count: int, limit: float) -> int:
    """Return count, or raise TooManyRegions if it is over the limit."""
    if count > limit:
        raise TooManyRegions(f"the network cuts the box into more than {limit} linear regions")
    return count


def crossing_table(
    tiling: Tiling, lines: Lines, first_line: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Make every polygon its own filter; return which lines cross each, from each line on.

    table[p, j] is the first line >= j that crosses polygon p and left[p, j] how many do; both
    are (P, lines + 1), and table = lines means none. Also fills in the sides of the lines not
    yet met that miss the polygon, as all its future pieces lie on that same side.
    """
    size = tiling.size
    above, crosses = crossings(tiling, lines)
    count = above.shape[1]
    later = np.arange(count) >= tiling.next_line[:size, None]
    np.copyto(tiling.side[:size, first_line : first_line + count], above, where=later)
    tiling.filter[:size] = np.arange(size)
    first = np.where(crosses, np.arange(count), count)
    table = np.minimum.accumulate(first[:, ::-1], axis=1)[:, ::-1]
    left = np.cumsum(crosses[:, ::-1], axis=1)[:, ::-1]
    none = np.zeros((size, 1), dtype=np.intp)
    return np.concatenate([table, none + count], axis=1), np.concatenate([left, none], axis=1)


def crossings(tiling: Tiling, lines: Lines) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
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


def widen(a: NDArray[_T], extra: int, axis: int = 0) -> NDArray[_T]:
    """Return a with `extra` more zero entries along `axis`."""
    shape = list(a.shape)
    shape[axis] = extra
    return np.concatenate([a, np.zeros(shape, dtype=a.dtype)], axis=axis)


def roll(a: NDArray[_T]) -> NDArray[_T]:
    """Return a with row k replaced by row k + 1 (the next vertex), wrapping around."""
    return np.concatenate([a[1:], a[:1]])
