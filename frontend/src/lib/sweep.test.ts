// The sweep sub-store: what plan, start and cancel send, how plans, progress and errors are
// matched to their request ids, a dropped connection, presets, and loading a grid point.

import { describe, expect, it } from "vitest";
import { errorEvent, openStore, overTheWire, SETTINGS } from "./fixtures";
import type { ErrorEvent, RunSettings } from "./protocol.gen";
import { Sweeps } from "./sweep.svelte";
import { SWEEP_PRESETS } from "./sweepForm";
import type { SweepCommand, SweepProgressEvent, SweepRequest, SweepRunResult } from "./sweepWire";

const REQUEST: SweepRequest = {
  axes: [
    { setting: "width", values: [2, 4], layer: null },
    { setting: "learning_rate", values: [0.03, 0.3], layer: null },
  ],
  seeds_per_point: 2,
  steps: 200,
};

function setup(connected = true) {
  const sent: SweepCommand[] = [];
  const loaded: RunSettings[] = [];
  let settings: RunSettings = SETTINGS;
  const sweep = new Sweeps({
    send: (command) => {
      if (connected) sent.push(command);
      return connected;
    },
    settings: () => settings,
    load: (next) => {
      loaded.push(next);
      settings = next;
    },
  });
  return { sweep, sent, loaded };
}

function result(values: number[], seed: number): SweepRunResult {
  return {
    index: 0,
    values,
    seed,
    parameters: 25,
    train_loss: 0.1,
    test_loss: 0.2,
    train_accuracy: 1,
    test_accuracy: 0.9,
    diverged: false,
  };
}

function progress(overrides: Partial<SweepProgressEvent>): SweepProgressEvent {
  return {
    type: "sweep_progress",
    request_id: 2,
    state: "running",
    runs_done: 0,
    runs_total: 8,
    fraction: 0,
    engine: "local",
    elapsed_seconds: 0,
    message: null,
    results: [],
    ...overrides,
  };
}

function error(command: string, requestId: number | null, message: string): ErrorEvent {
  return {
    type: "error",
    command,
    request_id: requestId,
    message,
    diverged_at: null,
    undo_step: null,
  };
}

describe("sweep sub-store", () => {
  it("plans with a request id and keeps only the newest form's plan", () => {
    const { sweep, sent } = setup();
    sweep.requestPlan(REQUEST);
    sweep.requestPlan({ ...REQUEST, steps: 300 });
    expect(sent).toEqual([
      { type: "plan_sweep", request_id: 1, sweep: REQUEST },
      { type: "plan_sweep", request_id: 2, sweep: { ...REQUEST, steps: 300 } },
    ]);
    const plan = {
      type: "sweep_plan" as const,
      runs: 8,
      points: 4,
      engine: "local" as const,
      estimate_seconds: 3,
      parameters: [25, 25, 25, 25],
      sequential_runs: 0,
    };
    sweep.onPlan({ ...plan, request_id: 1 });
    expect([sweep.plan, sweep.planning]).toEqual([null, true]);
    sweep.onPlan({ ...plan, request_id: 2 });
    expect(sweep.plan?.runs).toBe(8);
    expect(sweep.planning).toBe(false);
  });

  it("shows a refused plan's message, ignoring an older one", () => {
    const { sweep } = setup();
    sweep.requestPlan(REQUEST);
    sweep.requestPlan(REQUEST);
    expect(sweep.onError(error("plan_sweep", 1, "old"))).toBe(true);
    expect(sweep.planError).toBeNull();
    const text = "the sweep has 4000 runs, 2000 over the limit of 2000";
    sweep.onError(error("plan_sweep", 2, text));
    expect(sweep.planError).toBe(text);
    expect(sweep.onError(error("configure", null, "not mine"))).toBe(false);
  });

  it("starts, gathers the results of each progress event, and ends as the server says", () => {
    const { sweep, sent } = setup();
    sweep.requestPlan(REQUEST);
    expect(sweep.start(REQUEST)).toBe(true);
    expect(sent[1]).toEqual({ type: "start_sweep", request_id: 2, sweep: REQUEST });
    expect(sweep.start(REQUEST)).toBe(false); // one at a time
    sweep.onProgress(
      progress({ runs_done: 2, results: [result([2, 0.03], 0), result([2, 0.03], 1)] }),
    );
    sweep.onProgress(progress({ request_id: 7, runs_done: 5 })); // not this page's sweep
    sweep.onProgress(
      progress({
        runs_done: 3,
        fraction: 0.4,
        elapsed_seconds: 1.5,
        results: [result([2, 0.3], 0)],
      }),
    );
    expect(sweep.fraction).toBe(0.4);
    expect([sweep.runsDone, sweep.runsTotal, sweep.elapsed, sweep.engine]).toEqual([
      3,
      8,
      1.5,
      "local",
    ]);
    expect(sweep.results.map((r) => [r.values, r.seed])).toEqual([
      [[2, 0.03], 0],
      [[2, 0.03], 1],
      [[2, 0.3], 0],
    ]);
    sweep.cancel();
    expect(sent.at(-1)).toEqual({ type: "cancel_sweep" });
    sweep.onProgress(progress({ state: "cancelled", runs_done: 3 }));
    expect([sweep.phase, sweep.running]).toEqual(["cancelled", false]);
    expect(sweep.results).toHaveLength(3);
  });

  it("says when a start is refused, and when the connection drops mid-sweep", () => {
    const { sweep } = setup();
    sweep.start(REQUEST);
    sweep.onError(error("start_sweep", 1, "a sweep is already running; cancel it first"));
    expect(sweep.phase).toBe("idle");
    expect(sweep.message).toBe("a sweep is already running; cancel it first");
    sweep.start(REQUEST);
    sweep.onProgress(progress({ request_id: 2, runs_done: 4 }));
    sweep.disconnected();
    expect(sweep.phase).toBe("failed");
    expect(sweep.message).toMatch(/dropped after 4 of 8 runs/);
  });

  it("says so when nothing could be sent", () => {
    const { sweep } = setup(false);
    sweep.requestPlan(REQUEST);
    expect(sweep.planError).toMatch(/Not connected/);
    expect(sweep.start(REQUEST)).toBe(false);
    expect(sweep.phase).toBe("idle");
  });

  it("loads a grid point with its seed on the settings the sweep started from", () => {
    const { sweep, loaded } = setup();
    sweep.dialogOpen = true;
    sweep.start(REQUEST);
    sweep.loadPoint([4, 0.3], 1);
    expect(loaded).toHaveLength(1);
    expect(loaded[0]!.network.hidden.map((l) => l.units)).toEqual([4, 4]);
    expect(loaded[0]!.training.learning_rate).toBe(0.3);
    expect(loaded[0]!.seed).toBe(1);
    expect(sweep.dialogOpen).toBe(false);
    sweep.loadPoint([2, 0.03], 0); // from the sweep's settings, not the point loaded before
    expect(loaded[1]!.network.hidden.map((l) => l.units)).toEqual([2, 2]);
  });

  it("applies a preset's setup and fills the form with its axes and success threshold", () => {
    const { sweep, loaded } = setup();
    const xor = SWEEP_PRESETS.find((preset) => preset.id === "xor-seeds")!;
    sweep.usePreset(xor);
    expect(loaded[0]!.dataset.name).toBe("xor4");
    expect(loaded[0]!.network.hidden).toHaveLength(1);
    expect(sweep.form.seeds).toBe(100);
    expect(sweep.form.axes[0]!.list).toBe("2, 3, 4, 8");
    expect(sweep.threshold).toEqual({ metric: "test_accuracy", value: 0.95 });
    sweep.formEdited();
    expect(sweep.preset).toBeNull();
  });
});

describe("sweeps through the store", () => {
  it("routes plan, progress (msgpack or JSON) and errors, and a dropped socket ends the sweep", () => {
    const { store, sent } = openStore();
    store.sweep.dialogOpen = true;
    store.sweep.requestPlan(REQUEST);
    store.sweep.start(REQUEST);
    expect(sent.map((c) => c.type)).toEqual(["plan_sweep", "start_sweep"]);
    store.apply(progress({ runs_done: 1, results: [result([2, 0.03], 0)] }));
    store.apply(overTheWire(progress({ runs_done: 2, results: [result([2, 0.03], 1)] })));
    expect(store.sweep.results.map((r) => r.seed)).toEqual([0, 1]);
    // With the panel open, a sweep's refusal shows there, not in the banner.
    store.apply(errorEvent("steps: at most 20000", { command: "plan_sweep", request_id: 1 }));
    expect(store.sweep.planError).toBe("steps: at most 20000");
    expect(store.banner.notices).toHaveLength(0);
    store.setConnection("closed");
    expect(store.sweep.phase).toBe("failed");
    expect(store.sweep.message).toMatch(/dropped after 2 of 8 runs/);
  });

  it("shows a sweep error in the banner while the panel is closed", () => {
    const { store } = openStore();
    store.apply(errorEvent("no sweep is running", { command: "cancel_sweep" }));
    expect(store.sweep.message).toBe("no sweep is running");
    expect(store.banner.notices.map((n) => n.text)).toEqual(["no sweep is running"]);
  });

  it("loads a point as one configure of the whole settings, width and seed changed", () => {
    const { store, sent } = openStore();
    store.sweep.start(REQUEST);
    sent.length = 0;
    store.sweep.loadPoint([4, 0.3], 1);
    expect(sent).toHaveLength(1);
    const configure = sent[0]!;
    if (configure.type !== "configure") throw new Error(configure.type);
    expect(configure.network?.hidden?.map((l) => l.units)).toEqual([4, 4]);
    expect(configure.training?.learning_rate).toBe(0.3);
    expect(configure.seed).toBe(1);
    expect(store.settings?.network.hidden.map((l) => l.units)).toEqual([4, 4]); // shown at once
  });
});
