// What the sweep's plots draw, as plain data: the columns of the one-axis chart (mean, ± sd
// band, min–max whiskers, success rate) and the cells and colour scale of the two-axis heatmap.

import type uPlot from "uplot";
import type { Rgb } from "./draw/colors";
import type { Metric, PointSummary } from "./sweepMath";

/** The one-axis chart's columns, sorted by x; null where a point has no finite value. */
export interface LineColumns {
  x: number[];
  points: PointSummary[];
  test: Band;
  train: Band;
  success: number[];
}

export interface Band {
  mean: (number | null)[];
  upper: (number | null)[];
  lower: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
}

function band(points: PointSummary[], metric: Metric): Band {
  const pick = (f: (s: NonNullable<PointSummary["stats"][Metric]>) => number) =>
    points.map((p) => {
      const s = p.stats[metric];
      return s ? f(s) : null;
    });
  return {
    mean: pick((s) => s.mean),
    upper: pick((s) => s.mean + s.sd),
    lower: pick((s) => s.mean - s.sd),
    min: pick((s) => s.min),
    max: pick((s) => s.max),
  };
}

/** The columns for `kind` (loss or accuracy) with x the axis value or the parameter count. */
export function lineColumns(
  points: readonly PointSummary[],
  kind: "loss" | "accuracy",
  x: "values" | "parameters",
): LineColumns {
  const xOf = (p: PointSummary) => (x === "parameters" ? p.parameters : p.values[0]!);
  const sorted = [...points].sort((a, b) => xOf(a) - xOf(b));
  return {
    x: sorted.map(xOf),
    points: sorted,
    test: band(sorted, `test_${kind}`),
    train: band(sorted, `train_${kind}`),
    success: sorted.map((p) => p.success),
  };
}

/** The index of the x nearest `value` (in log space when `log`), or -1 for no points. */
export function nearestIndex(xs: readonly number[], value: number, log: boolean): number {
  const at = (v: number) => (log ? Math.log(Math.max(v, 1e-300)) : v);
  let best = -1;
  xs.forEach((x, i) => {
    if (best < 0 || Math.abs(at(x) - at(value)) < Math.abs(at(xs[best]!) - at(value))) best = i;
  });
  return best;
}

/**
 * Whether a log x scale fits: every x positive, spanning a factor of 10 for a setting that
 * lives on a log scale (`hint`), else of 100 (a log axis widens to whole decades, which wastes
 * most of the width on a narrower span).
 */
export function wantsLog(xs: readonly number[], hint: boolean): boolean {
  if (xs.length === 0 || xs.some((x) => x <= 0)) return false;
  return Math.max(...xs) / Math.min(...xs) >= (hint ? 10 : 100);
}

/** Viridis, 5 stops: dark purple (low) … yellow (high). */
const STOPS: readonly Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour of `t` in 0..1 on the heatmap's scale (clamped); NaN is light grey. */
export function heatColor(t: number): Rgb {
  if (Number.isNaN(t)) return [228, 231, 235];
  const u = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const [a, b, f] = [STOPS[i]!, STOPS[i + 1]!, u - i];
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as unknown as Rgb;
}

/** One heatmap cell: the point at row `row` (axis 0) and column `column` (axis 1). */
export interface HeatCell {
  row: number;
  column: number;
  point: PointSummary | null;
  value: number | null;
}

export interface Heat {
  cells: HeatCell[];
  min: number;
  max: number;
}

/** The cells of a two-axis grid (rows = axis 0, columns = axis 1) and the range of `metric`. */
export function heatCells(
  points: readonly PointSummary[],
  rows: readonly number[],
  columns: readonly number[],
  metric: Metric | "success",
): Heat {
  const cells: HeatCell[] = [];
  let [min, max] = [Infinity, -Infinity];
  rows.forEach((r, row) =>
    columns.forEach((c, column) => {
      const point = points.find((p) => p.values[0] === r && p.values[1] === c) ?? null;
      const value = point
        ? metric === "success"
          ? point.success
          : (point.stats[metric]?.mean ?? null)
        : null;
      if (value !== null) [min, max] = [Math.min(min, value), Math.max(max, value)];
      cells.push({ row, column, point, value });
    }),
  );
  if (!(min <= max)) [min, max] = [0, 1];
  return { cells, min, max };
}

/** `value`'s place in [min, max] as 0..1 (0.5 when the range is one value; NaN for none). */
export function unit(value: number | null, min: number, max: number): number {
  if (value === null) return NaN;
  return max > min ? (value - min) / (max - min) : 0.5;
}

/** Draws a min–max whisker with caps at each x of `band` on the chart's canvas. */
export function drawWhiskers(u: uPlot, xs: readonly number[], band: Band, colour: string): void {
  const ctx = u.ctx;
  const cap = 3 * devicePixelRatio;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = devicePixelRatio;
  ctx.beginPath();
  xs.forEach((x, i) => {
    const [lo, hi] = [band.min[i], band.max[i]];
    if (lo === null || hi === null || lo === undefined || hi === undefined) return;
    const cx = u.valToPos(x, "x", true);
    for (const y of [u.valToPos(lo, "y", true), u.valToPos(hi, "y", true)]) {
      ctx.moveTo(cx - cap, y);
      ctx.lineTo(cx + cap, y);
    }
    ctx.moveTo(cx, u.valToPos(lo, "y", true));
    ctx.lineTo(cx, u.valToPos(hi, "y", true));
  });
  ctx.stroke();
  ctx.restore();
}

/** Draws a dashed vertical line at x = `at` across the plot (the interpolation threshold). */
export function drawMarker(u: uPlot, at: number, colour: string): void {
  const ctx = u.ctx;
  const x = u.valToPos(at, "x", true);
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
  ctx.lineWidth = devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(x, u.bbox.top);
  ctx.lineTo(x, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.restore();
}
