// Over 300 lines for one reason: one example of every event and setting the tests build on.
// Example settings and server events, and fakes of what the store talks to (socket, HTTP,
// address bar, storage). Shared by the tests and the render bench, so a field added to an
// event is added here once.

import { encode } from "@msgpack/msgpack";
import { FieldProblems } from "./fieldProblems.svelte";
import type {
  ClientCommand,
  CustomPoints,
  DatasetEvent,
  DatasetPatch,
  ErrorEvent,
  FrameEvent,
  HelloEvent,
  InspectedLayer,
  InspectionEvent,
  RegionPolygons,
  RunSettings,
  ServerEvent,
  SettingsEvent,
} from "./protocol.gen";
import { decodeEvent } from "./socket";
import { Playground } from "./store.svelte";
import type { HashLocation } from "./urlHash";

/** The default session's settings: 2-4-2-1 tanh on `circle`, SGD. */
export const SETTINGS: RunSettings = {
  network: {
    hidden: [
      {
        units: 4,
        activation: "tanh",
        batch_norm: false,
        layer_norm: false,
        dropout: 0,
        expression: "",
      },
      {
        units: 2,
        activation: "tanh",
        batch_norm: false,
        layer_norm: false,
        dropout: 0,
        expression: "",
      },
    ],
    features: ["x1", "x2"],
    init: "default",
    outputs: 1,
  },
  dataset: {
    name: "circle",
    points: 500,
    noise: 0,
    train_fraction: 0.5,
    classes: 2,
    label_noise: 0,
  },
  training: {
    optimizer: "sgd",
    learning_rate: 0.03,
    batch_size: 10,
    loss: "bce",
    momentum: 0.9,
    nesterov: false,
    schedule: "constant",
    schedule_steps: 1000,
    weight_decay: 0,
    clip_norm: 0,
    l1: 0,
    l2: 0,
    input_noise: 0,
    early_stopping: 0,
    readout: "trained",
  },
  seed: 0,
};

/** A two-class dataset event in the plane; `overrides` replace its points. */
export function dataset(overrides: Partial<DatasetEvent> = {}): DatasetEvent {
  return {
    type: "dataset",
    box: [-6, 6, -6, 6],
    task: "classification",
    classes: 2,
    dims: 2,
    image_shape: null,
    train_x: [[1, 2]],
    train_y: [1],
    test_x: [[-1, 0]],
    test_y: [0],
    ...overrides,
  };
}

export const POINTS: CustomPoints = {
  x: [
    [0, 1],
    [2, 3],
  ],
  y: [0, 1],
  task: "classification",
};

/** The dataset patch that brings the user's `points` back under SETTINGS' split and noise. */
export function customPatch(points: CustomPoints): DatasetPatch {
  return { name: "custom", train_fraction: 0.5, label_noise: 0, custom: points };
}

export function hello(settings: RunSettings = SETTINGS): HelloEvent {
  return {
    type: "hello",
    protocol: 2,
    version: "0.1.0",
    device: "cpu",
    settings,
    steps_per_second: 200,
  };
}

/** The settings now in force; `requestId` when they answer an import. */
export function settingsEvent(
  settings: RunSettings,
  requestId: number | null = null,
): SettingsEvent {
  return { type: "settings", settings, request_id: requestId };
}

/** A 2×2 grid of probabilities [1, 0.5, 0, -1] as little-endian float16 bytes. */
export const GRID_BYTES = new Uint8Array([0x00, 0x3c, 0x00, 0x38, 0x00, 0x00, 0x00, 0xbc]);

/** A frame of run 1 at step 10 with a 2×2 probability grid; `overrides` on top. */
export function frame(overrides: Partial<FrameEvent> = {}): FrameEvent {
  const step = overrides.step ?? 10;
  return {
    type: "frame",
    run: 1,
    step,
    running: true,
    train_loss: 0.5,
    test_loss: 0.6,
    train_accuracy: 0.8,
    test_accuracy: 0.75,
    loss_points: null,
    loss_step: null,
    history: { steps: [step], train_loss: [0.5], test_loss: [0.6] },
    grid: { width: 2, height: 2, kind: "probability", data: GRID_BYTES },
    regions: null,
    regions_exact: true,
    region_polygons: null,
    diverged_at: null,
    early_stopped_at: null,
    best_step: null,
    confusion: null,
    weight_images: null,
    weights: null,
    ...overrides,
  };
}

/** One triangle over the unit square, packed as the server packs region polygons. */
export function trianglePolygons(patternId = 9): RegionPolygons {
  const u32 = (values: number[]) => new Uint8Array(new Uint32Array(values).buffer);
  const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
  return {
    count: 1,
    offsets: u32([0, 3]),
    vertices: f32([0, 0, 1, 0, 0, 1]),
    pattern_ids: u32([patternId]),
  };
}

/** Little-endian float32 bytes, written byte by byte so tests do not share the decoder's path. */
export function f32(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}

/**
 * One Linear layer as an inspection carries it: layer 1 is the output layer (no activation),
 * others ReLU hidden layers; the bias is 0, 0.1, 0.2, … unless given.
 */
export function inspectedLayer(
  index: number,
  inputs: number,
  units: number,
  weights: number[],
  bias: number[] = Array.from({ length: units }, (_, i) => i / 10),
): InspectedLayer {
  return {
    layer: index,
    name: index === 1 ? "output layer" : `hidden layer ${index + 1}`,
    inputs,
    units,
    activation: index === 1 ? null : "relu",
    weight: f32(weights),
    bias: f32(bias),
  };
}

/** An inspection of these layers with nothing else subscribed; `overrides` on top. */
export function inspectionEvent(
  layers: InspectedLayer[],
  overrides: Partial<InspectionEvent> = {},
): InspectionEvent {
  return {
    type: "inspection",
    run: 1,
    step: 10,
    layers,
    neurons: null,
    focus: null,
    hidden_space: null,
    monitors: null,
    monitor_history: null,
    probe: null,
    graph: null,
    ...overrides,
  };
}

/** An error event; `extra` sets its command, undo step, divergence or request id. */
export function errorEvent(message: string, extra: Partial<ErrorEvent> = {}): ErrorEvent {
  const none = { command: null, undo_step: null, diverged_at: null, request_id: null };
  return { type: "error", message, ...none, ...extra };
}

/** The event as the server sends a binary one: msgpack bytes through the socket's decoder. */
export function overTheWire(event: ServerEvent): ServerEvent {
  const bytes = encode(event);
  const decoded = decodeEvent(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  if (!decoded) throw new Error("event did not decode");
  return decoded;
}

/** One request a fake fetcher saw. */
export interface SeenRequest {
  path: string;
  method: string;
  request: Request;
}

/** A fetcher that records each request and answers it with `answer`. */
export function fakeFetch(
  answer: (path: string, request: Request) => Response | Promise<Response> = () => json({}),
): { fetcher: typeof fetch; requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request =
      input instanceof Request
        ? input
        : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(request.url).pathname;
    requests.push({ path, method: request.method, request });
    return answer(path, request);
  }) as typeof fetch;
  return { fetcher, requests };
}

/** A JSON answer, as FastAPI sends one. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

export interface StoreOptions {
  fetcher?: typeof fetch;
  fields?: FieldProblems;
  /** Say hello with these settings first (null: no hello). */
  hello?: RunSettings | null;
}

/**
 * A store on an open, recording socket, greeted by a hello. `sent` leaves out the inspect
 * subscriptions a hello renews: most tests are not about them.
 */
export function openStore(options: StoreOptions = {}): {
  store: Playground;
  sent: ClientCommand[];
  inspects: ClientCommand[];
} {
  const sent: ClientCommand[] = [];
  const inspects: ClientCommand[] = [];
  const store = new Playground(
    (command) => {
      (command.type === "inspect" ? inspects : sent).push(command);
      return true;
    },
    options.fetcher,
    options.fields ?? new FieldProblems(),
  );
  store.setConnection("open");
  const settings = options.hello === undefined ? SETTINGS : options.hello;
  if (settings !== null) store.apply(hello(settings));
  return { store, sent, inspects };
}

/** An address bar whose hash the store reads and replaces; `writes` lists each write. */
export function fakeHash(initial = ""): HashLocation & { hash: string; writes: string[] } {
  const location = {
    hash: initial,
    writes: [] as string[],
    read: () => location.hash,
    write: (hash: string) => {
      location.hash = hash;
      location.writes.push(hash);
    },
  };
  return location;
}
