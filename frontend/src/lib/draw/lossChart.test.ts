import { describe, expect, it } from "vitest";
import { lossChartOptions, lossTickLabel } from "./lossChart";

const noop = () => undefined;

describe("lossChartOptions", () => {
  it("draws each loss as a low and a high edge with the band between filled", () => {
    const options = lossChartOptions(false, false, noop);
    expect(options.series.map((s) => s.label)).toEqual([
      undefined,
      "train loss (low)",
      "train loss (high)",
      "test loss (low)",
      "test loss (high)",
    ]);
    expect(options.bands?.map((band) => band.series)).toEqual([
      [2, 1],
      [4, 3],
    ]);
  });

  it("puts the loss on a log scale only when asked", () => {
    expect(lossChartOptions(true, false, noop).scales?.["y"]?.distr).toBe(3);
    expect(lossChartOptions(false, false, noop).scales?.["y"]?.distr).toBeUndefined();
  });

  it("uses an asinh step axis with its own ticks for log steps", () => {
    const log = lossChartOptions(false, true, noop);
    expect(log.scales?.["x"]?.distr).toBe(4);
    expect(log.axes?.[0]?.splits).toBeTypeOf("function");
    const linear = lossChartOptions(false, false, noop);
    expect(linear.scales?.["x"]?.distr).toBeUndefined();
    expect(linear.axes?.[0]?.splits).toBeUndefined();
  });

  it("hands every draw to the caller", () => {
    const onDraw = () => undefined;
    expect(lossChartOptions(false, false, onDraw).hooks?.draw).toEqual([onDraw]);
  });
});

describe("lossTickLabel", () => {
  it("keeps two significant digits and leaves skipped log ticks blank", () => {
    expect(lossTickLabel(0.123456)).toBe("0.12");
    expect(lossTickLabel(1500)).toBe("1500");
    expect(lossTickLabel(null)).toBe("");
  });
});
