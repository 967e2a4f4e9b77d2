import { describe, expect, it } from "vitest";
import { curvePixels, gridLines, residualSegments } from "./linePlot";

const box = [0, 1, -1.5, 1.5] as const;
const size = { width: 300, height: 300 };

describe("the 1D plot's scaling", () => {
  it("spans the x range across the width and the y range from bottom to top", () => {
    const pixels = curvePixels([-1.5, 0, 1.5], box, size);
    expect(pixels).toEqual([
      [0, 300],
      [150, 150],
      [300, 0],
    ]);
  });

  it("clamps a runaway curve a little beyond the edges", () => {
    const [low, high] = curvePixels([-100, 100], box, size).map(([, y]) => y);
    expect(low).toBe(330);
    expect(high).toBe(-30);
  });

  it("draws each residual from the point to the curve at its x", () => {
    // The curve is 0 everywhere; a point at (0.5, 0.75) is 0.75 above it.
    const [segment] = residualSegments([[0.5]], [0.75], [0, 0, 0], box, size);
    expect(segment).toEqual({ x: 150, from: 75, to: 150, residual: 0.75 });
  });

  it("rules the quarters, and 0 when the range holds it", () => {
    expect(gridLines(0, 1)).toEqual([0.25, 0.5, 0.75]);
    expect(gridLines(-1.5, 1.5)).toEqual([-0.75, 0, 0.75]);
    expect(gridLines(-1, 3)).toEqual([0, 1, 2]);
    expect(gridLines(-1, 1.2)).toContain(0);
  });
});
