"""Where a layer's lines cross a tiling's polygons, and how many cells they cut them into.

regions.py counts the last hidden layer's cells with cell_count, without cutting (Euler's
formula); arrange.py builds the other layers' cells from the same chords and crossings. Where
lines meet degenerately both decline and the caller cuts line by line (tiling.py).

A line crossing a convex polygon meets its boundary twice: its chord. Each chord end has a place
along the boundary, edge index + fraction, increasing counter-clockwise, so two lines cross
inside the polygon exactly when their chords' ends alternate: no point-in-polygon test.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from models.analysis.tiling import Lines, Tiling, roll

PAIRS_PER_CHUNK = 200_000
"""Pairs of lines looked at once (a polygon alone may exceed it): 256 lines crossing each of
200 strips are six million pairs, which held at once took a gigabyte."""

Inner = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.complex128]]
"""(first, second, point): the pairs of crossing entries whose lines cross inside, and where."""


Crossing = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]
"""(polygon, line, values): the pairs where a line crosses a polygon, grouped by polygon, and
the line's value at each of the polygon's vertex slots, (V, K)."""


def crossing_lines(tiling: Tiling, lines: Lines) -> tuple[NDArray[np.bool_], Crossing]:
    """Return whether each polygon has a vertex clearly above each line (P, n), and where lines
    cross polygons (vertices clearly on both sides).

    The lines are the polygons' own (row p of `lines` is polygon p's, as at the start of a
    layer). A polygon within half-widths (hx, hy) of the centre m of its bounding box lies on
    one side of a line wherever |value(m)| > |A_j0| hx + |A_j1| hy + tol, beyond the band: only
    the few other pairs are evaluated at every vertex, not every line at every vertex of every
    polygon.
    """
    size = tiling.size
    w = tiling.w[:, :size]  # (V, P); padding repeats a vertex
    x, y = w.real, w.imag
    least, most = np.minimum.reduce, np.maximum.reduce
    x0, x1, y0, y1 = least(x, 0), most(x, 0), least(y, 0), most(y, 0)
    value = lines.slope.real * ((x0 + x1) / 2)[:, None]  # (P, n) at the centres
    value -= lines.slope.imag * ((y0 + y1) / 2)[:, None]
    value += lines.shift
    reach = lines.steep[0] * ((x1 - x0) / 2)[:, None]
    reach += lines.steep[1] * ((y1 - y0) / 2)[:, None]
    reach += lines.tol
    above = value > 0
    polygon, line = (np.abs(value) <= reach).nonzero()  # may cross: look at every vertex
    z = (w[:, polygon] * lines.slope[polygon, line]).real + lines.shift[polygon, line]
    band = lines.tol[polygon, line]
    high = np.maximum.reduce(z, 0) > band
    above[polygon, line] = high
    cross = high & (np.minimum.reduce(z, 0) < -band)
    return above, (polygon[cross], line[cross], z[:, cross])


def chords(
    tiling: Tiling, lines: Lines, crossing: Crossing
) -> tuple[NDArray[np.complex128], NDArray[np.intp], NDArray[np.float64]] | None:
    """Return the chord ends of the crossings, two each (the points, the crossing of each,
    their places (K, 2)); None if a line passes within the band of a corner."""
    polygon, line, zk = crossing
    if (np.abs(zk) <= lines.tol[polygon, line]).any():
        return None
    w = tiling.w[:, polygon]  # (V, K)
    positive = zk > 0
    edge = positive != roll(positive)  # (V, K): edge v -> v + 1 crosses; padding never does
    m, v = edge.T.nonzero()  # crossing by crossing
    if len(m) != 2 * len(line):  # rounding made the polygon non-convex
        return None
    after = v + 1
    after[after == len(zk)] = 0
    z0 = zk[v, m]
    t = z0 / (z0 - zk[after, m])
    w0 = w[v, m]
    return w0 + t * (w[after, m] - w0), m, (v + t).reshape(-1, 2)


def inner_crossings(
    slope: NDArray[np.complex128],
    shift: NDArray[np.float64],
    pairs: tuple[NDArray[np.intp], NDArray[np.intp]],
    place: NDArray[np.float64],
    size: int,
) -> Inner | None:
    """Return the pairs of crossing entries whose lines cross inside their polygon, and where;
    None if two nearly parallel lines do (the point is ill-conditioned). Entries are grouped by
    polygon and taken a group of polygons at a time, at most PAIRS_PER_CHUNK pairs at once."""
    polygon, line = pairs
    per = np.bincount(polygon, minlength=size)
    start = per.cumsum() - per
    if int(per.max()) < 2:
        none = np.zeros(0, dtype=np.intp)
        return none, none, np.zeros(0, dtype=np.complex128)
    total = (per * (per - 1) // 2).cumsum()
    found: list[Inner] = []
    first = 0
    while first < size:
        budget = (total[first - 1] if first else 0) + PAIRS_PER_CHUNK
        last = max(first + 1, int(np.searchsorted(total, budget, side="right")))
        rows = slice(start[first], start[last - 1] + per[last - 1])
        chunk = _inner_chunk(slope, shift, (polygon, line), place, (rows, per, start))
        if chunk is None:
            return None
        found.append(chunk)
        first = last
    if len(found) == 1:
        return found[0]
    a, b, q = zip(*found, strict=True)
    return np.concatenate(a), np.concatenate(b), np.concatenate(q)


def _inner_chunk(
    slope: NDArray[np.complex128],
    shift: NDArray[np.float64],
    pairs: tuple[NDArray[np.intp], NDArray[np.intp]],
    place: NDArray[np.float64],
    groups: tuple[slice, NDArray[np.intp], NDArray[np.intp]],
) -> Inner | None:
    """inner_crossings for the entries `rows` (whole polygons; per and start: each polygon's
    count and first entry)."""
    polygon, line = pairs
    rows, per, start = groups
    entries = np.arange(rows.start, rows.stop)
    mine = polygon[rows]
    rank = entries - start[mine]
    step = np.arange(1, int(per[mine].max()))
    first, later = (rank[:, None] + step < per[mine][:, None]).nonzero()
    first += rows.start
    second = first + step[later]  # every pair of lines crossing the same polygon
    a0, a1 = place[first, 0], place[first, 1]
    b0, b1 = place[second, 0], place[second, 1]
    cross = ((a0 < b0) & (b0 < a1)) != ((a0 < b1) & (b1 < a1))  # the chords' ends alternate
    first, second = first[cross], second[cross]
    p = polygon[first]
    i, j = line[first], line[second]
    u, v = slope[p, i], slope[p, j]
    c, d = shift[p, i], shift[p, j]
    det = (u * np.conj(v)).imag  # Re(u q) + c = 0 = Re(v q) + d meet at q = i (c v - d u)* / det
    if (np.abs(det) <= 1e-6 * np.abs(u) * np.abs(v)).any():
        return None
    return first, second, 1j * np.conj(c * v - d * u) / det


def cell_count(tiling: Tiling, lines: Lines, reach: float) -> int | None:
    """Return how many cells the lines cut the polygons into, or None if they meet degenerately.

    Lines in general position cut a convex polygon into 1 + (lines crossing it) + (crossings of
    two lines inside it) cells, by Euler's formula, with no cutting at all. It fails where a
    line passes through a corner (within the cutting band), where two chord ends on one
    polygon's boundary, or two crossings inside it, come within 1e-8 of the box size (a few
    times the band: coinciding lines, three lines through a point, two crossing on an edge),
    and where nearly parallel lines cross inside: then the answer is None and the caller cuts.
    Parallel lines, such as a hardtanh unit's two kinks, never cross.
    """
    _, crossing = crossing_lines(tiling, lines)
    polygon, line, _ = crossing
    if not len(line):
        return tiling.size
    ends = chords(tiling, lines, crossing)
    if ends is None:
        return None
    point, pair, place = ends
    near = 1e-8 * reach
    if close_points(polygon[pair], place.ravel(), near, point):
        return None
    inner = inner_crossings(lines.slope, lines.shift, (polygon, line), place, tiling.size)
    if inner is None:
        return None
    first, _, q = inner
    if close_points(polygon[first], q.real, near):
        return None
    return tiling.size + len(line) + len(q)


def close_points(
    polygon: NDArray[np.intp],
    key: NDArray[np.float64],
    near: float,
    q: NDArray[np.complex128] | None = None,
) -> bool:
    """Return whether two points of one polygon next to each other in `key` order lie within
    `near`: the points q in the plane (chord ends, key their places on the boundary, where
    close points are neighbours), or without q in key itself (x, which any two points within
    `near` of each other have within `near`, as do all points between them)."""
    if len(key) < 2:
        return False
    span = float(np.abs(key).max()) * 2 + 1
    order = (polygon * span + key).argsort()
    same = polygon[order[1:]] == polygon[order[:-1]]
    ordered = (key if q is None else q)[order]
    gap = np.abs(ordered[1:] - ordered[:-1])
    return bool((same & (gap <= near)).any())
