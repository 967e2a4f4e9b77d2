import { describe, expect, it } from "vitest";
import { LossHistory } from "./history";

const samples = (steps: number[]) => ({
  steps,
  train_loss: steps.map((s) => 1 / (s + 1)),
  test_loss: steps.map((s) => 2 / (s + 1)),
});

describe("LossHistory", () => {
  it("appends columns and clears", () => {
    const history = new LossHistory();
    history.append(samples([1, 2]));
    history.append(samples([3]));
    expect(history.samples()[0]).toEqual([1, 2, 3]);
    expect(history.samples()[1]).toEqual([0.5, 1 / 3, 0.25]);
    history.clear();
    expect(history.length).toBe(0);
  });

  it("turns non-finite losses into gaps", () => {
    const history = new LossHistory();
    history.append({ steps: [1, 2], train_loss: [NaN, Infinity], test_loss: [0.5, NaN] });
    expect(history.samples()[1]).toEqual([null, null]);
    expect(history.samples()[2]).toEqual([0.5, null]);
  });

  it("ignores samples it already has", () => {
    const history = new LossHistory();
    history.append(samples([1, 2, 3]));
    history.append(samples([3, 4]));
    expect(history.samples()[0]).toEqual([1, 2, 3, 4]);
  });

  it("thins to its capacity and keeps the newest sample", () => {
    const history = new LossHistory(10);
    history.append(samples(Array.from({ length: 25 }, (_, i) => i + 1)));
    expect(history.length).toBeLessThanOrEqual(10);
    expect(history.samples()[0].at(-1)).toBe(25);
    expect(history.samples()[0][0]).toBe(1);
    const steps = history.samples()[0];
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(history.samples()[1]).toHaveLength(steps.length);
  });

  it("draws a long history as per-column lows and highs, keeping the extremes", () => {
    const history = new LossHistory();
    const n = 100_000;
    const steps = Array.from({ length: n }, (_, i) => i + 1);
    const wave = (s: number) => 1 / Math.sqrt(s) + 0.1 * Math.sin(s * 1.7);
    history.append({ steps, train_loss: steps.map(wave), test_loss: steps.map((s) => 2 / s) });
    const [x, trainLow, trainHigh, testLow, testHigh] = history.bands(200);
    expect(x.length).toBeLessThanOrEqual(201);
    expect([x[0], x.at(-1)]).toEqual([1, n]);
    for (const column of [trainLow, trainHigh, testLow, testHigh]) {
      expect(column).toHaveLength(x.length);
    }
    const all = steps.map(wave);
    expect(Math.min(...(trainLow as number[]))).toBe(Math.min(...all));
    expect(Math.max(...(trainHigh as number[]))).toBe(Math.max(...all));
    expect(Math.min(...(testLow as number[]))).toBe(2 / n);
    expect(testHigh[0]).toBe(2);
  });

  it("draws every sample when there are fewer than columns", () => {
    const history = new LossHistory();
    history.append({ steps: [1, 2, 3], train_loss: [0.5, NaN, 0.25], test_loss: [1, 1, 1] });
    expect(history.bands(100)).toEqual([
      [1, 2, 3],
      [0.5, null, 0.25],
      [0.5, null, 0.25],
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it("keeps drawing right after thinning", () => {
    const history = new LossHistory(1000);
    const steps = Array.from({ length: 2500 }, (_, i) => i + 1);
    const spike = (s: number) => (s === 1501 ? 9 : 1 / s);
    history.append({ steps, train_loss: steps.map(spike), test_loss: steps.map(() => 1) });
    const [x, low, high] = history.bands(10);
    const [fullX, fullTrain] = history.samples();
    expect(fullX.length).toBeLessThanOrEqual(1000);
    expect(x.at(-1)).toBe(2500);
    expect(Math.max(...(high as number[]))).toBe(Math.max(...(fullTrain as number[])));
    expect(Math.min(...(low as number[]))).toBe(Math.min(...(fullTrain as number[])));
  });
});
