// The sweep sub-store (`store.sweep`): the Sweep panel's form and view choices, the server's plan
// of the form (plan_sweep, answered by request id), the running sweep's progress and results,
// cancel, errors, and loading one grid point as the main run. Handed `send`, the settings now
// and a way to configure whole settings, like lanes.svelte.ts.

import type { ErrorEvent, RunSettings } from "./protocol.gen";
import { defaultForm, type SweepForm, type SweepPreset } from "./sweepForm";
import { pointSettings, type Threshold } from "./sweepMath";
import type {
  SweepCommand,
  SweepPlanEvent,
  SweepProgressEvent,
  SweepRequest,
  SweepRunResult,
} from "./sweepWire";

export type SweepPhase = "idle" | SweepProgressEvent["state"];

export interface SweepHost {
  send: (command: SweepCommand) => boolean;
  /** The settings in force now (the sweep varies them). */
  settings: () => RunSettings | null;
  /** Configures the whole of `settings` as the main run. */
  load: (settings: RunSettings) => void;
}

const NOT_SENT = "Not connected to the server: nothing was sent.";

export class Sweeps {
  /** Whether the Sweep panel is open. */
  dialogOpen = $state(false);
  form = $state<SweepForm>(defaultForm());
  /** The preset the form came from, while it is unchanged (its caption and marker show). */
  preset = $state.raw<SweepPreset | null>(null);
  /** The plot's y: loss or accuracy. */
  metric = $state<"loss" | "accuracy">("loss");
  /** The plot's x for one axis: the axis' values or the parameter count. */
  xAxis = $state<"values" | "parameters">("values");
  /** What counts as success for the success rate. */
  threshold = $state<Threshold>({ metric: "test_accuracy", value: 0.95 });

  /** The server's plan of the newest form, and whether one is awaited. */
  plan = $state.raw<SweepPlanEvent | null>(null);
  planError = $state<string | null>(null);
  planning = $state(false);

  /** The sweep shown: what was asked, on which settings, how far it got, and its runs. */
  request = $state.raw<SweepRequest | null>(null);
  base = $state.raw<RunSettings | null>(null);
  phase = $state<SweepPhase>("idle");
  runsDone = $state(0);
  runsTotal = $state(0);
  /** The share of the sweep's training steps done (0..1): moves before a chunk's runs end. */
  fraction = $state(0);
  elapsed = $state(0);
  engine = $state<"local" | "ray" | null>(null);
  /** The server's word on how it ended, a refusal, or the connection dropping. */
  message = $state<string | null>(null);
  results = $state.raw<SweepRunResult[]>([]);

  private nextId = 1;
  private planId: number | null = null;
  private startId: number | null = null;

  constructor(private readonly host: SweepHost) {}

  get running(): boolean {
    return this.phase === "running";
  }

  /** Asks the server for the grid size, the engine and the time `request` would take. */
  requestPlan(request: SweepRequest): void {
    this.planId = this.id();
    this.planError = null;
    this.planning = this.host.send({ type: "plan_sweep", request_id: this.planId, sweep: request });
    if (!this.planning) this.planError = NOT_SENT;
  }

  /** Starts `request` on the current settings; false when it could not be sent. */
  start(request: SweepRequest): boolean {
    if (this.running) return false;
    const startId = this.id();
    if (!this.host.send({ type: "start_sweep", request_id: startId, sweep: request })) {
      this.message = NOT_SENT;
      return false;
    }
    this.startId = startId;
    this.request = request;
    this.base = this.host.settings();
    this.results = [];
    this.phase = "running";
    this.runsDone = 0;
    this.runsTotal = this.plan?.runs ?? 0;
    this.fraction = 0;
    this.elapsed = 0;
    this.message = null;
    return true;
  }

  cancel(): void {
    if (!this.host.send({ type: "cancel_sweep" })) this.message = NOT_SENT;
  }

  /** Sets up a preset: its setup is configured now, its form and view fill the panel. */
  usePreset(preset: SweepPreset): void {
    const settings = this.host.settings();
    if (settings) this.host.load(preset.setup(settings));
    this.form = structuredClone(preset.form);
    this.metric = preset.metric;
    this.threshold = { ...preset.threshold };
    this.xAxis = "values";
    this.preset = preset;
  }

  /** The form changed by hand: a preset's caption no longer describes it. */
  formEdited(): void {
    this.preset = null;
  }

  onPlan(event: SweepPlanEvent): void {
    if (event.request_id !== this.planId) return; // an older form's plan
    this.plan = event;
    this.planError = null;
    this.planning = false;
  }

  onProgress(event: SweepProgressEvent): void {
    if (event.request_id !== null && event.request_id !== this.startId) return;
    this.phase = event.state;
    this.runsDone = event.runs_done;
    this.runsTotal = event.runs_total;
    this.fraction = event.fraction;
    this.elapsed = event.elapsed_seconds;
    this.engine = event.engine;
    this.message = event.message;
    if (event.results.length) this.results = [...this.results, ...event.results];
  }

  /** Takes the errors of sweep commands (true), shown in the panel; others are not its own. */
  onError(event: ErrorEvent): boolean {
    switch (event.command) {
      case "plan_sweep":
        if (event.request_id !== null && event.request_id !== this.planId) return true;
        this.plan = null;
        this.planError = event.message;
        this.planning = false;
        return true;
      case "start_sweep":
        if (event.request_id === this.startId && this.phase === "running") {
          this.phase = this.runsDone > 0 ? "failed" : "idle";
        }
        this.message = event.message;
        return true;
      case "cancel_sweep":
        this.message = event.message;
        return true;
      default:
        return false;
    }
  }

  /** The socket dropped or a new session began: a running sweep has ended with it. */
  disconnected(): void {
    this.planning = false;
    if (!this.running) return;
    this.phase = "failed";
    this.message =
      `The connection to the server dropped after ${this.runsDone} of ${this.runsTotal} runs; ` +
      "the sweep ended there (a sweep lives as long as its page's connection).";
  }

  /** Loads one grid point with one seed as the main run and closes the panel. */
  loadPoint(values: readonly number[], seed: number): void {
    if (!this.base || !this.request) return;
    this.host.load(pointSettings(this.base, this.request.axes, values, seed));
    this.dialogOpen = false;
  }

  private id(): number {
    return this.nextId++;
  }
}
