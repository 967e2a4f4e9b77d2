// Data points on the boundary canvas: mapping from data space to pixels, and drawing.

/** The input region drawn: [xmin, xmax, ymin, ymax]. */
export type Box = readonly [number, number, number, number];

export interface Size {
  width: number;
  height: number;
}

/** The pixel of data point (x, y): xmin at the left edge, ymax at the top edge. */
export function toPixel(box: Box, size: Size, x: number, y: number): [number, number] {
  const [xmin, xmax, ymin, ymax] = box;
  return [((x - xmin) / (xmax - xmin)) * size.width, ((ymax - y) / (ymax - ymin)) * size.height];
}

/** The data point at pixel (px, py); the inverse of toPixel. */
export function toData(box: Box, size: Size, px: number, py: number): [number, number] {
  const [xmin, xmax, ymin, ymax] = box;
  return [xmin + (px / size.width) * (xmax - xmin), ymax - (py / size.height) * (ymax - ymin)];
}

export interface PointStyle {
  radius: number;
  stroke: string;
  lineWidth: number;
}

/** Training points: filled with their class colour, ringed in white. */
export const TRAIN_STYLE: PointStyle = { radius: 3.2, stroke: "#ffffff", lineWidth: 1 };
/** Regression training points: ringed in translucent ink, since their fill may match the heatmap. */
export const VALUE_TRAIN_STYLE: PointStyle = {
  radius: 3.2,
  stroke: "rgb(28 36 48 / 0.45)",
  lineWidth: 1,
};
/** Test points: the same fill, ringed in near-black so they stand apart. */
export const TEST_STYLE: PointStyle = { radius: 3.2, stroke: "#1f2937", lineWidth: 1.2 };

/**
 * Draws 2D points as circles, point i filled with `fill(i)` (its class or value colour) then
 * ringed; sizes are scaled by `scale`.
 */
export function drawPoints(
  ctx: CanvasRenderingContext2D,
  points: readonly (readonly number[])[],
  fill: (i: number) => string,
  box: Box,
  size: Size,
  style: PointStyle,
  scale = 1,
): void {
  const radius = style.radius * scale;
  ctx.lineWidth = style.lineWidth * scale;
  ctx.strokeStyle = style.stroke;
  points.forEach(([x, y], i) => {
    const [px, py] = toPixel(box, size, x ?? 0, y ?? 0);
    ctx.fillStyle = fill(i);
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
}
