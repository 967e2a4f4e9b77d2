import { describe, expect, it } from "vitest";
import type { ExperimentResult } from "../experiments";
import { plotsOf } from "./lessonPlots";
import { layoutPlot, tickLabel } from "./svgPlot";

const doubleDescent = (peak: number): ExperimentResult => ({
  name: "double_descent",
  response: {
    model: "random_features",
    train_points: 100,
    threshold_features: 100,
    seconds: 0.1,
    peak_features: 100,
    peak_test_mse: peak,
    peak_at_threshold: 1,
    results: [10, 100, 1000].map((features) => ({
      features,
      test_mse: features === 100 ? peak : 0.05,
      test_error: 0.1,
      train_mse: 0,
    })),
  },
});

describe("lesson plots", () => {
  it("draws double descent log-log with a marker at p = n, and the noisy run beside it", () => {
    const [spec] = plotsOf(doubleDescent(2.5), doubleDescent(180));
    expect(spec?.x.log && spec.y.log).toBe(true);
    expect(spec?.series.map((s) => s.label)).toEqual(["clean labels", "label noise 0.2"]);
    expect(spec?.y.max).toBe(1000);
    const layout = layoutPlot(spec!, 300, 150);
    expect(layout.markers).toHaveLength(1);
    // p = 100 is the middle decade of 10 … 1000.
    const { left, right } = layout.area;
    expect(layout.markers[0]!.x).toBeCloseTo((left + right) / 2);
    expect(layout.paths[0]!.d.match(/[ML]/g)).toHaveLength(3);
  });

  it("draws xor_seeds as one bar per width, as tall as its success rate", () => {
    const [spec] = plotsOf({
      name: "xor_seeds",
      response: {
        seconds: 1,
        narrowest_rate: 0.25,
        results: [
          { width: 2, runs: 100, successes: 25, rate: 0.25, accuracies: [] },
          { width: 8, runs: 100, successes: 100, rate: 1, accuracies: [] },
        ],
      },
    });
    const layout = layoutPlot(spec!, 300, 150);
    const [low, high] = layout.bars;
    expect(low!.text).toBe("25/100");
    expect(high!.height).toBeCloseTo(low!.height * 4);
  });

  it("draws the sigmoid bumps' errors beside the trained ReLU fits", () => {
    const [errors] = plotsOf({
      name: "approximation",
      response: {
        seconds: 1,
        curve_points: 2,
        widest_bump_error: 0.08,
        widest_relu_error: 0.003,
        results: [
          {
            units: 1,
            max_errors: [0.9],
            best_error: 0.9,
            knots: [],
            curve: [0, 0],
            bump_error: null,
          },
          {
            units: 40,
            max_errors: [0.003],
            best_error: 0.003,
            knots: [],
            curve: [0, 0],
            bump_error: 0.08,
          },
        ],
      },
    });
    expect(errors?.series.map((s) => s.label)).toEqual([
      "ReLU kinks, trained",
      "sigmoid bumps, built",
    ]);
    expect(errors?.series[1]?.points).toEqual([[40, 0.08]]);
  });

  it("marks a peak far from p = n, and names one near it in the title", () => {
    const off: ExperimentResult = {
      name: "double_descent",
      response: { ...(doubleDescent(3) as { response: object }).response, peak_features: 200 },
    } as ExperimentResult;
    const [spec] = plotsOf(off);
    expect(spec?.markers?.map((m) => m.label)).toEqual(["p = n = 100", "peak p = 200"]);
    const near: ExperimentResult = {
      name: "double_descent",
      response: { ...(doubleDescent(3) as { response: object }).response, peak_features: 110 },
    } as ExperimentResult;
    const [close] = plotsOf(doubleDescent(2), near);
    expect(close?.markers?.map((m) => m.label)).toEqual(["p = n = 100"]);
    expect(close?.title).toMatch(/peak at p = 100, 110$/);
  });

  it("breaks an optimizer's curve where its loss is not finite", () => {
    const [spec] = plotsOf({
      name: "optimizers",
      response: {
        seconds: 1,
        results: [
          {
            optimizer: "sgd",
            learning_rate: 10,
            steps: [0, 10, 20, 30],
            train_loss: [0.7, null, 0.5, 0.4],
            test_loss: [],
            test_accuracy: null,
            diverged_at: 10,
          },
        ],
      },
    });
    const d = layoutPlot(spec!, 300, 150).paths[0]!.d;
    expect(d.match(/M/g)).toHaveLength(2);
  });

  it("writes ticks short", () => {
    expect(tickLabel(0.001)).toBe("0.001");
    expect(tickLabel(2000)).toBe("2k");
    expect(tickLabel(0.30000000000000004)).toBe("0.3");
  });
});
