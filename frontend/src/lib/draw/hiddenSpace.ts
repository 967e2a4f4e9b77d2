// The Hidden space view's drawing: the input box's grid lines and the training points as a
// hidden layer sees them, on equal axes so the picture is not stretched.

import type { HiddenSpace } from "../inspection";
import { toPixel, type Box, type Size } from "./points";

/** Room around the picture, as a share of its larger side. */
const MARGIN = 0.08;

/** The square box around every finite point and grid sample, with a margin; never empty. */
export function spaceBox(space: HiddenSpace): Box {
  let [xlo, xhi, ylo, yhi] = [Infinity, -Infinity, Infinity, -Infinity];
  const take = (values: Float32Array) => {
    for (let i = 0; i + 1 < values.length; i += 2) {
      const x = values[i]!;
      const y = values[i + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      xlo = Math.min(xlo, x);
      xhi = Math.max(xhi, x);
      ylo = Math.min(ylo, y);
      yhi = Math.max(yhi, y);
    }
  };
  take(space.points);
  take(space.grid);
  if (xlo > xhi) return [-1, 1, -1, 1];
  const half = Math.max(xhi - xlo, yhi - ylo, 1e-6) * (0.5 + MARGIN);
  const cx = (xlo + xhi) / 2;
  const cy = (ylo + yhi) / 2;
  return [cx - half, cx + half, cy - half, cy + half];
}

export interface SpaceStyle {
  /** The fill of training point i. */
  fill: (i: number) => string;
  /** Point i is drawn larger and ringed (the probed point), or -1. */
  highlight: number;
  dpr: number;
}

/** Draws the deformed grid lines, the axes through 0, then the points. */
export function drawHiddenSpace(
  ctx: CanvasRenderingContext2D,
  space: HiddenSpace,
  size: Size,
  style: SpaceStyle,
): void {
  const box = spaceBox(space);
  const { dpr } = style;
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.fillStyle = "#fbfcfd";
  ctx.fillRect(0, 0, size.width, size.height);
  drawAxes(ctx, box, size, dpr);
  ctx.strokeStyle = "rgb(100 112 130 / 0.45)";
  ctx.lineWidth = dpr;
  for (let line = 0; line < space.lines; line++) {
    ctx.beginPath();
    let pen = false;
    for (let s = 0; s < space.samples; s++) {
      const k = 2 * (line * space.samples + s);
      const x = space.grid[k]!;
      const y = space.grid[k + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      const [px, py] = toPixel(box, size, x, y);
      if (pen) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
  }
  ctx.strokeStyle = "#ffffff";
  for (let i = 0; i < space.count; i++) {
    const [px, py] = toPixel(box, size, space.points[2 * i]!, space.points[2 * i + 1]!);
    ctx.fillStyle = style.fill(i);
    ctx.beginPath();
    ctx.arc(px, py, 3 * dpr, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  if (style.highlight >= 0 && style.highlight < space.count) {
    const i = style.highlight;
    const [px, py] = toPixel(box, size, space.points[2 * i]!, space.points[2 * i + 1]!);
    ringPoint(ctx, px, py, dpr);
  }
}

/** A dark ring around a point, to mark the one being followed. */
export function ringPoint(
  ctx: CanvasRenderingContext2D,
  px: number,
  py: number,
  dpr: number,
): void {
  ctx.strokeStyle = "#1c2430";
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  ctx.arc(px, py, 7 * dpr, 0, 2 * Math.PI);
  ctx.stroke();
}

function drawAxes(ctx: CanvasRenderingContext2D, box: Box, size: Size, dpr: number): void {
  const [zx, zy] = toPixel(box, size, 0, 0);
  ctx.strokeStyle = "rgb(28 36 48 / 0.18)";
  ctx.lineWidth = dpr;
  ctx.beginPath();
  if (zx >= 0 && zx <= size.width) {
    ctx.moveTo(zx, 0);
    ctx.lineTo(zx, size.height);
  }
  if (zy >= 0 && zy <= size.height) {
    ctx.moveTo(0, zy);
    ctx.lineTo(size.width, zy);
  }
  ctx.stroke();
}

/** The index of the point nearest `target` (2D or 1D), or -1 when there are none. */
export function nearestPoint(
  points: readonly (readonly number[])[],
  target: readonly number[],
): number {
  let best = -1;
  let bestDistance = Infinity;
  points.forEach((point, i) => {
    let d = 0;
    for (let k = 0; k < target.length; k++) d += ((point[k] ?? 0) - target[k]!) ** 2;
    if (d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best;
}
