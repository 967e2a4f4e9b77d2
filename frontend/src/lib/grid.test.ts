import { describe, expect, it } from "vitest";
import { encodeFloat16 } from "./float16";
import { decodeGrid, lineX, normalise, sampleGrid, sampleLine, valueDomain } from "./grid";

describe("decodeGrid", () => {
  it("reads one plane for probability and value grids", () => {
    const grid = decodeGrid({ width: 2, height: 1, kind: "value", data: encodeFloat16([-3, 7.5]) });
    expect(grid.planes).toHaveLength(1);
    expect(Array.from(grid.planes[0]!)).toEqual([-3, 7.5]);
  });

  it("splits a class grid into the class plane and the probability plane", () => {
    const data = encodeFloat16([0, 5, 3, 1, 0.25, 1, 0.5, 0.75]);
    const grid = decodeGrid({ width: 2, height: 2, kind: "class", data });
    expect(Array.from(grid.planes[0]!)).toEqual([0, 5, 3, 1]);
    expect(Array.from(grid.planes[1]!)).toEqual([0.25, 1, 0.5, 0.75]);
  });

  it("reads a 1D grid of one row", () => {
    const values = Array.from({ length: 256 }, (_, i) => i / 255);
    const grid = decodeGrid({ width: 256, height: 1, kind: "value", data: encodeFloat16(values) });
    expect(grid.planes[0]).toHaveLength(256);
  });

  it("refuses bytes that do not fit the shape", () => {
    const data = encodeFloat16([0, 1, 2, 3]);
    expect(() => decodeGrid({ width: 2, height: 2, kind: "class", data })).toThrow(/needs 8/);
  });
});

describe("valueDomain", () => {
  it("is symmetric about 0 when the values straddle it", () => {
    expect(valueDomain([-1, 0.5, 3])).toEqual([-3, 3]);
  });

  it("spans the values' own range otherwise, and is never empty", () => {
    expect(valueDomain([2, 5, 3])).toEqual([2, 5]);
    expect(valueDomain([4, 4])).toEqual([3, 5]);
    expect(valueDomain([])).toEqual([-1, 1]);
    expect(valueDomain([NaN, 1, Infinity, 2])).toEqual([1, 2]);
  });

  it("normalises into 0..1", () => {
    expect(normalise(0, [-3, 3])).toBe(0.5);
    expect(normalise(3, [-3, 3])).toBe(1);
  });
});

describe("sampleGrid", () => {
  // A 2×2 grid over [0, 2]²: cell centres at x, y ∈ {0.5, 1.5}; row 0 is the top (y = 1.5).
  const plane = [1, 2, 3, 4];
  const box = [0, 2, 0, 2] as const;

  it("returns the cell value at cell centres", () => {
    expect(sampleGrid(plane, 2, 2, box, 0.5, 1.5)).toBe(1);
    expect(sampleGrid(plane, 2, 2, box, 1.5, 1.5)).toBe(2);
    expect(sampleGrid(plane, 2, 2, box, 0.5, 0.5)).toBe(3);
  });

  it("interpolates between centres and holds beyond them", () => {
    expect(sampleGrid(plane, 2, 2, box, 1, 1)).toBe(2.5);
    expect(sampleGrid(plane, 2, 2, box, 0, 2)).toBe(1);
    expect(sampleGrid(plane, 2, 2, box, 2, 0)).toBe(4);
  });
});

describe("1D grids", () => {
  const box = [0, 1, -1.5, 1.5] as const;

  it("places samples from box[0] to box[1], ends included", () => {
    expect(lineX(0, 256, box)).toBe(0);
    expect(lineX(255, 256, box)).toBe(1);
    expect(lineX(1, 3, box)).toBe(0.5);
  });

  it("interpolates the function between samples", () => {
    const values = [0, 1, 0];
    expect(sampleLine(values, box, 0.5)).toBe(1);
    expect(sampleLine(values, box, 0.25)).toBe(0.5);
    expect(sampleLine(values, box, 2)).toBe(0);
  });
});
