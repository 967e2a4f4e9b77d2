"""Counting the cells that lines cut a tiling's polygons into, without cutting (Euler's formula).

regions.py counts the last hidden layer's regions this way; where lines meet degenerately the
count is None and it cuts instead (tiling.py).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from models.analysis.tiling import Lines, Tiling, crossings, roll

PAIRS_PER_CHUNK = 200_000
"""cell_count looks at this many pairs of lines at once (about 50 MB of working arrays)."""


def cell_count(tiling: Tiling, lines: Lines, reach: float) -> int | None:
    """Return how many cells the lines cut the polygons into, or None if they meet degenerately.

    Lines in general position cut a convex polygon into 1 + (lines crossing it) + (crossings of
    two lines inside it) cells, by Euler's formula, with no cutting at all. It fails where lines
    coincide, where three meet in a point or where two meet on an edge, so when two crossings in
    one polygon, or a crossing and an edge, come within 1e-8 of the box size (a few times the
    cutting band), the answer is None and the caller cuts instead. Parallel lines, such as a
    hardtanh unit's two kinks, never cross.

    The pairs of lines are taken a group of polygons at a time, at most PAIRS_PER_CHUNK pairs
    at once (a polygon alone may exceed it): 256 lines crossing each of 200 strips are six
    million pairs, which held at once took a gigabyte.
    """
    polygon, line = np.nonzero(crossings(tiling, lines)[1])  # grouped by polygon
    found = crossings_inside(tiling, lines, reach, polygon, line)
    return None if found is None else tiling.size + len(line) + len(found[0])


Crossings = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.complex128]]
"""(polygon, line i, line j, point) of each crossing of two lines inside a polygon."""


def crossings_inside(
    tiling: Tiling,
    lines: Lines,
    reach: float,
    polygon: NDArray[np.intp],
    line: NDArray[np.intp],
) -> Crossings | None:
    """Return the crossings of two lines inside the polygons they both cross, for the (polygon,
    line) pairs given (grouped by polygon); None where lines meet degenerately (see cell_count).
    """
    per = np.bincount(polygon, minlength=tiling.size)
    ends = np.cumsum(per)  # polygon p's lines are line[ends[p] - per[p] : ends[p]]
    pairs = np.cumsum(per * (per - 1) // 2)
    found: list[Crossings] = []
    first = 0
    while first < tiling.size:
        budget = (pairs[first - 1] if first else 0) + PAIRS_PER_CHUNK
        last = max(first + 1, int(np.searchsorted(pairs, budget, side="right")))
        rows = slice(ends[first] - per[first], ends[last - 1])
        chunk = _crossings_in_chunk(tiling, lines, reach, (polygon[rows], line[rows]))
        if chunk is None:
            return None
        found.append(chunk)
        first = last
    if len(found) == 1:
        return found[0]
    p, i, j, q = zip(*found, strict=True)
    return np.concatenate(p), np.concatenate(i), np.concatenate(j), np.concatenate(q)


def _crossings_in_chunk(
    tiling: Tiling, lines: Lines, reach: float, pairs: tuple[NDArray[np.intp], NDArray[np.intp]]
) -> Crossings | None:
    """crossings_inside for one chunk of its (polygon, line) pairs."""
    polygon, line = pairs
    if not len(line):
        none = np.zeros(0, dtype=np.intp)
        return none, none, none, np.zeros(0, dtype=np.complex128)
    near = 1e-8 * reach
    new = np.r_[True, polygon[1:] != polygon[:-1]]
    group, start = np.cumsum(new) - 1, np.flatnonzero(new)  # each entry's polygon run
    per = np.diff(np.r_[start, len(polygon)])[group]  # lines crossing the entry's polygon
    rank = np.arange(len(line)) - start[group]  # place in its polygon's list
    step = np.arange(1, max(int(per.max()), 1))
    first, later = np.nonzero(rank[:, None] + step < per[:, None])
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
    edge = roll(w) - w
    turn = (np.conj(edge) * (q - w)).imag  # > 0: q is left of the edge, inside for CCW
    depth = np.divide(turn, np.abs(edge), out=np.full_like(turn, np.inf), where=edge != 0)
    depth = depth.min(axis=0)  # > 0 inside: the distance to the nearest edge
    if (parallel[crossing] & (depth > -near)).any() or (np.abs(depth) <= near).any():
        return None  # nearly parallel lines meeting near the polygon, or lines meeting on an edge
    if close_pairs(p[crossing], q, depth, near):
        return None
    inside = depth > 0
    return p[crossing][inside], i[crossing][inside], j[crossing][inside], q[inside]


def close_pairs(
    polygon: NDArray[np.intp], q: NDArray[np.complex128], depth: NDArray[np.float64], near: float
) -> bool:
    """Return whether two of the points q inside the same polygon lie within `near` in x."""
    inside = depth > 0
    polygon, x = polygon[inside], q[inside].real
    order = np.lexsort((x, polygon))
    same = polygon[order][1:] == polygon[order][:-1]
    return bool((same & (np.diff(x[order]) <= near)).any())
