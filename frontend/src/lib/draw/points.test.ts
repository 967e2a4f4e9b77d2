import { describe, expect, it } from "vitest";
import { toData, toPixel } from "./points";

describe("toPixel", () => {
  const box = [-6, 6, -6, 6] as const;
  const size = { width: 300, height: 300 };

  it("puts corners and centre where they belong (y grows upwards in data space)", () => {
    expect(toPixel(box, size, -6, 6)).toEqual([0, 0]);
    expect(toPixel(box, size, 6, -6)).toEqual([300, 300]);
    expect(toPixel(box, size, 0, 0)).toEqual([150, 150]);
    expect(toPixel(box, size, 3, 3)).toEqual([225, 75]);
  });

  it("handles boxes that are not square or centred", () => {
    const [px, py] = toPixel([0, 10, -1, 1], { width: 200, height: 100 }, 2.5, 0.5);
    expect(px).toBe(50);
    expect(py).toBe(25);
  });

  it("is inverted by toData", () => {
    const [x, y] = toData(box, size, ...toPixel(box, size, 1.25, -4.5));
    expect(x).toBeCloseTo(1.25);
    expect(y).toBeCloseTo(-4.5);
  });
});
