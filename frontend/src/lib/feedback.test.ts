// The page's feedback: fields that hold training back, and the banner's one message at a time.
import { describe, expect, it, vi } from "vitest";
import { FieldProblems } from "./fieldProblems.svelte";
import type { ClientCommand, FrameEvent, RunSettings, ServerEvent } from "./protocol.gen";
import { Playground } from "./store.svelte";

const SETTINGS = {
  network: { hidden: [], features: ["x1", "x2"], init: "default", outputs: 1 },
  dataset: { name: "circle", points: 500, noise: 0, train_fraction: 0.5, classes: 2 },
  training: { optimizer: "sgd", learning_rate: 0.03, batch_size: 10, loss: "bce" },
  seed: 0,
} as unknown as RunSettings;

const hello: ServerEvent = {
  type: "hello",
  protocol: 2,
  version: "0.1.0",
  device: "cpu",
  settings: SETTINGS,
  steps_per_second: 200,
};

function frame(run: number, step: number, divergedAt: number | null = null): ServerEvent {
  return {
    type: "frame",
    run,
    step,
    running: false,
    train_loss: 0.5,
    test_loss: 0.5,
    train_accuracy: null,
    test_accuracy: null,
    history: { steps: [], train_loss: [], test_loss: [] },
    grid: null,
    regions: null,
    regions_exact: true,
    region_polygons: null,
    diverged_at: divergedAt,
    early_stopped_at: null,
    best_step: null,
    confusion: null,
    weight_images: null,
  } as FrameEvent;
}

function error(message: string, extra: Partial<Record<string, unknown>> = {}): ServerEvent {
  return { type: "error", message, command: null, undo_step: null, diverged_at: null, ...extra };
}

function setup(fetcher?: typeof fetch) {
  const sent: ClientCommand[] = [];
  const fields = new FieldProblems();
  const store = new Playground(
    (command) => {
      if (command.type !== "inspect") sent.push(command);
      return true;
    },
    fetcher,
    fields,
  );
  store.setConnection("open");
  store.apply(hello);
  return { store, sent, fields };
}

describe("a field with an invalid value", () => {
  it("holds Play and Step back, says why, and puts the cursor in the field", () => {
    const { store, sent, fields } = setup();
    const focus = vi.fn();
    fields.set("lr", {
      key: "lr",
      label: "Learning rate",
      problem: "must be at least 0.00001",
      focus,
    });
    expect(store.blocked).toBe("Fix Learning rate: must be at least 0.00001");
    store.play();
    store.step();
    expect(sent).toEqual([]);
    expect(focus).toHaveBeenCalledTimes(2);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toMatchObject({ kind: "field" });
    expect(store.notices[0]!.text).toMatch(/^Fix Learning rate: must be at least 0\.00001\./);
  });

  it("lets training go once fixed, and its message goes with the problem", () => {
    const { store, sent, fields } = setup();
    fields.set("a", { key: "a", label: "Seed", problem: "enter a number", focus: () => {} });
    fields.set("b", {
      key: "b",
      label: "Points",
      problem: "must be a whole number",
      focus: () => {},
    });
    store.play();
    expect(store.notices[0]!.text).toMatch(/^Fix Seed/);
    fields.set("a", null);
    expect(store.blocked).toBe("Fix Points: must be a whole number");
    expect(store.notices).toHaveLength(1); // still a field to fix
    fields.set("b", null);
    expect(store.blocked).toBeNull();
    expect(store.notices).toEqual([]);
    store.play();
    store.step();
    expect(sent.map((c) => c.type)).toEqual(["play", "step"]);
  });
});

describe("the banner", () => {
  it("shows one message at a time, the newest", () => {
    const { store } = setup();
    store.apply(error("first", { command: "configure" }));
    store.apply(error("second", { command: "step" }));
    expect(store.notices.map((n) => n.text)).toEqual(["second"]);
  });

  it("drops a CSV complaint once a file is read", async () => {
    let good = false;
    const fetcher = (async () =>
      good
        ? new Response(JSON.stringify({ x: [[0, 1]], y: [0], task: "classification" }))
        : new Response(JSON.stringify({ detail: "row 1 has no commas" }), {
            status: 422,
          })) as unknown as typeof fetch;
    const { store } = setup(fetcher);
    expect(await store.uploadCsv("nonsense")).toBe(false);
    expect(await store.uploadCsv("more nonsense")).toBe(false);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toMatchObject({ cause: "upload" });
    good = true;
    expect(await store.uploadCsv("x1,x2,label\n0,1,0")).toBe(true);
    expect(store.notices).toEqual([]);
  });

  it("drops a refused configure's message when a configure is taken", () => {
    const { store } = setup();
    store.apply(error("layer 1: units must be at most 32", { command: "configure" }));
    store.apply({ type: "settings", settings: SETTINGS });
    expect(store.notices).toEqual([]);
  });

  it("keeps a message that a settings event has nothing to do with", () => {
    const { store } = setup();
    store.apply(error("No PyTorch code", { command: null }));
    store.apply({ type: "settings", settings: SETTINGS });
    expect(store.notices).toHaveLength(1);
  });

  it("tells a divergence by its step, not its words, shows it once, and reset clears it", () => {
    const { store } = setup();
    store.apply(frame(1, 10));
    store.apply(frame(1, 12, 12)); // the frame's short line first
    store.apply(error("The weights of hidden layer 1 are NaN.", { undo_step: 0, diverged_at: 12 }));
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toMatchObject({ kind: "diverged", undoStep: 0, divergedAt: 12 });
    expect(store.notices[0]!.text).toMatch(/hidden layer 1/);
    store.apply(frame(1, 12, 12)); // a later frame does not bring the short line back
    expect(store.notices[0]!.text).toMatch(/hidden layer 1/);
    store.dismiss(store.notices[0]!.id);
    store.apply(frame(1, 12, 12)); // nor undo a dismissal
    expect(store.notices).toEqual([]);
    store.apply(error("diverged again", { undo_step: 0, diverged_at: 12 }));
    store.reset();
    expect(store.notices).toEqual([]);
  });

  it("announces a divergence again in a new run", () => {
    const { store } = setup();
    store.apply(frame(1, 12, 12));
    store.dismiss(store.notices[0]!.id);
    store.apply(frame(2, 0));
    store.apply(frame(2, 12, 12));
    expect(store.notices).toHaveLength(1);
  });
});
