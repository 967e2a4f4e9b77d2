// The store's core: server events in (settings, frames, errors), actions out as commands.
// The sub-stores have tests of their own (regions, dataEdits, explorer, setupFiles, …).

import { beforeEach, describe, expect, it } from "vitest";
import {
  dataset,
  GRID_BYTES,
  SETTINGS,
  errorEvent,
  frame,
  hello,
  openStore,
  settingsEvent,
  overTheWire,
} from "./fixtures";
import { encodeFloat16 } from "./float16";
import type { ClientCommand, ServerEvent } from "./protocol.gen";
import { Playground } from "./store.svelte";

describe("Playground.apply", () => {
  let sent: ClientCommand[];
  let store: Playground;

  beforeEach(() => {
    ({ store, sent } = openStore({ hello: null }));
  });

  it("takes the hello's settings as the first settings", () => {
    store.apply(hello());
    expect(store.settings).toEqual(SETTINGS);
    expect(store.server).toEqual({ version: "0.1.0", device: "cpu" });
    expect(sent).toEqual([]);
  });

  it("replaces settings on a settings event", () => {
    store.apply(hello());
    const next = { ...SETTINGS, seed: 7 };
    store.apply(settingsEvent(next));
    expect(store.settings).toEqual(next);
  });

  it("keeps the dataset event", () => {
    store.apply(dataset());
    expect(store.dataset).toEqual(dataset());
  });

  it("decodes a msgpack frame into the latest frame, its grid and the history", () => {
    store.apply(hello());
    store.apply(overTheWire(frame({ step: 10 })));
    store.apply(overTheWire(frame({ step: 20 })));
    expect(store.frame?.step).toBe(20);
    expect(store.frame?.grid?.data).toBeInstanceOf(Uint8Array);
    expect(store.grid?.kind).toBe("probability");
    expect(Array.from(store.grid?.planes[0] ?? [])).toEqual([1, 0.5, 0, -1]);
    expect(store.history.samples()[0]).toEqual([10, 20]);
    expect(store.running).toBe(true);
  });

  it("keeps no grid, and says nothing, for image data's frames", () => {
    store.apply(hello());
    store.apply(overTheWire(frame({ step: 10 })));
    expect(store.grid).not.toBeNull();
    const confusion = [
      [3, 1],
      [0, 4],
    ];
    const weight_images = {
      count: 2,
      height: 1,
      width: 1,
      data: new Uint8Array(new Float32Array([1, -1]).buffer),
    };
    store.apply(overTheWire(frame({ step: 20, grid: null, confusion, weight_images })));
    expect(store.grid).toBeNull();
    expect(store.banner.notices).toEqual([]);
    expect(store.frame?.confusion).toEqual(confusion);
    expect(store.frame?.weight_images?.data).toBeInstanceOf(Uint8Array);
    expect(store.history.samples()[0]).toEqual([10, 20]);
  });

  it("starts a new history when the run changes", () => {
    store.apply(frame({ run: 1, step: 10 }));
    store.apply(frame({ run: 1, step: 20 }));
    const revision = store.historyRevision;
    store.apply(frame({ run: 2, step: 0 }));
    expect(store.history.samples()[0]).toEqual([0]);
    expect(store.historyRevision).toBeGreaterThan(revision);
  });

  it("shows server errors and lets them be dismissed", () => {
    store.apply(errorEvent("layer 3: units must be at most 32", { command: "configure" }));
    expect(store.banner.notices.map((n) => n.text)).toEqual(["layer 3: units must be at most 32"]);
    store.banner.dismiss(store.banner.notices[0]!.id);
    expect(store.banner.notices).toEqual([]);
  });

  it("reports a divergence once, and forgets it with the run", () => {
    store.apply(errorEvent("Training diverged at step 412: lower it.", { diverged_at: 412 }));
    store.apply(frame({ diverged_at: 412, running: false }));
    expect(store.banner.notices).toHaveLength(1);
    expect(store.banner.notices[0]!.kind).toBe("diverged");
    store.apply(frame({ run: 2, step: 0 }));
    expect(store.banner.notices).toEqual([]);
  });

  it("announces a divergence seen only in a frame", () => {
    store.apply(frame({ diverged_at: 99 }));
    expect(store.banner.notices[0]!.text).toBe("Training diverged at step 99.");
  });

  it("splits a class grid into its class and probability planes", () => {
    const data = encodeFloat16([2, 0, 1, 2, 0.9, 0.5, 0.4, 1]);
    store.apply(overTheWire(frame({ grid: { width: 2, height: 2, kind: "class", data } })));
    expect(Array.from(store.grid!.planes[0]!)).toEqual([2, 0, 1, 2]);
    expect(store.grid!.planes[1]![0]).toBeCloseTo(0.9, 3);
  });

  it("reports a grid whose bytes do not fit its shape instead of drawing it", () => {
    store.apply(frame({ grid: { width: 2, height: 2, kind: "class", data: GRID_BYTES } }));
    expect(store.grid).toBeNull();
    expect(store.banner.notices[0]?.text).toMatch(/output grid.*needs 8 values/);
  });

  it("keeps null accuracies (regression) and the early stop of the frame", () => {
    store.apply(frame({ train_accuracy: null, test_accuracy: null }));
    expect(store.frame?.train_accuracy).toBeNull();
    store.apply(frame({ step: 300, running: false, early_stopped_at: 300, best_step: 120 }));
    expect(store.frame?.best_step).toBe(120);
  });

  it("throws on an event type it does not know", () => {
    expect(() => store.apply({ type: "nonsense" } as unknown as ServerEvent)).toThrow(/unhandled/);
  });
});

describe("Playground actions", () => {
  let sent: ClientCommand[];
  let store: Playground;

  beforeEach(() => {
    ({ store, sent } = openStore());
  });

  it("sends only what changed and shows it before the server answers", () => {
    store.setTraining({ learning_rate: 0.1 });
    expect(sent).toEqual([{ type: "configure", training: { learning_rate: 0.1 } }]);
    expect(store.settings?.training).toEqual({ ...SETTINGS.training, learning_rate: 0.1 });
  });

  it("adds and removes layers on top of unanswered changes", () => {
    store.addLayer();
    store.addLayer();
    expect(store.settings?.network.hidden).toHaveLength(4);
    expect(sent.at(-1)).toEqual({
      type: "configure",
      network: {
        hidden: [
          ...SETTINGS.network.hidden,
          SETTINGS.network.hidden[1],
          SETTINGS.network.hidden[1],
        ],
      },
    });
    store.removeLayer();
    expect(store.settings?.network.hidden).toHaveLength(3);
  });

  it("waits for the last answer before taking the server's settings", () => {
    store.setSeed(1);
    store.setSeed(2);
    store.apply(settingsEvent({ ...SETTINGS, seed: 1 }));
    expect(store.settings?.seed).toBe(2);
    store.apply(settingsEvent({ ...SETTINGS, seed: 2 }));
    expect(store.settings?.seed).toBe(2);
  });

  it("goes back to the server's settings when a configure is refused", () => {
    store.setLayer(0, { units: 8 });
    store.apply(errorEvent("no", { command: "configure" }));
    expect(store.settings).toEqual(SETTINGS);
  });

  it("steps by the chosen step size", () => {
    store.step();
    store.stepSize = 10;
    store.step();
    expect(sent).toEqual([
      { type: "step", steps: 1 },
      { type: "step", steps: 10 },
    ]);
  });

  it("sends play and pause, and lets the server's frames say whether it runs", () => {
    store.play();
    expect(store.running).toBe(false);
    store.apply(frame({ running: true }));
    expect(store.running).toBe(true);
    store.pause();
    store.apply(frame({ running: false, step: 42 }));
    expect(store.running).toBe(false);
    expect(sent).toEqual([{ type: "play" }, { type: "pause" }]);
  });

  it("restores the user's settings in one configure after reconnecting", () => {
    store.setDataset({ name: "xor" });
    store.apply(settingsEvent({ ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "xor" } }));
    store.setConnection("closed", { code: 1006, reason: "", wasOpen: true });
    expect(store.connectionProblem).toBe("Connection lost — reconnecting…");
    sent.length = 0;
    store.setConnection("open");
    store.apply(hello());
    const { outputs: _outputs, ...network } = SETTINGS.network;
    expect(sent).toEqual([
      {
        type: "configure",
        network,
        dataset: { ...SETTINGS.dataset, name: "xor" },
        training: SETTINGS.training,
        seed: 0,
      },
    ]);
    expect(store.settings?.dataset.name).toBe("xor");
  });

  it("sends the folding preset", () => {
    store.loadPreset(2);
    expect(sent).toEqual([{ type: "preset", name: "folding", depth: 2 }]);
  });

  it("sends nothing while there are no settings or no socket", () => {
    const offline = new Playground(() => false);
    offline.setSeed(3);
    offline.apply(hello());
    offline.setSeed(3);
    expect(offline.settings?.seed).toBe(0);
  });
});

describe("Playground guards", () => {
  it("offers undo on an error that names a step, sends it, and withdraws the offer", () => {
    const { store, sent } = openStore();
    store.apply(errorEvent("The weights of hidden layer 2 are NaN.", { undo_step: 57 }));
    expect(store.banner.notices[0]?.undoStep).toBe(57);
    store.undo();
    expect(sent).toEqual([{ type: "undo" }]);
    expect(store.banner.notices).toEqual([]);
  });

  it("adds the undo step to a divergence the frame already announced", () => {
    const { store } = openStore();
    store.apply(frame({ diverged_at: 412, running: false }));
    store.apply(errorEvent("Training diverged at step 412.", { undo_step: 400, diverged_at: 412 }));
    expect(store.banner.notices).toHaveLength(1);
    expect(store.banner.notices[0]).toMatchObject({ kind: "diverged", undoStep: 400 });
  });

  it("runs the overfit check, keeps its answer for the run, and stops waiting on an error", () => {
    const { store, sent } = openStore();
    store.apply(frame({ run: 1 }));
    store.overfit.run();
    expect(sent).toEqual([{ type: "overfit_check", points: 8 }]);
    expect(store.overfit.checking).toBe(true);
    const result = {
      type: "overfit_result",
      passed: true,
      points: 8,
      steps: 143,
      loss: 0.001,
      accuracy: 1,
      attempts: 1,
      message: "Fitted all 8 points.",
    } as const;
    store.apply(result);
    expect(store.overfit.checking).toBe(false);
    expect(store.overfit.result).toEqual(result);
    store.apply(frame({ run: 1, step: 20 }));
    expect(store.overfit.result).toEqual(result);
    store.apply(frame({ run: 2, step: 0 }));
    expect(store.overfit.result).toBeNull();
    store.overfit.run();
    store.apply(errorEvent("busy", { command: "overfit_check" }));
    expect(store.overfit.checking).toBe(false);
  });
});
