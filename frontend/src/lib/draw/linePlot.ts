// The 1D view: the network's function as a curve over the x range, the points, and a residual
// segment from each point to the curve. The box gives both axes: x from box[0] to box[1], y from
// box[2] to box[3].

import { lineX, sampleLine } from "../grid";
import { CLASS_1, NEUTRAL } from "./colors";
import { toPixel, type Box, type Size } from "./points";

export interface LinePlotData {
  /** The function at n samples from box[0] to box[1], ends included. */
  values: ArrayLike<number>;
  box: Box;
  train: { x: readonly (readonly number[])[]; y: readonly number[] };
  /** Drawn only when shown. */
  test: { x: readonly (readonly number[])[]; y: readonly number[] } | null;
}

/** Pixel (px, py) of every sample of the curve; y is clamped a little beyond the box's edge. */
export function curvePixels(values: ArrayLike<number>, box: Box, size: Size): [number, number][] {
  const n = values.length;
  const margin = 0.1 * size.height;
  return Array.from({ length: n }, (_, i) => {
    const [px, py] = toPixel(box, size, lineX(i, n, box), values[i]!);
    const y = Number.isFinite(py) ? Math.min(size.height + margin, Math.max(-margin, py)) : NaN;
    return [px, y];
  });
}

/** A residual segment per point: from (x, y) to (x, f(x)), in pixels, and the residual y − f(x). */
export function residualSegments(
  points: readonly (readonly number[])[],
  targets: readonly number[],
  values: ArrayLike<number>,
  box: Box,
  size: Size,
): { x: number; from: number; to: number; residual: number }[] {
  return points.map((point, i) => {
    const x = point[0]!;
    const y = targets[i]!;
    const f = sampleLine(values, box, x);
    const [px, from] = toPixel(box, size, x, y);
    const [, to] = toPixel(box, size, x, f);
    return { x: px, from, to, residual: y - f };
  });
}

/** Values at which the plot draws grid lines: the quarters of the range, and 0 when inside. */
export function gridLines(lo: number, hi: number): number[] {
  const lines = [0.25, 0.5, 0.75].map((t) => lo + t * (hi - lo));
  if (lo < 0 && hi > 0 && !lines.some((v) => Math.abs(v) < 1e-9)) lines.push(0);
  return lines;
}

const GRID = "#dde1e6";
const AXIS = "#a9b2bf";
const CURVE = "#1c2430";
const RESIDUAL = "#c2413a";

/** Draws the whole 1D plot over `size`; sizes scale with `dpr`. */
export function drawLinePlot(
  ctx: CanvasRenderingContext2D,
  data: LinePlotData,
  size: Size,
  dpr = 1,
): void {
  const { box, values } = data;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, size.width, size.height);
  ctx.lineWidth = dpr;
  for (const v of gridLines(box[0], box[1])) {
    const [px] = toPixel(box, size, v, 0);
    line(ctx, px, 0, px, size.height, GRID);
  }
  for (const v of gridLines(box[2], box[3])) {
    const [, py] = toPixel(box, size, 0, v);
    line(ctx, 0, py, size.width, py, Math.abs(v) < 1e-9 ? AXIS : GRID);
  }
  const sets = data.test ? [data.train, data.test] : [data.train];
  if (values.length > 0) {
    ctx.lineWidth = 1.25 * dpr;
    for (const set of sets) {
      for (const seg of residualSegments(set.x, set.y, values, box, size)) {
        line(ctx, seg.x, seg.from, seg.x, seg.to, RESIDUAL, 0.55);
      }
    }
    ctx.strokeStyle = CURVE;
    ctx.lineWidth = 2.25 * dpr;
    ctx.lineJoin = "round";
    ctx.beginPath();
    curvePixels(values, box, size).forEach(([px, py], i) => {
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.stroke();
  }
  drawDots(ctx, data.train, box, size, { fill: CLASS_1, stroke: "#ffffff" }, dpr);
  if (data.test) drawDots(ctx, data.test, box, size, { fill: NEUTRAL, stroke: CURVE }, dpr);
}

function drawDots(
  ctx: CanvasRenderingContext2D,
  set: LinePlotData["train"],
  box: Box,
  size: Size,
  style: { fill: string; stroke: string },
  dpr: number,
): void {
  ctx.fillStyle = style.fill;
  ctx.strokeStyle = style.stroke;
  ctx.lineWidth = 1.2 * dpr;
  set.x.forEach((point, i) => {
    const [px, py] = toPixel(box, size, point[0]!, set.y[i]!);
    ctx.beginPath();
    ctx.arc(px, py, 3.4 * dpr, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
}

function line(
  ctx: CanvasRenderingContext2D,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  colour: string,
  alpha = 1,
): void {
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = colour;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  ctx.restore();
}
