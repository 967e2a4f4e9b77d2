"""Cutting a tiling's polygons by all of a layer's lines at once, from the vertices of the cells.

tiling.cut_layer cuts by one line per polygon a round, so a layer takes as many rounds as the
most lines one polygon meets, each a few dozen NumPy calls. Here a layer is a fixed number of
calls: in general position every vertex of a cell is a vertex of its polygon, a point where a
line crosses the polygon's edge, or a crossing of two lines inside it (cells.crossings_inside),
and it belongs to 1, 2 or 4 cells, told apart by the sides of the lines crossing the polygon.
Grouping the vertices by (polygon, sides) gives the cells; sorting each group by angle around
its mean gives each convex cell counter-clockwise.

Where lines meet degenerately (a line through a vertex, three lines through a point, a crossing
on an edge: anything within the cutting band, or closer than cell_count's 1e-8 of the box)
arrange_layer declines and the caller cuts line by line, whose band handles every case.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from models.analysis.cells import crossings_inside
from models.analysis.tiling import Lines, Tiling, crossings, roll, within

_MAX_POINTS_BY_LINES = 20_000_000
"""Above this many (vertex, line) values at once, cut line by line instead (bounded memory)."""


def arrange_layer(
    tiling: Tiling, lines: Lines, first_line: int, reach: float, limit: float
) -> bool:
    """Replace the tiling's polygons by their cells under the layer's lines, recording sides in
    tiling.side[:, first_line:]; return False, changing nothing, where lines meet degenerately.

    Raises TooManyRegions once there are more than `limit` cells.
    """
    size = tiling.size
    above, crosses = crossings(tiling, lines)  # (P, n)
    polygon, line = np.nonzero(crosses)  # grouped by polygon
    if not len(line):
        tiling.side[:size, first_line : first_line + above.shape[1]] = above
        return True
    inner = crossings_inside(tiling, lines, reach, polygon, line)
    edges = _edge_points(tiling, lines, polygon, line)
    if inner is None or edges is None:
        return False
    corner_k, corner_p = np.nonzero(np.arange(len(tiling.w))[:, None] < tiling.nv[:size])
    e_point, e_polygon, e_line = edges
    i_polygon, i_line, j_line, i_point = inner
    point = np.concatenate([tiling.w[corner_k, corner_p], e_point, i_point])
    owner = np.concatenate([corner_p, e_polygon, i_polygon])
    if len(point) * above.shape[1] > _MAX_POINTS_BY_LINES:
        return False
    # One row per vertex; `own` marks the lines through it, whose sides its cells choose.
    sides = _sides(tiling, lines, above, crosses, point, owner, e_line, i_line, j_line)
    if sides is None:
        return False
    corners, e_count = len(corner_p), len(e_polygon)
    rows = np.concatenate([np.arange(corners), np.repeat(corners + np.arange(e_count), 2)])
    rows = np.concatenate([rows, np.repeat(corners + e_count + np.arange(len(i_polygon)), 4)])
    bits = sides[rows]
    flip_e = np.arange(corners, corners + 2 * e_count)
    bits[flip_e, np.repeat(e_line, 2)] = np.tile([False, True], e_count)
    flip_i = np.arange(corners + 2 * e_count, len(rows))
    bits[flip_i, np.repeat(i_line, 4)] = np.tile([False, False, True, True], len(i_polygon))
    bits[flip_i, np.repeat(j_line, 4)] = np.tile([False, True, False, True], len(i_polygon))
    _rebuild(tiling, point[rows], owner[rows], bits, first_line, limit)
    return True


def _edge_points(
    tiling: Tiling, lines: Lines, polygon: NDArray[np.intp], line: NDArray[np.intp]
) -> tuple[NDArray[np.complex128], NDArray[np.intp], NDArray[np.intp]] | None:
    """Return where each line crosses its polygon's edges (two points each), with the polygon
    and line of each; None if a line passes within the band of a vertex."""
    k = tiling.parent[polygon] * lines.slope.shape[1] + line
    w = tiling.w[:, polygon]  # (V, K); padding repeats the first vertex
    z = (w * lines.slope.ravel()[k]).real + lines.shift.ravel()[k]
    if (np.abs(z) <= lines.tol.ravel()[k]).any():
        return None
    above = z > 0
    edge = above != roll(above)  # (V, K): edge v -> v + 1 crosses; padding never does
    m, v = np.nonzero(edge.T)  # two per column, column by column
    t = z[v, m] / (z[v, m] - roll(z)[v, m])
    point = w[v, m] + t * (roll(w)[v, m] - w[v, m])
    return point, polygon[m], line[m]


def _sides(
    tiling: Tiling,
    lines: Lines,
    above: NDArray[np.bool_],
    crosses: NDArray[np.bool_],
    point: NDArray[np.complex128],
    owner: NDArray[np.intp],
    e_line: NDArray[np.intp],
    i_line: NDArray[np.intp],
    j_line: NDArray[np.intp],
) -> NDArray[np.bool_] | None:
    """Return each vertex's side of each line of its polygon, (N, n), or None if a line crossing
    the polygon passes within the band of a vertex it does not define."""
    parent = tiling.parent[owner]
    value = (point[:, None] * lines.slope[parent]).real + lines.shift[parent]
    near = np.abs(value) <= lines.tol[parent]
    corners = len(point) - len(e_line) - len(i_line)
    defined = np.arange(corners, len(point))
    near[defined, np.concatenate([e_line, i_line])] = False
    near[defined[len(e_line) :], j_line] = False
    crossing = crosses[owner]
    if (near & crossing).any():
        return None
    return np.where(crossing, value > 0, above[owner])


def _rebuild(
    tiling: Tiling,
    point: NDArray[np.complex128],
    owner: NDArray[np.intp],
    bits: NDArray[np.bool_],
    first_line: int,
    limit: float,
) -> None:
    """Make the cells, the vertices grouped by (owner, sides), the tiling's polygons."""
    packed = np.packbits(bits, axis=1)  # (N, bytes), padded to whole uint64 words
    words = np.zeros((len(bits), -(-packed.shape[1] // 8) * 8), dtype=np.uint8)
    words[:, : packed.shape[1]] = packed
    keys = words.view(np.uint64).T  # (words, N)
    by_key = np.lexsort((*keys[::-1], owner))
    step = (owner[by_key][1:] != owner[by_key][:-1]) | (
        keys[:, by_key][:, 1:] != keys[:, by_key][:, :-1]
    ).any(axis=0)
    first = by_key[np.r_[True, step]]
    cell = np.empty(len(by_key), dtype=np.intp)
    cell[by_key] = np.cumsum(np.r_[0, step])
    cells = within(len(first), limit)
    count = np.bincount(cell, minlength=cells)
    center = (
        np.bincount(cell, point.real, cells) + 1j * np.bincount(cell, point.imag, cells)
    ) / count
    order = np.lexsort((np.angle(point - center[cell]), cell))
    slot = np.arange(len(order)) - (np.cumsum(count) - count)[cell[order]]
    w = np.empty((int(count.max()), cells), dtype=np.complex128)
    w[:] = point[order][np.cumsum(count) - count]  # padding repeats the first vertex
    w[slot, cell[order]] = point[order]
    parent = owner[first]
    side = tiling.side[parent]
    side[:, first_line : first_line + bits.shape[1]] = bits[first]
    tiling.w, tiling.nv, tiling.parent, tiling.side = w, count, parent, side
    tiling.filter, tiling.next_line = np.zeros(cells, np.intp), np.zeros(cells, np.intp)
    tiling.size = cells
