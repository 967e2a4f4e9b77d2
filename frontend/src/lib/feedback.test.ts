// The page's feedback: fields that hold training back, and the banner's one message at a time.
import { describe, expect, it, vi } from "vitest";
import { FieldProblems } from "./fieldProblems.svelte";
import { SETTINGS, errorEvent, fakeFetch, frame, json, openStore, settingsEvent } from "./fixtures";
import type { FrameEvent } from "./protocol.gen";

/** A frame of `run` at `step`, paused, diverged at `divergedAt` if given. */
function pausedFrame(run: number, step: number, divergedAt: number | null = null): FrameEvent {
  return frame({ run, step, running: false, diverged_at: divergedAt, grid: null });
}

function setup(fetcher?: typeof fetch) {
  const fields = new FieldProblems();
  return { ...openStore({ fetcher, fields }), fields };
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
    expect(store.banner.notices).toHaveLength(1);
    expect(store.banner.notices[0]).toMatchObject({ kind: "field" });
    expect(store.banner.notices[0]!.text).toMatch(
      /^Fix Learning rate: must be at least 0\.00001\./,
    );
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
    expect(store.banner.notices[0]!.text).toMatch(/^Fix Seed/);
    fields.set("a", null);
    expect(store.blocked).toBe("Fix Points: must be a whole number");
    expect(store.banner.notices).toHaveLength(1); // still a field to fix
    fields.set("b", null);
    expect(store.blocked).toBeNull();
    expect(store.banner.notices).toEqual([]);
    store.play();
    store.step();
    expect(sent.map((c) => c.type)).toEqual(["play", "step"]);
  });
});

describe("the banner", () => {
  it("shows one message at a time, the newest", () => {
    const { store } = setup();
    store.apply(errorEvent("first", { command: "configure" }));
    store.apply(errorEvent("second", { command: "step" }));
    expect(store.banner.notices.map((n) => n.text)).toEqual(["second"]);
  });

  it("drops a CSV complaint once a file is read", async () => {
    let good = false;
    const { fetcher } = fakeFetch(() =>
      good
        ? json({ x: [[0, 1]], y: [0], task: "classification" })
        : json({ detail: "row 1 has no commas" }, 422),
    );
    const { store } = setup(fetcher);
    expect(await store.edits.uploadCsv("nonsense")).toBe(false);
    expect(await store.edits.uploadCsv("more nonsense")).toBe(false);
    expect(store.banner.notices).toHaveLength(1);
    expect(store.banner.notices[0]).toMatchObject({ cause: "upload" });
    good = true;
    expect(await store.edits.uploadCsv("x1,x2,label\n0,1,0")).toBe(true);
    expect(store.banner.notices).toEqual([]);
  });

  it("drops a refused configure's message when a configure is taken", () => {
    const { store } = setup();
    store.apply(errorEvent("layer 1: units must be at most 32", { command: "configure" }));
    store.apply(settingsEvent(SETTINGS));
    expect(store.banner.notices).toEqual([]);
  });

  it("keeps a message that a settings event has nothing to do with", () => {
    const { store } = setup();
    store.apply(errorEvent("No PyTorch code", { command: null }));
    store.apply(settingsEvent(SETTINGS));
    expect(store.banner.notices).toHaveLength(1);
  });

  it("tells a divergence by its step, not its words, shows it once, and reset clears it", () => {
    const { store } = setup();
    store.apply(pausedFrame(1, 10));
    store.apply(pausedFrame(1, 12, 12)); // the frame's short line first
    store.apply(
      errorEvent("The weights of hidden layer 1 are NaN.", { undo_step: 0, diverged_at: 12 }),
    );
    expect(store.banner.notices).toHaveLength(1);
    expect(store.banner.notices[0]).toMatchObject({
      kind: "diverged",
      undoStep: 0,
      divergedAt: 12,
    });
    expect(store.banner.notices[0]!.text).toMatch(/hidden layer 1/);
    store.apply(pausedFrame(1, 12, 12)); // a later frame does not bring the short line back
    expect(store.banner.notices[0]!.text).toMatch(/hidden layer 1/);
    store.banner.dismiss(store.banner.notices[0]!.id);
    store.apply(pausedFrame(1, 12, 12)); // nor undo a dismissal
    expect(store.banner.notices).toEqual([]);
    store.apply(errorEvent("diverged again", { undo_step: 0, diverged_at: 12 }));
    store.reset();
    expect(store.banner.notices).toEqual([]);
  });

  it("announces a divergence again in a new run", () => {
    const { store } = setup();
    store.apply(pausedFrame(1, 12, 12));
    store.banner.dismiss(store.banner.notices[0]!.id);
    store.apply(pausedFrame(2, 0));
    store.apply(pausedFrame(2, 12, 12));
    expect(store.banner.notices).toHaveLength(1);
  });
});
