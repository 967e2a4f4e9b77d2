// What the output canvas shows for each kind of grid: how to paint the heatmap's pixels and
// what colour each data point gets. The component only wires these to the store.

import { normalise, sampleGrid, type DecodedGrid } from "../grid";
import type { DatasetEvent } from "../protocol.gen";
import {
  buildClassPalette,
  buildPalette,
  buildValuePalette,
  cssColor,
  divergingColor,
  labelColor,
} from "./colors";
import { paintClassPixels, paintPixels } from "./heatmap";
import type { Box } from "./points";

/** Palettes built once per class count (building one is ~1k colour mixes). */
export class Palettes {
  readonly probability = buildPalette();
  readonly value = buildValuePalette();
  private readonly byClasses = new Map<number, Uint8ClampedArray>();

  classes(count: number): Uint8ClampedArray {
    let palette = this.byClasses.get(count);
    if (!palette) {
      palette = buildClassPalette(count);
      this.byClasses.set(count, palette);
    }
    return palette;
  }
}

/** A function that fills a 2D grid's RGBA pixels the way its kind reads. */
export function gridPainter(
  grid: DecodedGrid,
  palettes: Palettes,
  classes: number,
  domain: readonly [number, number],
): (pixels: Uint8ClampedArray) => void {
  const [first, second] = grid.planes;
  switch (grid.kind) {
    case "probability":
      return (pixels) => paintPixels(first!, palettes.probability, pixels);
    case "class":
      return (pixels) =>
        paintClassPixels(first!, second!, classes, palettes.classes(classes), pixels);
    case "value":
      return (pixels) => paintPixels(first!, palettes.value, pixels, domain[0], domain[1]);
  }
}

/** The colour of target `value` on the value scale over `domain`. */
export function valueColor(value: number, domain: readonly [number, number]): string {
  return cssColor(divergingColor(normalise(value, domain)));
}

/**
 * The colour of a residual (target − prediction) on the value scale, centred on 0: white for a
 * perfect fit, the scale's ends for a residual of half the domain's width.
 */
export function residualColor(residual: number, domain: readonly [number, number]): string {
  return cssColor(divergingColor(0.5 + residual / (domain[1] - domain[0])));
}

export interface PointColouring {
  /** Regression points show their residual instead of their target. */
  residuals: boolean;
  domain: readonly [number, number];
  grid: DecodedGrid | null;
}

/** Point i's fill for one set of points (train or test) of the dataset. */
export function pointFill(
  data: { task: DatasetEvent["task"]; box: Box },
  points: readonly (readonly number[])[],
  targets: readonly number[],
  colouring: PointColouring,
): (i: number) => string {
  if (data.task === "classification") return (i) => labelColor(targets[i] ?? 0);
  const { domain, grid } = colouring;
  if (colouring.residuals && grid && grid.kind === "value" && grid.height > 1) {
    const box = data.box;
    return (i) => {
      const [x, y] = points[i]!;
      const prediction = sampleGrid(grid.planes[0]!, grid.width, grid.height, box, x!, y!);
      return residualColor(targets[i]! - prediction, domain);
    };
  }
  return (i) => valueColor(targets[i]!, domain);
}
