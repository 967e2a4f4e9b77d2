// A check with `own_activation` reads only frames of a network with the learner's own activation.
import { describe, expect, it } from "vitest";
import { checkMet, evaluateChecks } from "./lessonChecks";
import type { Check, FrameEvent } from "./protocol.gen";

const OWN: Check = {
  label: "your own activation, trained 100 steps",
  metric: "step",
  op: ">=",
  value: 100,
  after_step: null,
  after_action: null,
  field: null,
  expected_failure: false,
  after_edit: false,
  own_activation: true,
};
const frame = (step: number) => ({ type: "frame", step }) as unknown as FrameEvent;

describe("own_activation checks", () => {
  it("are met only while the network has an own activation", () => {
    expect(checkMet(OWN, frame(500))).toBe(false);
    expect(checkMet(OWN, frame(500), null, { ownActivation: false })).toBe(false);
    expect(checkMet(OWN, frame(50), null, { ownActivation: true })).toBe(false);
    expect(checkMet(OWN, frame(100), null, { ownActivation: true })).toBe(true);
  });

  it("stay met once met", () => {
    const met = evaluateChecks([OWN], frame(120), [false], null, { ownActivation: true });
    expect(met).toEqual([true]);
    expect(evaluateChecks([OWN], frame(0), met, null, { ownActivation: false })).toBe(met);
  });
});
