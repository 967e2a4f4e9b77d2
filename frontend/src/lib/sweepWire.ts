// The sweep messages of the wire protocol (docs/protocol.md, "Sweeps"), from the generated
// types, with the names the sweep modules share.

import { limitsOf } from "./catalog";
import type {
  CancelSweepCommand,
  Catalog,
  Limits,
  PlanSweepCommand,
  StartSweepCommand,
  SweepAxis,
} from "./protocol.gen";

export type {
  CancelSweepCommand,
  PlanSweepCommand,
  StartSweepCommand,
  SweepAxis,
  SweepPlanEvent,
  SweepProgressEvent,
  SweepRequest,
  SweepRunResult,
} from "./protocol.gen";

export type SweepSetting = SweepAxis["setting"];

export type SweepCommand = PlanSweepCommand | StartSweepCommand | CancelSweepCommand;

/** The sweep bounds of the catalog's limits. */
export type SweepLimits = Pick<
  Limits,
  "max_sweep_runs" | "max_sweep_steps" | "max_sweep_axis_values" | "max_sweep_seeds"
>;

/** The sweep bounds in force (the catalog's, or the generated ones until it arrives). */
export function sweepLimits(catalog: Catalog | null): SweepLimits {
  return limitsOf(catalog);
}
