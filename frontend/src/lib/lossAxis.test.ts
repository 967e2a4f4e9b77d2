import { describe, expect, it } from "vitest";
import { envelope, linearEdge, MinMaxIndex } from "./decimate";
import {
  AUTO_LOG_STEPS_FROM,
  asinhEdge,
  formatSteps,
  logStepTicks,
  stepRange,
  useLogSteps,
} from "./lossAxis";

describe("formatSteps", () => {
  it("labels steps in at most four characters", () => {
    const cases: [number, string][] = [
      [0, "0"],
      [250, "250"],
      [1000, "1k"],
      [1500, "1.5k"],
      [12_500, "12.5k"],
      [100_000, "100k"],
      [2_500_000, "2.5M"],
    ];
    for (const [step, label] of cases) expect(formatSteps(step)).toBe(label);
  });

  it("leaves ticks that are no step unlabelled", () => {
    for (const tick of [null, -10, 0.5]) expect(formatSteps(tick)).toBe("");
  });
});

describe("asinhEdge", () => {
  it("spans the range from first to last", () => {
    const edge = asinhEdge(10);
    expect(edge(0, 100_000, 0, 100)).toBeCloseTo(0);
    expect(edge(0, 100_000, 100, 100)).toBeCloseTo(100_000);
  });

  it("gives the first hundred steps a good share of the columns after 100k steps", () => {
    const edge = asinhEdge(50);
    const columns = 400;
    const early = Array.from({ length: columns }, (_, i) => edge(0, 100_000, i + 1, columns));
    const under100 = early.filter((x) => x <= 100).length;
    const under1000 = early.filter((x) => x <= 1000).length;
    expect(under100 / columns).toBeGreaterThan(0.15); // a linear axis gives them 0.1 %
    expect(under1000 / columns).toBeGreaterThan(0.4);
    expect(linearEdge(0, 100_000, 1, columns)).toBe(250);
  });

  it("lets the envelope keep the start's detail on a long run", () => {
    const n = 100_001;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const loss = Float64Array.from(xs, (x) => 1 / (1 + x));
    const index = new MinMaxIndex();
    for (let i = 0; i < n; i++) index.push(loss.subarray(0, i + 1));
    const series = [{ values: loss, index }];
    const linear = envelope(xs, n, series, 400);
    const log = envelope(xs, n, series, 400, asinhEdge(50));
    const before100 = (x: number[]) => x.filter((step) => step < 100).length;
    expect(before100(linear.x)).toBe(1); // all of steps 0-249 in one column
    expect(before100(log.x)).toBeGreaterThan(50);
  });
});

describe("stepRange", () => {
  it("is exactly the steps run, and never empty", () => {
    expect(stepRange(0, 123_456)).toEqual([0, 123_456]);
    expect(stepRange(0, 0)).toEqual([0, 1]);
    expect(stepRange(null, null)).toEqual([0, 1]);
    expect(stepRange(5, NaN)).toEqual([5, 6]);
  });
});

describe("useLogSteps", () => {
  it("follows the run's length until the user chooses", () => {
    expect(useLogSteps(null, 0)).toBe(false);
    expect(useLogSteps(null, AUTO_LOG_STEPS_FROM - 1)).toBe(false);
    expect(useLogSteps(null, AUTO_LOG_STEPS_FROM)).toBe(true);
    expect(useLogSteps(false, 1_000_000)).toBe(false);
    expect(useLogSteps(true, 0)).toBe(true);
  });
});

describe("logStepTicks", () => {
  // A 600-pixel arcsinh axis, as the chart draws it.
  const axis = (last: number) => (step: number) =>
    (600 * Math.asinh(step / 50)) / Math.asinh(last / 50);

  it("labels 0 and every power of ten that has room, and more where there is room", () => {
    const ticks = logStepTicks(0, 100_000, axis(100_000), 44);
    for (const power of [0, 100, 1000, 10_000, 100_000]) expect(ticks).toContain(power);
    const pixels = ticks.map(axis(100_000));
    for (let i = 1; i < pixels.length; i++)
      expect(pixels[i]! - pixels[i - 1]!).toBeGreaterThanOrEqual(44);
  });

  it("never places a tick outside the steps run", () => {
    const ticks = logStepTicks(0, 7_000, axis(7_000), 44);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(7_000);
    expect(ticks).toContain(5000);
  });
});
