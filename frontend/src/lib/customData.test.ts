import { describe, expect, it } from "vitest";
import { addPoint, customPoints, erasePoints, pointCount, toCsv } from "./customData";
import type { DatasetEvent } from "./protocol.gen";

const DATA: DatasetEvent = {
  type: "dataset",
  box: [-6, 6, -6, 6],
  task: "classification",
  classes: 3,
  dims: 2,
  image_shape: null,
  train_x: [
    [0, 0],
    [1, 1],
  ],
  train_y: [0, 2],
  test_x: [[-5.5, 0.123456789]],
  test_y: [1],
};

describe("custom data", () => {
  it("takes training and test points together", () => {
    expect(customPoints(DATA)).toEqual({
      x: [
        [0, 0],
        [1, 1],
        [-5.5, 0.123456789],
      ],
      y: [0, 2, 1],
      task: "classification",
    });
    expect(pointCount(DATA)).toBe(3);
    expect(pointCount(null)).toBe(0);
  });

  it("adds a training point", () => {
    const next = addPoint(DATA, 2, -3, 1);
    expect(next.train_x.at(-1)).toEqual([2, -3]);
    expect(next.train_y.at(-1)).toBe(1);
    expect(pointCount(next)).toBe(4);
    expect(pointCount(DATA)).toBe(3);
  });

  it("erases the points near the pointer, from both sets", () => {
    const next = erasePoints(DATA, 0.4, 0.4, 0.6)!;
    expect(next.train_x).toEqual([[1, 1]]);
    expect(next.train_y).toEqual([2]);
    expect(next.test_x).toHaveLength(1);
  });

  it("erases nothing when nothing is near, or when too few points would be left", () => {
    expect(erasePoints(DATA, 4, 4, 0.5)).toBeNull();
    expect(erasePoints(DATA, 0, 0, 20)).toBeNull();
  });
});

describe("toCsv", () => {
  it("writes classes under x1,x2,label with every digit kept", () => {
    expect(toCsv(customPoints(DATA))).toBe("x1,x2,label\n0,0,0\n1,1,2\n-5.5,0.123456789,1\n");
  });

  it("writes values under x1,x2,y", () => {
    const csv = toCsv({
      x: [
        [0.5, -1],
        [2, 3],
      ],
      y: [-0.25, 1e-7],
      task: "regression",
    });
    expect(csv).toBe("x1,x2,y\n0.5,-1,-0.25\n2,3,1e-7\n");
  });

  it("reads back to the same numbers", () => {
    const points = customPoints(DATA);
    const rows = toCsv(points).trim().split("\n").slice(1);
    expect(rows.map((row) => row.split(",").slice(0, 2).map(Number))).toEqual(points.x);
  });
});
