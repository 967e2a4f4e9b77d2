// The sweep plots' data: columns sorted by x with the band and whiskers, the heatmap's cells
// and colour scale, the nearest point to a click, when a log axis fits.

import { describe, expect, it } from "vitest";
import { summarise } from "./sweepMath";
import { heatCells, heatColor, lineColumns, nearestIndex, unit, wantsLog } from "./sweepPlot";
import type { SweepRunResult } from "./sweepWire";

function run(values: number[], seed: number, test: number, parameters: number): SweepRunResult {
  return {
    index: 0,
    values,
    seed,
    parameters,
    train_loss: test / 2,
    test_loss: test,
    train_accuracy: 1 - test,
    test_accuracy: 1 - test,
    diverged: false,
  };
}

const THRESHOLD = { metric: "test_accuracy", value: 0.75 } as const;

describe("one-axis columns", () => {
  it("sorts by x and gives mean ± sd and min–max of each point", () => {
    const runs = [run([8], 0, 0.1, 33), run([2], 0, 0.2, 9), run([2], 1, 0.4, 9)];
    const points = summarise(runs, [{ values: [8, 2] }], THRESHOLD);
    const columns = lineColumns(points, "loss", "values");
    expect(columns.x).toEqual([2, 8]);
    expect(columns.test.mean[0]).toBeCloseTo(0.3, 12);
    expect(columns.test.upper[0]).toBeCloseTo(0.3 + Math.SQRT1_2 * 0.2, 12); // sd of 0.2, 0.4
    expect([columns.test.min[0], columns.test.max[0]]).toEqual([0.2, 0.4]);
    expect(columns.train.mean[1]).toBe(0.05);
    expect(columns.success).toEqual([0.5, 1]); // accuracy 0.8 passes 0.75, 0.6 does not
    expect(lineColumns(points, "accuracy", "parameters").x).toEqual([9, 33]);
  });

  it("picks the point nearest a click, in log space on a log axis", () => {
    expect(nearestIndex([1, 10, 100], 40, false)).toBe(1); // 40 is nearer 10 than 100
    expect(nearestIndex([1, 10, 100], 40, true)).toBe(2); // log 40 is nearer log 100
    expect(nearestIndex([], 1, false)).toBe(-1);
  });

  it("uses a log axis over a decade for log settings, over two otherwise", () => {
    expect(wantsLog([0.003, 0.03], true)).toBe(true);
    expect(wantsLog([2, 8], true)).toBe(false);
    expect(wantsLog([1, 50], false)).toBe(false);
    expect(wantsLog([0, 1000], true)).toBe(false);
  });
});

describe("heatmap", () => {
  it("lays out rows by axis 0 and columns by axis 1, empty where nothing ran yet", () => {
    const runs = [run([2, 0.1], 0, 0.5, 9), run([4, 0.3], 0, 0.1, 17)];
    const points = summarise(runs, [{ values: [2, 4] }, { values: [0.1, 0.3] }], THRESHOLD);
    const heat = heatCells(points, [4, 2], [0.1, 0.3], "test_loss");
    expect(heat.cells.map((c) => c.value)).toEqual([null, 0.1, 0.5, null]);
    expect([heat.min, heat.max]).toEqual([0.1, 0.5]);
    expect(heatCells(points, [4, 2], [0.1, 0.3], "success").cells[1]!.value).toBe(1);
  });

  it("colours from viridis' dark purple to its yellow, grey for no value", () => {
    expect(heatColor(0)).toEqual([68, 1, 84]);
    expect(heatColor(1)).toEqual([253, 231, 37]);
    expect(heatColor(0.125)).toEqual([64, 42, 112]); // halfway between the first two stops
    expect(heatColor(NaN)).toEqual([228, 231, 235]);
    expect(unit(0.3, 0.1, 0.5)).toBeCloseTo(0.5, 12);
    expect(unit(2, 2, 2)).toBe(0.5);
  });
});
