// The store's side of the "Inside the network" card: what it asks the server to inspect, and
// what it makes of the inspections that come back. Driven through Playground, as the page does.

import { beforeEach, describe, expect, it } from "vitest";
import {
  SETTINGS as BASE,
  f32,
  frame,
  hello,
  inspectedLayer as layer,
  inspectionEvent,
  overTheWire,
} from "./fixtures";
import type {
  ClientCommand,
  InspectCommand,
  InspectionEvent,
  LayerMonitorStats,
  RunSettings,
} from "./protocol.gen";
import { Playground } from "./store.svelte";

const SETTINGS = {
  ...BASE,
  network: { ...BASE.network, hidden: [] },
  dataset: { ...BASE.dataset, name: "xor" },
} as RunSettings;

function monitor(layer: number, name: string, weightNorm: number): LayerMonitorStats {
  return {
    layer,
    name,
    weight_norm: weightNorm,
    grad_norm: 0.1,
    update_ratio: null,
    activation_mean: 0,
    activation_std: 1,
    dead_fraction: layer === 0 ? 0.25 : null,
  };
}

/** A 2 → 2 → 1 net's inspection: W1 = [[1, 2], [3, 4]], W2 = [[5, 6]]. */
function inspection(overrides: Partial<InspectionEvent> = {}): InspectionEvent {
  const layers = [layer(0, 2, 2, [1, 2, 3, 4], [0, 0]), layer(1, 2, 1, [5, 6], [0.5])];
  return inspectionEvent(layers, overrides);
}

describe("the inside card's subscription", () => {
  let sent: ClientCommand[];
  let store: Playground;
  const inspects = () => sent.filter((c): c is InspectCommand => c.type === "inspect");

  beforeEach(() => {
    sent = [];
    store = new Playground((command) => {
      sent.push(command);
      return true;
    });
  });

  it("asks for nothing while the card is not on the page", () => {
    store.apply(hello(SETTINGS));
    store.inside.setTab("monitors");
    expect(inspects().every((c) => !c.neurons && !c.monitors)).toBe(true);
  });

  it("stops asking when the card goes away", () => {
    const hide = store.inside.show();
    store.apply(hello(SETTINGS));
    hide();
    expect(inspects().at(-1)).toMatchObject({ neurons: false, monitors: false, probe: null });
  });

  it("asks for the neuron maps on hello, the Network view being open", () => {
    // Like the socket: a command sent before it opens is dropped.
    store = new Playground((command) => {
      if (store.connection !== "open") return false;
      sent.push(command);
      return true;
    });
    store.inside.show(); // mounted before the socket is open: nothing goes out yet
    store.setConnection("open");
    store.apply(hello(SETTINGS));
    expect(inspects()).toEqual([
      {
        type: "inspect",
        neurons: true,
        focus: null,
        hidden_layer: null,
        monitors: false,
        probe: null,
        graph: false,
      },
    ]);
  });

  it("asks for what each view needs, and only when that changes", () => {
    store.inside.show();
    store.apply(hello(SETTINGS));
    store.inside.setTab("monitors");
    store.inside.setTab("monitors");
    store.inside.setTab("hidden");
    store.inside.setHiddenLayer(1);
    const last = inspects().slice(-3);
    expect(last.map((c) => [c.neurons, c.monitors, c.hidden_layer])).toEqual([
      [false, true, null],
      [false, false, 0],
      [false, false, 1],
    ]);
  });

  it("sends the focus only with the Network view and the probe only with Forward/backward", () => {
    store.inside.show();
    store.apply(hello(SETTINGS));
    store.inside.openNeuron(1, 0);
    expect(inspects().at(-1)?.focus).toEqual({ layer: 1, unit: 0 });
    store.inside.probe([0.5, -1], 1);
    expect(inspects().at(-1)?.probe).toBeNull();
    store.inside.setTab("backprop");
    expect(inspects().at(-1)).toMatchObject({
      neurons: false,
      focus: null,
      probe: { point: [0.5, -1], target: 1 },
    });
  });

  it("asks for the probe's graph only while the Graph view of Forward/backward is open", () => {
    store.inside.show();
    store.apply(hello(SETTINGS));
    store.inside.probe([0.5, -1], 1);
    store.inside.setProbeView("graph");
    expect(inspects().at(-1)?.graph).toBe(false); // the Network tab is open
    store.inside.setTab("backprop");
    expect(inspects().at(-1)).toMatchObject({ probe: { point: [0.5, -1] }, graph: true });
    store.inside.setProbeView("tables");
    expect(inspects().at(-1)?.graph).toBe(false);
  });

  it("sends the subscription again after a reconnect's hello, unchanged as it is", () => {
    store.inside.show();
    store.apply(hello(SETTINGS));
    store.inside.setTab("monitors");
    const before = inspects().length;
    store.setConnection("closed");
    store.setConnection("open");
    store.apply(hello(SETTINGS));
    expect(inspects()).toHaveLength(before + 1);
    expect(inspects().at(-1)?.monitors).toBe(true);
  });

  it("sends set_weight for a weight or a bias, and refuses a non-number", () => {
    expect(store.inside.setWeight(1, 0, 1, -2.5)).toBe(true);
    expect(store.inside.setWeight(0, 1, null, 0.25)).toBe(true);
    expect(store.inside.setWeight(0, 0, 0, NaN)).toBe(false);
    expect(sent.filter((c) => c.type === "set_weight")).toEqual([
      { type: "set_weight", layer: 1, row: 0, col: 1, value: -2.5 },
      { type: "set_weight", layer: 0, row: 1, col: null, value: 0.25 },
    ]);
  });
});

describe("inspections in the store", () => {
  let sent: ClientCommand[];
  let store: Playground;

  beforeEach(() => {
    sent = [];
    store = new Playground((command) => {
      sent.push(command);
      return true;
    });
    store.setConnection("open");
    store.inside.show();
    store.apply(hello(SETTINGS));
  });

  it("decodes a msgpack inspection into weights the views read", () => {
    store.apply(overTheWire(inspection()));
    const layers = store.inside.inspection?.layers ?? [];
    expect(layers.map((l) => Array.from(l.weight))).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    expect(store.inside.inspection?.step).toBe(10);
  });

  it("shows a notice for a malformed inspection and keeps the previous one", () => {
    store.apply(inspection());
    const bad = inspection({ step: 20 });
    bad.layers[1]!.weight = f32([5]);
    store.apply(bad);
    expect(store.inside.inspection?.step).toBe(10);
    expect(store.banner.notices.at(-1)?.text).toMatch(
      /Unreadable inspection.*output layer weights/,
    );
  });

  it("records monitors over steps and starts over with a new run", () => {
    const monitors = (w: number) => [
      monitor(0, "hidden layer 1", w),
      monitor(1, "output layer", 2 * w),
    ];
    store.apply(inspection({ step: 10, monitors: monitors(1) }));
    store.apply(inspection({ step: 20, monitors: monitors(3) }));
    expect(store.inside.monitors.columns("weight_norm")).toEqual([
      [10, 20],
      [1, 3],
      [2, 6],
    ]);
    const revision = store.inside.monitorRevision;
    store.apply(inspection({ run: 2, step: 0, monitors: monitors(5) }));
    expect(store.inside.monitors.columns("weight_norm")).toEqual([[0], [5], [10]]);
    expect(store.inside.monitorRevision).toBeGreaterThan(revision);
  });

  it("takes the server's history of the run when the view opens after training", () => {
    const monitors = (w: number) => [
      monitor(0, "hidden layer 1", w),
      monitor(1, "output layer", 2 * w),
    ];
    store.apply(inspection({ step: 5, monitors: monitors(9) })); // something stale held
    const history = [0, 100, 200].map((step) => ({ step, layers: monitors(step / 100 + 1) }));
    store.apply(
      overTheWire(inspection({ step: 300, monitors: monitors(4), monitor_history: history })),
    );
    expect(store.inside.monitors.columns("weight_norm")).toEqual([
      [0, 100, 200, 300],
      [1, 2, 3, 4],
      [2, 4, 6, 8],
    ]);
  });

  it("clears every monitor series when a new run's first frame comes (a reset)", () => {
    const at = (run: number, step: number) => frame({ run, step, running: false, grid: null });
    store.apply(at(1, 40_000));
    const stats = [monitor(0, "hidden layer 1", 1), monitor(1, "output layer", 2)];
    store.apply(inspection({ run: 1, step: 40_000, monitors: stats }));
    expect(store.inside.monitors.length).toBe(1);
    store.apply(at(2, 0));
    for (const metric of ["weight_norm", "grad_norm", "update_ratio", "dead_fraction"] as const) {
      expect(store.inside.monitors.columns(metric, metric !== "weight_norm")[0]).toEqual([]);
    }
    expect(store.inside.monitors.spreadColumns()[0]).toEqual([]);
  });

  it("points the views back at layers that exist when the network shrinks", () => {
    store.inside.setTab("hidden");
    store.inside.setHiddenLayer(3);
    store.inside.setTab("network");
    store.inside.openNeuron(2, 5);
    store.apply(inspection());
    expect(store.inside.hiddenLayer).toBe(0);
    expect(store.inside.focus).toBeNull();
    const last = sent.filter((c) => c.type === "inspect").at(-1) as InspectCommand;
    expect(last.focus).toBeNull();
  });
});
