import { describe, expect, it } from "vitest";
import { benchOptions, DEFAULTS, summarise } from "./renderBench";

describe("benchOptions", () => {
  it("is null without the flag", () => {
    expect(benchOptions({ hash: "", search: "" })).toBeNull();
    expect(benchOptions({ hash: "#benchmark", search: "?bench=0" })).toBeNull();
  });

  it("takes #bench or ?bench=1, with overrides", () => {
    expect(benchOptions({ hash: "#bench", search: "" })).toEqual(DEFAULTS);
    expect(benchOptions({ hash: "", search: "?bench=1" })).toEqual(DEFAULTS);
    expect(benchOptions({ hash: "#bench&measure=30&grid=100&per_frame=x", search: "" })).toEqual({
      ...DEFAULTS,
      measureS: 30,
      grid: 100,
    });
  });
});

describe("summarise", () => {
  it("counts the frames that drew, overall and in the first and last second", () => {
    // 3 s at 60 Hz; the first second draws every frame, later ones every other frame.
    const ticks = Array.from({ length: 181 }, (_, i) => ({
      at: (i * 1000) / 60,
      drew: i <= 60 || i % 2 === 0,
      chart: i,
    }));
    const result = summarise(ticks, 3, 1234);
    expect(result.fpsFirstS).toBe(60);
    expect(result.fpsLastS).toBe(30);
    expect(result.fps).toBe(40);
    expect(result.chartFps).toBe(60);
    expect(result.chartPoints).toBe(1234);
  });
});
