// The output heatmap: one pixel per grid cell, then stretched smoothly onto the canvas.

import { NAN_RGB } from "./colors";

/** Writes the RGBA pixels of a grid of probabilities (row 0 at the top) into `pixels`. */
export function paintPixels(
  values: ArrayLike<number>,
  palette: Uint8ClampedArray,
  pixels: Uint8ClampedArray,
): void {
  if (pixels.length !== values.length * 4) {
    throw new Error(`need ${values.length * 4} pixel bytes, got ${pixels.length}`);
  }
  const top = palette.length / 4 - 1;
  for (let i = 0; i < values.length; i++) {
    const p = values[i]!;
    const o = i * 4;
    if (Number.isNaN(p)) {
      pixels[o] = NAN_RGB[0];
      pixels[o + 1] = NAN_RGB[1];
      pixels[o + 2] = NAN_RGB[2];
      pixels[o + 3] = 255;
      continue;
    }
    const k = Math.round(Math.min(1, Math.max(0, p)) * top) * 4;
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

  constructor(private readonly palette: Uint8ClampedArray) {}

  /** Draws a width×height grid over the whole target rectangle, smoothly interpolated. */
  draw(
    ctx: CanvasRenderingContext2D,
    values: Float32Array,
    width: number,
    height: number,
    target: { width: number; height: number },
  ): void {
    const source = this.sourceCanvas(width, height);
    const sourceCtx = source.getContext("2d");
    if (!sourceCtx) return;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = sourceCtx.createImageData(width, height);
    }
    paintPixels(values, this.palette, this.image.data);
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
