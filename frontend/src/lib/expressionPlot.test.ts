import { describe, expect, it } from "vitest";
import { caretLine, plotPaths, Y_CLIP } from "./expressionPlot";

const FRAME = { width: 200, height: 100, pad: 0 };

describe("plotPaths", () => {
  it("draws f and f' across the frame with the axes where 0 is", () => {
    const paths = plotPaths([-1, 0, 1], [-1, 0, 1], [1, 1, 1], FRAME);
    expect(paths.f.startsWith("M0.0,")).toBe(true);
    expect(paths.f.split("L")).toHaveLength(3);
    expect(paths.axisX).toBe(100);
    expect(paths.axisY).toBeCloseTo(50);
  });

  it("breaks the curve where a value is not finite", () => {
    const paths = plotPaths([-2, -1, 0, 1, 2], [null, null, 0, 1, 2], [1, null, 1, 1, 1], FRAME);
    expect(paths.f.match(/M/g)).toHaveLength(1);
    expect(paths.df.match(/M/g)).toHaveLength(2);
  });

  it("clips far values so the rest stays readable", () => {
    const paths = plotPaths([0, 1], [1, 1e6], [0, 0], FRAME);
    expect(paths.yMax).toBeLessThan(Y_CLIP * 1.1);
  });
});

describe("caretLine", () => {
  it("puts the caret under the position", () => {
    expect(caretLine(0)).toBe("^");
    expect(caretLine(4)).toBe("    ^");
  });
});
