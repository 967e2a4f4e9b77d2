import { describe, expect, it } from "vitest";
import type { DecodedGrid } from "../grid";
import { CLASS_COLORS } from "./colors";
import { pointFill, residualColor, valueColor } from "./output";

const box = [0, 2, 0, 2] as const;
const flat: DecodedGrid = {
  kind: "value",
  width: 2,
  height: 2,
  planes: [new Float32Array([1, 1, 1, 1])],
};

describe("pointFill", () => {
  it("colours classes by label", () => {
    const fill = pointFill({ task: "classification", box }, [[0, 0]], [3], {
      residuals: false,
      domain: [0, 1],
      grid: null,
    });
    expect(fill(0)).toBe(CLASS_COLORS[3]);
  });

  it("fills regression points with their target on the value scale", () => {
    const fill = pointFill({ task: "regression", box }, [[0, 0]], [2], {
      residuals: false,
      domain: [-2, 2],
      grid: flat,
    });
    expect(fill(0)).toBe(valueColor(2, [-2, 2]));
  });

  it("shows residuals against the grid: a perfect fit is the scale's middle", () => {
    const colouring = { residuals: true, domain: [-2, 2] as const, grid: flat };
    const fill = pointFill(
      { task: "regression", box },
      [
        [1, 1],
        [1, 1],
      ],
      [1, 3],
      colouring,
    );
    expect(fill(0)).toBe(residualColor(0, [-2, 2]));
    expect(fill(0)).toBe(valueColor(0, [-2, 2]));
    expect(fill(1)).toBe(residualColor(2, [-2, 2]));
    expect(fill(1)).not.toBe(fill(0));
  });
});
