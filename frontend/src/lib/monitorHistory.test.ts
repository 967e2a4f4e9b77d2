import { describe, expect, it } from "vitest";
import { MonitorHistory } from "./monitorHistory";
import type { LayerMonitorStats } from "./protocol.gen";

function stats(layer: number, name: string, weightNorm: number, dead: number | null = 0) {
  return {
    layer,
    name,
    weight_norm: weightNorm,
    grad_norm: weightNorm / 10,
    update_ratio: null,
    activation_mean: 0,
    activation_std: 1,
    dead_fraction: dead,
  } satisfies LayerMonitorStats;
}

const net = (a: number, b: number) => [
  stats(0, "hidden layer 1", a),
  stats(1, "output layer", b, null),
];

describe("MonitorHistory", () => {
  it("keeps one series per layer over steps", () => {
    const history = new MonitorHistory();
    history.append(0, net(1, 2));
    history.append(10, net(3, 4));
    expect(history.columns("weight_norm")).toEqual([
      [0, 10],
      [1, 3],
      [2, 4],
    ]);
    expect(history.columns("dead_fraction")).toEqual([
      [0, 10],
      [0, 0],
      [null, null],
    ]);
    expect(history.layers.map((l) => l.name)).toEqual(["hidden layer 1", "output layer"]);
    expect(history.latest?.[1]?.weight_norm).toBe(4);
  });

  it("replaces a sample at the same step and ignores older steps", () => {
    const history = new MonitorHistory();
    history.append(10, net(1, 1));
    history.append(10, net(5, 5));
    history.append(3, net(9, 9));
    expect(history.columns("weight_norm")).toEqual([[10], [5], [5]]);
  });

  it("turns non-finite values into gaps, and non-positive ones too for a log scale", () => {
    const history = new MonitorHistory();
    history.append(0, [{ ...stats(0, "output layer", NaN), update_ratio: 0 }]);
    history.append(1, [{ ...stats(0, "output layer", 2), update_ratio: 1e-3 }]);
    expect(history.columns("weight_norm")).toEqual([
      [0, 1],
      [null, 2],
    ]);
    expect(history.columns("update_ratio")).toEqual([
      [0, 1],
      [0, 1e-3],
    ]);
    expect(history.columns("update_ratio", true)).toEqual([
      [0, 1],
      [null, 1e-3],
    ]);
  });

  it("starts over when the layers change (a new architecture)", () => {
    const history = new MonitorHistory();
    history.append(0, net(1, 2));
    history.append(5, [stats(0, "output layer", 7)]);
    expect(history.columns("weight_norm")).toEqual([[5], [7]]);
    expect(history.layers).toEqual([{ layer: 0, name: "output layer" }]);
  });

  it("stays within its capacity, keeping the first and the newest sample", () => {
    const history = new MonitorHistory(4);
    for (let step = 0; step < 20; step++) history.append(step, net(step, -step));
    const [steps, first] = history.columns("weight_norm");
    expect(history.length).toBeLessThanOrEqual(4);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(19);
    expect(first).toEqual(steps);
  });

  it("keeps a long run evenly sampled, not the start ever sparser", () => {
    const history = new MonitorHistory(50);
    for (let step = 0; step < 5_000; step++) history.append(step, net(step, 1));
    const [steps] = history.columns("weight_norm");
    expect(steps.length).toBeLessThanOrEqual(50);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(4_999);
    const gaps = new Set(steps.slice(1, -1).map((s, i) => s - steps[i]!));
    expect([...gaps]).toHaveLength(1); // one spacing throughout, the newest apart
    expect(Math.max(...gaps)).toBeLessThanOrEqual((2 * 5_000) / 50);
  });

  it("gives each layer's activation mean with its ±1 std band", () => {
    const history = new MonitorHistory();
    const at = (mean: number, std: number | null) => ({
      ...stats(0, "output layer", 1),
      activation_mean: mean,
      activation_std: std,
    });
    history.append(0, [at(1, 0.5)]);
    history.append(1, [at(2, null)]);
    expect(history.spreadColumns()).toEqual([
      [0, 1],
      [1, 2],
      [0.5, null],
      [1.5, null],
    ]);
  });

  it("forgets everything on clear", () => {
    const history = new MonitorHistory();
    history.append(0, net(1, 2));
    history.clear();
    expect(history.length).toBe(0);
    expect(history.latest).toBeNull();
    history.append(0, net(3, 4));
    expect(history.columns("weight_norm")).toEqual([[0], [3], [4]]);
  });
});
