"""Cutting a tiling's polygons by all of a layer's lines at once, from the vertices of the cells.

tiling.cut_layer cuts by one line per polygon a round, so a layer takes as many rounds as the
most lines one polygon meets, each a few dozen NumPy calls. Here a layer is a fixed number of
calls, whatever the number of polygons: in general position every vertex of a cell is a vertex
of its polygon, a point where a line crosses the polygon's edge, or a crossing of two lines
inside it, and it belongs to 1, 2 or 4 cells, told apart by the sides of the lines crossing the
polygon (cells.py finds the crossings and chords). Each vertex's sides of its polygon's
crossing lines, and only those (a polygon of a later layer meets a few of the layer's lines),
are packed into integer keys, bit r for the polygon's r-th crossing line; sorting by (polygon,
key) groups the vertices into cells, and sorting each group by angle around its mean gives
each convex cell counter-clockwise.

Where lines meet degenerately (a vertex of the arrangement within the cutting band of a line
crossing its polygon that it does not lie on: a line through a corner, three lines through a
point, two lines crossing an edge at one point; or two nearly parallel lines crossing inside)
arrange_layer declines and the caller cuts line by line, whose band handles every case. The
band is the cutting engine's, so where arrange_layer accepts, cut_layer would make the same
cells.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from models.analysis.cells import chords, crossing_lines, inner_crossings
from models.analysis.tiling import Lines, Tiling, within

_MAX_VALUES = 4_000_000
"""Above this many (vertex, crossing line) values at once, cut line by line instead: each
value takes ~8 arrays of 8 bytes on the way, so this bounds a layer at ~250 MB."""
DENSE = 0.5
"""Where at least this share of the (polygon, line) pairs cross (the first layer's box), the
sides of every line are taken at once; elsewhere only those of each polygon's crossing lines."""
_WORD = 62
"""Bits of one key word: a polygon's r-th crossing line is bit r % 62 of word r // 62."""


def arrange_layer(
    tiling: Tiling, lines: Lines, first_line: int, reach: float, limit: float
) -> bool:
    """Replace the tiling's polygons by their cells under the layer's lines (row p of `lines`
    is polygon p's), recording sides in tiling.side[:, first_line:]; return False, changing
    nothing, where lines meet degenerately.

    `reach` is unused (the band is per line); it keeps cut_layer's caller's signature.
    Raises TooManyRegions once there are more than `limit` cells.
    """
    del reach
    size, n = tiling.size, lines.slope.shape[1]
    above, crossing = crossing_lines(tiling, lines)
    polygon, line, _ = crossing
    if not len(line):
        tiling.side[:size, first_line : first_line + n] = above
        return True
    ends = chords(tiling, lines, crossing)
    if ends is None:
        return False
    e_point, e_entry, place = ends
    inner = inner_crossings(lines.slope, lines.shift, (polygon, line), place, size)
    if inner is None:
        return False
    i_first, i_second, i_point = inner
    # A convex polygon cut by chords in general position has 1 + chords + inner crossings
    # cells (fewer where lines meet degenerately). A layer that may pass the limit goes to
    # cut_layer, which refuses it early, a line at a time, before its vertices take memory.
    if size + len(line) + len(i_first) > limit:
        return False
    w = tiling.w[:, :size]
    corner_k, corner_p = (np.arange(len(w))[:, None] < tiling.nv[:size]).nonzero()
    unset = np.full(len(corner_p), -1)
    vertices = _Vertices(
        np.concatenate([w[corner_k, corner_p], e_point, i_point]),
        np.concatenate([corner_p, polygon[e_entry], polygon[i_first]]),
        np.concatenate([unset, e_entry, i_first]),
        np.concatenate([unset, np.full(len(e_entry), -1), i_second]),
    )
    per = np.bincount(polygon, minlength=size)
    groups = _Groups(polygon, line, per, per.cumsum() - per)
    if len(line) >= DENSE * size * n:  # most lines cross most polygons: every side at once
        block = _dense_cells(tiling, lines, vertices, groups, (above, limit))
    else:
        keys = _keys(lines, vertices, groups)
        if keys is None:
            return False
        parent, key = _sparse_cells(tiling, vertices, groups, keys, limit)
        block = _sparse_sides(groups, above, parent, key)
    if block is None:
        return False
    tiling.side[:, first_line : first_line + n] = block
    return True


class _Vertices(NamedTuple):
    """The arrangement's vertices: corners, then chord ends, then inner crossings."""

    point: NDArray[np.complex128]
    owner: NDArray[np.intp]
    on: NDArray[np.intp]  # the crossing entry of the line through it, -1 for a corner
    also: NDArray[np.intp]  # the second line's entry for an inner crossing, else -1


class _Groups(NamedTuple):
    """The crossing entries (polygon, line), grouped by polygon: per[p] of them from start[p]."""

    polygon: NDArray[np.intp]
    line: NDArray[np.intp]
    per: NDArray[np.intp]
    start: NDArray[np.intp]


def _expand(
    count: NDArray[np.intp], start: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Return, for row r taking count[r] consecutive entries from start[r]: each one's row,
    its place among the row's entries, and the entry."""
    rows = np.arange(len(count)).repeat(count)
    offset = count.cumsum() - count
    rank = np.arange(len(rows)) - offset.repeat(count)
    return rows, rank, start.repeat(count) + rank


def _keys(lines: Lines, vertices: _Vertices, groups: _Groups) -> NDArray[np.int64] | None:
    """Return each vertex's key (words, N): bit r of word r // 62 set where the vertex lies
    above its polygon's r-th crossing line, the lines through it left unset; None if a vertex
    lies within the band of a crossing line it is not on."""
    point, owner, on, also = vertices
    count = groups.per[owner]
    row, rank, entry = _expand(count, groups.start[owner])
    if len(row) > _MAX_VALUES:
        return None
    where = (groups.polygon[entry], groups.line[entry])
    value = (point[row] * lines.slope[where]).real + lines.shift[where]
    through = (entry == on[row]) | (entry == also[row])
    if ((np.abs(value) <= lines.tol[where]) > through).any():
        return None
    bit = ((value > 0) > through).astype(np.int64)
    words = -(-int(groups.per.max()) // _WORD)
    first = np.concatenate(([0], count.cumsum()))
    keys = np.empty((words, len(point)), dtype=np.int64)
    for word in range(words):  # sums of distinct bits: each vertex's, by differences of sums
        mine = bit << (rank - word * _WORD) if words == 1 else _word_bits(bit, rank, word)
        total = np.concatenate(
            ([0], mine.cumsum())
        )  # wraps around past 2^63, exact in the differences
        keys[word] = total[first[1:]] - total[first[:-1]]
    return keys


def _word_bits(bit: NDArray[np.int64], rank: NDArray[np.intp], word: int) -> NDArray[np.int64]:
    """Return the bits of key word `word`: bit << (rank % 62) where rank // 62 is the word."""
    mine: NDArray[np.int64] = np.where(rank // _WORD == word, bit << (rank % _WORD), 0)
    return mine


def _copies(vertices: _Vertices) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Return each copy's vertex, corners once, chord ends twice, inner crossings four times
    (one copy per cell they bound), and the copies to put above a line with that line's entry
    (flips): a chord end's second copy, an inner crossing's copies 1-3, which with copy 0 take
    all four sides of its two lines. The last quarter of the flips repeats copies 3."""
    on, also = vertices.on, vertices.also
    rows = np.arange(len(on)).repeat(1 + (on >= 0) + 2 * (also >= 0))
    corners = int((on < 0).sum())
    inner = int((also >= 0).sum())
    edges = len(on) - corners - inner
    edge_copy = np.arange(corners + 1, corners + 2 * edges, 2)
    copy = np.arange(corners + 2 * edges, len(rows), 4)
    on_i, also_i = on[len(on) - inner :], also[len(on) - inner :]
    at = np.concatenate([edge_copy, copy + 1, copy + 2, copy + 3, copy + 3])
    entry = np.concatenate([on[corners : corners + edges], also_i, on_i, also_i, on_i])
    return rows, at, entry


def _sparse_cells(
    tiling: Tiling, vertices: _Vertices, groups: _Groups, base: NDArray[np.int64], limit: float
) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Make the cells from the vertices' keys (_keys); return each cell's parent and key."""
    rows, at, entry = _copies(vertices)
    keys = base[:, rows]
    rank = np.arange(len(groups.polygon)) - groups.start[groups.polygon]  # entry's place
    place = rank[entry]
    bit = np.left_shift(1, place % _WORD)
    word = place // _WORD
    split = len(at) - int((vertices.also >= 0).sum())  # copies 3 come twice: add in two parts
    for part in (slice(None, split), slice(split, None)):
        keys[word[part], at[part]] += bit[part]
    first = _group(tiling, vertices, rows, keys, (int(groups.per.max()), limit))
    return vertices.owner[rows[first]], keys[:, first]


def _sparse_sides(
    groups: _Groups, above: NDArray[np.bool_], parent: NDArray[np.intp], key: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Return the cells' sides of the layer's lines (cells, n): their parent's for the lines
    missing it, their keys' bits for the lines crossing it."""
    block: NDArray[np.bool_] = above[parent]
    cc, place, entry = _expand(groups.per[parent], groups.start[parent])
    bit = (key[place // _WORD, cc] >> (place % _WORD)) & 1
    block[cc, groups.line[entry]] = bit.astype(bool)
    return block


def _dense_cells(
    tiling: Tiling,
    lines: Lines,
    vertices: _Vertices,
    groups: _Groups,
    above_limit: tuple[NDArray[np.bool_], float],
) -> NDArray[np.bool_] | None:
    """Make the cells where most lines cross most polygons (the first layer's box): each
    vertex's side of every line at once, packed into words, no entries. Return the
    cells' sides (cells, n), or None where a vertex lies within the band of a line (or there
    are too many values to hold at once)."""
    point, owner, on, also = vertices
    above, limit = above_limit
    size, n = above.shape
    if len(point) * n > _MAX_VALUES:
        return None
    crosses = np.zeros((size, n), dtype=np.bool_)
    crosses[groups.polygon, groups.line] = True
    if size == 1:  # broadcast the one polygon's lines
        slope, shift, tol, crossing, side = lines.slope, lines.shift, lines.tol, crosses, above
    else:
        slope, shift, tol = lines.slope[owner], lines.shift[owner], lines.tol[owner]
        crossing, side = crosses[owner], above[owner]
    value = (point[:, None] * slope).real + shift  # (N, n)
    through = np.zeros(value.shape, dtype=np.bool_)
    for entry in (on, also):
        has = (entry >= 0).nonzero()[0]
        through[has, groups.line[entry[has]]] = True
    if (((np.abs(value) <= tol) & crossing) > through).any():
        return None
    bits = np.where(crossing, value > 0, side) > through
    packed = np.packbits(bits, axis=1)  # (N, bytes), padded to whole words
    words = np.zeros((len(bits), -(-packed.shape[1] // 8) * 8), dtype=np.uint8)
    words[:, : packed.shape[1]] = packed
    rows, at, entry = _copies(vertices)
    keys = words.view(np.int64).T[:, rows]  # (words, R)
    line = groups.line[entry]  # packbits puts line l at bit 7 - l % 8 of byte l // 8
    bit = np.left_shift(1, line % 64 // 8 * 8 + 7 - line % 8)
    split = len(at) - int((also >= 0).sum())  # copies 3 come twice: add in two parts
    for part in (slice(None, split), slice(split, None)):
        keys[line[part] // 64, at[part]] += bit[part]
    first = _group(tiling, vertices, rows, keys, (0 if size == 1 else 64, limit))
    cell_bytes = np.ascontiguousarray(keys[:, first].T).view(np.uint8)  # (cells, 8 words)
    block: NDArray[np.bool_] = np.unpackbits(cell_bytes, axis=1, count=n).view(np.bool_)
    return block


def _group(
    tiling: Tiling,
    vertices: _Vertices,
    rows: NDArray[np.intp],
    keys: NDArray[np.int64],
    widest_limit: tuple[int, float],
) -> NDArray[np.intp]:
    """Group the copies of the vertices (`rows`) into cells by (owner, key), make the cells the
    tiling's polygons, and return each cell's first copy. widest: bits a key uses."""
    widest, limit = widest_limit
    row_owner = vertices.owner[rows]
    if len(keys) == 1 and widest < 63 and tiling.size <= 1 << (62 - widest):
        combined = row_owner << widest | keys[0]
        by_key = combined.argsort()
        ordered = combined[by_key]
        step = ordered[1:] != ordered[:-1]
    else:
        by_key = np.lexsort((*keys[::-1], row_owner))
        ordered_keys = keys[:, by_key]
        step = (row_owner[by_key][1:] != row_owner[by_key][:-1]) | (
            ordered_keys[:, 1:] != ordered_keys[:, :-1]
        ).any(axis=0)
    first: NDArray[np.intp] = by_key[np.concatenate(([0], step.nonzero()[0] + 1))]
    cells = within(len(first), limit)
    cell = np.empty(len(by_key), dtype=np.intp)
    cell[by_key] = np.concatenate(([0], step.cumsum()))
    tiling.set_polygons(vertices.point[rows], cell, cells)
    parent = row_owner[first]
    tiling.side = tiling.side[parent]
    tiling.parent = parent
    tiling.filter, tiling.next_line = np.zeros(cells, np.intp), np.zeros(cells, np.intp)
    tiling.size = cells
    return first
