import { describe, expect, it } from "vitest";
import type { HiddenSpace } from "../inspection";
import { nearestPoint, spaceBox } from "./hiddenSpace";

function space(points: number[], grid: number[] = []): HiddenSpace {
  return {
    layer: 0,
    units: 2,
    projected: false,
    count: points.length / 2,
    points: Float32Array.from(points),
    labels: new Float32Array(points.length / 2),
    lines: grid.length ? 1 : 0,
    samples: grid.length / 2,
    grid: Float32Array.from(grid),
  };
}

describe("spaceBox", () => {
  it("is a square around points and grid, centred, with a margin", () => {
    const [xmin, xmax, ymin, ymax] = spaceBox(space([0, 0, 4, 1], [0, -1, 2, 2]));
    expect(xmax - xmin).toBeCloseTo(ymax - ymin);
    expect((xmin + xmax) / 2).toBeCloseTo(2);
    expect((ymin + ymax) / 2).toBeCloseTo(0.5);
    expect(xmin).toBeLessThan(0);
    expect(xmax).toBeGreaterThan(4);
  });

  it("skips non-finite values and falls back to the unit box", () => {
    expect(spaceBox(space([NaN, 1]))).toEqual([-1, 1, -1, 1]);
    const [xmin, xmax] = spaceBox(space([1, 1, Infinity, 0]));
    expect((xmin + xmax) / 2).toBeCloseTo(1);
  });
});

describe("nearestPoint", () => {
  it("finds the closest point in 2D and in 1D", () => {
    expect(
      nearestPoint(
        [
          [0, 0],
          [3, 4],
          [1, 1],
        ],
        [2.5, 3],
      ),
    ).toBe(1);
    expect(nearestPoint([[0], [5]], [4])).toBe(1);
    expect(nearestPoint([], [1, 1])).toBe(-1);
  });
});
