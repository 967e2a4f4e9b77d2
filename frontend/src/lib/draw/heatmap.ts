// The output heatmap: one pixel per grid cell, then stretched smoothly onto the canvas.

import { NAN_RGB } from "./colors";

const nanColour = new Uint8ClampedArray([...NAN_RGB, 255]);

/** The palette entry of probability `p` (clamped to [0, 1]), rounded to the nearest of 0..top. */
function level(p: number, top: number): number {
  const x = p * top + 0.5;
  return x <= 0.5 ? 0 : x >= top ? top : x | 0;
}

/** A view of whole RGBA pixels, one 32-bit word each (byte order as in memory), if aligned. */
function words(bytes: Uint8ClampedArray): Uint32Array | null {
  return bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
    : null;
}

/**
 * Writes the RGBA pixels of a grid of values (row 0 at the top) into `pixels`: `lo` takes the
 * palette's first colour and `hi` its last (probabilities by default).
 */
export function paintPixels(
  values: ArrayLike<number>,
  palette: Uint8ClampedArray,
  pixels: Uint8ClampedArray,
  lo = 0,
  hi = 1,
): void {
  if (pixels.length !== values.length * 4) {
    throw new Error(`need ${values.length * 4} pixel bytes, got ${pixels.length}`);
  }
  if (lo !== 0 || hi !== 1) {
    const scale = 1 / (hi - lo);
    paintPixels(
      Float32Array.from(values, (v) => (v - lo) * scale),
      palette,
      pixels,
    );
    return;
  }
  const top = palette.length / 4 - 1;
  const out = words(pixels);
  const colours = words(palette);
  if (out && colours) {
    // One 32-bit copy per pixel: the same bytes as below, four times fewer stores.
    const nan = words(nanColour)![0]!;
    for (let i = 0; i < values.length; i++) {
      const p = values[i]!;
      out[i] = p === p ? colours[level(p, top)]! : nan;
    }
    return;
  }
  for (let i = 0; i < values.length; i++) {
    const p = values[i]!;
    const o = i * 4;
    const k = Number.isNaN(p) ? -1 : level(p, top) * 4;
    const colour = k < 0 ? nanColour : palette;
    const c = k < 0 ? 0 : k;
    pixels[o] = colour[c]!;
    pixels[o + 1] = colour[c + 1]!;
    pixels[o + 2] = colour[c + 2]!;
    pixels[o + 3] = colour[c + 3]!;
  }
}

/**
 * Writes the RGBA pixels of a class grid: `labels` holds each cell's most likely class and
 * `probs` its probability; `palette` is buildClassPalette(classes, levels).
 */
export function paintClassPixels(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  classes: number,
  palette: Uint8ClampedArray,
  pixels: Uint8ClampedArray,
): void {
  if (pixels.length !== labels.length * 4 || probs.length !== labels.length) {
    throw new Error(`need ${labels.length * 4} pixel bytes and one probability per cell`);
  }
  const count = Math.max(1, classes);
  const levels = palette.length / 4 / count;
  const chance = 1 / Math.max(2, count);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    const p = probs[i]!;
    const o = i * 4;
    if (label !== label || p !== p) {
      pixels.set(nanColour, o);
      continue;
    }
    const c = Math.min(count - 1, Math.max(0, Math.round(label)));
    const k = (c * levels + level((p - chance) / (1 - chance), levels - 1)) * 4;
    pixels[o] = palette[k]!;
    pixels[o + 1] = palette[k + 1]!;
    pixels[o + 2] = palette[k + 2]!;
    pixels[o + 3] = 255;
  }
}

/** Paints grids through a small offscreen canvas it keeps between frames. */
export class HeatmapPainter {
  private source: HTMLCanvasElement | null = null;
  private image: ImageData | null = null;

  /**
   * Draws a width×height grid over the whole target rectangle, smoothly interpolated; `paint`
   * fills its RGBA pixels (paintPixels or paintClassPixels).
   */
  draw(
    ctx: CanvasRenderingContext2D,
    width: number,
    height: number,
    target: { width: number; height: number },
    paint: (pixels: Uint8ClampedArray) => void,
  ): void {
    const source = this.sourceCanvas(width, height);
    const sourceCtx = source.getContext("2d");
    if (!sourceCtx) return;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = sourceCtx.createImageData(width, height);
    }
    paint(this.image.data);
    sourceCtx.putImageData(this.image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(source, 0, 0, target.width, target.height);
  }

  private sourceCanvas(width: number, height: number): HTMLCanvasElement {
    if (!this.source) this.source = document.createElement("canvas");
    if (this.source.width !== width) this.source.width = width;
    if (this.source.height !== height) this.source.height = height;
    return this.source;
  }
}
