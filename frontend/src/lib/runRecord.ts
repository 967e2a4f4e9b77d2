// One kept run as the Runs list stores it: what it was (the setup file the app exports), how it
// ended (metrics), how it got there (loss curves, thinned), and a small picture of its output.
// Pure functions only; runHistory.ts stores the records, runs.svelte.ts makes them.

import type { LossColumns } from "./history";
import type { CustomPoints, FrameEvent, RunSettings, SetupFile } from "./protocol.gen";
import { SETUP_FORMAT, type Weights } from "./setupFile";

/** Bumped when a record's shape changes; records of another version are skipped when read. */
export const RUN_SCHEMA_VERSION = 1;
/** Points kept per loss series: enough for a chart, small enough for 50 runs in IndexedDB. */
export const MAX_CURVE_POINTS = 500;

export interface RunCurves {
  steps: number[];
  train: (number | null)[];
  test: (number | null)[];
}

export interface RunMetrics {
  step: number;
  epoch: number | null;
  trainLoss: number | null;
  testLoss: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  regions: number | null;
}

export interface RunRecord {
  schema: typeof RUN_SCHEMA_VERSION;
  id: string;
  /** The name the learner gave it, or null for `defaultName`. */
  name: string | null;
  defaultName: string;
  /** When the run was first kept and last saved (ms since the epoch). */
  createdAt: number;
  savedAt: number;
  /** The setup file of the run; `weights` (with their `step`) only when they were kept. */
  setup: SetupFile;
  metrics: RunMetrics;
  curves: RunCurves;
  /** A PNG data URL of the output, or null where there is no input plane to draw. */
  thumbnail: string | null;
}

/** Distinct at a glance and for most colour vision (Okabe–Ito). */
const RUN_COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"];

/** The colour of the i-th run compared, in its curves and its column of settings. */
export function runColour(i: number): string {
  return RUN_COLOURS[i % RUN_COLOURS.length]!;
}

/** What the store knows of the run in progress. */
export interface LiveRun {
  readonly frame: FrameEvent | null;
  readonly history: { samples(): LossColumns };
  readonly regions: { readonly count: number | null };
  readonly epoch: number | null;
  readonly edits: { readonly points: CustomPoints | null };
}

/** What a record is made of: the run's identity and settings, and the store's state of it. */
export interface RunSnapshot {
  id: string;
  /** The name given by the learner, or null. */
  name: string | null;
  createdAt: number;
  savedAt: number;
  settings: RunSettings;
  /** The weights kept and the step they are from, or null. */
  weights: { weights: Weights; step: number | null } | null;
  /** The store (read field by field: its state lives in accessors, which a spread drops). */
  live: LiveRun;
  frame: FrameEvent;
  thumbnail: string | null;
}

/** The record of a run as it stands: its setup file, final metrics and thinned curves. */
export function buildRunRecord(run: RunSnapshot): RunRecord {
  const { frame, live } = run;
  const settings = run.settings;
  const setup: SetupFile = {
    format: SETUP_FORMAT,
    version: 1,
    settings,
    custom: settings.dataset.name === "custom" ? live.edits.points : null,
    step: run.weights?.step ?? null,
    weights: run.weights?.weights ?? null,
  };
  return {
    schema: RUN_SCHEMA_VERSION,
    id: run.id,
    name: run.name,
    defaultName: defaultRunName(settings, frame.step),
    createdAt: run.createdAt,
    savedAt: run.savedAt,
    setup,
    metrics: {
      step: frame.step,
      epoch: live.epoch,
      trainLoss: finite(frame.train_loss),
      testLoss: finite(frame.test_loss),
      trainAccuracy: frame.train_accuracy,
      testAccuracy: frame.test_accuracy,
      regions: live.regions.count,
    },
    curves: decimateCurves(live.history.samples()),
    thumbnail: run.thumbnail,
  };
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** What the list shows as the run's name. */
export function runName(record: Pick<RunRecord, "name" | "defaultName">): string {
  return record.name ?? record.defaultName;
}

/** "relu 2-4-2-1 on spiral · 1,234 steps" (mixed activations are joined with "/"). */
export function defaultRunName(settings: RunSettings, steps: number): string {
  const { hidden, features, outputs } = settings.network;
  const activations = [...new Set(hidden.map((layer) => layer.activation))];
  const widths = [features.length, ...hidden.map((layer) => layer.units), outputs ?? 1];
  const activation = activations.length ? `${activations.join("/")} ` : "";
  const count = steps.toLocaleString("en-US");
  return `${activation}${widths.join("-")} on ${settings.dataset.name} · ${count} step${steps === 1 ? "" : "s"}`;
}

/** At most `max` samples of each series, evenly spread, the first and the last always kept. */
export function decimateCurves(columns: LossColumns, max = MAX_CURVE_POINTS): RunCurves {
  const [steps, train, test] = columns;
  const n = steps.length;
  if (n <= max) return { steps: [...steps], train: [...train], test: [...test] };
  const picks = Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
  return {
    steps: picks.map((i) => steps[i]!),
    train: picks.map((i) => train[i] ?? null),
    test: picks.map((i) => test[i] ?? null),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isNumberOrNull = (value: unknown) => value === null || typeof value === "number";
const isSeries = (value: unknown, length: number) =>
  Array.isArray(value) && value.length === length && value.every(isNumberOrNull);

/**
 * Whether a stored value is a record this version can show and reopen. Only the outline is
 * checked: the server validates the setup itself when a run is reopened.
 */
export function isRunRecord(value: unknown): value is RunRecord {
  if (!isObject(value) || value.schema !== RUN_SCHEMA_VERSION) return false;
  const { id, name, defaultName, createdAt, savedAt, setup, metrics, curves, thumbnail } = value;
  if (typeof id !== "string" || typeof defaultName !== "string") return false;
  if (name !== null && typeof name !== "string") return false;
  if (typeof createdAt !== "number" || typeof savedAt !== "number") return false;
  if (!isObject(setup) || !isObject(setup.settings) || !isObject(metrics)) return false;
  if (typeof metrics.step !== "number" || !isObject(curves)) return false;
  const optional = ["epoch", "trainLoss", "testLoss", "trainAccuracy", "testAccuracy", "regions"];
  if (!optional.every((key) => isNumberOrNull(metrics[key]))) return false;
  if (thumbnail !== null && typeof thumbnail !== "string") return false;
  const steps = curves.steps;
  return (
    Array.isArray(steps) &&
    steps.every((s) => typeof s === "number") &&
    isSeries(curves.train, steps.length) &&
    isSeries(curves.test, steps.length)
  );
}

/** Settings flattened to dotted paths ("network.hidden.0.units" → 4), in a stable order. */
export function flattenSettings(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node) && node.every((x) => typeof x !== "object" || x === null)) {
      out.set(path, node.join(", ")); // a list of names or numbers reads as one value
    } else if (Array.isArray(node) || isObject(node)) {
      const entries = Array.isArray(node) ? node.map((x, i) => [String(i), x] as const) : [];
      const keys = isObject(node)
        ? Object.entries(node).sort(([a], [b]) => a.localeCompare(b))
        : [];
      for (const [key, child] of [...entries, ...keys]) visit(child, path ? `${path}.${key}` : key);
    } else {
      out.set(path, node === null || node === undefined ? "—" : String(node));
    }
  };
  visit(value, prefix);
  return out;
}

export interface SettingRow {
  path: string;
  /** One value per run, in the order given; "—" where a run lacks the setting. */
  values: string[];
  differs: boolean;
}

/** Every setting of the runs, one row each, with whether its value differs between them. */
export function diffSettings(settings: readonly object[]): SettingRow[] {
  const flat = settings.map((s) => flattenSettings(s));
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))];
  return paths.map((path) => {
    const values = flat.map((f) => f.get(path) ?? "—");
    return { path, values, differs: new Set(values).size > 1 };
  });
}
