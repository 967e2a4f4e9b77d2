// Picking the point to follow forward and backward: a click on the output canvas takes the
// nearest training point (its label is the target the loss needs), and the canvas rings it.

import { nearestPoint, ringPoint } from "./draw/hiddenSpace";
import { toData, toPixel, type Box, type Size } from "./draw/points";
import type { DatasetEvent, ProbeRequest } from "./protocol.gen";
import type { Playground } from "./store.svelte";

/** The training point nearest data point (x, y) with its label (1D data: nearest in x). */
export function nearestTrainingPoint(
  data: DatasetEvent,
  x: number,
  y: number,
): ProbeRequest | null {
  const target = data.dims === 1 ? [x] : [x, y];
  const i = nearestPoint(
    data.train_x.map((p) => p.slice(0, target.length)),
    target,
  );
  const point = data.train_x[i];
  const label = data.train_y[i];
  if (!point || label === undefined || point.length === 0) return null;
  return { point: point as ProbeRequest["point"], target: label };
}

/**
 * Handles a pointer press on the output canvas while the Forward/backward view is open (and
 * edit mode is off); returns whether it picked a point.
 */
export function pickProbe(
  store: Playground,
  event: PointerEvent,
  canvas: HTMLCanvasElement,
): boolean {
  const data = store.dataset;
  if (store.inside.tab !== "backprop" || store.edits.active || !data || event.button !== 0)
    return false;
  const rect = canvas.getBoundingClientRect();
  const [x, y] = toData(data.box as Box, rect, event.clientX - rect.left, event.clientY - rect.top);
  const picked = nearestTrainingPoint(data, x, y);
  if (!picked) return false;
  store.inside.probe(picked.point, picked.target);
  return true;
}

/** Marks the followed point on the output canvas: a ring in 2D, a dashed vertical line in 1D. */
export function drawProbeMark(
  ctx: CanvasRenderingContext2D,
  point: readonly number[],
  box: Box,
  size: Size,
  dpr: number,
): void {
  const [px, py] = toPixel(box, size, point[0] ?? 0, point[1] ?? 0);
  if (point.length === 2) return ringPoint(ctx, px, py, dpr);
  ctx.save();
  ctx.strokeStyle = "#1c2430";
  ctx.lineWidth = 1.5 * dpr;
  ctx.setLineDash([4 * dpr, 4 * dpr]);
  ctx.beginPath();
  ctx.moveTo(px, 0);
  ctx.lineTo(px, size.height);
  ctx.stroke();
  ctx.restore();
}
