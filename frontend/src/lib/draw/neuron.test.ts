import { describe, expect, it } from "vitest";
import { hexToRgb, NEUTRAL, probabilityColor } from "./colors";
import { largestMagnitude, paintPlane, planeColouring } from "./neuron";
import { Palettes } from "./output";

const palettes = new Palettes();

function paint(values: number[], colouring: Parameters<typeof paintPlane>[1]): number[][] {
  const pixels = new Uint8ClampedArray(values.length * 4);
  paintPlane(Float32Array.from(values), colouring, palettes, pixels);
  return Array.from({ length: values.length }, (_, i) =>
    Array.from(pixels.slice(4 * i, 4 * i + 3)),
  );
}

const near = (a: number[], b: readonly number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 2);

describe("paintPlane", () => {
  it("scales a signed plane to its largest |value|: orange, grey at 0, blue", () => {
    const [low, zero, high] = paint([-4, 0, 4], { kind: "signed" });
    expect(near(low!, probabilityColor(0).map(Math.round))).toBe(true);
    expect(near(zero!, hexToRgb(NEUTRAL))).toBe(true);
    expect(near(high!, probabilityColor(1).map(Math.round))).toBe(true);
  });

  it("paints a class-1 probability as the boundary does", () => {
    const [p] = paint([0.9], { kind: "probability" });
    expect(near(p!, probabilityColor(0.9).map(Math.round))).toBe(true);
  });

  it("tints a multi-class output towards its own class colour", () => {
    const [sure] = paint([1], { kind: "class", label: 2, classes: 3 });
    const [chance] = paint([1 / 3], { kind: "class", label: 2, classes: 3 });
    expect(near(chance!, hexToRgb(NEUTRAL))).toBe(true);
    expect(near(sure!, hexToRgb(NEUTRAL))).toBe(false);
  });
});

describe("planeColouring", () => {
  const binary = { task: "classification" as const, classes: 2 };
  it("is signed inside the network and for regression outputs", () => {
    expect(planeColouring(1, 3, 0, binary)).toEqual({ kind: "signed" });
    expect(planeColouring(2, 3, 0, { task: "regression", classes: 0 })).toEqual({ kind: "signed" });
  });
  it("shows classifier outputs as probabilities", () => {
    expect(planeColouring(2, 3, 0, binary)).toEqual({ kind: "probability" });
    expect(planeColouring(2, 3, 1, { task: "classification", classes: 4 })).toEqual({
      kind: "class",
      label: 1,
      classes: 4,
    });
  });
});

describe("largestMagnitude", () => {
  it("ignores non-finite values and never returns 0", () => {
    expect(largestMagnitude([1, -3, NaN, Infinity])).toBe(3);
    expect(largestMagnitude([0, 0])).toBeGreaterThan(0);
  });
});
