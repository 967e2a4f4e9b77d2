// Frames between two loss evaluations (the server computes losses ≤ 30/s while frames of weights
// come at 60/s) repeat the last losses with `loss_step` and an empty history: the page keeps
// showing the latest losses, and the chart gets no point the server did not compute.

import { describe, expect, it } from "vitest";
import { frame, hello, openStore, overTheWire } from "./fixtures";

describe("a frame that repeats the last losses", () => {
  it("shows them and its step, and adds no point to the loss chart", () => {
    const { store } = openStore({ hello: null });
    store.apply(hello());
    store.apply(overTheWire(frame({ step: 10, train_loss: 0.4, test_loss: 0.45 })));
    const repeated = frame({
      step: 14,
      train_loss: 0.4,
      test_loss: 0.45,
      loss_step: 10,
      history: { steps: [], train_loss: [], test_loss: [] },
    });
    store.apply(overTheWire(repeated));
    expect(store.frame?.step).toBe(14);
    expect(store.frame?.train_loss).toBe(0.4);
    expect(store.frame?.loss_step).toBe(10);
    expect(store.history.samples()[0]).toEqual([10]);
  });
});
