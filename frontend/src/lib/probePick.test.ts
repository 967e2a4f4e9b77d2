import { describe, expect, it } from "vitest";
import { nearestTrainingPoint } from "./probePick";
import { dataset } from "./fixtures";

const DATA = dataset({
  train_x: [
    [1, 2],
    [-3, -3],
    [4, -1],
  ],
  train_y: [1, 0, 1],
  test_x: [[0, 0]],
  test_y: [0],
});

describe("nearestTrainingPoint", () => {
  it("takes the nearest training point (never a test point) with its label", () => {
    expect(nearestTrainingPoint(DATA, -2, -2.5)).toEqual({ point: [-3, -3], target: 0 });
    expect(nearestTrainingPoint(DATA, 0, 0)).toEqual({ point: [1, 2], target: 1 });
  });

  it("measures only along x on 1D data", () => {
    const sine = {
      ...DATA,
      dims: 1,
      task: "regression" as const,
      train_x: [[-2], [0.5], [3]],
      train_y: [0.1, 0.2, 0.3],
    };
    expect(nearestTrainingPoint(sine, 0.4, 100)).toEqual({ point: [0.5], target: 0.2 });
  });

  it("is null without training points", () => {
    expect(nearestTrainingPoint({ ...DATA, train_x: [], train_y: [] }, 0, 0)).toBeNull();
  });
});
