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
    expect(history.columns[0]).toEqual([1, 2, 3]);
    expect(history.columns[1]).toEqual([0.5, 1 / 3, 0.25]);
    history.clear();
    expect(history.length).toBe(0);
  });

  it("turns non-finite losses into gaps", () => {
    const history = new LossHistory();
    history.append({ steps: [1, 2], train_loss: [NaN, Infinity], test_loss: [0.5, NaN] });
    expect(history.columns[1]).toEqual([null, null]);
    expect(history.columns[2]).toEqual([0.5, null]);
  });

  it("ignores samples it already has", () => {
    const history = new LossHistory();
    history.append(samples([1, 2, 3]));
    history.append(samples([3, 4]));
    expect(history.columns[0]).toEqual([1, 2, 3, 4]);
  });

  it("thins to its capacity and keeps the newest sample", () => {
    const history = new LossHistory(10);
    history.append(samples(Array.from({ length: 25 }, (_, i) => i + 1)));
    expect(history.length).toBeLessThanOrEqual(10);
    expect(history.columns[0].at(-1)).toBe(25);
    expect(history.columns[0][0]).toBe(1);
    const steps = history.columns[0];
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(history.columns[1]).toHaveLength(steps.length);
  });
});
