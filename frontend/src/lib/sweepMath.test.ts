// sweepMath and sweepForm against values worked out by hand.

import { describe, expect, it } from "vitest";
import { SETTINGS } from "./fixtures";
import { axisForm, formRequest } from "./sweepForm";
import {
  crossing,
  expandRange,
  gridSize,
  parameterCount,
  parseList,
  pointSettings,
  representative,
  stats,
  summarise,
} from "./sweepMath";
import type { SweepLimits, SweepRunResult } from "./sweepWire";

const LIMITS: SweepLimits = {
  max_sweep_runs: 2000,
  max_sweep_steps: 20000,
  max_sweep_axis_values: 50,
  max_sweep_seeds: 100,
};

function run(values: number[], seed: number, test: number | null, acc = 0.5): SweepRunResult {
  return {
    index: 0,
    values,
    seed,
    parameters: 10 * values[0]!,
    train_loss: test === null ? null : test / 2,
    test_loss: test,
    train_accuracy: acc,
    test_accuracy: acc,
    diverged: test === null,
  };
}

describe("ranges and lists", () => {
  it("spaces a log range by a constant factor", () => {
    expect(expandRange(0.001, 0.1, 3, "log").values).toEqual([0.001, 0.01, 0.1]);
    expect(expandRange(1, 32, 6, "log", true).values).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it("spaces a linear range evenly and rounds whole-number settings without repeats", () => {
    expect(expandRange(0, 1, 5, "linear").values).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(expandRange(1, 2, 3, "linear", true).values).toEqual([1, 2]);
    expect(expandRange(0.3, 0.3, 1, "linear").values).toEqual([0.3]);
  });

  it("says why a range cannot be made", () => {
    expect(expandRange(0, 1, 3, "log").error).toBe("a log range needs from, to > 0");
    expect(expandRange(1, 2, 0, "linear").error).toMatch(/count/);
  });

  it("reads lists with commas or spaces and names a bad entry", () => {
    expect(parseList("2, 3, 4 8").values).toEqual([2, 3, 4, 8]);
    expect(parseList("2, x").error).toBe('"x" is not a number');
    expect(parseList("2.5", true).error).toBe("whole numbers only");
    expect(parseList(" ").error).toMatch(/at least one/);
  });

  it("counts points and runs of the grid", () => {
    expect(gridSize([{ values: [2, 4] }, { values: [0.03, 0.3] }], 2)).toEqual({
      points: 4,
      runs: 8,
    });
  });
});

describe("the form's request", () => {
  it("expands each axis and keeps seeds and steps", () => {
    const width = { ...axisForm("width"), mode: "list" as const, list: "2 4", layer: 0 };
    const lr = { ...axisForm("learning_rate"), from: 0.03, to: 0.3, count: 2 };
    const form = { axes: [width, lr], seeds: 2, steps: 200 };
    expect(formRequest(form, LIMITS)).toEqual({
      request: {
        axes: [
          { setting: "width", values: [2, 4], layer: 0 },
          { setting: "learning_rate", values: [0.03, 0.3], layer: null },
        ],
        seeds_per_point: 2,
        steps: 200,
      },
      error: null,
    });
  });

  it("refuses two axes on one setting, too many values, and a seed axis takes one seed", () => {
    const lr = axisForm("learning_rate");
    expect(formRequest({ axes: [lr, lr], seeds: 1, steps: 10 }, LIMITS).error).toMatch(/different/);
    const many = { ...lr, count: 51, spacing: "linear" as const, from: 1, to: 51 };
    expect(formRequest({ axes: [many], seeds: 1, steps: 10 }, LIMITS).error).toBe(
      "Axis 1: at most 50 values, got 51",
    );
    const seeds = { ...axisForm("seed"), from: 0, to: 4, count: 5, spacing: "linear" as const };
    const result = formRequest({ axes: [seeds], seeds: 7, steps: 10 }, LIMITS);
    expect(result.request?.seeds_per_point).toBe(1);
    expect(result.request?.axes[0]?.values).toEqual([0, 1, 2, 3, 4]);
    expect(formRequest({ axes: [lr], seeds: 1, steps: 20001 }, LIMITS).error).toMatch(/Steps/);
  });
});

describe("statistics over seeds", () => {
  it("gives the mean, the sample sd, min and max of the finite values", () => {
    const s = stats([1, 2, 3, 4])!;
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12); // squares 2.25+0.25+0.25+2.25 over n−1 = 3
    expect([s.min, s.max, s.n]).toEqual([1, 4, 4]);
    expect(stats([5, null, NaN])).toEqual({ mean: 5, sd: 0, min: 5, max: 5, n: 1 });
    expect(stats([null])).toBeNull();
  });

  it("groups runs per point in grid order, with success rate and divergences", () => {
    const axes = [{ values: [2, 4] }];
    const results = [
      run([4], 0, 0.2, 1),
      run([2], 0, 0.4, 0.96),
      run([2], 1, null, 0.5),
      run([2], 2, 0.6, 0.95),
      run([2], 3, 0.5, 0.94),
    ];
    const points = summarise(results, axes, { metric: "test_accuracy", value: 0.95 });
    expect(points.map((p) => p.values)).toEqual([[2], [4]]);
    const [two, four] = points;
    expect(two!.success).toBe(0.5); // 0.96 and 0.95 reach 0.95; 0.5 and 0.94 do not
    expect(two!.diverged).toBe(1);
    expect(two!.stats.test_loss!.mean).toBeCloseTo(0.5, 12);
    expect(two!.parameters).toBe(20);
    expect(four!.success).toBe(1);
    const byLoss = summarise(results, axes, { metric: "test_loss", value: 0.45 });
    expect(byLoss[0]!.success).toBe(0.25); // only 0.4; the diverged run fails
  });

  it("loads the seed whose metric is the median", () => {
    const [point] = summarise(
      [run([2], 0, 0.1), run([2], 1, 0.5), run([2], 2, 0.3)],
      [{ values: [2] }],
      { metric: "test_loss", value: 1 },
    );
    expect(representative(point!, "test_loss").seed).toBe(2);
  });
});

describe("parameters and the grid point's settings", () => {
  it("counts weights and biases: 2-4-2-1 has 3·4 + 5·2 + 3·1 = 25", () => {
    expect(parameterCount(SETTINGS)).toBe(25);
    const normed = { ...SETTINGS.network.hidden[0]!, batch_norm: true };
    const one = { ...SETTINGS, network: { ...SETTINGS.network, hidden: [normed] } };
    expect(parameterCount(one)).toBe(3 * 4 + 2 * 4 + 5); // + a scale and a shift per unit
  });

  it("changes depth first, then width, and the training and data settings", () => {
    const axes = [
      { setting: "depth" as const, layer: null },
      { setting: "width" as const, layer: null },
    ];
    const deep = pointSettings(SETTINGS, axes, [3, 8], 5);
    expect(deep.network.hidden.map((l) => [l.units, l.activation])).toEqual([
      [8, "tanh"],
      [8, "tanh"],
      [8, "tanh"],
    ]);
    expect(deep.seed).toBe(5);
    const first = pointSettings(SETTINGS, [{ setting: "width", layer: 0 }], [3], 0);
    expect(first.network.hidden.map((l) => l.units)).toEqual([3, 2]);
    const other = pointSettings(
      SETTINGS,
      [
        { setting: "learning_rate", layer: null },
        { setting: "label_noise", layer: null },
      ],
      [0.3, 0.2],
      1,
    );
    expect(other.training.learning_rate).toBe(0.3);
    expect(other.dataset.label_noise).toBe(0.2);
    expect(SETTINGS.training.learning_rate).toBe(0.03); // the base is not changed
  });

  it("finds where the parameters cross the training points", () => {
    expect(crossing([1, 2, 4, 8], [5, 9, 17, 33], 13)).toBe(3);
    expect(crossing([1, 2, 4, 8], [5, 9, 17, 33], 13, true)).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(crossing([1, 2], [5, 9], 100)).toBeNull();
  });
});
