// The lanes' loss curves overlaid: one colour per lane, test loss solid, training loss dashed,
// as a PlotSpec for ExperimentPlot.

import type { LaneCurve } from "../lanes.svelte";
import type { PlotSpec, Series } from "./svgPlot";

/** One colour per lane, apart from the two class colours (orange, blue) of the outputs. */
export const LANE_COLORS: readonly string[] = ["#5e3c99", "#1b9e77", "#e7298a", "#8c6d1f"];

export function laneColor(lane: number): string {
  return LANE_COLORS[lane % LANE_COLORS.length]!;
}

const finitePositive = (value: number): boolean => Number.isFinite(value) && value > 0;

/** The overlaid curves of `curves`, lane i named `labels[i]` in the legend. */
export function lanesPlotSpec(curves: readonly LaneCurve[], labels: readonly string[]): PlotSpec {
  const series: Series[] = [];
  let lastStep = 1;
  let lo = Infinity;
  let hi = -Infinity;
  curves.forEach((curve, lane) => {
    const color = laneColor(lane);
    const points = (values: number[]) =>
      curve.steps.map((step, i) => [step, values[i] ?? null] as const);
    series.push({ label: labels[lane] ?? `lane ${lane + 1}`, color, points: points(curve.test) });
    series.push({ label: "", color, points: points(curve.train), dashed: true });
    lastStep = Math.max(lastStep, curve.steps[curve.steps.length - 1] ?? 1);
    for (const value of [...curve.train, ...curve.test].filter(finitePositive)) {
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
    }
  });
  if (!(lo < hi)) [lo, hi] = [0.01, 1];
  // A log scale only where the losses span a decade or more; else it wastes the height.
  const log = hi / lo >= 10;
  const pad = log ? 1.2 : (hi - lo) * 0.08;
  return {
    title: "Loss per lane: test solid, training dashed",
    x: { min: 0, max: lastStep, log: false, label: "step" },
    y: log
      ? { min: lo / pad, max: hi * pad, log, label: "loss" }
      : { min: Math.max(0, lo - pad), max: hi + pad, log, label: "loss" },
    series,
  };
}
