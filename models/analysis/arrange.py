"""Cutting a tiling's polygons by all of a layer's lines at once, from the vertices of the cells.

tiling.cut_layer cuts by one line per polygon a round, so a layer takes as many rounds as the
most lines one polygon meets, each a few dozen NumPy calls. Here a layer is a fixed number of
calls, whatever the number of polygons: in general position every vertex of a cell is a vertex
of its polygon, a point where a line crosses the polygon's edge, or a crossing of two lines
inside it, and it belongs to 1, 2 or 4 cells, told apart by the sides of the lines crossing the
polygon. Two lines cross inside a convex polygon exactly when their chords' ends alternate
around its boundary, so no point-in-polygon test is needed. Each vertex's sides of its
polygon's crossing lines are packed into integer keys (bit r for the polygon's r-th crossing
line); sorting by (polygon, key) groups the vertices into cells, and sorting each group by
angle around its mean gives each convex cell counter-clockwise.

Where lines meet degenerately (a vertex of the arrangement within the cutting band of a line
crossing its polygon that it does not lie on: a line through a corner, three lines through a
point, two lines crossing an edge at one point; or two nearly parallel lines crossing inside)
arrange_layer declines and the caller cuts line by line, whose band handles every case. The
band is the cutting engine's, so where arrange_layer accepts, cut_layer would make the same
cells.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from models.analysis.cells import chords, crossing_lines, inner_crossings
from models.analysis.tiling import Lines, Tiling, within

_MAX_VALUES = 20_000_000
"""Above this many (vertex, line) values at once, cut line by line instead (bounded memory)."""
_TURN = 1 << 40
"""Steps of a full turn in the angle key: 6e-12 rad, where two vertices of a cell, being outside
each other's lines' bands (1e-9), are apart by more than 1e-10 rad seen from its mean."""
_WORD = 62
"""Bits of one key word: a polygon's r-th crossing line is bit r % 62 of word r // 62."""


def arrange_layer(
    tiling: Tiling, lines: Lines, first_line: int, reach: float, limit: float
) -> bool:
    """Replace the tiling's polygons by their cells under the layer's lines, recording sides in
    tiling.side[:, first_line:]; return False, changing nothing, where lines meet degenerately.

    `reach` is unused (the band is per line); it keeps cut_layer's caller's signature.
    Raises TooManyRegions once there are more than `limit` cells.
    """
    del reach
    size, n = tiling.size, lines.slope.shape[1]
    w = tiling.w[:, :size]  # (V, P)
    if w.size * n > _MAX_VALUES:
        return False
    above, crossing = crossing_lines(tiling, lines)
    polygon, line, _ = crossing
    if not len(line):
        tiling.side[:size, first_line : first_line + n] = above
        return True
    ends = chords(tiling, lines, crossing)
    if ends is None:
        return False
    e_point, e_index, place = ends
    inner = inner_crossings(lines.slope, lines.shift, (polygon, line), place, size)
    if inner is None:
        return False
    i_first, i_second, i_point = inner
    corner_k, corner_p = np.nonzero(np.arange(len(w))[:, None] < tiling.nv[:size])
    e_polygon = polygon[e_index]
    i_polygon = polygon[i_first]
    point = np.concatenate([w[corner_k, corner_p], e_point, i_point])
    owner = np.concatenate([corner_p, e_polygon, i_polygon])
    if len(point) * n > _MAX_VALUES:
        return False
    # Each vertex's sides of its polygon's lines; the lines through it are decided per copy.
    value = (point[:, None] * lines.slope[owner]).real + lines.shift[owner]  # (N, n)
    corners, edges = len(corner_p), len(e_point)
    on_e = np.arange(corners, corners + edges)
    on_i = np.arange(corners + edges, len(point))
    e_line, i_line, j_line = line[e_index], line[i_first], line[i_second]
    crosses = np.zeros((size, n), dtype=np.bool_)
    crosses[polygon, line] = True
    crossing = crosses[owner]
    near = np.abs(value) <= lines.tol[owner]
    near &= crossing
    near[on_e, e_line] = False
    near[on_i, i_line] = False
    near[on_i, j_line] = False
    if near.any():
        return False
    bits = value > 0
    bits &= crossing
    bits[on_e, e_line] = False
    bits[on_i, i_line] = False
    bits[on_i, j_line] = False
    defining = (e_line, i_line, j_line)
    block = _rebuild(tiling, (point, owner, bits), (above, crosses), defining, limit)
    tiling.side[:, first_line : first_line + n] = block
    return True


def _rebuild(
    tiling: Tiling,
    vertices: tuple[NDArray[np.complex128], NDArray[np.intp], NDArray[np.bool_]],
    sides: tuple[NDArray[np.bool_], NDArray[np.bool_]],
    defining: tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]],
    limit: float,
) -> NDArray[np.bool_]:
    """Make the cells the tiling's polygons: the vertices (points, owners, sides of the lines
    crossing the owner, False for the lines through the point) copied once per cell they bound
    (1, 2 or 4), grouped by (owner, key). Return the cells' sides of the layer's lines."""
    point, owner, bits = vertices
    above, crosses = sides
    e_line, i_line, j_line = defining
    rank = np.cumsum(crosses, axis=1) - 1  # (P, n): the line's place among its polygon's
    widest = int(rank.max()) + 1
    words = -(-widest // _WORD)
    weight = np.where(crosses, np.left_shift(1, rank % _WORD), 0)  # (P, n) int64
    word_of = rank // _WORD
    corners = len(point) - len(e_line) - len(i_line)
    edges = len(e_line)
    rows = np.concatenate(
        [
            np.arange(corners),
            np.repeat(np.arange(corners, corners + edges), 2),
            np.repeat(np.arange(corners + edges, len(point)), 4),
        ]
    )
    base = np.zeros((words, len(point)), dtype=np.int64)
    if words == 1:
        base[0] = (weight[owner] * bits).sum(axis=1)
    else:
        for k in range(words):
            base[k] = (np.where(word_of[owner] == k, weight[owner], 0) * bits).sum(axis=1)
    keys = base[:, rows]
    row_owner = owner[rows]
    # The second copy of an edge point is above its line; interior copies take all four sides.
    e_rows = np.arange(corners + 1, corners + 2 * edges, 2)
    _flip(keys, e_rows, row_owner[e_rows], e_line, weight, word_of)
    i_base = corners + 2 * edges + 4 * np.arange(len(i_line))
    for copies, flipped in (((1, 3), j_line), ((2, 3), i_line)):
        for copy in copies:
            at = i_base + copy
            _flip(keys, at, row_owner[at], flipped, weight, word_of)
    if words == 1 and len(above) <= 1 << (62 - widest):
        combined = row_owner << widest | keys[0]
        by_key = np.argsort(combined)
        ordered = combined[by_key]
        step = ordered[1:] != ordered[:-1]
    else:
        by_key = np.lexsort((*keys[::-1], row_owner))
        ordered_keys = keys[:, by_key]
        step = (row_owner[by_key][1:] != row_owner[by_key][:-1]) | (
            ordered_keys[:, 1:] != ordered_keys[:, :-1]
        ).any(axis=0)
    head = np.flatnonzero(np.r_[True, step])
    first = by_key[head]
    cells = within(len(first), limit)
    cell = np.empty(len(by_key), dtype=np.intp)
    cell[by_key] = np.cumsum(np.r_[0, step])
    _make_polygons(tiling, point[rows], cell, cells)
    parent = row_owner[first]
    key = keys[:, first]  # (words, cells)
    # (cells, n): the word holding each line's bit
    mine = key[0][:, None] if words == 1 else np.take_along_axis(key, word_of[parent].T, 0).T
    bit = ((mine >> (rank[parent] % _WORD)) & 1).astype(bool)
    tiling.side = tiling.side[parent]
    tiling.parent = parent
    tiling.filter, tiling.next_line = np.zeros(cells, np.intp), np.zeros(cells, np.intp)
    tiling.size = cells
    block: NDArray[np.bool_] = np.where(crosses[parent], bit, above[parent])
    return block


def _flip(
    keys: NDArray[np.int64],
    rows: NDArray[np.intp],
    owner: NDArray[np.intp],
    line: NDArray[np.intp],
    weight: NDArray[np.int64],
    word_of: NDArray[np.intp],
) -> None:
    """Put the copies `rows` above their `line` (each row's owner given): set its key bit."""
    keys[word_of[owner, line], rows] += weight[owner, line]


def _make_polygons(
    tiling: Tiling, point: NDArray[np.complex128], cell: NDArray[np.intp], cells: int
) -> None:
    """Set the tiling's vertices: each cell's points (grouped by `cell`) by angle around their
    mean, counter-clockwise, padded with the first."""
    count = np.bincount(cell, minlength=cells)
    center = np.bincount(cell, point.real, cells) + 1j * np.bincount(cell, point.imag, cells)
    center /= count
    angle = np.angle(point - center[cell])  # in [-pi, pi]
    if cells < 1 << 21:  # one integer sort: the cell, then the angle to 2^-40 of a turn
        turn = ((angle + np.pi) * (_TURN / (2 * np.pi))).astype(np.int64)
        order = np.argsort(cell << 41 | np.minimum(turn, _TURN - 1))
    else:
        order = np.lexsort((angle, cell))
    offset = np.cumsum(count) - count
    slot = np.arange(len(order)) - np.repeat(offset, count)
    w = np.empty((int(count.max()), cells), dtype=np.complex128)
    ordered = point[order]
    w[:] = ordered[offset]  # padding repeats the first vertex
    w[slot, np.repeat(np.arange(cells), count)] = ordered
    tiling.w, tiling.nv = w, count
