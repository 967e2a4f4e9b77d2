import { describe, expect, it } from "vitest";
import type { RunSettings } from "./protocol.gen";
import { layer, record, SETTINGS } from "./runFixtures";
import {
  decimateCurves,
  defaultRunName,
  diffSettings,
  flattenSettings,
  isRunRecord,
} from "./runRecord";

describe("defaultRunName", () => {
  it("names the activation, the widths from inputs to outputs, the data and the steps", () => {
    expect(defaultRunName(SETTINGS, 1234)).toBe("relu 2-4-2-1 on spiral · 1,234 steps");
    expect(defaultRunName(SETTINGS, 1)).toBe("relu 2-4-2-1 on spiral · 1 step");
  });

  it("joins mixed activations and leaves them out of a net with no hidden layer", () => {
    const mixed = {
      ...SETTINGS,
      network: { ...SETTINGS.network, hidden: [layer(8, "tanh"), layer(8, "relu")] },
    };
    expect(defaultRunName(mixed as RunSettings, 5)).toBe("tanh/relu 2-8-8-1 on spiral · 5 steps");
    const bare = { ...SETTINGS, network: { ...SETTINGS.network, hidden: [] } };
    expect(defaultRunName(bare as RunSettings, 5)).toBe("2-1 on spiral · 5 steps");
  });
});

describe("decimateCurves", () => {
  it("keeps short curves whole", () => {
    const curves = decimateCurves([
      [1, 2, 3],
      [0.3, null, 0.1],
      [0.4, 0.3, 0.2],
    ]);
    expect(curves).toEqual({ steps: [1, 2, 3], train: [0.3, null, 0.1], test: [0.4, 0.3, 0.2] });
  });

  it("thins a long curve to the limit, keeping its first and last samples in order", () => {
    const n = 10_001;
    const steps = Array.from({ length: n }, (_, i) => i + 1);
    const curves = decimateCurves([steps, steps.map((s) => 1 / s), steps.map((s) => 2 / s)], 500);
    expect(curves.steps).toHaveLength(500);
    expect(curves.train).toHaveLength(500);
    expect(curves.steps[0]).toBe(1);
    expect(curves.steps.at(-1)).toBe(n);
    expect(curves.steps.every((s, i) => i === 0 || s > curves.steps[i - 1]!)).toBe(true);
    curves.steps.forEach((s, i) => expect(curves.test[i]).toBe(2 / s)); // values stay paired
  });
});

describe("diffSettings", () => {
  it("marks only the settings whose values differ", () => {
    const tanh = {
      ...SETTINGS,
      network: { ...SETTINGS.network, hidden: [layer(4, "tanh"), layer(2, "relu")] },
    };
    const rows = diffSettings([SETTINGS, tanh]);
    const differing = rows.filter((r) => r.differs);
    expect(differing).toEqual([
      { path: "network.hidden.0.activation", values: ["relu", "tanh"], differs: true },
    ]);
    expect(rows.find((r) => r.path === "training.learning_rate")).toEqual({
      path: "training.learning_rate",
      values: ["0.03", "0.03"],
      differs: false,
    });
  });

  it("shows a layer one run lacks as a dash", () => {
    const deeper = {
      ...SETTINGS,
      network: { ...SETTINGS.network, hidden: [...SETTINGS.network.hidden, layer(3, "relu")] },
    };
    const units = diffSettings([SETTINGS, deeper]).find((r) => r.path === "network.hidden.2.units");
    expect(units).toEqual({ path: "network.hidden.2.units", values: ["—", "3"], differs: true });
  });

  it("reads a list of names as one value", () => {
    expect(flattenSettings(SETTINGS).get("network.features")).toBe("x1, x2");
  });
});

describe("isRunRecord", () => {
  it("accepts a record and refuses other schemas and damaged ones", () => {
    expect(isRunRecord(record())).toBe(true);
    expect(isRunRecord({ ...record(), schema: 2 })).toBe(false);
    expect(isRunRecord({ ...record(), metrics: null })).toBe(false);
    expect(isRunRecord({ ...record(), curves: { steps: [1, 2], train: [1], test: [1, 2] } })).toBe(
      false,
    );
    expect(isRunRecord("junk")).toBe(false);
  });
});
