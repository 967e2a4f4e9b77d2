// Painting the network diagram on a canvas: weighted edges under node thumbnails, each node a
// small heatmap of its neuron over the input box (a curve on 1D data), and "+N" markers.

import type { NeuronMaps } from "../inspection";
import { edgeStyle, largestWeight, type DiagramEdge, type DiagramLayout } from "./diagram";
import { largestMagnitude, paintPlane, type PlaneColouring } from "./neuron";
import type { Palettes } from "./output";

export interface DiagramPicture {
  layout: DiagramLayout;
  edges: readonly DiagramEdge[];
  neurons: NeuronMaps | null;
  colouring: (column: number, unit: number) => PlaneColouring;
  /** The node or edge under the pointer, drawn emphasised. */
  hovered: { column: number; unit: number } | DiagramEdge | null;
}

/** Draws the whole diagram in CSS pixels (the caller has scaled ctx by the pixel ratio). */
export class DiagramPainter {
  private scratch: HTMLCanvasElement | null = null;
  private image: ImageData | null = null;

  constructor(private readonly palettes: Palettes) {}

  draw(ctx: CanvasRenderingContext2D, picture: DiagramPicture): void {
    const { layout, edges, neurons, hovered } = picture;
    ctx.clearRect(0, 0, layout.size.width, layout.size.height);
    const largest = largestWeight(edges);
    ctx.lineCap = "round";
    for (const edge of edges) {
      const style = edgeStyle(edge.weight, largest);
      const emphasised = edge === hovered;
      ctx.globalAlpha = emphasised ? 1 : style.alpha;
      ctx.strokeStyle = emphasised ? "#1c2430" : style.color;
      ctx.lineWidth = emphasised ? style.width + 1.5 : style.width;
      const middle = (edge.ax + edge.bx) / 2;
      ctx.beginPath();
      ctx.moveTo(edge.ax, edge.ay);
      // The curve edgePoint describes (hit-testing follows it).
      ctx.bezierCurveTo(middle, edge.ay, middle, edge.by, edge.bx, edge.by);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    const size = layout.nodeSize;
    for (const column of layout.columns) {
      for (const node of column) {
        const x = node.x - size / 2;
        const y = node.y - size / 2;
        const plane = neurons?.columns[node.column]?.[node.unit];
        if (plane && neurons) {
          this.plane(ctx, plane, neurons, picture.colouring(node.column, node.unit), x, y, size);
        } else {
          ctx.fillStyle = "#eef0f3";
          ctx.fillRect(x, y, size, size);
        }
        const isHovered =
          hovered !== null &&
          "column" in hovered &&
          hovered.column === node.column &&
          hovered.unit === node.unit;
        ctx.strokeStyle = isHovered ? "#1c2430" : "#cfd4db";
        ctx.lineWidth = isHovered ? 2 : 1;
        ctx.strokeRect(x + 0.5, y + 0.5, size - 1, size - 1);
      }
    }
    ctx.fillStyle = "#647082";
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (const more of layout.more) ctx.fillText(`+${more.count}`, more.x, more.y);
  }

  /** One neuron's plane in the square at (x, y): a heatmap, or a curve on 1D data. */
  private plane(
    ctx: CanvasRenderingContext2D,
    values: Float32Array,
    maps: NeuronMaps,
    colouring: PlaneColouring,
    x: number,
    y: number,
    size: number,
  ): void {
    if (maps.height === 1) return drawCurve(ctx, values, colouring, x, y, size);
    const scratch = this.scratchCanvas(maps.width, maps.height);
    const scratchCtx = scratch.getContext("2d");
    if (!scratchCtx) return;
    if (!this.image || this.image.width !== maps.width || this.image.height !== maps.height) {
      this.image = scratchCtx.createImageData(maps.width, maps.height);
    }
    paintPlane(values, colouring, this.palettes, this.image.data);
    scratchCtx.putImageData(this.image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, x, y, size, size);
  }

  private scratchCanvas(width: number, height: number): HTMLCanvasElement {
    if (!this.scratch) this.scratch = document.createElement("canvas");
    if (this.scratch.width !== width) this.scratch.width = width;
    if (this.scratch.height !== height) this.scratch.height = height;
    return this.scratch;
  }
}

/** A 1D neuron: its function of x as a curve, 0 at the middle (signed) or the bottom (probability). */
function drawCurve(
  ctx: CanvasRenderingContext2D,
  values: Float32Array,
  colouring: PlaneColouring,
  x: number,
  y: number,
  size: number,
): void {
  ctx.fillStyle = "#f8fafc";
  ctx.fillRect(x, y, size, size);
  const signed = colouring.kind === "signed";
  const scale = signed ? largestMagnitude(values) : 1;
  const inset = 3;
  const yOf = (v: number) => {
    const t = signed ? 0.5 + v / scale / 2 : v;
    return y + size - inset - Math.min(1, Math.max(0, t)) * (size - 2 * inset);
  };
  ctx.strokeStyle = "#94a0b0";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x, yOf(0));
  ctx.lineTo(x + size, yOf(0));
  ctx.stroke();
  ctx.strokeStyle = "#1c2430";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const px = x + (i / Math.max(1, n - 1)) * size;
    const v = values[i]!;
    const py = yOf(Number.isFinite(v) ? v : 0);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.stroke();
}
