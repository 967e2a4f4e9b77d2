// The sweep messages of the wire protocol (docs/protocol.md, "Sweeps"), declared by hand until
// server/protocol/sweeps.py is merged and protocol.gen.ts carries them; then this module only
// re-exports the generated types, so nothing else changes.

export type SweepSetting =
  | "seed"
  | "width"
  | "depth"
  | "learning_rate"
  | "batch_size"
  | "weight_decay"
  | "dropout"
  | "label_noise"
  | "points";

export interface SweepAxis {
  setting: SweepSetting;
  /** The explicit list (the page expands ranges). */
  values: number[];
  /** Width only: which hidden layer (0-based); null = every hidden layer. */
  layer: number | null;
}

export interface SweepRequest {
  axes: SweepAxis[];
  seeds_per_point: number;
  steps: number;
}

export interface PlanSweepCommand {
  type: "plan_sweep";
  request_id?: number | null;
  sweep: SweepRequest;
}

export interface StartSweepCommand {
  type: "start_sweep";
  request_id?: number | null;
  sweep: SweepRequest;
}

export interface CancelSweepCommand {
  type: "cancel_sweep";
}

export type SweepCommand = PlanSweepCommand | StartSweepCommand | CancelSweepCommand;

export interface SweepPlanEvent {
  type: "sweep_plan";
  request_id: number | null;
  runs: number;
  points: number;
  engine: "local" | "ray";
  estimate_seconds: number;
  /** Per grid point, in grid order. */
  parameters: number[];
  /** Runs that train one at a time instead of batched. */
  sequential_runs?: number;
}

export interface SweepRunResult {
  /** The run's place in grid order. */
  index: number;
  values: number[];
  seed: number;
  parameters: number;
  train_loss: number | null;
  test_loss: number | null;
  /** Null for regression. */
  train_accuracy: number | null;
  test_accuracy: number | null;
  diverged: boolean;
}

export interface SweepProgressEvent {
  type: "sweep_progress";
  request_id: number | null;
  state: "running" | "done" | "cancelled" | "failed";
  runs_done: number;
  runs_total: number;
  engine: "local" | "ray";
  elapsed_seconds: number;
  message: string | null;
  results: SweepRunResult[];
}

export type SweepEvent = SweepPlanEvent | SweepProgressEvent;

/** The sweep bounds; the catalog's limits carry them once the server side is merged. */
export interface SweepLimits {
  max_sweep_runs: number;
  max_sweep_steps: number;
  max_sweep_axis_values: number;
  max_sweep_seeds: number;
}

const SWEEP_LIMITS_FALLBACK: SweepLimits = {
  max_sweep_runs: 2000,
  max_sweep_steps: 20000,
  max_sweep_axis_values: 50,
  max_sweep_seeds: 100,
};

/** The sweep bounds from the catalog's limits (until they are there, the protocol's values). */
export function sweepLimits(catalog: { limits: object } | null): SweepLimits {
  return { ...SWEEP_LIMITS_FALLBACK, ...(catalog?.limits ?? {}) } as SweepLimits;
}
