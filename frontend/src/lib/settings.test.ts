import { describe, expect, it } from "vitest";
import type { CatalogEntry, DatasetEvent, DatasetSettings, LossEntry } from "./protocol.gen";
import {
  classRange,
  dataShape,
  datasetGroups,
  describe as describeEntry,
  featureFits,
  featureLabel,
  lossesFor,
  lossLabel,
  outputSummary,
  toggleFeature,
} from "./settings";

function entry(name: string, extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    name,
    description: `${name} described`,
    dims: null,
    image_shape: null,
    min_classes: null,
    max_classes: null,
    piecewise_linear: false,
    task: null,
    ...extra,
  };
}

const two = { task: "classification", dims: 2, min_classes: 2, max_classes: 2 } as const;
const many = { task: "classification", dims: 2, min_classes: 2, max_classes: 6 } as const;
const values = { task: "regression", min_classes: 0, max_classes: 0 } as const;
const DATASETS = [
  entry("circle", two),
  entry("spiral", many),
  entry("blobs", many),
  entry("plane", { ...values, dims: 2 }),
  entry("sine", { ...values, dims: 1 }),
];
function loss(
  name: string,
  head: LossEntry["head"],
  naive: boolean,
  twin: string | null,
): LossEntry {
  const task = head === "identity" ? "regression" : "classification";
  return { ...entry(name, { task }), head, naive, twin };
}

// Names unlike the server's on purpose: the facts come from the entries, never from the names.
const LOSSES = [
  loss("logistic", "sigmoid", false, "logistic_by_hand"),
  loss("logistic_by_hand", "sigmoid", true, "logistic"),
  loss("softmax_ce", "softmax", false, "softmax_ce_by_hand"),
  loss("softmax_ce_by_hand", "softmax", true, "softmax_ce"),
  loss("squared", "identity", false, null),
];
const FEATURES = [
  entry("x1", { dims: 1 }),
  entry("x2", { dims: 2 }),
  entry("x1_squared", { dims: 1 }),
  entry("x1_x2", { dims: 2 }),
];

const data = (name: string, classes = 2): DatasetSettings => ({
  name,
  classes,
  points: 100,
  noise: 0,
  train_fraction: 0.5,
  label_noise: 0,
});
const names = (entries: CatalogEntry[]) => entries.map((e) => e.name);

describe("data shape", () => {
  it("reads task, classes and dims from the catalog", () => {
    expect(dataShape(DATASETS, data("spiral", 4), null)).toEqual({
      task: "classification",
      classes: 4,
      dims: 2,
    });
    expect(dataShape(DATASETS, data("sine"), null)).toEqual({
      task: "regression",
      classes: 1,
      dims: 1,
    });
  });

  it("reads custom data from its dataset event", () => {
    const event = { type: "dataset", task: "regression", classes: 1, dims: 2 } as DatasetEvent;
    expect(dataShape(DATASETS, data("custom"), event)).toEqual({
      task: "regression",
      classes: 1,
      dims: 2,
    });
  });
});

describe("losses for the data", () => {
  it("offers both families for two classes", () => {
    expect(names(lossesFor(LOSSES, { task: "classification", classes: 2, dims: 2 }))).toEqual([
      "logistic",
      "logistic_by_hand",
      "softmax_ce",
      "softmax_ce_by_hand",
    ]);
  });

  it("offers only the softmax family for more classes", () => {
    expect(names(lossesFor(LOSSES, { task: "classification", classes: 3, dims: 2 }))).toEqual([
      "softmax_ce",
      "softmax_ce_by_hand",
    ]);
  });

  it("offers only regression losses for regression", () => {
    expect(names(lossesFor(LOSSES, { task: "regression", classes: 1, dims: 1 }))).toEqual([
      "squared",
    ]);
  });

  it("names each loss and says which are naive", () => {
    const bce = loss("bce", "sigmoid", false, "bce_naive");
    expect(lossLabel(bce)).toBe("binary cross-entropy (stable)");
    expect(lossLabel(loss("bce_naive", "sigmoid", true, "bce"))).toBe(
      "binary cross-entropy (naive)",
    );
    expect(lossLabel(loss("mse", "identity", false, null))).toBe("mean squared error");
    expect(lossLabel({ ...bce, twin: null })).toBe("binary cross-entropy"); // no twin: no "stable"
  });

  it("describes the output layer each loss reads", () => {
    expect(outputSummary(LOSSES[0], 1)).toContain("sigmoid");
    expect(outputSummary(LOSSES[2], 3)).toBe("3 logits, softmax → P(each class)");
    expect(outputSummary(LOSSES[4], 1)).toContain("one value");
  });
});

describe("features", () => {
  it("keeps the features of x2 off 1D data", () => {
    expect(FEATURES.filter((f) => featureFits(f, 1)).map((f) => f.name)).toEqual([
      "x1",
      "x1_squared",
    ]);
    expect(FEATURES.every((f) => featureFits(f, 2))).toBe(true);
  });

  it("toggles in catalog order and never leaves none", () => {
    expect(toggleFeature(FEATURES, ["x2", "x1"], "x1_x2", true)).toEqual(["x1", "x2", "x1_x2"]);
    expect(toggleFeature(FEATURES, ["x1", "x2"], "x1", false)).toEqual(["x2"]);
    expect(toggleFeature(FEATURES, ["x2"], "x2", false)).toEqual(["x2"]);
  });

  it("writes features as formulas", () => {
    expect(featureLabel("x1_squared")).toBe("x₁²");
    expect(featureLabel("unknown")).toBe("unknown");
  });
});

describe("datasets", () => {
  it("groups by task", () => {
    expect(datasetGroups(DATASETS).map((g) => [g.label, names(g.entries)])).toEqual([
      ["2 classes", ["circle"]],
      ["2 or more classes", ["spiral", "blobs"]],
      ["Regression", ["plane", "sine"]],
    ]);
  });

  it("offers a classes range only where the dataset has one", () => {
    expect(classRange(DATASETS[1])).toEqual([2, 6]);
    expect(classRange(DATASETS[0])).toBeNull();
    expect(classRange(DATASETS[3])).toBeNull();
    expect(classRange(undefined)).toBeNull();
  });

  it("finds descriptions", () => {
    expect(describeEntry(DATASETS, "circle")).toBe("circle described");
    expect(describeEntry(DATASETS, "nope")).toBe("");
  });
});
