import { describe, expect, it } from "vitest";
import { architectureSummary, isPiecewiseLinear, parameterCount } from "./network";

const layers = (...units: number[]) => units.map((u) => ({ units: u, activation: "relu" }));

describe("network facts", () => {
  it("summarises the architecture", () => {
    expect(architectureSummary(layers(4, 2))).toBe("2 inputs → 4 → 2 → 1 output");
    expect(architectureSummary([])).toBe("2 inputs → 1 output");
    expect(architectureSummary(layers(3), 1, 4)).toBe("1 input → 3 → 4 outputs");
  });

  it("counts weights and biases", () => {
    expect(parameterCount([])).toBe(3);
    expect(parameterCount(layers(4, 2))).toBe(3 * 4 + 5 * 2 + 3 * 1);
    expect(parameterCount(layers(4), 5, 3)).toBe(6 * 4 + 5 * 3);
  });

  it("counts the scale and shift of each norm", () => {
    const normed = [{ units: 4, activation: "relu", batch_norm: true, layer_norm: true }];
    expect(parameterCount(normed)).toBe(3 * 4 + 5 * 1 + 2 * 4 + 2 * 4);
  });

  it("knows when every activation is piecewise linear", () => {
    const piecewise = new Set(["relu", "linear"]);
    expect(isPiecewiseLinear(layers(3), piecewise)).toBe(true);
    expect(isPiecewiseLinear([{ units: 3, activation: "tanh" }], piecewise)).toBe(false);
  });
});
