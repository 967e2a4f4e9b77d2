// One neuron's plane over the input box as a heatmap, in the output canvas's colours: orange
// for negative, blue for positive (each plane scaled to its own largest |value|, so a quiet
// unit still shows its shape); output probabilities as on the boundary itself.

import { paintClassPixels, paintPixels } from "./heatmap";
import type { Palettes } from "./output";

/** How a plane's values map to colours. */
export type PlaneColouring =
  { kind: "signed" } | { kind: "probability" } | { kind: "class"; label: number; classes: number };

/**
 * The colouring of unit `unit` in diagram column `column` (0 = inputs, last = outputs): hidden
 * units and inputs are signed; outputs of a classifier are probabilities (one output: of class
 * 1; several: of the unit's own class); regression outputs are signed values.
 */
export function planeColouring(
  column: number,
  columns: number,
  unit: number,
  data: { task: "classification" | "regression"; classes: number } | null,
): PlaneColouring {
  const output = column === columns - 1;
  if (!output || !data || data.task !== "classification") return { kind: "signed" };
  if (data.classes <= 2) return { kind: "probability" };
  return { kind: "class", label: unit, classes: data.classes };
}

/** The largest finite |value| of a plane (a tiny positive number when all are 0). */
export function largestMagnitude(values: ArrayLike<number>): number {
  let largest = 1e-6;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]!);
    if (v > largest && Number.isFinite(v)) largest = v;
  }
  return largest;
}

/** Writes a plane's RGBA pixels (`pixels` holds 4 bytes per value). */
export function paintPlane(
  values: Float32Array,
  colouring: PlaneColouring,
  palettes: Palettes,
  pixels: Uint8ClampedArray,
): void {
  switch (colouring.kind) {
    case "probability":
      return paintPixels(values, palettes.probability, pixels);
    case "signed": {
      const m = largestMagnitude(values);
      return paintPixels(values, palettes.probability, pixels, -m, m);
    }
    case "class": {
      const labels = new Float32Array(values.length).fill(colouring.label);
      const palette = palettes.classes(colouring.classes);
      return paintClassPixels(labels, values, colouring.classes, palette, pixels);
    }
  }
}
