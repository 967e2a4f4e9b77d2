// Image data (the 8×8 digits): the first layer's weights as images, the confusion matrix in
// numbers, and pixels painted for a canvas. Pure, so vitest checks them without a page.

import { CLASS_0, CLASS_1, hexToRgb, type Rgb } from "./draw/colors";
import type { WeightImages } from "./protocol.gen";

/** The weight images decoded: one float32 plane of height·width values per unit. */
export interface DecodedWeightImages {
  count: number;
  height: number;
  width: number;
  images: Float32Array[];
  /** Each image's largest |w|: its colours are scaled to it (0 for an all-zero image). */
  scales: number[];
}

/** Decodes the little-endian float32 images; throws when the bytes do not fit the shape. */
export function decodeWeightImages(weights: WeightImages): DecodedWeightImages {
  const { count, height, width, data } = weights;
  const cells = height * width;
  if (data.byteLength !== count * cells * 4) {
    throw new Error(
      `${count} weight images of ${height}×${width} need ${count * cells * 4} bytes, ` +
        `got ${data.byteLength}`,
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const images: Float32Array[] = [];
  const scales: number[] = [];
  for (let k = 0; k < count; k++) {
    const image = new Float32Array(cells);
    let largest = 0;
    for (let i = 0; i < cells; i++) {
      const v = view.getFloat32((k * cells + i) * 4, true);
      image[i] = v;
      if (Number.isFinite(v)) largest = Math.max(largest, Math.abs(v));
    }
    images.push(image);
    scales.push(largest);
  }
  return { count, height, width, images, scales };
}

const WHITE: Rgb = [255, 255, 255];
const POSITIVE = hexToRgb(CLASS_1);
const NEGATIVE = hexToRgb(CLASS_0);
const NOT_FINITE: Rgb = [160, 164, 170];

/** A weight on the diverging scale: white at 0, blue at +scale, orange at −scale. */
export function weightColor(value: number, scale: number): Rgb {
  if (!Number.isFinite(value)) return NOT_FINITE;
  if (scale <= 0) return WHITE;
  const t = Math.min(1, Math.abs(value) / scale);
  const end = value >= 0 ? POSITIVE : NEGATIVE;
  return [0, 1, 2].map((c) => Math.round(WHITE[c]! + (end[c]! - WHITE[c]!) * t)) as unknown as Rgb;
}

/** RGBA pixels (row-major) of one weight image, for putImageData. */
export function weightPixels(image: ArrayLike<number>, scale: number): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(image.length * 4);
  for (let i = 0; i < image.length; i++) {
    const [r, g, b] = weightColor(image[i]!, scale);
    pixels.set([r, g, b, 255], i * 4);
  }
  return pixels;
}

/** RGBA pixels of a grey image with values in [0, 1]: 0 white paper, 1 black ink. */
export function inkPixels(image: ArrayLike<number>): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(image.length * 4);
  for (let i = 0; i < image.length; i++) {
    const v = Math.min(1, Math.max(0, Number.isFinite(image[i]!) ? image[i]! : 0));
    const level = Math.round(255 * (1 - v));
    pixels.set([level, level, level, 255], i * 4);
  }
  return pixels;
}

/** What a weight image is called: its class for a linear model, else its unit. */
export function weightImageLabel(unit: number, perClass: boolean): string {
  return perClass ? `digit ${unit}` : `unit ${unit + 1}`;
}

/** The confusion matrix in numbers: totals, accuracy, and the largest cell for the shading. */
export interface ConfusionSummary {
  classes: number;
  total: number;
  correct: number;
  /** correct / total; null for an empty matrix. */
  accuracy: number | null;
  /** Per true class: the share it got right (recall); null for a class with no examples. */
  recall: (number | null)[];
  /** The largest off-diagonal count (0 when there are no mistakes). */
  largestMistake: number;
  /** The largest count of any cell. */
  largest: number;
}

/** Summarises a confusion matrix whose rows are the true classes, columns the predicted. */
export function confusionSummary(matrix: readonly (readonly number[])[]): ConfusionSummary {
  let total = 0;
  let correct = 0;
  let largestMistake = 0;
  let largest = 0;
  const recall = matrix.map((row, i) => {
    const rowTotal = row.reduce((sum, n) => sum + n, 0);
    total += rowTotal;
    correct += row[i] ?? 0;
    row.forEach((n, j) => {
      largest = Math.max(largest, n);
      if (j !== i) largestMistake = Math.max(largestMistake, n);
    });
    return rowTotal > 0 ? (row[i] ?? 0) / rowTotal : null;
  });
  return {
    classes: matrix.length,
    total,
    correct,
    accuracy: total > 0 ? correct / total : null,
    recall,
    largestMistake,
    largest,
  };
}

/** A cell's shading in [0, 1]: its count over the largest in its row (the row's true class). */
export function cellShade(
  matrix: readonly (readonly number[])[],
  row: number,
  col: number,
): number {
  const counts = matrix[row] ?? [];
  const rowTotal = counts.reduce((sum, n) => sum + n, 0);
  return rowTotal > 0 ? (counts[col] ?? 0) / rowTotal : 0;
}
