import { describe, expect, it } from "vitest";
import {
  cellShade,
  confusionSummary,
  decodeWeightImages,
  inkPixels,
  weightColor,
  weightImageLabel,
  weightPixels,
} from "./images";
import type { CatalogEntry } from "./protocol.gen";
import { datasetGroups, isImageEntry } from "./settings";

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

describe("weight images", () => {
  it("decodes little-endian float32 images and scales each to its own max |w|", () => {
    const decoded = decodeWeightImages({
      count: 2,
      height: 1,
      width: 3,
      data: f32([0.5, -2, 1, 0, 0, 0]),
    });
    expect(decoded.images.map((image) => Array.from(image))).toEqual([
      [0.5, -2, 1],
      [0, 0, 0],
    ]);
    expect(decoded.scales).toEqual([2, 0]);
  });

  it("reads images from an offset view, as msgpack hands them over", () => {
    const bytes = new Uint8Array(4 + 8);
    bytes.set(f32([3, -4]), 4);
    const decoded = decodeWeightImages({ count: 1, height: 1, width: 2, data: bytes.subarray(4) });
    expect(Array.from(decoded.images[0]!)).toEqual([3, -4]);
    expect(decoded.scales).toEqual([4]);
  });

  it("rejects bytes that do not fit the shape", () => {
    expect(() => decodeWeightImages({ count: 2, height: 8, width: 8, data: f32([1]) })).toThrow(
      /need 512 bytes, got 4/,
    );
  });

  it("colours blue for positive, orange for negative, white at zero", () => {
    expect(weightColor(0, 1)).toEqual([255, 255, 255]);
    expect(weightColor(1, 1)).toEqual([8, 119, 189]);
    expect(weightColor(-2, 1)).toEqual([245, 147, 34]);
    expect(weightColor(5, 0)).toEqual([255, 255, 255]);
    expect(weightColor(Number.NaN, 1)).toEqual([160, 164, 170]);
    const half = weightColor(0.5, 1);
    expect(half[0]).toBeGreaterThan(8);
    expect(half[0]).toBeLessThan(255);
  });

  it("paints RGBA pixels for weights and for ink", () => {
    expect(Array.from(weightPixels([1, -1], 1))).toEqual([8, 119, 189, 255, 245, 147, 34, 255]);
    expect(Array.from(inkPixels([0, 1, 2]))).toEqual([
      255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255,
    ]);
  });

  it("names images by class for a linear model, by unit otherwise", () => {
    expect(weightImageLabel(3, true)).toBe("digit 3");
    expect(weightImageLabel(3, false)).toBe("unit 4");
  });
});

describe("confusion matrix", () => {
  const MATRIX = [
    [5, 1, 0],
    [0, 4, 0],
    [2, 0, 0],
  ];

  it("sums the total, the diagonal and each class's recall", () => {
    const summary = confusionSummary(MATRIX);
    expect(summary.classes).toBe(3);
    expect(summary.total).toBe(12);
    expect(summary.correct).toBe(9);
    expect(summary.accuracy).toBeCloseTo(0.75);
    expect(summary.recall[0]).toBeCloseTo(5 / 6);
    expect(summary.recall[1]).toBe(1);
    expect(summary.recall[2]).toBe(0);
    expect(summary.largestMistake).toBe(2);
    expect(summary.largest).toBe(5);
  });

  it("has no accuracy when empty", () => {
    const summary = confusionSummary([
      [0, 0],
      [0, 0],
    ]);
    expect(summary.accuracy).toBeNull();
    expect(summary.recall).toEqual([null, null]);
  });

  it("shades a cell by its share of the row", () => {
    expect(cellShade(MATRIX, 0, 0)).toBeCloseTo(5 / 6);
    expect(cellShade(MATRIX, 2, 0)).toBe(1);
    expect(cellShade(MATRIX, 1, 2)).toBe(0);
    expect(cellShade([[0, 0]], 0, 1)).toBe(0);
  });
});

describe("image datasets in the picker", () => {
  const entry = (name: string, dims: number | null, extra: Partial<CatalogEntry> = {}) => ({
    name,
    description: name,
    dims,
    image_shape: null,
    min_classes: 2,
    max_classes: 2,
    piecewise_linear: false,
    task: "classification" as const,
    ...extra,
  });

  it("puts datasets with more than two coordinates in their own Images group", () => {
    const datasets = [
      entry("circle", 2),
      entry("digits", 64, { max_classes: 10, image_shape: [8, 8] }),
    ];
    expect(isImageEntry(datasets[1]!)).toBe(true);
    expect(isImageEntry(datasets[0]!)).toBe(false);
    expect(datasetGroups(datasets).map((g) => [g.label, g.entries.map((e) => e.name)])).toEqual([
      ["2 classes", ["circle"]],
      ["Images", ["digits"]],
    ]);
  });
});
