// The frame's output grid decoded into planes, and what the views read from it: the value at a
// point, and the range a value scale spans.

import type { Box } from "./draw/points";
import { decodeFloat16 } from "./float16";
import type { Grid } from "./protocol.gen";

export type GridKind = Grid["kind"];

/** A decoded grid: `planes` of width·height values each, row 0 at the top (ymax). */
export interface DecodedGrid {
  kind: GridKind;
  width: number;
  height: number;
  /** probability: [P(class 1)]; class: [most likely class, its probability]; value: [output]. */
  planes: Float32Array[];
}

const PLANES: Record<GridKind, number> = { probability: 1, class: 2, value: 1 };

/** Decodes the float16 planes of a frame's grid; throws when the bytes do not fit the shape. */
export function decodeGrid(grid: Grid): DecodedGrid {
  const values = decodeFloat16(grid.data);
  const cells = grid.width * grid.height;
  const count = PLANES[grid.kind];
  if (values.length !== cells * count) {
    throw new Error(
      `a ${grid.kind} grid of ${grid.width}×${grid.height} needs ${cells * count} values, ` +
        `got ${values.length}`,
    );
  }
  const planes = Array.from({ length: count }, (_, i) =>
    values.subarray(i * cells, (i + 1) * cells),
  );
  return { kind: grid.kind, width: grid.width, height: grid.height, planes };
}

/**
 * A frame's grid decoded, or null for none (image data has no input plane to draw) and for
 * one that cannot be read, which `report` is told about.
 */
export function decodeFrameGrid(
  grid: Grid | null,
  report: (text: string) => void,
): DecodedGrid | null {
  try {
    return grid === null ? null : decodeGrid(grid);
  } catch (error) {
    report(`Unreadable output grid from the server: ${(error as Error).message}`);
    return null;
  }
}

/**
 * The range a value scale spans for these targets: symmetric about 0 when they straddle it,
 * so 0 sits at the neutral middle; otherwise their own range. Never empty.
 */
export function valueDomain(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [-1, 1];
  if (lo < 0 && hi > 0) {
    const m = Math.max(-lo, hi);
    return [-m, m];
  }
  if (hi - lo < 1e-9) return [lo - 1, hi + 1];
  return [lo, hi];
}

/** Where `value` falls in `domain`, as 0..1 (not clamped). */
export function normalise(value: number, [lo, hi]: readonly [number, number]): number {
  return (value - lo) / (hi - lo);
}

/**
 * The plane's value at data point (x, y) of a 2D grid over `box`, bilinear between the cell
 * centres (cells are centred, as models/analysis/grid.py lays them out).
 */
export function sampleGrid(
  plane: ArrayLike<number>,
  width: number,
  height: number,
  box: Box,
  x: number,
  y: number,
): number {
  const [xmin, xmax, ymin, ymax] = box;
  const col = ((x - xmin) / (xmax - xmin)) * width - 0.5;
  const row = ((ymax - y) / (ymax - ymin)) * height - 0.5;
  const c = Math.min(width - 1, Math.max(0, col));
  const r = Math.min(height - 1, Math.max(0, row));
  const c0 = Math.floor(c);
  const r0 = Math.floor(r);
  const c1 = Math.min(width - 1, c0 + 1);
  const r1 = Math.min(height - 1, r0 + 1);
  const fc = c - c0;
  const fr = r - r0;
  const at = (i: number, j: number) => plane[i * width + j]!;
  const top = at(r0, c0) * (1 - fc) + at(r0, c1) * fc;
  const bottom = at(r1, c0) * (1 - fc) + at(r1, c1) * fc;
  return top * (1 - fr) + bottom * fr;
}

/** The x of sample i of n along a 1D grid: xmin to xmax, both ends included. */
export function lineX(i: number, n: number, box: Box): number {
  return box[0] + (i / Math.max(1, n - 1)) * (box[1] - box[0]);
}

/** A 1D grid's function at x, linear between samples (held flat beyond the ends). */
export function sampleLine(values: ArrayLike<number>, box: Box, x: number): number {
  const n = values.length;
  if (n === 1) return values[0]!;
  const t = Math.min(n - 1, Math.max(0, ((x - box[0]) / (box[1] - box[0])) * (n - 1)));
  const i = Math.min(n - 2, Math.floor(t));
  const f = t - i;
  return values[i]! * (1 - f) + values[i + 1]! * f;
}
