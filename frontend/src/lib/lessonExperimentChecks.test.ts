// Checks that read a lesson's experiment answer (metric "experiment"), and the new plots.

import { describe, expect, it } from "vitest";
import { plotsOf } from "./draw/lessonPlots";
import { checkMet, experimentCheckMet } from "./lessonChecks";
import { Lessons } from "./lessons.svelte";
import type { Check, FrameEvent, Lesson, SuspiciousResponse } from "./protocol.gen";

const peak: Check = {
  label: "with label noise the peak passes 20",
  metric: "experiment",
  field: "peak_test_mse",
  op: ">=",
  value: 20,
  after_step: null,
  after_action: null,
  expected_failure: false,
  after_edit: false,
  own_activation: false,
};

const live: Check = {
  label: "acc",
  metric: "test_accuracy",
  op: ">=",
  value: 0.9,
  after_step: null,
  field: null,
  after_action: null,
  expected_failure: false,
  after_edit: false,
  own_activation: false,
};

function lesson(): Lesson {
  return {
    id: "double-descent",
    number: 9,
    title: "Double descent",
    summary: "",
    try_this: "",
    preset: { type: "configure", seed: 0 } as Lesson["preset"],
    checks: [live, peak],
    actions: [],
    experiment: {
      name: "double_descent",
      route: "/api/experiments/double_descent",
      params: { seeds: 5 },
    },
    available: true,
    note: null,
  };
}

function answer(peakMse: number): Response {
  const body = {
    model: "trained",
    threshold_features: 30,
    train_points: 100,
    results: [{ features: 100, test_mse: peakMse, test_error: 0.1, train_mse: 0 }],
    peak_features: 100,
    peak_test_mse: peakMse,
    peak_at_threshold: 1,
    seconds: 0.1,
  };
  return new Response(JSON.stringify(body), { status: 200 });
}

describe("experimentCheckMet", () => {
  it("reads the named number of the answer", () => {
    expect(experimentCheckMet(peak, { peak_test_mse: 180 })).toBe(true);
    expect(experimentCheckMet(peak, { peak_test_mse: 2.6 })).toBe(false);
  });

  it("never passes on a missing or non-finite number, or for a frame check", () => {
    expect(experimentCheckMet(peak, {})).toBe(false);
    expect(experimentCheckMet(peak, { peak_test_mse: "180" })).toBe(false);
    expect(experimentCheckMet(peak, { peak_test_mse: Number.NaN })).toBe(false);
    expect(experimentCheckMet(live, { test_accuracy: 1 })).toBe(false);
  });

  it("is never met by a frame", () => {
    expect(checkMet(peak, { step: 5, test_accuracy: 1 } as FrameEvent)).toBe(false);
  });
});

describe("a lesson's experiment checks", () => {
  it("turn green when a run of the experiment answers past the bar, and stay green", async () => {
    const answers = [answer(2.6), answer(180), answer(3)];
    const fetcher = (async () => answers.shift()!) as typeof fetch;
    const saved: Record<string, readonly number[]>[] = [];
    const lessons = new Lessons(() => true, fetcher, {
      read: () => ({}),
      write: (progress) => void saved.push(progress),
    });
    lessons.start(lesson());
    expect(lessons.passed).toEqual([false, false]);
    await lessons.runExperiment("clean");
    expect(lessons.passed).toEqual([false, false]); // the clean peak is 2.6
    await lessons.runExperiment("noisy");
    expect(lessons.passed).toEqual([false, true]);
    await lessons.runExperiment("clean");
    expect(lessons.passed).toEqual([false, true]);
    expect(saved.at(-1)).toEqual({ "double-descent": [1] });
  });
});

describe("plotsOf suspicious", () => {
  it("draws each pitfall as the number shown beside the truth", () => {
    const response: SuspiciousResponse = {
      results: [
        { pitfall: "leakage", measure: "test accuracy", shown: 0.93, truth: 0.7 },
        { pitfall: "shape_bug", measure: "test MSE", shown: 0.5, truth: 0.0001 },
      ],
      leak_gap: 0.23,
      honest_accuracy: 0.7,
      shape_bug_ratio: 5000,
      shape_bug_spread: 0.002,
      seconds: 1,
    };
    const [leak, shape] = plotsOf({ name: "suspicious", response });
    expect(leak?.bars?.map((b) => b.value)).toEqual([0.93, 0.7]);
    expect(leak?.y.log).toBe(false);
    expect(shape?.y.log).toBe(true);
    expect(shape?.y.min).toBeLessThanOrEqual(0.0001);
    expect(shape?.bars?.map((b) => b.label)).toEqual(["broadcast loss", "shapes asserted"]);
  });
});
