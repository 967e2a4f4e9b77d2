import { describe, expect, it } from "vitest";
import { RegionHistory } from "./regionHistory";

describe("RegionHistory", () => {
  it("appends (step, regions) pairs in order", () => {
    const history = new RegionHistory();
    history.append(0, 12);
    history.append(50, 20);
    expect(history.columns).toEqual([
      [0, 50],
      [12, 20],
    ]);
  });

  it("replaces a count at the same step and ignores older steps", () => {
    const history = new RegionHistory();
    history.append(10, 5);
    history.append(10, 7);
    history.append(3, 99);
    expect(history.columns).toEqual([[10], [7]]);
  });

  it("thins when full and keeps the newest", () => {
    const history = new RegionHistory(4);
    for (let step = 0; step < 5; step++) history.append(step, step * 10);
    expect(history.columns).toEqual([
      [0, 2, 4],
      [0, 20, 40],
    ]);
  });

  it("clears", () => {
    const history = new RegionHistory();
    history.append(1, 2);
    history.clear();
    expect(history.length).toBe(0);
  });
});
