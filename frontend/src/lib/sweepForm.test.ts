// The presets' setups: what each changes in the learner's settings and what it keeps.

import { describe, expect, it } from "vitest";
import { SETTINGS } from "./fixtures";
import type { RunSettings } from "./protocol.gen";
import { axisValues, SWEEP_PRESETS } from "./sweepForm";

const doubleDescent = SWEEP_PRESETS.find((preset) => preset.id === "double-descent")!;

function withData(name: string, loss: string): RunSettings {
  return {
    ...SETTINGS,
    dataset: { ...SETTINGS.dataset, name },
    training: { ...SETTINGS.training, loss },
  };
}

describe("the double-descent preset", () => {
  it("keeps a 2D classification dataset and solves the read-out by least squares", () => {
    const set = doubleDescent.setup(withData("moons", "bce"));
    expect(set.dataset).toMatchObject({
      name: "moons",
      points: 200,
      train_fraction: 0.15,
      label_noise: 0.2,
    });
    expect(set.training.readout).toBe("least_squares");
    expect(set.network.hidden).toHaveLength(1);
    expect(set.network.hidden[0]).toMatchObject({ activation: "relu", dropout: 0 });
  });

  it("moves regression, digits and custom data to circle with binary cross-entropy", () => {
    for (const [name, loss] of [
      ["sine", "mse"],
      ["digits", "cross_entropy"],
      ["custom", "bce"],
    ] as const) {
      const set = doubleDescent.setup(withData(name, loss));
      expect(set.dataset).toMatchObject({ name: "circle", classes: 2 });
      expect(set.network.features).toEqual(["x1", "x2"]);
      expect(set.training.loss).toBe("bce");
    }
  });

  it("spans the threshold of 30 training points closely, from far below to far past it", () => {
    const values = axisValues(doubleDescent.form.axes[0]!);
    expect(values.error).toBeNull();
    const widths = values.values ?? [];
    expect(Math.min(...widths)).toBe(1);
    expect(Math.max(...widths)).toBe(128);
    // 29 units + bias = 30 read-out parameters: the threshold itself is on the grid
    expect(widths).toContain(29);
    expect(widths.filter((w) => w >= 24 && w <= 36).length).toBeGreaterThanOrEqual(5);
    expect(doubleDescent.form.steps).toBe(1); // the fit is exact from the start: steps change nothing
  });
});
