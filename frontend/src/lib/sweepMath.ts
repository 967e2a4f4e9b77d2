// The sweep's pure maths: what each setting is, range expansion (linear or log), grid size,
// per-point statistics over seeds, the success rate, parameter counts, the settings of one
// grid point, and where the interpolation threshold falls. No state, no DOM: vitest checks it.

import { plainLayer } from "./network";
import type { HiddenLayer, RunSettings } from "./protocol.gen";
import type { SweepAxis, SweepRunResult, SweepSetting } from "./sweepWire";

export interface SweepSettingInfo {
  setting: SweepSetting;
  label: string;
  /** Whole numbers only (widths, seeds, …). */
  integer: boolean;
  /** Spread over orders of magnitude by default (a log range and a log x axis). */
  log: boolean;
}

export const SWEEP_SETTINGS: readonly SweepSettingInfo[] = [
  { setting: "seed", label: "Seed", integer: true, log: false },
  { setting: "width", label: "Width (units)", integer: true, log: true },
  { setting: "depth", label: "Depth (hidden layers)", integer: true, log: false },
  { setting: "learning_rate", label: "Learning rate", integer: false, log: true },
  { setting: "batch_size", label: "Batch size", integer: true, log: true },
  { setting: "weight_decay", label: "Weight decay", integer: false, log: true },
  { setting: "dropout", label: "Dropout", integer: false, log: false },
  { setting: "label_noise", label: "Label noise", integer: false, log: false },
  { setting: "points", label: "Points", integer: true, log: true },
];

export function sweepSettingInfo(setting: SweepSetting): SweepSettingInfo {
  return SWEEP_SETTINGS.find((info) => info.setting === setting)!;
}

/** The axis as a person reads it: "width (layer 1)", "learning rate". */
export function axisLabel(axis: Pick<SweepAxis, "setting" | "layer">): string {
  const name = sweepSettingInfo(axis.setting).label.split(" (")[0]!.toLowerCase();
  if (axis.setting !== "width") return name;
  const layer = axis.layer ?? null;
  return layer === null ? "width (every layer)" : `width (layer ${layer + 1})`;
}

export type Values = { values: number[]; error: null } | { values: null; error: string };

const ok = (values: number[]): Values => ({ values, error: null });
const fail = (error: string): Values => ({ values: null, error });

/** Three significant digits, no float noise; whole numbers for integer settings; no repeats. */
function tidy(raw: number[], integer: boolean): number[] {
  const rounded = raw.map((v) => (integer ? Math.round(v) : Number(v.toPrecision(3))));
  return rounded.filter((v, i) => rounded.indexOf(v) === i);
}

/**
 * `count` values from `from` to `to`, evenly spaced (linear) or by a constant factor (log),
 * rounded as the setting needs (integer settings can give fewer values: 1, 1.4, 2 -> 1, 2).
 */
export function expandRange(
  from: number,
  to: number,
  count: number,
  spacing: "linear" | "log",
  integer = false,
): Values {
  if (![from, to, count].every(Number.isFinite)) return fail("from, to and count must be numbers");
  if (!Number.isInteger(count) || count < 1) return fail("count must be a whole number ≥ 1");
  if (spacing === "log" && (from <= 0 || to <= 0)) return fail("a log range needs from, to > 0");
  const at = (i: number): number => {
    const t = count === 1 ? 0 : i / (count - 1);
    return spacing === "log" ? from * (to / from) ** t : from + (to - from) * t;
  };
  return ok(
    tidy(
      Array.from({ length: count }, (_, i) => at(i)),
      integer,
    ),
  );
}

/** Numbers typed as a list ("2, 3, 4 8"); an error names the first entry that is not one. */
export function parseList(text: string, integer = false): Values {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== "");
  if (parts.length === 0) return fail("enter at least one value");
  const bad = parts.find((part) => !Number.isFinite(Number(part)));
  if (bad !== undefined) return fail(`"${bad}" is not a number`);
  const values = parts.map(Number);
  if (integer && values.some((v) => !Number.isInteger(v))) return fail("whole numbers only");
  return ok(tidy(values, integer));
}

/** Grid points (the product of the axes' lengths) and runs (points × seeds per point). */
export function gridSize(
  axes: readonly { values: readonly number[] }[],
  seedsPerPoint: number,
): { points: number; runs: number } {
  const points = axes.reduce((product, axis) => product * axis.values.length, 1);
  return { points, runs: points * seedsPerPoint };
}

export type Metric = "train_loss" | "test_loss" | "train_accuracy" | "test_accuracy";

export interface Stats {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one run. */
  sd: number;
  min: number;
  max: number;
  /** Runs with a finite value. */
  n: number;
}

/** Mean, sample sd, min and max of the finite values; null when there are none. */
export function stats(values: readonly (number | null)[]): Stats | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return null;
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const squares = finite.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...finite), max: Math.max(...finite), n };
}

/** What counts as solving it: test accuracy at least `value`, or test loss at most `value`. */
export interface Threshold {
  metric: "test_accuracy" | "test_loss";
  value: number;
}

export function succeeded(run: SweepRunResult, threshold: Threshold): boolean {
  if (threshold.metric === "test_accuracy") {
    return run.test_accuracy !== null && run.test_accuracy >= threshold.value;
  }
  return run.test_loss !== null && run.test_loss <= threshold.value;
}

/** One grid point: its axis values, its runs (one per seed) and their statistics. */
export interface PointSummary {
  values: number[];
  parameters: number;
  runs: SweepRunResult[];
  stats: Record<Metric, Stats | null>;
  /** Runs whose loss went non-finite. */
  diverged: number;
  /** The fraction of runs that reached the threshold. */
  success: number;
}

const METRICS: readonly Metric[] = ["train_loss", "test_loss", "train_accuracy", "test_accuracy"];

/** The results grouped per grid point, in grid order (axis 0 outer), with their statistics. */
export function summarise(
  results: readonly SweepRunResult[],
  axes: readonly { values: readonly number[] }[],
  threshold: Threshold,
): PointSummary[] {
  const groups = new Map<string, SweepRunResult[]>();
  for (const run of results) {
    const key = run.values.join("|");
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const order = (values: number[]): number =>
    values.reduce((index, v, a) => index * 1000 + (axes[a]?.values.indexOf(v) ?? 0), 0);
  return [...groups.values()]
    .map((runs) => ({
      values: runs[0]!.values,
      parameters: runs[0]!.parameters,
      runs,
      stats: Object.fromEntries(
        METRICS.map((metric) => [metric, stats(runs.map((run) => run[metric]))]),
      ) as Record<Metric, Stats | null>,
      diverged: runs.filter((run) => run.diverged).length,
      success: runs.filter((run) => succeeded(run, threshold)).length / runs.length,
    }))
    .sort((a, b) => order(a.values) - order(b.values));
}

/** The run whose `metric` is nearest the point's median: the seed a click loads. */
export function representative(point: PointSummary, metric: Metric): SweepRunResult {
  const finite = point.runs.filter((run) => run[metric] !== null);
  if (finite.length === 0) return point.runs[0]!;
  const sorted = [...finite].sort((a, b) => (a[metric] ?? 0) - (b[metric] ?? 0));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Weights and biases of `settings`' network (norm layers add a scale and a shift per unit). */
export function parameterCount(settings: RunSettings): number {
  let inputs = settings.network.features.length;
  let count = 0;
  for (const layer of settings.network.hidden) {
    const norms = (layer.batch_norm ? 1 : 0) + (layer.layer_norm ? 1 : 0);
    count += (inputs + 1) * layer.units + 2 * norms * layer.units;
    inputs = layer.units;
  }
  return count + (inputs + 1) * settings.network.outputs;
}

const DEFAULT_LAYER: HiddenLayer = plainLayer(4, "tanh");

/** `hidden` with `depth` layers: cut, or grown by copies of the last one (as the engine does). */
function withDepth(hidden: readonly HiddenLayer[], depth: number): HiddenLayer[] {
  const last = hidden.at(-1) ?? DEFAULT_LAYER;
  return Array.from({ length: depth }, (_, i) => ({ ...(hidden[i] ?? last) }));
}

/**
 * The current settings changed to one grid point and seed: what loading a point as the main
 * run configures. Depth goes first, so a width axis sizes the layers a depth axis made.
 */
export function pointSettings(
  settings: RunSettings,
  axes: readonly Pick<SweepAxis, "setting" | "layer">[],
  values: readonly number[],
  seed: number,
): RunSettings {
  const value = (setting: SweepSetting): number | undefined => {
    const index = axes.findIndex((axis) => axis.setting === setting);
    return index < 0 ? undefined : values[index];
  };
  let hidden = settings.network.hidden.map((layer) => ({ ...layer }));
  const depth = value("depth");
  if (depth !== undefined) hidden = withDepth(hidden, depth);
  const widthAxis = axes.find((axis) => axis.setting === "width");
  const width = value("width");
  if (widthAxis && width !== undefined) {
    hidden = hidden.map((layer, i) =>
      (widthAxis.layer ?? null) === null || widthAxis.layer === i
        ? { ...layer, units: width }
        : layer,
    );
  }
  const dropout = value("dropout");
  if (dropout !== undefined) hidden = hidden.map((layer) => ({ ...layer, dropout }));
  const training = { ...settings.training };
  for (const key of ["learning_rate", "batch_size", "weight_decay"] as const) {
    const v = value(key);
    if (v !== undefined) training[key] = v;
  }
  const dataset = { ...settings.dataset };
  for (const key of ["label_noise", "points"] as const) {
    const v = value(key);
    if (v !== undefined) dataset[key] = v;
  }
  return { network: { ...settings.network, hidden }, dataset, training, seed };
}

/** Training points of `settings` (the rest of the points are the test set). */
export function trainingPoints(settings: RunSettings): number {
  return Math.round(settings.dataset.points * settings.dataset.train_fraction);
}

/**
 * The x where the parameter count crosses `points` (the interpolation threshold), by linear
 * interpolation between the two grid points around it (in log x when `log`); null when the
 * parameters never reach it or start above it.
 */
export function crossing(
  xs: readonly number[],
  parameters: readonly number[],
  points: number,
  log = false,
): number | null {
  for (let i = 1; i < xs.length; i++) {
    const [p0, p1] = [parameters[i - 1]!, parameters[i]!];
    if (p0 <= points && points <= p1 && p1 > p0) {
      const t = (points - p0) / (p1 - p0);
      const [x0, x1] = [xs[i - 1]!, xs[i]!];
      return log ? x0 * (x1 / x0) ** t : x0 + (x1 - x0) * t;
    }
  }
  return parameters[0] === points ? (xs[0] ?? null) : null;
}
