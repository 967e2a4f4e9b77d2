// The lessons' experiment answers as PlotSpecs (svgPlot.ts lays them out): one plot per
// experiment, two for approximation (the errors, then the fits).

import type { ExperimentResult } from "../experiments";
import { CLASS_0, CLASS_1 } from "./colors";
import type { PlotSpec } from "./svgPlot";

export const SERIES_COLORS = [CLASS_1, CLASS_0, "#1f9d55", "#8e44ad", "#c2413a", "#5d6d7e"];

/** Powers of ten around [lo, hi], for a log axis. */
function logBounds(values: number[]): [number, number] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return [0.1, 1];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  return [10 ** lo, 10 ** Math.max(hi, lo + 1)];
}

/** A log axis's bounds around `values`. */
function logAxis(values: number[]): { min: number; max: number } {
  const [min, max] = logBounds(values);
  return { min, max };
}

/** A bar's label: 3 significant digits, small values in exponent form. */
function formatValue(value: number): string {
  return Math.abs(value) < 0.01 && value !== 0 ? value.toExponential(1) : value.toPrecision(3);
}

function finite(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

/** One PlotSpec per plot the answer gets (approximation: the errors, then the fits). */
export function plotsOf(
  result: ExperimentResult,
  noisy: ExperimentResult | null = null,
): PlotSpec[] {
  switch (result.name) {
    case "xor_seeds": {
      const rows = result.response.results;
      return [
        {
          title: "Runs that solve the classic XOR (4 clusters, σ = 1), by hidden units",
          x: { min: 0, max: rows.length, log: false, label: "hidden tanh units" },
          y: { min: 0, max: 1, log: false, label: "solved" },
          series: [],
          bars: rows.map((r) => ({
            label: String(r.width),
            value: r.rate,
            text: `${r.successes}/${r.runs}`,
          })),
        },
      ];
    }
    case "approximation": {
      const rows = result.response.results;
      const bumps = rows.flatMap((r) =>
        r.bump_error === null ? [] : [[r.units, r.bump_error] as const],
      );
      const errors = [
        ...rows.flatMap((r) => [r.best_error, ...r.max_errors]),
        ...bumps.map(([, e]) => e),
      ];
      const [ylo, yhi] = logBounds(errors);
      const [xlo, xhi] = logBounds(rows.map((r) => r.units));
      const n = result.response.curve_points;
      const xs = Array.from({ length: n }, (_, i) => i / (n - 1));
      return [
        {
          title: "Worst error of the best fit",
          x: { min: xlo, max: xhi, log: true, label: "units N" },
          y: { min: ylo, max: yhi, log: true, label: "max |f − sin|" },
          series: [
            {
              label: "ReLU kinks, trained",
              color: CLASS_1,
              dots: true,
              points: rows.map((r) => [r.units, r.best_error] as const),
            },
            {
              label: "sigmoid bumps, built",
              color: CLASS_0,
              dots: true,
              points: bumps,
            },
          ],
        },
        {
          title: "The best fits",
          x: { min: 0, max: 1, log: false, label: "x" },
          y: { min: -1.2, max: 1.2, log: false, label: "f(x)" },
          series: [
            {
              label: "sin 2πx",
              color: "#94a0b0",
              dashed: true,
              points: xs.map((x) => [x, Math.sin(2 * Math.PI * x)] as const),
            },
            ...rows.map((r, i) => ({
              label: `N = ${r.units}`,
              color: SERIES_COLORS[i % SERIES_COLORS.length] ?? CLASS_1,
              points: r.curve.map((y, j) => [xs[j] ?? 0, y] as const),
            })),
          ],
        },
      ];
    }
    case "optimizers": {
      const rows = result.response.results;
      const [ylo, yhi] = logBounds(rows.flatMap((r) => finite(r.train_loss)));
      const last = Math.max(1, ...rows.flatMap((r) => r.steps));
      return [
        {
          title: "Training loss, same start",
          x: { min: 0, max: last, log: false, label: "step" },
          y: { min: ylo, max: yhi, log: true, label: "train loss" },
          series: rows.map((r, i) => ({
            label: `${r.optimizer} ${r.learning_rate}`,
            color: SERIES_COLORS[i % SERIES_COLORS.length] ?? CLASS_1,
            points: r.steps.map((s, j) => [s, r.train_loss[j] ?? null] as const),
          })),
        },
      ];
    }
    case "double_descent": {
      const runs = noisy?.name === "double_descent" ? [result, noisy] : [result];
      const all = runs.flatMap((run) => run.response.results);
      const [xlo, xhi] = logBounds(all.map((r) => r.features));
      const [ylo, yhi] = logBounds(all.map((r) => r.test_mse));
      const trained = result.response.model === "trained";
      const n = result.response.train_points;
      const peaks = [...new Set(runs.map((run) => run.response.peak_features))];
      // A peak near n is named in the title (its own marker would print over n's label).
      const near = (p: number) => Math.abs(p - n) <= 0.25 * n;
      return [
        {
          title:
            (trained
              ? "Test error of trained one-layer ReLU nets"
              : "Test error of random-feature fits") + `: peak at p = ${peaks.join(", ")}`,
          x: { min: xlo, max: xhi, log: true, label: trained ? "hidden units p" : "features p" },
          y: { min: ylo, max: yhi, log: true, label: "test MSE" },
          series: runs.map((run, i) => ({
            label: i === 0 ? "clean labels" : "label noise 0.2",
            color: i === 0 ? CLASS_1 : CLASS_0,
            dots: true,
            points: run.response.results.map((r) => [r.features, r.test_mse] as const),
          })),
          markers: [
            { x: n, label: `p = n = ${n}` },
            ...peaks.filter((p) => !near(p)).map((p) => ({ x: p, label: `peak p = ${p}` })),
          ],
        },
      ];
    }
    case "suspicious": {
      return result.response.results.map((row) => {
        const leak = row.pitfall === "leakage";
        return {
          title: leak
            ? "Leakage: test accuracy on leaked vs fresh points"
            : "Shape bug: test MSE with (N, 1) vs (N,) broadcast, and fixed",
          x: { min: 0, max: 2, log: false, label: row.measure },
          y: leak
            ? { min: 0, max: 1, log: false, label: row.measure }
            : { ...logAxis([row.shown, row.truth]), log: true, label: row.measure },
          series: [],
          bars: [
            {
              label: leak ? "leaked test set" : "broadcast loss",
              value: row.shown,
              text: formatValue(row.shown),
            },
            {
              label: leak ? "fresh test set" : "shapes asserted",
              value: row.truth,
              text: formatValue(row.truth),
            },
          ],
        };
      });
    }
    case "explore": {
      const rows = result.response.results;
      const [ylo, yhi] = logBounds(rows.flatMap((r) => [r.min, r.max, r.mean]));
      const depths = rows.map((r) => r.depth);
      const line = (
        label: string,
        pick: (r: (typeof rows)[number]) => number,
        dashed: boolean,
      ) => ({
        label,
        color: dashed ? "#94a0b0" : CLASS_1,
        dashed,
        dots: !dashed,
        points: rows.map((r) => [r.depth, pick(r)] as const),
      });
      return [
        {
          title: "Regions of random ReLU nets, same neurons",
          x: {
            min: Math.min(...depths) - 0.3,
            max: Math.max(...depths) + 0.3,
            log: false,
            label: "layers",
          },
          y: { min: ylo, max: yhi, log: true, label: "regions" },
          series: [
            line("mean", (r) => r.mean, false),
            line("min, max", (r) => r.min, true),
            line("", (r) => r.max, true),
          ],
        },
      ];
    }
  }
}
