import { describe, expect, it } from "vitest";
import type { DepthCounts } from "../protocol.gen";
import { decadeLabel, layoutExplorePlot } from "./explorePlot";

const row = (
  depth: number,
  width: number,
  min: number,
  mean: number,
  max: number,
): DepthCounts => ({
  depth,
  width,
  counts: [min, mean, max],
  mean,
  std: 0,
  min,
  max,
});

const SIZE = { width: 240, height: 120, margin: { left: 40, right: 0, top: 10, bottom: 10 } };

describe("layoutExplorePlot", () => {
  it("spreads the depths evenly and puts counts on a whole-decade log axis", () => {
    // Depth 1, width 8: the construction is 37; depth 2, width 4: 4 · 11 = 44.
    const layout = layoutExplorePlot([row(1, 8, 10, 20, 30), row(2, 4, 5, 8, 9)], SIZE);
    expect(layout.columns.map((c) => c.x)).toEqual([90, 190]);
    expect(layout.yTicks.map((t) => t.label)).toEqual(["1", "10", "100"]);
    expect(layout.yTicks.map((t) => t.y)).toEqual([110, 60, 10]);
    const [first] = layout.columns;
    expect(first!.min).toBeCloseTo(60); // 10 is one decade up
    expect(first!.max).toBeLessThan(first!.mean);
    expect(first!.mean).toBeLessThan(first!.min);
    expect(first!.achievable?.value).toBe(37n);
    expect(layout.columns[1]!.achievable?.value).toBe(44n);
  });

  it("has no construction for layers narrower than the input", () => {
    const layout = layoutExplorePlot([row(4, 1, 2, 2, 3)], SIZE);
    expect(layout.columns[0]!.achievable).toBeNull();
  });

  it("draws an empty axis without rows", () => {
    const layout = layoutExplorePlot([], SIZE);
    expect(layout.columns).toEqual([]);
    expect(layout.yTicks.map((t) => t.label)).toEqual(["1", "10"]);
  });
});

describe("decadeLabel", () => {
  it("abbreviates thousands and millions", () => {
    expect([0, 1, 2, 3, 4, 6, 9, 13].map(decadeLabel)).toEqual([
      "1",
      "10",
      "100",
      "1k",
      "10k",
      "1M",
      "1G",
      "1e13",
    ]);
  });
});
