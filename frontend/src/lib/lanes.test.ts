// The lanes sub-store and the compare helpers: what compare/promote/end send, how lanes frames
// (msgpack on the wire) become each lane's state and curve, and what the dialog suggests.

import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { currentValue, laneLabel, suggestValues, type ChoiceLists } from "./compare";
import { LANE_COLORS, lanesPlotSpec } from "./draw/lanesPlot";
import { encodeFloat16 } from "./float16";
import { LaneCurve } from "./lanes.svelte";
import type {
  ClientCommand,
  FrameEvent,
  LaneFrame,
  LanesFrameEvent,
  RunSettings,
} from "./protocol.gen";
import { decodeEvent } from "./socket";
import { Playground } from "./store.svelte";

const LISTS: ChoiceLists = {
  activations: ["relu", "leaky_relu", "tanh", "sigmoid", "linear"],
  optimizers: ["sgd", "momentum", "adam"],
  inits: ["default", "he"],
  maxUnits: 32,
  maxLayers: 6,
};

function lane(step: number, loss: number, regions: number | null = null): LaneFrame {
  return {
    step,
    train_loss: loss,
    test_loss: loss + 0.1,
    train_accuracy: 0.5,
    test_accuracy: 0.5,
    loss_points: null,
    history: { steps: [step], train_loss: [loss], test_loss: [loss + 0.1] },
    grid: { width: 2, height: 2, kind: "probability", data: encodeFloat16([0, 0.5, 1, 0.25]) },
    regions,
    diverged_at: null,
    early_stopped_at: null,
  };
}

function lanesFrame(run: number, lanes: LaneFrame[]): LanesFrameEvent {
  // Through msgpack and the socket's decoder, as the page receives it.
  const event: LanesFrameEvent = { type: "lanes_frame", run, running: true, lanes };
  return decodeEvent(encode(event)) as LanesFrameEvent;
}

function setup(): { store: Playground; sent: ClientCommand[] } {
  const sent: ClientCommand[] = [];
  const store = new Playground((command) => {
    sent.push(command);
    return true;
  });
  return { store, sent };
}

describe("lanes sub-store", () => {
  it("sends compare with lane 1 first, promote and end", () => {
    const { store, sent } = setup();
    expect(store.lanes.compare("activation", ["tanh"])).toBe(false); // one value is no comparison
    store.lanes.compare("activation", ["tanh", "relu", "sigmoid"]);
    store.lanes.promote(2);
    store.lanes.end();
    expect(sent).toEqual([
      { type: "compare", setting: "activation", values: ["tanh", "relu", "sigmoid"] },
      { type: "promote_lane", lane: 2 },
      { type: "end_compare" },
    ]);
  });

  it("keeps each lane's newest state, curve and last region count within a run", () => {
    const { store } = setup();
    store.apply({ type: "lanes", setting: "learning_rate", values: [0.03, 0.3] });
    expect(store.lanes.active).toBe(true);
    store.apply(lanesFrame(2, [lane(0, 0.7, 5), lane(0, 0.7, 5)]));
    store.apply(lanesFrame(2, [lane(10, 0.6), lane(10, 0.4, 9)]));
    const [first, second] = store.lanes.lanes;
    expect(first).toMatchObject({ label: "lr 0.03", step: 10, trainLoss: 0.6, regions: 5 });
    expect(second).toMatchObject({ label: "lr 0.3", trainLoss: 0.4, regions: 9 });
    expect(first!.grid!.planes[0]![1]).toBeCloseTo(0.5);
    expect(store.lanes.curves[1]!.steps).toEqual([0, 10]);
    expect(store.lanes.curves[1]!.train).toEqual([0.7, 0.4]);
    // A new run (reset, or a new comparison) starts every curve and count afresh.
    store.apply(lanesFrame(3, [lane(0, 0.7), lane(0, 0.7)]));
    expect(store.lanes.curves[0]!.steps).toEqual([0]);
    expect(store.lanes.lanes[0]!.regions).toBeNull();
  });

  it("ignores lanes frames after the comparison ended", () => {
    const { store } = setup();
    store.apply({ type: "lanes", setting: "width", values: [4, 8] });
    store.apply({ type: "lanes", setting: null, values: [] });
    store.apply(lanesFrame(2, [lane(5, 0.5), lane(5, 0.5)]));
    expect(store.lanes.active).toBe(false);
    expect(store.lanes.lanes).toEqual([]);
  });

  it("a promoted lane's curve becomes the main run's history", () => {
    const { store } = setup();
    store.apply({ type: "lanes", setting: "activation", values: ["tanh", "relu"] });
    store.apply(lanesFrame(2, [lane(0, 0.7), lane(0, 0.69)]));
    store.apply(lanesFrame(2, [lane(50, 0.6), lane(50, 0.3)]));
    store.lanes.promote(1);
    store.apply({ type: "lanes", setting: null, values: [] });
    // The promoted run's first frame (only what the store reads when a run starts).
    const history = { steps: [50], train_loss: [0.3], test_loss: [0.4] };
    const frame = { type: "frame", run: 3, step: 50, running: false, history, grid: null };
    store.apply({ ...frame, regions: null, diverged_at: null } as unknown as FrameEvent);
    expect(store.history.samples()[0]).toEqual([0, 50]);
    expect(store.history.samples()[1]).toEqual([0.69, 0.3]);
  });
});

describe("compare helpers", () => {
  const settings = {
    network: { hidden: [{ units: 8, activation: "tanh", dropout: 0 }], init: "default" },
    training: { learning_rate: 0.03, optimizer: "sgd", batch_size: 10, l2: 0 },
  } as unknown as RunSettings;

  it("reads lane 1's value from the settings", () => {
    expect(currentValue(settings, "activation")).toBe("tanh");
    expect(currentValue(settings, "width")).toBe(8);
    expect(currentValue(settings, "depth")).toBe(1);
    expect(currentValue(settings, "learning_rate")).toBe(0.03);
  });

  it("suggests other values that fit, never the current one", () => {
    expect(suggestValues("activation", "tanh", 2, LISTS)).toEqual(["relu", "sigmoid"]);
    expect(suggestValues("learning_rate", 0.03, 2, LISTS)).toEqual([0.003, 0.3]);
    expect(suggestValues("width", 32, 3, LISTS)).toEqual([16]); // 64 is over max_units
    expect(suggestValues("depth", 0, 2, LISTS)).toEqual([1, 2]);
    expect(suggestValues("l2", 0, 2, LISTS)).toEqual([0.001, 0.01]);
  });

  it("names lanes by their value", () => {
    expect(laneLabel("activation", "relu")).toBe("relu");
    expect(laneLabel("batch_size", 25)).toBe("batch 25");
  });
});

describe("lanes plot", () => {
  it("overlays one solid test and one dashed training curve per lane, named in the legend", () => {
    const curve = new LaneCurve();
    curve.append({ steps: [0, 10], train_loss: [0.7, 0.05], test_loss: [0.72, 0.06] });
    const spec = lanesPlotSpec([curve, curve], ["1 · tanh", "2 · relu"]);
    expect(spec.series.map((s) => [s.label, s.color, s.dashed ?? false])).toEqual([
      ["1 · tanh", LANE_COLORS[0], false],
      ["", LANE_COLORS[0], true],
      ["2 · relu", LANE_COLORS[1], false],
      ["", LANE_COLORS[1], true],
    ]);
    expect(spec.y.log).toBe(true); // a decade apart
    expect(spec.x.max).toBe(10);
  });

  it("thins a long curve, keeping the newest sample", () => {
    const curve = new LaneCurve(4);
    for (let step = 1; step <= 6; step++) {
      curve.append({ steps: [step], train_loss: [1 / step], test_loss: [1 / step] });
    }
    expect(curve.steps.length).toBeLessThanOrEqual(4);
    expect(curve.steps[curve.steps.length - 1]).toBe(6);
  });
});
