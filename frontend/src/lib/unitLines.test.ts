// Unit lines: weights <-> line, pointer drags and keys -> weights, the throttled `set_unit`.
// Oracle for the geometry: the unit's pre-activation w · x + b, evaluated here by hand.

import { describe, expect, it } from "vitest";
import type { Box } from "./draw/points";
import type { LayerWeights } from "./inspection";
import type { ClientCommand, RunSettings } from "./protocol.gen";
import {
  clipToBox,
  dataPixel,
  describeUnit,
  keyMove,
  lineFromWeights,
  lineSteepnessHandle,
  linesUnavailable,
  pointerData,
  rotateHandle,
  steepnessHandle,
  stepHandleRoom,
  weightsFromLine,
} from "./unitLines";
import { layerParams, SETTLE_MS, THROTTLE_MS, UnitLines } from "./unitLines.svelte";
import { dragShape, keyShape, shapeOf, shapeParams } from "./unitLinesDrag";

const BOX: Box = [-6, 6, -6, 6];
const z = (p: readonly number[], x: number, y: number) => p[0]! * x + p[1]! * y + p[2]!;

describe("unit line geometry", () => {
  it("puts the line where w · x + b = 0, nearest the box centre, the normal on the active side", () => {
    const line = lineFromWeights(2, -1, 3, [0, 0])!;
    expect(z([2, -1, 3], ...line.point)).toBeCloseTo(0, 12);
    expect(line.steepness).toBeCloseTo(Math.sqrt(5));
    const back = weightsFromLine(line);
    back.forEach((v, i) => expect(v).toBeCloseTo([2, -1, 3][i]!, 12));
    expect(lineFromWeights(0, 0, 1)).toBeNull();
  });

  it("a dragged centre puts the zero set through the pointer, keeping |w| and the active side", () => {
    const start = shapeOf([1, 1, 0], BOX)!;
    // The pointer at CSS (300, 100) of a 400 px canvas is data (3, 3).
    const at = pointerData(BOX, 400, 300, 100);
    expect(at).toEqual([3, 3]);
    const moved = shapeParams(dragShape(start, "move", at, BOX));
    expect(z(moved, 3, 3)).toBeCloseTo(0, 12);
    expect(Math.hypot(moved[0]!, moved[1]!)).toBeCloseTo(Math.SQRT2, 12);
    expect(z(moved, 5, 5)).toBeGreaterThan(0); // still active up and to the right
    expect(dataPixel(BOX, 400, ...at)).toEqual([300, 100]);
  });

  it("a dragged end turns the line through its point towards the pointer", () => {
    const start = shapeOf([1, 0, -1], BOX)!; // the vertical line x = 1, active to the right
    if (start.kind !== "line") throw new Error("2D unit");
    const handle = rotateHandle(start.line, 2);
    expect(handle[0]).toBeCloseTo(1, 12);
    expect(handle[1]).toBeCloseTo(2, 12);
    const turned = shapeParams(dragShape(start, "rotate", [3, 2], BOX)); // 45° to the right
    expect(z(turned, 1, 0)).toBeCloseTo(0, 12);
    expect(z(turned, 3, 2)).toBeCloseTo(0, 12);
    expect(Math.hypot(turned[0]!, turned[1]!)).toBeCloseTo(1, 12);
    expect(z(turned, 3, 0)).toBeGreaterThan(0);
  });

  it("2D: the steepness dot sits where z = 2 and sets |w| from the pointer's distance", () => {
    const start = shapeOf([0.5, 0, -0.5], BOX)!; // x = 1, |w| 0.5: z = 2 at x = 5
    if (start.kind !== "line") throw new Error("2D unit");
    expect(lineSteepnessHandle(start.line, 10)[0]).toBeCloseTo(5, 12);
    expect(lineSteepnessHandle(start.line, 2)[0]).toBeCloseTo(3, 12); // kept in view
    const sharp = shapeParams(dragShape(start, "steepness", [1.5, 4], BOX));
    expect(z(sharp, 1, 3)).toBeCloseTo(0, 12); // the line stays
    expect(z(sharp, 1.5, 0)).toBeCloseTo(2, 12); // z = 2 under the pointer
    expect(z(shapeParams(dragShape(start, "steepness", [-3, 0], BOX)), 2, 0)).toBeGreaterThan(0);
  });

  it("1D: the step moves to the pointer and its side handle sets the steepness", () => {
    const start = shapeOf([16, -8], [0, 1, -1.5, 1.5])!; // σ(16(x − 0.5))
    if (start.kind !== "step") throw new Error("1D unit");
    expect(start.step.position).toBeCloseTo(0.5);
    expect(steepnessHandle(start.step)).toBeCloseTo(0.5 + 2 / 16);
    // Near the box's edge the handle stays inside it.
    const edge = { position: 0.92, slope: 16 };
    const room = stepHandleRoom(edge, [0, 1, -1.5, 1.5], 0.2);
    expect(steepnessHandle(edge, room)).toBeLessThan(1);
    expect(steepnessHandle(edge, room)).toBeGreaterThan(0.92);
    const moved = dragShape(start, "move", [0.08, 0], [0, 1, -1.5, 1.5]);
    const [w, b] = shapeParams(moved);
    expect(-b! / w!).toBeCloseTo(0.08);
    expect(w).toBe(16);
    const sharper = dragShape(moved, "steepness", [0.08 + 2 / 27, 0], [0, 1, -1.5, 1.5]);
    expect(shapeParams(sharper)[0]).toBeCloseTo(27);
    expect(-shapeParams(sharper)[1]! / shapeParams(sharper)[0]!).toBeCloseTo(0.08);
    // Dragged past the step, the handle stops just short: the active side stays.
    const flat = dragShape(moved, "steepness", [-1, 0], [0, 1, -1.5, 1.5]);
    expect(shapeParams(flat)[0]).toBeGreaterThan(0);
  });

  it("clips the line to the box, and misses a box it does not cross", () => {
    const seg = clipToBox(lineFromWeights(1, 0, -1)!, BOX)!;
    const near = (values: number[], want: number[]) =>
      values.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    near(
      seg.map((p) => p[0]),
      [1, 1],
    );
    near(
      seg.map((p) => p[1]).sort((a, b) => a - b),
      [-6, 6],
    );
    expect(clipToBox(lineFromWeights(1, 0, -10)!, BOX)).toBeNull();
  });
});

describe("keys", () => {
  it("arrows move, [ ] and Shift+arrows turn, + − change the steepness", () => {
    const start = shapeOf([1, 0, 0], BOX)!;
    const right = shapeParams(keyShape(start, keyMove("ArrowRight", false, BOX)!));
    expect(z(right, 12 / 50, 0)).toBeCloseTo(0, 12); // one fiftieth of the box to the right
    const up = shapeParams(keyShape(shapeOf([0, 1, 0], BOX)!, keyMove("ArrowUp", false, BOX)!));
    expect(z(up, 0, 12 / 50)).toBeCloseTo(0, 12);
    const turned = shapeParams(keyShape(start, keyMove("[", false, BOX)!));
    expect(Math.atan2(turned[1]!, turned[0]!)).toBeCloseTo((5 * Math.PI) / 180);
    expect(keyMove("ArrowLeft", true, BOX)).toEqual(keyMove("[", false, BOX));
    const steeper = shapeParams(keyShape(start, keyMove("+", false, BOX)!));
    expect(steeper[0]).toBeCloseTo(1.25);
    expect(keyMove("a", false, BOX)).toBeNull();
  });

  it("says what the unit became", () => {
    const line = lineFromWeights(1, 0, -1)!;
    expect(describeUnit(0, line)).toBe(
      "Unit 1: line through (1, 0), active side facing 0°, steepness 1",
    );
    expect(describeUnit(1, { position: 0.25, slope: -16 })).toBe(
      "Unit 2: step at x = 0.25, steepness 16 (active to the left)",
    );
  });
});

describe("availability", () => {
  const settings = (features: string[], norm = false) =>
    ({
      network: { features, hidden: [{ units: 2, activation: "relu", batch_norm: norm }] },
    }) as unknown as RunSettings;
  it("needs the raw coordinates and no normalisation in the first layer", () => {
    expect(linesUnavailable(settings(["x1", "x2"]), 2)).toBeNull();
    expect(linesUnavailable(settings(["x1"]), 1)).toBeNull();
    expect(linesUnavailable(settings(["x1", "x2", "x1_x2"]), 2)).toMatch(/curve/);
    expect(linesUnavailable(settings(["x1", "x2"], true), 2)).toMatch(/normalisation/);
    expect(linesUnavailable(settings(["pixels"]), 64)).toMatch(/image data/);
  });
});

describe("UnitLines: the edits sent", () => {
  function harness() {
    const sent: ClientCommand[] = [];
    let now = 0;
    const timers: (() => void)[] = [];
    const lines = new UnitLines({
      send: (c) => (sent.push(c), true),
      now: () => now,
      later: (run) => void timers.push(run),
    });
    return { lines, sent, tick: (ms: number) => (now += ms), timers };
  }
  const layer: LayerWeights = {
    layer: 0,
    name: "hidden layer 1",
    inputs: 2,
    units: 2,
    activation: "relu",
    weight: new Float32Array([1, 2, 3, 4]),
    bias: new Float32Array([5, 6]),
  };

  it("never drops one unit's last edit for another unit's (latest wins within a unit)", () => {
    const { lines, sent, tick, timers } = harness();
    lines.edit(0, [1, 0, -0.02]);
    tick(10);
    lines.edit(0, [1, 0, -0.08]); // held by the throttle...
    lines.edit(3, [-1, 0, 0.92]); // ...and still sent when another unit moves
    expect(sent.map((c) => (c.type === "set_unit" ? [c.unit, c.bias] : null))).toEqual([
      [0, -0.02],
      [0, -0.08],
    ]);
    tick(THROTTLE_MS);
    timers.shift()!();
    expect(sent.at(-1)).toEqual({
      type: "set_unit",
      layer: 0,
      unit: 3,
      weights: [-1, 0],
      bias: 0.92,
    });
  });

  it("sends at most one set_unit per throttle, the newest last, and draws the edit at once", () => {
    const { lines, sent, tick, timers } = harness();
    lines.edit(1, [0.5, 0.25, -1]);
    expect(sent).toEqual([{ type: "set_unit", layer: 0, unit: 1, weights: [0.5, 0.25], bias: -1 }]);
    tick(10);
    lines.edit(1, [0.6, 0.25, -1]);
    lines.edit(1, [0.7, 0.25, -1]);
    expect(sent).toHaveLength(1);
    expect(lines.params(layer, 1)).toEqual([0.7, 0.25, -1]);
    tick(THROTTLE_MS);
    timers.shift()!();
    expect(sent.at(-1)).toEqual({
      type: "set_unit",
      layer: 0,
      unit: 1,
      weights: [0.7, 0.25],
      bias: -1,
    });
    expect(sent).toHaveLength(2);
  });

  it("drops an edit once the server's weights show it, and every edit on a new run", () => {
    const { lines } = harness();
    expect(layerParams(layer, 1)).toEqual([3, 4, 6]);
    lines.edit(1, [3, 4, 7]);
    lines.sync(layer, false);
    expect(lines.params(layer, 1)).toEqual([3, 4, 7]); // not there yet
    lines.sync({ ...layer, bias: new Float32Array([5, 7]) }, false);
    expect(lines.edits.size).toBe(0);
    lines.edit(0, [9, 9, 9]);
    lines.sync(layer, true);
    expect(lines.params(layer, 0)).toEqual([1, 2, 5]);
  });

  it("stops drawing an edit the server never showed (refused) once it has settled", () => {
    const { lines, tick } = harness();
    lines.edit(0, [9, 9, 9]);
    tick(100);
    lines.sync(layer, false);
    expect(lines.params(layer, 0)).toEqual([9, 9, 9]);
    tick(SETTLE_MS);
    lines.sync(layer, false);
    expect(lines.params(layer, 0)).toEqual([1, 2, 5]);
  });
});
