// Linear regions on the boundary canvas: decode the frame's binary polygons, map them to
// pixels, colour each from its activation pattern, and draw fills and edges.

import type { RegionPolygons } from "../protocol.gen";
import type { Rgb } from "./colors";
import { toPixel, type Box, type Size } from "./points";

/** The polygons decoded into typed arrays, in input coordinates. */
export interface Regions {
  count: number;
  offsets: Uint32Array;
  /** x0, y0, x1, y1, ... */
  vertices: Float32Array;
  patternIds: Uint32Array;
}

export const EMPTY_REGIONS: Regions = {
  count: 0,
  offsets: new Uint32Array([0]),
  vertices: new Float32Array(0),
  patternIds: new Uint32Array(0),
};

/** Decodes the wire columns; throws when their lengths disagree with each other. */
export function decodeRegions(wire: RegionPolygons): Regions {
  const { count } = wire;
  if (!Number.isInteger(count) || count < 0) throw new Error(`bad polygon count ${count}`);
  const offsets = readUint32(wire.offsets, "offsets");
  const patternIds = readUint32(wire.pattern_ids, "pattern_ids");
  const vertices = readFloat32(wire.vertices, "vertices");
  if (offsets.length !== count + 1) {
    throw new Error(
      `offsets: need ${count + 1} entries for ${count} polygons, got ${offsets.length}`,
    );
  }
  if (patternIds.length !== count) {
    throw new Error(`pattern_ids: need ${count} entries, got ${patternIds.length}`);
  }
  if (vertices.length % 2 !== 0) throw new Error("vertices: an odd number of coordinates");
  const points = vertices.length / 2;
  for (let i = 0; i < count; i++) {
    if (offsets[i]! > offsets[i + 1]! || offsets[i + 1]! > points) {
      throw new Error(`offsets: polygon ${i} runs outside the ${points} vertices`);
    }
  }
  return { count, offsets, vertices, patternIds };
}

function readUint32(bytes: Uint8Array, name: string): Uint32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`${name}: not a whole number of uint32`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

function readFloat32(bytes: Uint8Array, name: string): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`${name}: not a whole number of float32`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** The vertices in canvas pixels (same layout as `regions.vertices`). */
export function regionPixels(regions: Regions, box: Box, size: Size): Float32Array {
  const out = new Float32Array(regions.vertices.length);
  for (let i = 0; i < out.length; i += 2) {
    const [px, py] = toPixel(box, size, regions.vertices[i]!, regions.vertices[i + 1]!);
    out[i] = px;
    out[i + 1] = py;
  }
  return out;
}

/** Polygon i's vertices in pixels, as [x, y] pairs. */
export function polygonAt(regions: Regions, pixels: Float32Array, i: number): [number, number][] {
  const points: [number, number][] = [];
  for (let v = regions.offsets[i]!; v < regions.offsets[i + 1]!; v++) {
    points.push([pixels[2 * v]!, pixels[2 * v + 1]!]);
  }
  return points;
}

/** Scrambles a 32-bit id (murmur3's finaliser) so nearby ids get unrelated colours. */
export function mixBits(id: number): number {
  let h = id >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A soft, distinct colour for an activation pattern: same id, same colour, on every frame. */
export function patternColor(id: number): Rgb {
  const h = mixBits(id);
  const hue = (h % 360) / 360;
  const saturation = 0.5 + ((h >>> 9) % 25) / 100; // 0.50 .. 0.74
  const lightness = 0.66 + ((h >>> 17) % 14) / 100; // 0.66 .. 0.79
  return hslToRgb(hue, saturation, lightness);
}

/** HSL (each 0..1) to RGB bytes. */
export function hslToRgb(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h * 12) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/** The canvas calls the region drawing uses (a fake stands in for it in tests). */
export type RegionContext = Pick<
  CanvasRenderingContext2D,
  | "beginPath"
  | "moveTo"
  | "lineTo"
  | "closePath"
  | "fill"
  | "stroke"
  | "fillStyle"
  | "strokeStyle"
  | "lineWidth"
  | "lineJoin"
>;

function tracePolygon(ctx: RegionContext, regions: Regions, pixels: Float32Array, i: number) {
  const start = regions.offsets[i]!;
  const end = regions.offsets[i + 1]!;
  if (end - start < 3) return;
  ctx.moveTo(pixels[2 * start]!, pixels[2 * start + 1]!);
  for (let v = start + 1; v < end; v++) ctx.lineTo(pixels[2 * v]!, pixels[2 * v + 1]!);
  ctx.closePath();
}

/**
 * Fills every polygon with its pattern colour, opaque. Each is also stroked in its own colour
 * (`seam` pixels wide) so antialiased neighbours leave no hairline gaps between them.
 */
export function drawRegionFills(
  ctx: RegionContext,
  regions: Regions,
  pixels: Float32Array,
  seam = 1,
): void {
  ctx.lineWidth = seam;
  ctx.lineJoin = "round";
  for (let i = 0; i < regions.count; i++) {
    const colour = `rgb(${patternColor(regions.patternIds[i]!).join(" ")})`;
    ctx.fillStyle = colour;
    ctx.strokeStyle = colour;
    ctx.beginPath();
    tracePolygon(ctx, regions, pixels, i);
    ctx.fill();
    if (seam > 0) ctx.stroke();
  }
}

export interface EdgeStyle {
  colour: string;
  /** CSS pixels; multiplied by the device pixel ratio. */
  width: number;
}

export const EDGE_STYLE: EdgeStyle = { colour: "rgb(20 27 38 / 0.62)", width: 0.8 };

/** Strokes every polygon's outline as one path, so shared edges are not darkened twice. */
export function drawRegionEdges(
  ctx: RegionContext,
  regions: Regions,
  pixels: Float32Array,
  dpr = 1,
  style: EdgeStyle = EDGE_STYLE,
): void {
  ctx.strokeStyle = style.colour;
  ctx.lineWidth = style.width * dpr;
  ctx.lineJoin = "round";
  ctx.beginPath();
  for (let i = 0; i < regions.count; i++) tracePolygon(ctx, regions, pixels, i);
  ctx.stroke();
}

/**
 * Paints region fills through an offscreen canvas, then lays them over the target at `alpha`:
 * one composite, so overlapping seams never show through twice.
 */
export class RegionFillPainter {
  private layer: HTMLCanvasElement | null = null;

  draw(
    ctx: CanvasRenderingContext2D,
    regions: Regions,
    pixels: Float32Array,
    size: Size,
    alpha: number,
  ): void {
    if (!this.layer) this.layer = document.createElement("canvas");
    const layer = this.layer;
    if (layer.width !== size.width) layer.width = size.width;
    if (layer.height !== size.height) layer.height = size.height;
    const layerCtx = layer.getContext("2d");
    if (!layerCtx) return;
    layerCtx.clearRect(0, 0, size.width, size.height);
    drawRegionFills(layerCtx, regions, pixels);
    ctx.save();
    ctx.globalAlpha = alpha;
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
  }
}

export interface OverlayOptions {
  edges: boolean;
  fill: boolean;
  /** Opacity of the fills over the heatmap (1 replaces it). */
  fillAlpha: number;
  dpr: number;
}

/** Draws the region overlay, re-projecting the polygons only when they or the canvas change. */
export class RegionOverlay {
  private readonly fills = new RegionFillPainter();
  private projected: { regions: Regions; box: Box; width: number; height: number } | null = null;
  private pixels: Float32Array = new Float32Array(0);

  draw(
    ctx: CanvasRenderingContext2D,
    regions: Regions,
    box: Box,
    size: Size,
    options: OverlayOptions,
  ): void {
    if (!options.edges && !options.fill) return;
    const last = this.projected;
    if (
      !last ||
      last.regions !== regions ||
      last.box !== box ||
      last.width !== size.width ||
      last.height !== size.height
    ) {
      this.pixels = regionPixels(regions, box, size);
      this.projected = { regions, box, width: size.width, height: size.height };
    }
    if (options.fill) this.fills.draw(ctx, regions, this.pixels, size, options.fillAlpha);
    if (options.edges) drawRegionEdges(ctx, regions, this.pixels, options.dpr);
  }
}
