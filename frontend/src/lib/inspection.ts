// An inspection event's binary fields decoded into typed arrays the views draw: each layer's
// weights, each neuron's plane over the input box, the hidden space's points and grid lines.
// Every size is checked, so a malformed event fails here with a message, not later in a view.

import { decodeFloat16 } from "./float16";
import type {
  FocusPlane,
  GraphView,
  HiddenSpaceView,
  InspectedLayer,
  InspectionEvent,
  LayerMonitorStats,
  MonitorSample,
  NeuronPlanes,
  ProbeResult,
} from "./protocol.gen";

/** One Linear layer: `weight` is units × inputs, row-major (row = the unit it leads into). */
export interface LayerWeights {
  layer: number;
  name: string;
  inputs: number;
  units: number;
  activation: string | null;
  weight: Float32Array;
  bias: Float32Array;
}

/** Every neuron's values over the box, as width·height planes (row 0 at the top). */
export interface NeuronMaps {
  width: number;
  height: number;
  /** columns[0]: the input features, columns[1..H]: the hidden layers, last: the outputs. */
  columns: Float32Array[][];
}

/** One neuron at a higher resolution. */
export interface FocusMap {
  layer: number;
  unit: number;
  width: number;
  height: number;
  values: Float32Array;
}

/** Where one hidden layer maps the training points and the box's grid lines, in 2D. */
export interface HiddenSpace {
  layer: number;
  units: number;
  projected: boolean;
  count: number;
  /** x0, y0, x1, y1, … for the `count` training points, in dataset order. */
  points: Float32Array;
  labels: Float32Array;
  lines: number;
  samples: number;
  /** lines × samples × 2: line l's sample s is at (grid[2(l·samples+s)], grid[…+1]). */
  grid: Float32Array;
}

export interface Inspection {
  run: number;
  step: number;
  layers: LayerWeights[];
  neurons: NeuronMaps | null;
  focus: FocusMap | null;
  hiddenSpace: HiddenSpace | null;
  monitors: LayerMonitorStats[] | null;
  /** The run's monitors before this one, when the server sends them (a newly opened view). */
  monitorHistory: MonitorSample[] | null;
  probe: ProbeResult | null;
  /** The probed point's computational graph, when the Graph view asked for it. */
  graph: GraphView | null;
}

/** Decodes an inspection event; throws an Error naming the field whose size is wrong. */
export function decodeInspection(event: InspectionEvent): Inspection {
  const layers = event.layers.map(decodeLayer);
  checkChain(layers);
  return {
    run: event.run,
    step: event.step,
    layers,
    neurons: event.neurons ? decodeNeurons(event.neurons, layers) : null,
    focus: event.focus ? decodeFocus(event.focus) : null,
    hiddenSpace: event.hidden_space ? decodeHiddenSpace(event.hidden_space) : null,
    monitors: event.monitors ?? null,
    monitorHistory: event.monitor_history ?? null,
    probe: event.probe ?? null,
    graph: event.graph ?? null,
  };
}

/** The weight from input `col` into unit `row` of a layer. */
export function weightAt(layer: LayerWeights, row: number, col: number): number {
  return layer.weight[row * layer.inputs + col]!;
}

/** Decodes little-endian float32 bytes; `expected` values, or an error naming `what`. */
export function readFloat32(bytes: Uint8Array, expected: number, what: string): Float32Array {
  if (bytes.byteLength !== expected * 4) {
    throw new Error(
      `${what}: need ${expected} float32 values (${expected * 4} bytes), got ${bytes.byteLength} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

function decodeLayer(wire: InspectedLayer): LayerWeights {
  const what = wire.name || `layer ${wire.layer}`;
  checkCount(wire.units, `${what}: units`);
  checkCount(wire.inputs, `${what}: inputs`);
  return {
    layer: wire.layer,
    name: wire.name,
    inputs: wire.inputs,
    units: wire.units,
    activation: wire.activation,
    weight: readFloat32(wire.weight, wire.units * wire.inputs, `${what} weights`),
    bias: readFloat32(wire.bias, wire.units, `${what} biases`),
  };
}

/** Each layer must read what the one before it writes. */
function checkChain(layers: LayerWeights[]): void {
  for (let i = 1; i < layers.length; i++) {
    const below = layers[i - 1]!;
    const layer = layers[i]!;
    if (layer.inputs !== below.units) {
      throw new Error(
        `${layer.name} takes ${layer.inputs} inputs but ${below.name} has ${below.units} units`,
      );
    }
  }
}

function decodeNeurons(wire: NeuronPlanes, layers: LayerWeights[]): NeuronMaps {
  checkCount(wire.width, "neuron maps: width");
  checkCount(wire.height, "neuron maps: height");
  // A wide layer sends its first units' maps only (inspection_max_neurons_per_layer).
  const units = layers.length ? [layers[0]!.inputs, ...layers.map((l) => l.units)] : [];
  if (wire.counts.length !== units.length || wire.counts.some((c, i) => c > units[i]!)) {
    throw new Error(
      `neuron maps: counts [${wire.counts.join(", ")}] do not match the layers ` +
        `[${units.join(", ")}]`,
    );
  }
  const expected = wire.counts;
  const cells = wire.width * wire.height;
  const total = expected.reduce((sum, c) => sum + c, 0);
  if (wire.data.byteLength !== total * cells * 2) {
    throw new Error(
      `neuron maps: ${total} planes of ${wire.width}×${wire.height} need ` +
        `${total * cells * 2} bytes, got ${wire.data.byteLength}`,
    );
  }
  const values = decodeFloat16(wire.data);
  let offset = 0;
  const columns = expected.map((count) =>
    Array.from({ length: count }, () => {
      const plane = values.subarray(offset, offset + cells);
      offset += cells;
      return plane;
    }),
  );
  return { width: wire.width, height: wire.height, columns };
}

function decodeFocus(wire: FocusPlane): FocusMap {
  checkCount(wire.width, "focus: width");
  checkCount(wire.height, "focus: height");
  const values = readFloat32(wire.data, wire.width * wire.height, "focus map");
  return { layer: wire.layer, unit: wire.unit, width: wire.width, height: wire.height, values };
}

function decodeHiddenSpace(wire: HiddenSpaceView): HiddenSpace {
  checkCount(wire.count, "hidden space: count", 0);
  checkCount(wire.lines, "hidden space: lines", 0);
  checkCount(wire.samples, "hidden space: samples", 0);
  return {
    layer: wire.layer,
    units: wire.units,
    projected: wire.projected,
    count: wire.count,
    points: readFloat32(wire.points, wire.count * 2, "hidden space points"),
    labels: readFloat32(wire.labels, wire.count, "hidden space labels"),
    lines: wire.lines,
    samples: wire.samples,
    grid: readFloat32(wire.grid, wire.lines * wire.samples * 2, "hidden space grid lines"),
  };
}

function checkCount(value: number, what: string, min = 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${what} must be a whole number of at least ${min}, got ${value}`);
  }
}
